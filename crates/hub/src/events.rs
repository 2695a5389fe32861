//! What a download tells its watcher (the UI over a typed Channel, the CLI's bars and JSON lines).

use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PlannedFile {
    pub path: String,
    #[ts(type = "number")]
    pub size: u64,
    /// Bytes already on disk from an earlier run.
    #[ts(type = "number")]
    pub present: u64,
    /// Already verified: nothing to fetch.
    pub verified: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum DownloadEvent {
    /// The listing was read: what will be fetched and from where.
    Planned {
        variant: String,
        source: String,
        files: Vec<PlannedFile>,
        #[ts(type = "number")]
        total: u64,
        #[ts(type = "number")]
        present: u64,
    },
    /// One file's progress; `speed` in bytes/s, `eta_secs` absent while the speed is unknown.
    Progress {
        file: String,
        #[ts(type = "number")]
        bytes: u64,
        #[ts(type = "number")]
        total: u64,
        speed: f64,
        eta_secs: Option<f64>,
    },
    /// The whole download's progress.
    Total {
        #[ts(type = "number")]
        bytes: u64,
        #[ts(type = "number")]
        total: u64,
        speed: f64,
        eta_secs: Option<f64>,
    },
    /// All bytes of `file` are in; its hash is being finished.
    Verifying { file: String },
    /// `file` is verified and in place (`skipped`: it already was).
    FileDone { file: String, skipped: bool },
    /// A transient failure; the same part is tried again after `wait_ms`.
    Retrying {
        file: String,
        attempt: u32,
        #[ts(type = "number")]
        wait_ms: u64,
        reason: String,
    },
    /// An endpoint or a whole source failed; `next` is what is tried now.
    SourceFailed { source: String, reason: String, next: Option<String> },
    Done {
        dir: String,
        #[ts(type = "number")]
        bytes: u64,
        secs: f64,
    },
}
