//! A document attached to a user message, as the history keeps it and the prompt reads it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AttachmentKind {
    Text,
    Pdf,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Attachment {
    /// The file's name (no folder).
    pub name: String,
    pub kind: AttachmentKind,
    /// The text, extracted on this computer.
    pub text: String,
    /// The file's size in bytes.
    #[ts(type = "number")]
    pub bytes: u64,
    /// Pages of a PDF; `None` for text.
    pub pages: Option<u32>,
}
