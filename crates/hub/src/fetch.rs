//! Fetches one file: parallel Range requests per part, stall detection, retries with backoff and
//! jitter, failover to the next origin, then the hash check and the atomic move into place.

use crate::client::{network, HubClient};
use crate::control::DownloadControl;
use crate::error::HubError;
use crate::events::DownloadEvent;
use crate::hasher::Follower;
use crate::listing::RemoteFile;
use crate::origin::Origin;
use crate::partial::Partial;
use rand::Rng;
use reqwest::{header, StatusCode};
use std::collections::VecDeque;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Bytes held in memory per connection before they are written. Small next to a part, so what a
/// `kill -9` loses (these buffers plus the unsaved half part) stays under one part per file.
fn flush_size(part_size: u64, connections: usize) -> usize {
    (part_size / (4 * connections.max(1) as u64)).clamp(64 << 10, 1 << 20) as usize
}

pub type Emit<'a> = &'a (dyn Fn(DownloadEvent) + Send + Sync);

pub struct FileJob<'a> {
    pub client: &'a HubClient,
    pub file: &'a RemoteFile,
    pub origins: &'a [Origin],
    /// Shared with the other files of this download: once an origin fails, later files skip it.
    pub origin_idx: &'a Arc<AtomicUsize>,
    pub partial_dir: &'a Path,
    pub dest: &'a Path,
    pub control: &'a DownloadControl,
    /// The partial currently being written, for progress reporting.
    pub current: &'a Mutex<Option<Arc<Partial>>>,
    pub emit: Emit<'a>,
}

impl FileJob<'_> {
    /// Downloads and verifies; a hash mismatch throws the data away and fetches once more.
    pub async fn run(&self) -> Result<(), HubError> {
        let cfg = self.client.config();
        let f = self.file;
        for attempt in 0..2 {
            let partial = Arc::new(Partial::open(self.partial_dir, &f.path, f.size, &f.digest, cfg.part_size)?);
            *self.current.lock().unwrap_or_else(PoisonError::into_inner) = Some(partial.clone());
            let follower = Follower::spawn(partial.clone(), f.digest.clone());
            let fetched = self.fetch_parts(&partial).await;
            let saved = partial.save();
            if let Err(e) = fetched.and(saved) {
                follower.finish(true).await;
                return Err(e);
            }
            (self.emit)(DownloadEvent::Verifying { file: f.path.clone() });
            let actual = match follower.finish(false).await {
                Some(r) => r?,
                None => return Err(self.control.stop_error()),
            };
            *self.current.lock().unwrap_or_else(PoisonError::into_inner) = None;
            let partial =
                Arc::try_unwrap(partial).map_err(|_| HubError::Internal("the partial file is still shared".into()))?;
            if actual == f.digest.hex() {
                // fsync of a multi-gigabyte file: off the async runtime.
                let dest = self.dest.to_path_buf();
                return crate::blocking(move || partial.finish(&dest)).await;
            }
            partial.discard();
            if attempt == 0 {
                (self.emit)(DownloadEvent::Retrying {
                    file: f.path.clone(),
                    attempt: 1,
                    wait_ms: 0,
                    reason: format!("checksum mismatch (expected {}, got {actual}); fetching it again", f.digest.hex()),
                });
            } else {
                return Err(HubError::ChecksumMismatch {
                    path: f.path.clone(),
                    expected: f.digest.hex().into(),
                    actual,
                });
            }
        }
        unreachable!("the loop returns on its second pass")
    }

    async fn fetch_parts(&self, partial: &Arc<Partial>) -> Result<(), HubError> {
        let queue: VecDeque<usize> =
            (0..partial.parts()).filter(|&i| partial.part_done(i) < partial.part_len(i)).collect();
        let queue = Arc::new(Mutex::new(queue));
        let abort = self.control.token().child_token();
        let workers = self.client.config().connections.max(1).min(partial.parts());
        let tasks = (0..workers).map(|_| {
            let queue = queue.clone();
            let abort = abort.clone();
            async move {
                loop {
                    let next = queue.lock().unwrap_or_else(PoisonError::into_inner).pop_front();
                    let Some(i) = next else { return Ok(()) };
                    if let Err(e) = self.fetch_part(partial, i, &abort).await {
                        abort.cancel();
                        return Err(e);
                    }
                }
            }
        });
        let results = futures::future::join_all(tasks).await;
        if self.control.is_stopped() {
            return Err(self.control.stop_error());
        }
        // The first real error, not the "paused" of the workers it aborted.
        let mut errors: Vec<HubError> = results.into_iter().filter_map(Result::err).collect();
        errors.sort_by_key(|e| matches!(e, HubError::Paused));
        errors.into_iter().next().map_or(Ok(()), Err)
    }

    /// One part, from wherever it stopped, retrying on this origin and then on the next ones.
    async fn fetch_part(&self, partial: &Partial, i: usize, abort: &CancellationToken) -> Result<(), HubError> {
        let cfg = self.client.config();
        let mut tries = 0u32;
        loop {
            let oi = self.origin_idx.load(Ordering::Acquire);
            let Some(origin) = self.origins.get(oi) else {
                return Err(HubError::Network { url: self.file.path.clone(), reason: "no origin left".into() });
            };
            let before = partial.part_done(i);
            let result = tokio::select! {
                r = self.stream_part(origin, partial, i) => r,
                _ = abort.cancelled() => return Err(self.control.stop_error()),
            };
            let err = match result {
                Ok(()) => return Ok(()),
                Err(e) => e,
            };
            if partial.part_done(i) > before {
                tries = 0; // progress was made: the connection is flaky, not dead
            }
            tries += 1;
            if !err.try_next_origin() {
                return Err(err);
            }
            if !err.is_transient() || tries > cfg.retries {
                // This origin is done for; move everyone on (once) and start counting again.
                let _ = self.origin_idx.compare_exchange(oi, oi + 1, Ordering::AcqRel, Ordering::Acquire);
                let next = self.origins.get(oi + 1).map(Origin::describe);
                (self.emit)(DownloadEvent::SourceFailed {
                    source: origin.describe(),
                    reason: err.to_string(),
                    next: next.clone(),
                });
                if next.is_none() {
                    return Err(err);
                }
                tries = 0;
                continue;
            }
            let wait = backoff(cfg.backoff_base, tries);
            (self.emit)(DownloadEvent::Retrying {
                file: self.file.path.clone(),
                attempt: tries,
                wait_ms: wait.as_millis() as u64,
                reason: err.to_string(),
            });
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = abort.cancelled() => return Err(self.control.stop_error()),
            }
        }
    }

    async fn stream_part(&self, origin: &Origin, partial: &Partial, i: usize) -> Result<(), HubError> {
        let cfg = self.client.config();
        let start = partial.part_start(i) + partial.part_done(i);
        let end = partial.part_start(i) + partial.part_len(i);
        if start >= end {
            return Ok(());
        }
        let url = origin.file_url(&self.file.path);
        let mut resp = self.client.get(origin, url.clone(), Some((start, end))).await?;
        check_range(&resp, &url, start, partial.size)?;
        let flush = flush_size(cfg.part_size, cfg.connections);
        let mut buf = Vec::with_capacity(flush);
        let mut pos = start;
        loop {
            let chunk = tokio::time::timeout(cfg.stall_timeout, resp.chunk())
                .await
                .map_err(|_| HubError::Stalled { url: url.to_string(), secs: cfg.stall_timeout.as_secs_f64() })
                .and_then(|r| r.map_err(|e| network(&url, e)));
            let chunk = match chunk {
                Ok(c) => c,
                Err(e) => {
                    partial.write(i, &buf)?; // keep what arrived before the failure
                    return Err(e);
                }
            };
            let Some(chunk) = chunk else { break };
            // A server that sends more than asked (ignored Range) must not spill into the next part.
            let take = chunk.len().min((end - pos) as usize);
            buf.extend_from_slice(&chunk[..take]);
            pos += take as u64;
            if buf.len() >= flush || pos == end {
                partial.write(i, &buf)?;
                buf.clear();
            }
            if pos == end {
                return Ok(());
            }
        }
        partial.write(i, &buf)?;
        Err(HubError::Network { url: url.to_string(), reason: format!("the body ended {} bytes early", end - pos) })
    }
}

