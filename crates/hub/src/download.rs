//! A whole variant: list the first source that answers, check paths and disk space before
//! writing a byte, fetch each file (small ones first), and stamp what was verified. Failing
//! sources hand over to the next (primary endpoint → mirrors → ModelScope).

use crate::catalog::Variant;
use crate::client::HubClient;
use crate::control::DownloadControl;
use crate::error::HubError;
use crate::events::{DownloadEvent, PlannedFile};
use crate::fetch::{Emit, FileJob};
use crate::listing::{self, RemoteFile};
use crate::meter::Meter;
use crate::origin::{origins, Origin};
use crate::partial::{self, Partial};
use crate::stamp::Stamp;
use crate::{hasher, safe_path};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use ts_rs::TS;

pub const PARTIAL_DIR: &str = ".partial";
const TICK: Duration = Duration::from_millis(250);

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct DownloadReport {
    pub variant: String,
    pub dir: String,
    pub source: String,
    pub files: usize,
    /// Bytes fetched in this run (not counting what was already there).
    #[ts(type = "number")]
    pub fetched: u64,
    #[ts(type = "number")]
    pub total: u64,
    pub secs: f64,
}

pub async fn download(
    client: &HubClient,
    variant: &Variant,
    dir: &Path,
    control: &DownloadControl,
    emit: Emit<'_>,
) -> Result<DownloadReport, HubError> {
    std::fs::create_dir_all(dir.join(PARTIAL_DIR)).map_err(|e| HubError::io(dir, e))?;
    let _lock = lock(dir)?;
    // Each source with the endpoints that serve it (a source with none, e.g. ModelScope turned
    // off, is skipped).
    let groups: Vec<(&crate::catalog::Source, Vec<Origin>)> =
        variant.sources.iter().map(|s| (s, origins(s, client.config()))).filter(|(_, o)| !o.is_empty()).collect();
    let mut last: Option<HubError> = None;
    let mut result = None;
    for (gi, (source, group)) in groups.iter().enumerate() {
        let next_group = groups.get(gi + 1).and_then(|(_, g)| g.first()).map(Origin::describe);
        let attempt = async {
            let (files, from) = list_with_failover(client, source, group, emit).await?;
            let targets = files.iter().map(|f| safe_path::resolve(dir, &f.path)).collect::<Result<Vec<_>, _>>()?;
            fetch_all(client, variant, dir, &group[from..], &files, &targets, control, emit).await
        };
        match attempt.await {
            Ok(report) => {
                result = Some(Ok(report));
                break;
            }
            Err(e) if control.is_stopped() || !moves_on(&e) => {
                result = Some(Err(e));
                break;
            }
            Err(e) => {
                emit(DownloadEvent::SourceFailed {
                    source: group[0].describe(),
                    reason: e.to_string(),
                    next: next_group,
                });
                last = Some(e);
            }
        }
    }
    let result = result.unwrap_or_else(|| {
        Err(HubError::AllSourcesFailed {
            last: Box::new(last.unwrap_or_else(|| HubError::Internal("no download sources were given".into()))),
        })
    });
    if matches!(result, Err(HubError::Cancelled)) {
        let _ = std::fs::remove_dir_all(dir.join(PARTIAL_DIR));
    }
    result
}

/// One download per folder (the app and the CLI could otherwise write the same parts).
fn lock(dir: &Path) -> Result<std::fs::File, HubError> {
    let path = dir.join(PARTIAL_DIR).join("lock");
    let f = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| HubError::io(&path, e))?;
    match f.try_lock() {
        Ok(()) => Ok(f),
        Err(std::fs::TryLockError::WouldBlock) => Err(HubError::Busy(dir.to_path_buf())),
        Err(std::fs::TryLockError::Error(e)) => Err(HubError::io(&path, e)),
    }
}

/// Errors that another source may not have. Disk and local trouble stop everything.
fn moves_on(e: &HubError) -> bool {
    e.try_next_origin()
        || matches!(
            e,
            HubError::UnsafePath { .. }
                | HubError::ChecksumMismatch { .. }
                | HubError::SizeMismatch { .. }
                | HubError::Unauthorized { .. }
        )
}

