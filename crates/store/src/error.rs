//! The crate's one error type. Every variant has a stable SCREAMING_SNAKE code for the UI.

use anamnesis_wire::ErrorCode as Code;
use std::path::Path;

use rusqlite::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file or the disk failed: permissions, a full disk, a missing folder.
    #[error("The consultation history could not be read or written: {detail}")]
    Io { detail: String },
    /// The file is not an Anamnesis history (or is damaged). It is never overwritten.
    #[error("{path} is not a readable Anamnesis history ({detail}). It was left untouched: move it aside to start a new history, or restore a backup.")]
    Corrupt { path: String, detail: String },
    /// The key does not decrypt the file (or the file is damaged: SQLCipher cannot tell the
    /// two apart). Nothing was written.
    #[error("The consultation database could not be opened with this key: the key or passphrase is wrong, or {path} is damaged. The file was left untouched.")]
    WrongKey { path: String },
    /// Encrypting an unencrypted history failed before the encrypted copy replaced it.
    #[error("The consultation history could not be encrypted ({detail}). The unencrypted file was left as it was, so nothing is lost; opening it again retries.")]
    EncryptionFailed { detail: String },
    /// A newer Anamnesis wrote this file; this version cannot know its schema.
    #[error("The consultation history was written by a newer version of Anamnesis (schema {found}; this version knows up to {supported}). Update Anamnesis to open it; the file was left untouched.")]
    TooNew { found: i64, supported: i64 },
    /// Another process holds the database.
    #[error(
        "The consultation history is in use by another process ({detail}); close other Anamnesis windows and try again"
    )]
    Busy { detail: String },
    #[error("No {what} with id {id}")]
    NotFound { what: &'static str, id: i64 },
    #[error("Invalid input: {0}")]
    InvalidInput(String),
    /// SQLite rejected a statement: a bug in this crate, not the user's doing.
    #[error("The consultation history failed unexpectedly: {0}")]
    Sqlite(String),
}

impl StoreError {
    pub fn code(&self) -> Code {
        match self {
            Self::Io { .. } => Code::StoreIo,
            Self::Corrupt { .. } => Code::StoreCorrupt,
            Self::WrongKey { .. } => Code::WrongKey,
            Self::EncryptionFailed { .. } => Code::StoreEncryptionFailed,
            Self::TooNew { .. } => Code::StoreTooNew,
            Self::Busy { .. } => Code::StoreBusy,
            Self::NotFound { .. } => Code::NotFound,
            Self::InvalidInput(_) => Code::InvalidInput,
            Self::Sqlite(_) => Code::StoreFailed,
        }
    }

    pub(crate) fn invalid(why: impl Into<String>) -> Self {
        Self::InvalidInput(why.into())
    }

    pub(crate) fn corrupt(path: &Path, detail: impl Into<String>) -> Self {
        Self::Corrupt { path: path.display().to_string(), detail: detail.into() }
    }

    /// Names the file in a corruption error that SQLite raised without knowing it.
    pub(crate) fn at(self, path: &Path) -> Self {
        match self {
            Self::Corrupt { path: p, detail } if p.is_empty() => Self::corrupt(path, detail),
            other => other,
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        let detail = err.to_string();
        match err.sqlite_error_code() {
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => {
                // The path is not known here; `Store` fills it in (see `StoreError::at`).
                Self::Corrupt { path: String::new(), detail }
            }
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Self::Busy { detail },
            Some(
                ErrorCode::PermissionDenied
                | ErrorCode::ReadOnly
                | ErrorCode::SystemIoFailure
                | ErrorCode::DiskFull
                | ErrorCode::CannotOpen
                | ErrorCode::NoLargeFileSupport
                | ErrorCode::FileLockingProtocolFailed,
            ) => Self::Io { detail },
            _ => Self::Sqlite(detail),
        }
    }
}

impl From<std::io::Error> for StoreError {
    fn from(err: std::io::Error) -> Self {
        Self::Io { detail: err.to_string() }
    }
}
