//! What a use-case can fail with, as `{code, message}` like every crate's error.

use anamnesis_attach::AttachError;
use anamnesis_engine::EngineError;
use anamnesis_hub::HubError;
use anamnesis_secrets::SecretsError;
use anamnesis_settings::SettingsError;
use anamnesis_store::StoreError;
use anamnesis_wire::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Secrets(#[from] SecretsError),
    #[error(transparent)]
    Hub(#[from] HubError),
    #[error(transparent)]
    Attach(#[from] AttachError),
    #[error("no model chosen yet: download one, or choose a model folder or .gguf file")]
    NoModelChosen,
    #[error("a download of {0} is already running")]
    DownloadRunning(String),
    #[error("no download of {0} is running")]
    NoDownload(String),
    #[error("could not write {path}: {source}")]
    Io { path: std::path::PathBuf, source: std::io::Error },
    #[error("the consultation history is locked: enter its passphrase")]
    HistoryLocked,
    #[error("no system keychain to keep the history's key ({0}); protect the history with a passphrase instead")]
    NoKeychain(String),
    #[error(
        "the system keychain is locked, so the history's key cannot be read ({0}): unlock the keychain and try again"
    )]
    KeychainLocked(String),
    #[error("the consultation history is open; only a history that cannot be opened is set aside")]
    HistoryOpen,
    #[error("this session is not being saved; unlock the history first to change how it is protected")]
    HistoryUnsaved,
    #[error("the remote engine answers now; load settings are for a model on this computer")]
    NotForRemote,
    #[error("that load cannot be used: {0}")]
    InvalidLoadChoice(String),
}

impl AppError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Engine(e) => e.code(),
            Self::Store(e) => e.code(),
            Self::Settings(e) => e.code(),
            Self::Secrets(e) => e.code(),
            Self::Hub(e) => e.code(),
            Self::Attach(e) => e.code(),
            Self::NoModelChosen => ErrorCode::NoModelChosen,
            Self::DownloadRunning(_) => ErrorCode::Busy,
            Self::NoDownload(_) => ErrorCode::NoDownload,
            Self::Io { .. } => ErrorCode::IoError,
            Self::HistoryLocked => ErrorCode::HistoryLocked,
            Self::NoKeychain(_) => ErrorCode::NoKeychain,
            Self::KeychainLocked(_) => ErrorCode::KeychainLocked,
            Self::HistoryOpen => ErrorCode::Busy,
            Self::HistoryUnsaved => ErrorCode::HistoryUnsaved,
            Self::NotForRemote => ErrorCode::NotForRemote,
            Self::InvalidLoadChoice(_) => ErrorCode::InvalidLoadChoice,
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