/// A 206 must cover our start and agree on the file size; a 200 is the whole file, usable only
/// from offset 0.
fn check_range(resp: &reqwest::Response, url: &reqwest::Url, start: u64, size: u64) -> Result<(), HubError> {
    let mismatch = |reason: String| HubError::Network { url: url.to_string(), reason };
    match resp.status() {
        StatusCode::PARTIAL_CONTENT => {
            let cr = resp.headers().get(header::CONTENT_RANGE).and_then(|v| v.to_str().ok()).unwrap_or("");
            let (range, total) = cr.strip_prefix("bytes ").and_then(|r| r.split_once('/')).unwrap_or(("", ""));
            let first = range.split_once('-').and_then(|(a, _)| a.parse::<u64>().ok());
            if first != Some(start) {
                return Err(mismatch(format!("asked for bytes from {start}, got \"{cr}\"")));
            }
            if total != "*" && total.parse::<u64>().ok() != Some(size) {
                return Err(HubError::SizeMismatch {
                    path: url.to_string(),
                    expected: size,
                    actual: total.parse().unwrap_or(0),
                });
            }
            Ok(())
        }
        StatusCode::OK if start == 0 => match resp.content_length() {
            Some(len) if len != size => {
                Err(HubError::SizeMismatch { path: url.to_string(), expected: size, actual: len })
            }
            _ => Ok(()),
        },
        s => Err(mismatch(format!("answered {s} to a Range request"))),
    }
}

/// Exponential backoff with jitter, capped at 30 s: many clients failing together must not
/// come back together.
fn backoff(base: Duration, attempt: u32) -> Duration {
    let cap = (base.as_millis() as u64).saturating_mul(1 << attempt.min(16)).clamp(1, 30_000);
    Duration::from_millis(rand::rng().random_range(cap / 2..=cap))
}
