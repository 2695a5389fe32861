//! What an answer streams, whichever side made it: the server turns these into SSE chunks, the
//! remote client turns SSE chunks into these.

use crate::error::OpenAiError;
use crate::wire::Usage;
use futures::stream::BoxStream;

#[derive(Debug, Clone, PartialEq)]
pub enum StreamEvent {
    /// Thinking-trace text, never containing `<think>` tags.
    Reasoning(String),
    /// Answer text, never containing `<think>` tags.
    Content(String),
    /// A structured safety notice (Anamnesis' red-flag triage) for apps to read: the server sends
    /// it as a chunk's top-level `triage` field, and as `triage` in a non-streamed completion.
    Triage(serde_json::Value),
    /// The answer is complete. Always the last event of a stream that did not fail.
    Done { finish_reason: FinishReason, usage: Option<Usage> },
}

/// An answer's events; the first `Err` is the last item. Dropping the stream cancels the answer.
pub type EventStream = BoxStream<'static, Result<StreamEvent, OpenAiError>>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FinishReason {
    /// The model ended its answer (or hit a stop sequence).
    Stop,
    /// The token limit was reached.
    Length,
    /// Stopped before the end by the user or the server (vLLM's "abort").
    Cancelled,
    /// Anything else a server sends ("content_filter", "tool_calls", …), kept as sent.
    Other(String),
}

impl FinishReason {
    pub fn as_str(&self) -> &str {
        match self {
            Self::Stop => "stop",
            Self::Length => "length",
            Self::Cancelled => "abort",
            Self::Other(s) => s,
        }
    }

    pub fn parse(s: &str) -> Self {
        match s {
            "stop" | "eos_token" | "stop_sequence" => Self::Stop,
            "length" => Self::Length,
            "abort" | "cancelled" => Self::Cancelled,
            other => Self::Other(other.to_string()),
        }
    }
}
