//! Hashing that overlaps the download: a thread follows the written prefix of the file and hashes
//! it while later parts are still arriving (from the page cache, so it costs no disk reads), and
//! the whole-file check at the end only has the last stretch left.

use crate::listing::Digest;
use crate::partial::Partial;
use sha1::Sha1;
use sha2::{Digest as _, Sha256};
use std::fs::File;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

const BLOCK: usize = 4 << 20;

/// sha256 or git-blob sha1, fed in order.
pub enum Hasher {
    Sha256(Sha256),
    GitSha1(Sha1),
}

impl Hasher {
    pub fn for_digest(d: &Digest, size: u64) -> Self {
        match d {
            Digest::Sha256(_) => Self::Sha256(Sha256::new()),
            Digest::GitSha1(_) => {
                let mut h = Sha1::new();
                h.update(format!("blob {size}\0").as_bytes());
                Self::GitSha1(h)
            }
        }
    }

    pub fn update(&mut self, data: &[u8]) {
        match self {
            Self::Sha256(h) => h.update(data),
            Self::GitSha1(h) => h.update(data),
        }
    }

    pub fn hex(self) -> String {
        match self {
            Self::Sha256(h) => hex::encode(h.finalize()),
            Self::GitSha1(h) => hex::encode(h.finalize()),
        }
    }
}

/// Hashes a whole file on disk (verify, adopting a file left in place by a crash).
pub fn hash_file(file: &File, digest: &Digest, size: u64, mut on_bytes: impl FnMut(u64)) -> std::io::Result<String> {
    let mut h = Hasher::for_digest(digest, size);
    let mut buf = vec![0u8; BLOCK];
    let mut pos = 0u64;
    while pos < size {
        let n = ((size - pos) as usize).min(BLOCK);
        crate::io_at::read_exact_at(file, &mut buf[..n], pos)?;
        h.update(&buf[..n]);
        pos += n as u64;
        on_bytes(n as u64);
    }
    Ok(h.hex())
}

/// The follower thread. `finish` waits for it once every part is written.
pub struct Follower {
    stop: Arc<AtomicBool>,
    handle: std::thread::JoinHandle<Option<Result<String, crate::error::HubError>>>,
}

impl Follower {
    pub fn spawn(partial: Arc<Partial>, digest: Digest) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let mut h = Hasher::for_digest(&digest, partial.size);
            let mut buf = vec![0u8; BLOCK];
            let mut pos = 0u64;
            loop {
                let ready = partial.contiguous();
                if pos < ready {
                    let n = ((ready - pos) as usize).min(BLOCK);
                    if let Err(e) = partial.read_at(&mut buf[..n], pos) {
                        return Some(Err(e));
                    }
                    h.update(&buf[..n]);
                    pos += n as u64;
                } else if pos == partial.size {
                    return Some(Ok(h.hex()));
                } else if flag.load(Ordering::Acquire) {
                    return None;
                } else {
                    std::thread::sleep(Duration::from_millis(2));
                }
            }
        });
        Self { stop, handle }
    }

    /// The hash, once the file is complete; `None` if stopped early.
    pub async fn finish(self, stop: bool) -> Option<Result<String, crate::error::HubError>> {
        if stop {
            self.stop.store(true, Ordering::Release);
        }
        tokio::task::spawn_blocking(move || self.handle.join().ok().flatten()).await.ok().flatten()
    }
}
