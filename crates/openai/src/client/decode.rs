//! SSE events → `StreamEvent`s. Reasoning may come in `delta.reasoning_content` (vLLM < 0.10,
//! SGLang), `delta.reasoning` (newer vLLM), or inline as `<think>…</think>` in `delta.content`
//! (a server without a reasoning parser); the think splitter handles the last, whatever the
//! chunking.

use super::http::error_message;
use super::sse::SseEvent;
use crate::error::OpenAiError;
use crate::event::{FinishReason, StreamEvent};
use crate::think::{Piece, ThinkSplitter};
use crate::wire::{Chunk, Usage};

#[derive(Debug, Default)]
pub(crate) struct Decoder {
    splitter: ThinkSplitter,
    finish_reason: Option<String>,
    usage: Option<Usage>,
    /// `[DONE]` arrived and `Done` was emitted.
    pub done: bool,
}

impl Decoder {
    /// The events one SSE event gives, or the error that ends the stream.
    pub fn on_event(&mut self, ev: &SseEvent, out: &mut Vec<StreamEvent>) -> Result<(), OpenAiError> {
        let data = ev.data.trim();
        if ev.event.as_deref() == Some("error") {
            return Err(OpenAiError::ServerError { status: None, message: error_message(data.as_bytes()) });
        }
        if data == "[DONE]" {
            self.finish(out);
            return Ok(());
        }
        if data.is_empty() {
            return Ok(());
        }
        let value: serde_json::Value = serde_json::from_str(data)
            .map_err(|e| OpenAiError::Malformed(format!("{e} in chunk {}", preview(data))))?;
        // vLLM and SGLang report a failure mid-stream as a data frame holding an error body.
        if value.get("error").is_some_and(|e| !e.is_null()) {
            return Err(OpenAiError::ServerError { status: None, message: error_message(data.as_bytes()) });
        }
        let chunk: Chunk = serde_json::from_value(value)
            .map_err(|e| OpenAiError::Malformed(format!("{e} in chunk {}", preview(data))))?;
        if let Some(u) = chunk.usage {
            self.usage = Some(u);
        }
        // One answer was asked for (n = 1): only choice 0 counts.
        for choice in chunk.choices.into_iter().filter(|c| c.index == 0) {
            let d = choice.delta;
            for r in [d.reasoning_content, d.reasoning].into_iter().flatten().filter(|r| !r.is_empty()) {
                push(out, StreamEvent::Reasoning(r));
            }
            if let Some(c) = d.content.filter(|c| !c.is_empty()) {
                emit(self.splitter.push(&c), out);
            }
            if let Some(f) = choice.finish_reason {
                self.finish_reason = Some(f);
            }
        }
        Ok(())
    }

    /// The connection ended: complete if a finish reason came, else whatever text was held
    /// back goes out and the stream fails with `DISCONNECTED`.
    pub fn on_end(&mut self, out: &mut Vec<StreamEvent>) -> Result<(), OpenAiError> {
        if self.done {
            return Ok(());
        }
        if self.finish_reason.is_some() {
            self.finish(out);
            return Ok(());
        }
        self.flush(out);
        Err(OpenAiError::Disconnected)
    }

    /// Text held back as a possible partial tag, before an error ends the stream.
    pub fn flush(&mut self, out: &mut Vec<StreamEvent>) {
        emit(self.splitter.finish(), out);
    }

    fn finish(&mut self, out: &mut Vec<StreamEvent>) {
        self.flush(out);
        let finish_reason = FinishReason::parse(self.finish_reason.as_deref().unwrap_or("stop"));
        out.push(StreamEvent::Done { finish_reason, usage: self.usage.take() });
        self.done = true;
    }
}

fn emit(pieces: Vec<Piece>, out: &mut Vec<StreamEvent>) {
    for p in pieces {
        push(
            out,
            match p {
                Piece::Reasoning(t) => StreamEvent::Reasoning(t),
                Piece::Content(t) => StreamEvent::Content(t),
            },
        );
    }
}

/// Appends, merging with the previous event of the same kind so one chunk gives few events.
fn push(out: &mut Vec<StreamEvent>, ev: StreamEvent) {
    match (out.last_mut(), ev) {
        (Some(StreamEvent::Reasoning(a)), StreamEvent::Reasoning(b)) => a.push_str(&b),
        (Some(StreamEvent::Content(a)), StreamEvent::Content(b)) => a.push_str(&b),
        (_, ev) => out.push(ev),
    }
}

fn preview(s: &str) -> String {
    let cut: String = s.chars().take(120).collect();
    if cut.len() < s.len() {
        format!("{cut}…")
    } else {
        cut
    }
}
