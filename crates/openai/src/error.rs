//! The crate's one error type. Codes are stable SCREAMING_SNAKE strings, shown by the UI and
//! the CLI's JSON as `{code, message}`. No message ever contains an API key.

use anamnesis_wire::{ErrorCode, ErrorPayload};
use serde::ser::{Serialize, SerializeStruct, Serializer};
use std::net::SocketAddr;

#[derive(Debug, thiserror::Error)]
pub enum OpenAiError {
    #[error("invalid endpoint \"{url}\": {reason}")]
    InvalidEndpoint { url: String, reason: String },
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    #[error("the server refused the API key (HTTP {status}): {message}")]
    Unauthorized { status: u16, message: String },
    #[error("the model is busy with another request; try again when it finishes")]
    Busy,
    #[error("no model is loaded")]
    NotLoaded,
    #[error("the server rejected the request (HTTP {status}): {message}")]
    Rejected { status: u16, message: String },
    #[error("the server failed{}: {message}", status.map(|s| format!(" (HTTP {s})")).unwrap_or_default())]
    ServerError { status: Option<u16>, message: String },
    #[error("the connection to the server ended before the answer was complete; the answer is incomplete")]
    Disconnected,
    #[error("the server sent data that is not valid OpenAI JSON: {0}")]
    Malformed(String),
    #[error("cannot reach {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("{what} timed out after {secs:.0} s")]
    Timeout { what: &'static str, secs: f64 },
    #[error("generation failed: {0}")]
    Backend(String),
    #[error("refusing to listen on {0}: the API server only listens on this computer (127.0.0.1 or ::1)")]
    NotLoopback(SocketAddr),
    #[error("cannot listen on {addr}: {reason}")]
    Bind { addr: SocketAddr, reason: String },
}

impl OpenAiError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::InvalidEndpoint { .. } => ErrorCode::InvalidEndpoint,
            Self::InvalidRequest(_) => ErrorCode::InvalidRequest,
            Self::Unauthorized { .. } => ErrorCode::Unauthorized,
            Self::Busy => ErrorCode::Busy,
            Self::NotLoaded => ErrorCode::NotLoaded,
            Self::Rejected { .. } => ErrorCode::RequestRejected,
            Self::ServerError { .. } => ErrorCode::ServerError,
            Self::Disconnected => ErrorCode::Disconnected,
            Self::Malformed(_) => ErrorCode::Malformed,
            Self::Unreachable { .. } => ErrorCode::Unreachable,
            Self::Timeout { .. } => ErrorCode::Timeout,
            Self::Backend(_) => ErrorCode::BackendError,
            Self::NotLoopback(_) => ErrorCode::NotLoopback,
            Self::Bind { .. } => ErrorCode::BindFailed,
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload::new(self.code(), self.to_string())
    }
}

impl Serialize for OpenAiError {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ErrorPayload", 2)?;
        st.serialize_field("code", &self.code())?;
        st.serialize_field("message", &self.to_string())?;
        st.end()
    }
}

pub type Result<T, E = OpenAiError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_code_and_message() {
        let e = OpenAiError::ServerError { status: Some(500), message: "CUDA out of memory".into() };
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["code"], "SERVER_ERROR");
        assert_eq!(v["message"], "the server failed (HTTP 500): CUDA out of memory");
    }
}
