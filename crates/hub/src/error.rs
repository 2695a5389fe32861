//! The hub's one error type. Codes are stable SCREAMING_SNAKE strings shown by the UI and the
//! CLI's JSON. Messages say what happened and what was kept, never a token.

use anamnesis_wire::ErrorCode;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum HubError {
    #[error("invalid catalog entry {file}: {reason}")]
    InvalidCatalog { file: String, reason: String },
    #[error("unknown model variant \"{0}\"; see `anamnesis-cli download --help` for the catalog")]
    UnknownVariant(String),
    #[error("invalid endpoint \"{url}\": {reason}")]
    InvalidEndpoint { url: String, reason: String },
    #[error("network error talking to {url}: {reason}")]
    Network { url: String, reason: String },
    #[error("{url} answered HTTP {status}")]
    HttpStatus { url: String, status: u16 },
    #[error("{url} was not found on the hub (HTTP 404): check the repository and revision")]
    NotFound { url: String },
    #[error("{url} needs access (HTTP {status}): accept the model's terms on the hub and save a Hugging Face token in Settings")]
    Unauthorized { url: String, status: u16 },
    #[error("no bytes from {url} for {secs:.1} s")]
    Stalled { url: String, secs: f64 },
    #[error("the hub's file listing is invalid: {0}")]
    InvalidListing(String),
    #[error("the hub listed an unsafe path \"{path}\" ({reason}); nothing was written")]
    UnsafePath { path: String, reason: String },
    #[error("{path} failed verification: expected {expected}, got {actual}; the download was retried once and the bad data deleted")]
    ChecksumMismatch { path: String, expected: String, actual: String },
    #[error("{path} has {actual} bytes, the hub listed {expected}")]
    SizeMismatch { path: String, expected: u64, actual: u64 },
    #[error("not enough free space in {dir}: {needed} bytes needed (remaining download + 5 %), {available} free")]
    InsufficientSpace { dir: PathBuf, needed: u64, available: u64 },
    #[error("the disk is full while writing {path}; the download is paused and everything downloaded so far is kept — free some space and resume")]
    DiskFull { path: PathBuf },
    #[error("every source failed; last error: {last}")]
    AllSourcesFailed { last: Box<HubError> },
    #[error("the download was paused; resume to continue where it stopped")]
    Paused,
    #[error("the download was cancelled")]
    Cancelled,
    #[error("{0} has no verified stamp (.verified.json); download it first")]
    NotDownloaded(PathBuf),
    #[error("another download into {0} is running")]
    Busy(PathBuf),
    #[error("I/O error on {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// A state the code should never reach (a bug), or a worker thread that died: never a
    /// reason to try another source.
    #[error("internal error in the downloader: {0}")]
    Internal(String),
}

impl HubError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::InvalidCatalog { .. } => ErrorCode::InvalidCatalog,
            Self::UnknownVariant(_) => ErrorCode::UnknownVariant,
            Self::InvalidEndpoint { .. } => ErrorCode::InvalidEndpoint,
            Self::Network { .. } => ErrorCode::NetworkError,
            Self::HttpStatus { .. } => ErrorCode::HttpError,
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::Unauthorized { .. } => ErrorCode::Unauthorized,
            Self::Stalled { .. } => ErrorCode::Stalled,
            Self::InvalidListing(_) => ErrorCode::InvalidListing,
            Self::UnsafePath { .. } => ErrorCode::UnsafePath,
            Self::ChecksumMismatch { .. } => ErrorCode::ChecksumMismatch,
            Self::SizeMismatch { .. } => ErrorCode::SizeMismatch,
            Self::InsufficientSpace { .. } => ErrorCode::InsufficientSpace,
            Self::DiskFull { .. } => ErrorCode::DiskFull,
            Self::AllSourcesFailed { last } => last.code(),
            Self::Paused => ErrorCode::Paused,
            Self::Cancelled => ErrorCode::Cancelled,
            Self::NotDownloaded(_) => ErrorCode::NotDownloaded,
            Self::Busy(_) => ErrorCode::Busy,
            Self::Io { .. } => ErrorCode::IoError,
            Self::Internal(_) => ErrorCode::Internal,
        }
    }

    /// Worth another try (same or next origin): transient network trouble, not the data or the disk.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Network { .. } | Self::Stalled { .. } => true,
            Self::HttpStatus { status, .. } => *status >= 500 || *status == 429 || *status == 408,
            _ => false,
        }
    }

    /// Another origin might succeed where this one failed (a mirror may have what the primary lacks).
    pub fn try_next_origin(&self) -> bool {
        self.is_transient() || matches!(self, Self::NotFound { .. } | Self::HttpStatus { .. } | Self::InvalidListing(_))
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        if is_disk_full(&source) {
            return Self::DiskFull { path: path.into() };
        }
        Self::Io { path: path.into(), source }
    }
}

fn is_disk_full(e: &std::io::Error) -> bool {
    // ENOSPC (28) / EDQUOT (122 on Linux, 69 on macOS) / ERROR_DISK_FULL (112) / ERROR_HANDLE_DISK_FULL (39).
    e.kind() == std::io::ErrorKind::StorageFull
        || e.kind() == std::io::ErrorKind::QuotaExceeded
        || matches!(e.raw_os_error(), Some(28) if cfg!(unix))
        || matches!(e.raw_os_error(), Some(112) | Some(39) if cfg!(windows))
}
