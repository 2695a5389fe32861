//! The engine's one error type. Every variant has a stable SCREAMING_SNAKE code, which is what
//! the UI, the CLI's JSON and later the HTTP API show to people and scripts.

use anamnesis_wire::ErrorCode;
use std::path::PathBuf;

pub use anamnesis_wire::ErrorPayload;

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("model not found: {0} does not exist")]
    ModelNotFound(PathBuf),
    #[error("not a model: {path} {reason}")]
    NotAModel { path: PathBuf, reason: String },
    #[error("invalid model config {path}: {reason}")]
    InvalidConfig { path: PathBuf, reason: String },
    #[error("unsupported architecture \"{found}\" in {path}; supported: {supported}")]
    UnknownArchitecture { path: PathBuf, found: String, supported: String },
    #[error("invalid GGUF file {path}: {reason}")]
    InvalidGguf { path: PathBuf, reason: String },
    #[error("{0}")]
    UnsupportedOnThisBuild(String),
    #[error("failed to load the model: {0}")]
    LoadFailed(String),
    #[error("no model is loaded")]
    NotLoaded,
    #[error("the model is answering something else; try again when it finishes")]
    Busy,
    #[error("the conversation is longer than the model's context of {context} tokens; shorten it or start a new consultation")]
    PromptTooLong { context: usize },
    #[error("generation failed: {0}")]
    Generation(String),
    #[error("draft model rejected: {0}")]
    DraftRejected(String),
    #[error("I/O error on {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("remote engine: {0}")]
    Remote(#[from] anamnesis_openai::OpenAiError),
    #[error("{0} is not available for a remote model")]
    NotForRemote(&'static str),
}

impl EngineError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::ModelNotFound(_) => ErrorCode::ModelNotFound,
            Self::NotAModel { .. } => ErrorCode::NotAModel,
            Self::InvalidConfig { .. } => ErrorCode::InvalidConfig,
            Self::UnknownArchitecture { .. } => ErrorCode::UnknownArchitecture,
            Self::InvalidGguf { .. } => ErrorCode::InvalidGguf,
            Self::UnsupportedOnThisBuild(_) => ErrorCode::UnsupportedOnThisBuild,
            Self::LoadFailed(_) => ErrorCode::LoadFailed,
            Self::NotLoaded => ErrorCode::NotLoaded,
            Self::Busy => ErrorCode::Busy,
            Self::PromptTooLong { .. } => ErrorCode::PromptTooLong,
            Self::Generation(_) => ErrorCode::GenerationFailed,
            Self::DraftRejected(_) => ErrorCode::DraftRejected,
            Self::Io { .. } => ErrorCode::IoError,
            // The remote error's own code (UNAUTHORIZED, DISCONNECTED, …) under a prefix.
            Self::Remote(e) => match e.code() {
                ErrorCode::Unauthorized => ErrorCode::RemoteUnauthorized,
                ErrorCode::Disconnected => ErrorCode::RemoteDisconnected,
                ErrorCode::Unreachable => ErrorCode::RemoteUnreachable,
                ErrorCode::Timeout => ErrorCode::RemoteTimeout,
                ErrorCode::InvalidEndpoint => ErrorCode::RemoteInvalidEndpoint,
                ErrorCode::ServerError => ErrorCode::RemoteServerError,
                ErrorCode::Malformed => ErrorCode::RemoteMalformed,
                _ => ErrorCode::RemoteFailed,
            },
            Self::NotForRemote(_) => ErrorCode::NotForRemote,
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload::new(self.code(), self.to_string())
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io { path: path.into(), source }
    }
}

impl From<&EngineError> for ErrorPayload {
    fn from(e: &EngineError) -> Self {
        e.payload()
    }
}

pub type Result<T, E = EngineError> = std::result::Result<T, E>;

/// The message of an error from mistral.rs or candle, without the backtrace candle appends
/// ("\n   0: <unknown>\n   1: …"), which means nothing to a user.
pub(crate) fn clean(msg: impl std::fmt::Display) -> String {
    let msg = msg.to_string();
    let is_frame = |l: &str| {
        let t = l.trim_start();
        t.split_once(": ").is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            && l.starts_with(' ')
    };
    let kept: Vec<&str> = msg.lines().take_while(|l| !is_frame(l)).collect();
    kept.join("\n").trim().to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn backtraces_are_cut_from_foreign_errors() {
        let raw = "generation failed: CublasError(X)\n   0: <unknown>\n   1: <unknown>\n  13: main\n";
        assert_eq!(super::clean(raw), "generation failed: CublasError(X)");
        assert_eq!(super::clean("a: b\nsecond line"), "a: b\nsecond line");
    }
}
