//! Turns an answer's deltas, from mistral.rs or a remote server, into `ChatEvent`s: splits the
//! thinking trace from the answer, times the answer and ends it with `Stats` and `Done`.

use crate::budget::ContextBudget;
use crate::error::EngineError;
use crate::events::ChatEvent;
use crate::think::{Piece, ThinkSplitter};
use anamnesis_wire::{FinishReason, Stats};
use std::time::Instant;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// Token counts of a finished answer, as the backend reported them.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Usage {
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    /// The backend's own prefill speed, when it measures one.
    pub prefill_tok_s: Option<f64>,
}

pub(crate) struct Pump {
    pub tx: mpsc::Sender<ChatEvent>,
    pub cancel: CancellationToken,
    splitter: ThinkSplitter,
    started: Instant,
    device: String,
    pub first_token: Option<Instant>,
    reasoning_span: Option<(Instant, Instant)>,
    /// Speculation counters when the answer started, for its draft stats.
    speculative_start: Option<mistralrs::core::SpeculationReport>,
    /// Which channel the last delta came on (true = reasoning).
    last_channel: Option<bool>,
}

impl Pump {
    /// The stream's channel, with the budget already sent as its first event.
    pub fn new(
        budget: ContextBudget,
        device: String,
        speculative_start: Option<mistralrs::core::SpeculationReport>,
    ) -> (Self, mpsc::Receiver<ChatEvent>) {
        let (tx, rx) = mpsc::channel(256);
        tx.try_send(ChatEvent::Context(budget)).expect("fresh channel has room");
        let pump = Self {
            tx,
            cancel: CancellationToken::new(),
            splitter: ThinkSplitter::new(false),
            started: Instant::now(),
            device,
            first_token: None,
            reasoning_span: None,
            speculative_start,
            last_channel: None,
        };
        (pump, rx)
    }

    /// A delta on the reasoning or the answer channel. A channel is authoritative when the
    /// backend splits at the tags; tags inside a channel are the splitter's job.
    pub async fn push_channel(&mut self, reasoning: bool, text: &str) {
        self.first_token.get_or_insert_with(Instant::now);
        let mut raw = String::new();
        if self.last_channel != Some(reasoning) && self.splitter.in_reasoning() != reasoning {
            raw.push_str(if reasoning { "<think>" } else { "</think>" });
        }
        self.last_channel = Some(reasoning);
        raw.push_str(text);
        for p in self.splitter.push(&raw) {
            self.emit_piece(p).await;
        }
    }

    async fn emit_piece(&mut self, piece: Piece) {
        let now = Instant::now();
        let event = match piece {
            Piece::Reasoning(text) if !text.is_empty() => {
                let span = self.reasoning_span.get_or_insert((self.first_token.unwrap_or(now), now));
                span.1 = now;
                ChatEvent::Reasoning { text }
            }
            Piece::Content(text) if !text.is_empty() => ChatEvent::Content { text },
            _ => return,
        };
        if self.tx.send(event).await.is_err() {
            // Nobody is listening any more: stop generating.
            self.cancel.cancel();
        }
    }

    pub async fn fail(&mut self, e: EngineError) -> FinishReason {
        let _ = self.tx.send(ChatEvent::Error(e.payload())).await;
        FinishReason::Error
    }

    /// Flushes what the splitter holds, then `Stats` (unless it failed) and `Done`.
    pub async fn finish(
        mut self,
        finish: FinishReason,
        chunks: u32,
        usage: Option<Usage>,
        draft: Option<crate::speculation::AnswerDraft>,
    ) {
        for p in self.splitter.finish() {
            self.emit_piece(p).await;
        }
        if finish != FinishReason::Error {
            let stats = self.stats(chunks, usage, draft);
            let _ = self.tx.send(ChatEvent::Stats(stats)).await;
        }
        let _ = self.tx.send(ChatEvent::Done { finish_reason: finish }).await;
    }

    pub fn speculative_start(&self) -> Option<mistralrs::core::SpeculationReport> {
        self.speculative_start
    }

    fn stats(&self, chunks: u32, usage: Option<Usage>, draft: Option<crate::speculation::AnswerDraft>) -> Stats {
        let end = Instant::now();
        let first = self.first_token.unwrap_or(end);
        let ttft = first.duration_since(self.started).as_secs_f64();
        let (prompt_tokens, tokens) = match &usage {
            Some(u) => (u.prompt_tokens, u.completion_tokens),
            None => (0, chunks),
        };
        let decode_s = end.duration_since(first).as_secs_f64();
        let decode_tok_s = if tokens > 1 && decode_s > 0.0 { (tokens - 1) as f64 / decode_s } else { 0.0 };
        let prefill_tok_s = match usage.and_then(|u| u.prefill_tok_s) {
            Some(p) if p > 0.0 => p,
            _ if ttft > 0.0 => prompt_tokens as f64 / ttft,
            _ => 0.0,
        };
        Stats {
            ttft_ms: ttft * 1000.0,
            prefill_tok_s,
            decode_tok_s,
            prompt_tokens,
            tokens,
            reasoning_ms: self.reasoning_span.map(|(a, b)| b.duration_since(a).as_secs_f64() * 1000.0),
            device: self.device.clone(),
            draft_acceptance: draft.as_ref().and_then(|d| d.acceptance),
            draft: draft.map(|d| Box::new(d.stats)),
            // Stamped by the host (model) and the app (prompt version).
            model: String::new(),
            quantization: None,
            prompt_version: String::new(),
        }
    }
}