async fn list_with_failover(
    client: &HubClient,
    source: &crate::catalog::Source,
    group: &[Origin],
    emit: Emit<'_>,
) -> Result<(Vec<RemoteFile>, usize), HubError> {
    let mut last = None;
    for (i, origin) in group.iter().enumerate() {
        match listing::list(client, origin, source).await {
            Ok(files) => return Ok((files, i)),
            Err(e) if e.try_next_origin() || matches!(e, HubError::Unauthorized { .. }) => {
                if let Some(next) = group.get(i + 1) {
                    emit(DownloadEvent::SourceFailed {
                        source: origin.describe(),
                        reason: e.to_string(),
                        next: Some(next.describe()),
                    });
                }
                last = Some(e);
            }
            Err(e) => return Err(e),
        }
    }
    Err(last.expect("a group has at least one origin"))
}

#[allow(clippy::too_many_arguments)]
async fn fetch_all(
    client: &HubClient,
    variant: &Variant,
    dir: &Path,
    origins: &[Origin],
    files: &[RemoteFile],
    targets: &[PathBuf],
    control: &DownloadControl,
    emit: Emit<'_>,
) -> Result<DownloadReport, HubError> {
    let started = Instant::now();
    let partial_dir = dir.join(PARTIAL_DIR);
    let mut stamp = Stamp::load(dir);
    let source = origins[0].describe();
    stamp.variant = variant.id.clone();
    stamp.source = source.clone();
    // Hashing files found in place reads gigabytes: off the async runtime.
    let (planned, mut stamp) = {
        let (dir, partial_dir, files, targets) =
            (dir.to_path_buf(), partial_dir.clone(), files.to_vec(), targets.to_vec());
        let part_size = client.config().part_size;
        crate::blocking(move || {
            plan(&dir, &partial_dir, &files, &targets, &mut stamp, part_size).map(|planned| (planned, stamp))
        })
        .await?
    };
    let total: u64 = files.iter().map(|f| f.size).sum();
    let present: u64 = planned.iter().map(|p| if p.verified { p.size } else { p.present }).sum();
    check_space(dir, total - present, client.config().space_check)?;
    emit(DownloadEvent::Planned {
        variant: variant.id.clone(),
        source: source.clone(),
        files: planned.clone(),
        total,
        present,
    });

    let origin_idx = Arc::new(AtomicUsize::new(0));
    let current: Mutex<Option<Arc<Partial>>> = Mutex::new(None);
    let finished = Mutex::new(present);
    let job_files = async {
        for ((f, target), p) in files.iter().zip(targets).zip(&planned) {
            if p.verified {
                emit(DownloadEvent::FileDone { file: f.path.clone(), skipped: true });
                continue;
            }
            let job = FileJob {
                client,
                file: f,
                origins,
                origin_idx: &origin_idx,
                partial_dir: &partial_dir,
                dest: target,
                control,
                current: &current,
                emit,
            };
            job.run().await?;
            stamp.record(dir, &f.path, f.size, &f.digest)?;
            stamp.save(dir)?;
            *finished.lock().unwrap_or_else(PoisonError::into_inner) += f.size;
            emit(DownloadEvent::FileDone { file: f.path.clone(), skipped: false });
        }
        Ok::<_, HubError>(())
    };
    let reporter = report_progress(&current, &finished, total, emit);
    tokio::select! {
        r = job_files => r?,
        _ = reporter => unreachable!("the reporter never ends"),
    }
    emit(DownloadEvent::Total { bytes: total, total, speed: 0.0, eta_secs: Some(0.0) });
    let secs = started.elapsed().as_secs_f64();
    emit(DownloadEvent::Done { dir: dir.display().to_string(), bytes: total, secs });
    let _ = std::fs::remove_dir_all(&partial_dir);
    Ok(DownloadReport {
        variant: variant.id.clone(),
        dir: dir.display().to_string(),
        source,
        files: files.len(),
        fetched: total - present,
        total,
        secs,
    })
}

