//! Gets a model onto the disk, verified: the catalog (`models/*.toml`), the Hugging Face and
//! ModelScope listing APIs, resumable parallel downloads that hash while they fetch, the
//! `.verified.json` stamp and on-demand re-verification, and the local model store.

mod catalog;
mod client;
mod config;
mod control;
mod download;
mod error;
mod events;
mod fetch;
mod hasher;
mod io_at;
mod listing;
mod meter;
mod origin;
mod overview;
mod partial;
mod safe_path;
mod stamp;
mod store;

pub use catalog::{Catalog, HubKind, Source, Variant, VariantRole};
pub use client::HubClient;
pub use config::{parse_endpoint, HubConfig, Token, HUGGINGFACE, MODELSCOPE};
pub use control::DownloadControl;
pub use download::{download, DownloadReport, PARTIAL_DIR};
pub use error::HubError;
pub use events::{DownloadEvent, PlannedFile};
pub use listing::{Digest, RemoteFile};
pub use overview::{overview, plan_for, plan_variant, Build, ModelsOverview};
pub use stamp::{quick_check, verify, VerifiedFile, VerifyReport, STAMP};
pub use store::{delete_model, installed, model_path, InstalledModel};

use std::io::Write;
use std::path::Path;

/// Runs blocking file work (hashing, fsync) on tokio's blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, HubError> + Send + 'static,
) -> Result<T, HubError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| HubError::Internal(format!("a file task failed: {e}")))?
}

/// Temp file, fsync, rename: a crash leaves the old file or the new one, never half of one.
pub(crate) fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), HubError> {
    write_then_rename(path, bytes, true)
}

/// Temp file and rename without fsync: atomic against a killed process (the page cache
/// survives it), which is all the part state needs; see `partial.rs`.
pub(crate) fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), HubError> {
    write_then_rename(path, bytes, false)
}

fn write_then_rename(path: &Path, bytes: &[u8], durable: bool) -> Result<(), HubError> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = std::path::PathBuf::from(tmp);
    let mut f = std::fs::File::create(&tmp).map_err(|e| HubError::io(&tmp, e))?;
    f.write_all(bytes).map_err(|e| HubError::io(&tmp, e))?;
    if durable {
        f.sync_all().map_err(|e| HubError::io(&tmp, e))?;
    }
    std::fs::rename(&tmp, path).map_err(|e| HubError::io(path, e))?;
    if durable {
        sync_dir(path);
    }
    Ok(())
}

/// Makes a rename durable (POSIX needs the directory synced); best effort elsewhere.
pub(crate) fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}
