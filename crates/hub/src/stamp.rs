//! `.verified.json`: what was verified (size, hash, mtime per file). Loading a model trusts a file
//! whose size and mtime still match (no 20 GB re-hash at every start); `verify` re-hashes on demand.

use crate::error::HubError;
use crate::hasher::hash_file;
use crate::listing::Digest;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Instant, UNIX_EPOCH};
use ts_rs::TS;

pub const STAMP: &str = ".verified.json";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StampedFile {
    pub size: u64,
    pub digest: Digest,
    pub mtime_ns: u128,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Stamp {
    pub variant: String,
    pub source: String,
    pub files: BTreeMap<String, StampedFile>,
}

fn mtime_ns(path: &Path) -> std::io::Result<u128> {
    let m = std::fs::metadata(path)?.modified()?;
    Ok(m.duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0))
}

impl Stamp {
    /// A missing or unreadable stamp is an empty one: files are then re-hashed, never trusted.
    pub fn load(dir: &Path) -> Self {
        std::fs::read(dir.join(STAMP)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    pub fn save(&self, dir: &Path) -> Result<(), HubError> {
        crate::atomic_write(&dir.join(STAMP), &serde_json::to_vec_pretty(self).expect("stamp serializes"))
    }

    /// The file is stamped with this hash and still has the stamped size and mtime.
    pub fn trusts(&self, dir: &Path, path: &str, size: u64, digest: &Digest) -> bool {
        let Some(s) = self.files.get(path) else { return false };
        let on_disk = dir.join(path);
        s.size == size
            && &s.digest == digest
            && std::fs::metadata(&on_disk).map(|m| m.len() == size).unwrap_or(false)
            && mtime_ns(&on_disk).map(|t| t == s.mtime_ns).unwrap_or(false)
    }

    pub fn record(&mut self, dir: &Path, path: &str, size: u64, digest: &Digest) -> Result<(), HubError> {
        let on_disk = dir.join(path);
        let mtime_ns = mtime_ns(&on_disk).map_err(|e| HubError::io(&on_disk, e))?;
        self.files.insert(path.to_string(), StampedFile { size, digest: digest.clone(), mtime_ns });
        Ok(())
    }
}

/// Quick check at load time: every stamped file is there with its stamped size and mtime.
pub fn quick_check(dir: &Path) -> Result<(), HubError> {
    let stamp = Stamp::load(dir);
    if stamp.files.is_empty() {
        return Err(HubError::NotDownloaded(dir.to_path_buf()));
    }
    for (path, f) in &stamp.files {
        if !stamp.trusts(dir, path, f.size, &f.digest) {
            return Err(HubError::SizeMismatch {
                path: path.clone(),
                expected: f.size,
                actual: std::fs::metadata(dir.join(path)).map(|m| m.len()).unwrap_or(0),
            });
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct VerifiedFile {
    pub path: String,
    #[ts(type = "number")]
    pub size: u64,
    pub ok: bool,
    /// Why it failed: missing, wrong size, wrong hash.
    pub problem: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct VerifyReport {
    pub dir: String,
    pub ok: bool,
    pub files: Vec<VerifiedFile>,
    #[ts(type = "number")]
    pub bytes: u64,
    pub secs: f64,
}

/// Re-hashes every stamped file (files in parallel, one thread per core). A good file whose mtime
/// changed (copied, touched) gets its stamp refreshed; a bad one is reported, never deleted.
pub fn verify(dir: &Path, on_bytes: &(dyn Fn(u64) + Sync)) -> Result<VerifyReport, HubError> {
    let mut stamp = Stamp::load(dir);
    if stamp.files.is_empty() {
        return Err(HubError::NotDownloaded(dir.to_path_buf()));
    }
    let started = Instant::now();
    let entries: Vec<(String, StampedFile)> = stamp.files.iter().map(|(p, f)| (p.clone(), f.clone())).collect();
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(entries.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<(usize, VerifiedFile)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((path, f)) = entries.get(i) else { return out };
                        out.push((i, check_file(&dir.join(path), path, f, on_bytes)));
                    }
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
    });
    let mut files: Vec<VerifiedFile> = vec![];
    let mut sorted = results;
    sorted.sort_by_key(|(i, _)| *i);
    let mut refreshed = false;
    for (i, v) in sorted {
        let (path, f) = &entries[i];
        if v.ok && !stamp.trusts(dir, path, f.size, &f.digest) {
            stamp.record(dir, path, f.size, &f.digest)?;
            refreshed = true;
        }
        files.push(v);
    }
    if refreshed {
        stamp.save(dir)?;
    }
    let bytes = files.iter().filter(|f| f.ok).map(|f| f.size).sum();
    Ok(VerifyReport {
        dir: dir.display().to_string(),
        ok: files.iter().all(|f| f.ok),
        files,
        bytes,
        secs: started.elapsed().as_secs_f64(),
    })
}

fn check_file(on_disk: &PathBuf, path: &str, f: &StampedFile, on_bytes: &(dyn Fn(u64) + Sync)) -> VerifiedFile {
    let fail =
        |problem: String| VerifiedFile { path: path.to_string(), size: f.size, ok: false, problem: Some(problem) };
    let file = match std::fs::File::open(on_disk) {
        Ok(file) => file,
        Err(e) => return fail(format!("cannot open: {e}")),
    };
    match file.metadata().map(|m| m.len()) {
        Ok(len) if len != f.size => return fail(format!("{len} bytes, expected {}", f.size)),
        Err(e) => return fail(e.to_string()),
        _ => {}
    }
    match hash_file(&file, &f.digest, f.size, on_bytes) {
        Ok(h) if h == f.digest.hex() => VerifiedFile { path: path.to_string(), size: f.size, ok: true, problem: None },
        Ok(h) => fail(format!("hash {h}, expected {}", f.digest.hex())),
        Err(e) => fail(format!("read error: {e}")),
    }
}
