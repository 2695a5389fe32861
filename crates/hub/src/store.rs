//! The models folder: `<models>/<variant>/…` with a `.verified.json` stamp each. Lists what is
//! there (for Settings: disk usage, verified or partial) and deletes a model.

use crate::catalog::Variant;
use crate::download::PARTIAL_DIR;
use crate::error::HubError;
use crate::stamp::{quick_check, Stamp};
use serde::Serialize;
use std::path::{Path, PathBuf};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct InstalledModel {
    pub id: String,
    pub dir: String,
    /// Everything in the folder, partial data included.
    #[ts(type = "number")]
    pub bytes: u64,
    #[ts(type = "number")]
    pub partial_bytes: u64,
    /// Files with a verified stamp.
    pub verified_files: usize,
}

fn dir_size(path: &Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else { return 0 };
    if meta.is_file() {
        return meta.len();
    }
    if !meta.is_dir() {
        return 0;
    }
    std::fs::read_dir(path).map(|rd| rd.flatten().map(|e| dir_size(&e.path())).sum()).unwrap_or(0)
}

pub fn installed(models_dir: &Path) -> Vec<InstalledModel> {
    let Ok(rd) = std::fs::read_dir(models_dir) else { return vec![] };
    let mut out: Vec<InstalledModel> = rd
        .flatten()
        .filter(|e| e.file_type().map(|t| t.is_dir()).unwrap_or(false))
        .map(|e| {
            let dir = e.path();
            InstalledModel {
                id: e.file_name().to_string_lossy().into_owned(),
                bytes: dir_size(&dir),
                partial_bytes: dir_size(&dir.join(PARTIAL_DIR)),
                verified_files: Stamp::load(&dir).files.len(),
                dir: dir.display().to_string(),
            }
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

/// Deletes `<models>/<id>`; `id` must be one plain folder name (never a path).
pub fn delete_model(models_dir: &Path, id: &str) -> Result<(), HubError> {
    if id.is_empty() || id.starts_with('.') || id.contains(['/', '\\', ':']) {
        return Err(HubError::UnsafePath { path: id.to_string(), reason: "not a model folder name".into() });
    }
    let dir = models_dir.join(id);
    match std::fs::symlink_metadata(&dir) {
        Ok(m) if m.is_dir() => std::fs::remove_dir_all(&dir).map_err(|e| HubError::io(&dir, e)),
        Ok(_) => Err(HubError::UnsafePath { path: id.to_string(), reason: "not a folder".into() }),
        Err(e) => Err(HubError::io(&dir, e)),
    }
}

/// What to load for a downloaded variant: its folder, or for GGUF the (largest) stamped `.gguf`
/// file in it. Fails unless every stamped file is still as verified.
pub fn model_path(models_dir: &Path, variant: &Variant) -> Result<PathBuf, HubError> {
    let dir = models_dir.join(&variant.id);
    quick_check(&dir)?;
    if variant.format != "gguf" {
        return Ok(dir);
    }
    let stamp = Stamp::load(&dir);
    let gguf = stamp.files.iter().filter(|(p, _)| p.ends_with(".gguf")).max_by_key(|(_, f)| f.size);
    gguf.map(|(p, _)| dir.join(p)).ok_or(HubError::NotDownloaded(dir))
}