/// What is already there: stamped files are skipped, a file in place without a stamp (a crash
/// between rename and stamp) is hashed and adopted if good, partial data is counted.
fn plan(
    dir: &Path,
    partial_dir: &Path,
    files: &[RemoteFile],
    targets: &[PathBuf],
    stamp: &mut Stamp,
    part_size: u64,
) -> Result<Vec<PlannedFile>, HubError> {
    let mut out = Vec::new();
    for (f, target) in files.iter().zip(targets) {
        let mut verified = stamp.trusts(dir, &f.path, f.size, &f.digest);
        if !verified && std::fs::metadata(target).map(|m| m.is_file() && m.len() == f.size).unwrap_or(false) {
            let file = std::fs::File::open(target).map_err(|e| HubError::io(target, e))?;
            if hasher::hash_file(&file, &f.digest, f.size, |_| {}).map_err(|e| HubError::io(target, e))?
                == f.digest.hex()
            {
                stamp.record(dir, &f.path, f.size, &f.digest)?;
                verified = true;
            }
        }
        let present = if verified { f.size } else { partial_present(partial_dir, f, part_size) };
        out.push(PlannedFile { path: f.path.clone(), size: f.size, present, verified });
    }
    stamp.save(dir)?;
    Ok(out)
}

fn partial_present(partial_dir: &Path, f: &RemoteFile, part_size: u64) -> u64 {
    let (data, _) = partial::paths(partial_dir, &f.path);
    if !data.exists() {
        return 0;
    }
    Partial::open(partial_dir, &f.path, f.size, &f.digest, part_size).map(|p| p.bytes_done()).unwrap_or(0)
}

fn check_space(dir: &Path, remaining: u64, enabled: bool) -> Result<(), HubError> {
    if !enabled || remaining == 0 {
        return Ok(());
    }
    let needed = remaining + remaining / 20;
    match anamnesis_hardware::free_space(dir) {
        Some(available) if available < needed => {
            Err(HubError::InsufficientSpace { dir: dir.to_path_buf(), needed, available })
        }
        _ => Ok(()),
    }
}

/// Ticks every 250 ms: the current file's and the whole download's bytes, speed and ETA.
async fn report_progress(current: &Mutex<Option<Arc<Partial>>>, finished: &Mutex<u64>, total: u64, emit: Emit<'_>) {
    let mut file_meter: (Option<String>, Meter) = (None, Meter::default());
    let mut total_meter = Meter::default();
    loop {
        tokio::time::sleep(TICK).await;
        let now = Instant::now();
        let cur = current.lock().unwrap_or_else(PoisonError::into_inner).clone();
        let done_before = *finished.lock().unwrap_or_else(PoisonError::into_inner);
        let (file_bytes, name) = match &cur {
            Some(p) => (p.bytes_done(), Some(p.data_path.display().to_string())),
            None => (0, None),
        };
        if let (Some(p), Some(name)) = (&cur, name) {
            if file_meter.0.as_deref() != Some(&name) {
                file_meter = (Some(name), Meter::default());
            }
            file_meter.1.sample(now, file_bytes);
            emit(DownloadEvent::Progress {
                file: listed_name(&p.data_path),
                bytes: file_bytes,
                total: p.size,
                speed: file_meter.1.speed(),
                eta_secs: file_meter.1.eta_secs(p.size - file_bytes.min(p.size)),
            });
        }
        let bytes = (done_before + file_bytes).min(total);
        total_meter.sample(now, bytes);
        emit(DownloadEvent::Total {
            bytes,
            total,
            speed: total_meter.speed(),
            eta_secs: total_meter.eta_secs(total - bytes),
        });
    }
}

/// `.partial/sub/x.safetensors.part` → `sub/x.safetensors`.
fn listed_name(data_path: &Path) -> String {
    let s = data_path.to_string_lossy();
    let s = s.strip_suffix(".part").unwrap_or(&s);
    match s.find(&format!("{PARTIAL_DIR}{}", std::path::MAIN_SEPARATOR)) {
        Some(i) => s[i + PARTIAL_DIR.len() + 1..].replace(std::path::MAIN_SEPARATOR, "/"),
        None => s.to_string(),
    }
}
