//! How an error crosses a process, IPC or database boundary.

use crate::ErrorCode;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `{code, message}`: the code is stable (the UI words it in the user's language), the message
/// is the English detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub message: String,
}

impl ErrorPayload {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}
