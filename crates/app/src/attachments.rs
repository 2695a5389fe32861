//! Reading a document the user attaches: its text (extracted by `anamnesis-attach`, here, off the
//! async runtime: a PDF takes a while to parse), and how much of the loaded model's context it
//! takes. One that needs more than half of the context is refused now, not when the question is
//! sent: the rest is for the system prompt, the conversation and the answer.

use crate::error::AppResult;
use anamnesis_attach::AttachError;
use anamnesis_engine::ModelHost;
use anamnesis_wire::Attachment;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AttachmentPreview {
    pub attachment: Attachment,
    /// The text's length in the loaded model's tokens; `None` when no local model is loaded.
    pub tokens: Option<u32>,
    /// The loaded model's context (tokens); `None` when no model is loaded.
    pub limit: Option<u32>,
}

/// The document `name` sent as base64 `data`, with its size in the model's tokens.
pub async fn read(host: &ModelHost, name: String, data: String) -> AppResult<AttachmentPreview> {
    let attachment = tokio::task::spawn_blocking(move || anamnesis_attach::extract_base64(&name, &data))
        .await
        .map_err(|e| anamnesis_engine::EngineError::Generation(format!("reading the document stopped: {e}")))??;
    let engine = host.engine().ok();
    let limit = engine.as_ref().map(|e| e.context_limit());
    let tokens = match &engine {
        Some(e) => e.tokenize(&attachment.text).await.ok().map(|t| u32::try_from(t.len()).unwrap_or(u32::MAX)),
        None => None,
    };
    if let (Some(tokens), Some(limit)) = (tokens, limit) {
        if tokens > limit / 2 {
            return Err(AttachError::TooLong { name: attachment.name, tokens, limit }.into());
        }
    }
    Ok(AttachmentPreview { attachment, tokens, limit })
}
