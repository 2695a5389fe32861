//! A file being downloaded: `.partial/<path>.part` (the data, full length from the start) and
//! `.partial/<path>.state.json` (bytes done per part). The state is written after the data it
//! describes, at least every half part, so a `kill -9` (the page cache survives it) re-fetches
//! less than one part per file. Neither is fsynced while downloading: that would throttle a fast
//! link to the disk's flush rate. After a power loss the state may claim bytes the disk lost;
//! the whole-file hash then fails and the file is fetched again, so a corrupt file is still never
//! accepted. The verified file is fsynced once, before it is moved into place.

use crate::error::HubError;
use crate::io_at;
use crate::listing::Digest;
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

const SAVE_EVERY: Duration = Duration::from_secs(1);

#[derive(Serialize, Deserialize)]
struct State {
    size: u64,
    digest: Digest,
    part_size: u64,
    done: Vec<u64>,
}

pub struct Partial {
    pub data_path: PathBuf,
    state_path: PathBuf,
    file: File,
    pub size: u64,
    digest: Digest,
    part_size: u64,
    done: Vec<AtomicU64>,
    unsaved: AtomicU64,
    last_save: Mutex<Instant>,
}

pub fn paths(partial_dir: &Path, listed: &str) -> (PathBuf, PathBuf) {
    let base = partial_dir.join(listed);
    let with = |ext: &str| {
        let mut s = base.clone().into_os_string();
        s.push(ext);
        PathBuf::from(s)
    };
    (with(".part"), with(".state.json"))
}

impl Partial {
    /// Opens the earlier run's partial file if its state matches this listing, else starts over.
    pub fn open(
        partial_dir: &Path,
        listed: &str,
        size: u64,
        digest: &Digest,
        part_size: u64,
    ) -> Result<Self, HubError> {
        let (data_path, state_path) = paths(partial_dir, listed);
        if let Some(parent) = data_path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| HubError::io(parent, e))?;
        }
        let parts = size.div_ceil(part_size).max(1) as usize;
        let earlier = std::fs::read(&state_path)
            .ok()
            .and_then(|b| serde_json::from_slice::<State>(&b).ok())
            .filter(|s| s.size == size && &s.digest == digest && s.part_size == part_size && s.done.len() == parts);
        let data_len = std::fs::metadata(&data_path).map(|m| m.len()).ok();
        let resumed = earlier.filter(|_| data_len == Some(size));
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(resumed.is_none())
            .open(&data_path)
            .map_err(|e| HubError::io(&data_path, e))?;
        file.set_len(size).map_err(|e| HubError::io(&data_path, e))?;
        let done: Vec<u64> = match resumed {
            Some(s) => s.done,
            None => vec![0; parts],
        };
        let p = Self {
            data_path,
            state_path,
            file,
            size,
            digest: digest.clone(),
            part_size,
            done: done.into_iter().map(AtomicU64::new).collect(),
            unsaved: AtomicU64::new(0),
            last_save: Mutex::new(Instant::now()),
        };
        for i in 0..p.parts() {
            // A state from a hostile or broken run must not claim more than the part holds.
            p.done[i].fetch_min(p.part_len(i), Ordering::SeqCst);
        }
        Ok(p)
    }

    pub fn parts(&self) -> usize {
        self.done.len()
    }

    pub fn part_start(&self, i: usize) -> u64 {
        i as u64 * self.part_size
    }

    pub fn part_len(&self, i: usize) -> u64 {
        (self.size - self.part_start(i)).min(self.part_size)
    }

    pub fn part_done(&self, i: usize) -> u64 {
        self.done[i].load(Ordering::Acquire)
    }

    pub fn bytes_done(&self) -> u64 {
        (0..self.parts()).map(|i| self.part_done(i)).sum()
    }

    /// The prefix of the file that is fully written: the hasher reads up to here.
    pub fn contiguous(&self) -> u64 {
        let mut end = 0;
        for i in 0..self.parts() {
            let d = self.part_done(i);
            end = self.part_start(i) + d;
            if d < self.part_len(i) {
                break;
            }
        }
        end
    }

    /// Writes bytes of part `i` at its current end, then counts them (in that order, so the
    /// hasher and the saved state only ever see written bytes).
    pub fn write(&self, i: usize, buf: &[u8]) -> Result<(), HubError> {
        let at = self.part_start(i) + self.part_done(i);
        io_at::write_all_at(&self.file, buf, at).map_err(|e| HubError::io(&self.data_path, e))?;
        self.done[i].fetch_add(buf.len() as u64, Ordering::Release);
        let unsaved = self.unsaved.fetch_add(buf.len() as u64, Ordering::AcqRel) + buf.len() as u64;
        // One worker saves; the others go on writing (a busy lock means a save is under way).
        if let Ok(mut last) = self.last_save.try_lock() {
            if unsaved >= self.part_size / 2 || last.elapsed() >= SAVE_EVERY {
                self.save_locked(&mut last)?;
            }
        }
        Ok(())
    }

    /// Records what is written (see the module note on why without fsync).
    pub fn save(&self) -> Result<(), HubError> {
        let mut last = self.last_save.lock().unwrap_or_else(PoisonError::into_inner);
        self.save_locked(&mut last)
    }

    fn save_locked(&self, last: &mut Instant) -> Result<(), HubError> {
        let pending = self.unsaved.load(Ordering::Acquire);
        let done: Vec<u64> = (0..self.parts()).map(|i| self.part_done(i)).collect();
        let state = State { size: self.size, digest: self.digest.clone(), part_size: self.part_size, done };
        crate::replace_file(&self.state_path, &serde_json::to_vec(&state).expect("state serializes"))?;
        self.unsaved.fetch_sub(pending, Ordering::AcqRel);
        *last = Instant::now();
        Ok(())
    }

    /// Throws the data away (a hash mismatch, or cancel).
    pub fn discard(self) {
        let _ = std::fs::remove_file(&self.state_path);
        let _ = std::fs::remove_file(&self.data_path);
    }

    /// Moves the verified data into place and forgets the state.
    pub fn finish(self, dest: &Path) -> Result<(), HubError> {
        self.file.sync_all().map_err(|e| HubError::io(&self.data_path, e))?;
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(|e| HubError::io(parent, e))?;
        }
        std::fs::rename(&self.data_path, dest).map_err(|e| HubError::io(dest, e))?;
        crate::sync_dir(dest);
        let _ = std::fs::remove_file(&self.state_path);
        Ok(())
    }

    pub fn read_at(&self, buf: &mut [u8], at: u64) -> Result<(), HubError> {
        io_at::read_exact_at(&self.file, buf, at).map_err(|e| HubError::io(&self.data_path, e))
    }
}
