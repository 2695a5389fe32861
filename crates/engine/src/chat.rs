//! One chat turn: sends the request to mistral.rs and turns its responses into `ChatEvent`s.

use crate::error::{clean, EngineError};
use crate::events::{ChatEvent, FinishReason, Stats};
use crate::sampling::{SamplingConfig, ThinkingMode};
use crate::think::{Piece, ThinkSplitter};
use mistralrs::core::{Constraint, NormalRequest, Request, RequestMessage, Response};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Role {
    System,
    User,
    Assistant,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChatMessage {
    pub role: Role,
    pub content: String,
}

impl ChatMessage {
    pub fn new(role: Role, content: impl Into<String>) -> Self {
        Self { role, content: content.into() }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ChatRequest {
    pub messages: Vec<ChatMessage>,
    pub sampling: SamplingConfig,
    pub thinking: ThinkingMode,
    /// Token ids the sampler may never pick (benchmarks ban end-of-sequence tokens so that
    /// they measure exactly the requested length).
    pub banned_tokens: Vec<u32>,
}

/// Stops a running answer; cloneable, so a UI button can hold one.
#[derive(Debug, Clone, Default)]
pub struct Stopper(CancellationToken);

impl Stopper {
    pub fn stop(&self) {
        self.0.cancel();
    }
}

/// The events of one answer, ending with `Stats` and `Done` (or `Error` and `Done`).
/// Dropping the stream stops generation.
pub struct ChatStream {
    rx: mpsc::Receiver<ChatEvent>,
    stopper: Stopper,
}

impl ChatStream {
    pub async fn next(&mut self) -> Option<ChatEvent> {
        self.rx.recv().await
    }

    pub fn stopper(&self) -> Stopper {
        self.stopper.clone()
    }
}

impl Drop for ChatStream {
    fn drop(&mut self) {
        self.stopper.stop();
    }
}

static REQUEST_ID: AtomicUsize = AtomicUsize::new(1);

fn speculative_counters() -> (u64, u64) {
    use mistralrs::core::{SPECULATIVE_ACCEPTED, SPECULATIVE_DRAFTED};
    (SPECULATIVE_DRAFTED.load(Ordering::Relaxed), SPECULATIVE_ACCEPTED.load(Ordering::Relaxed))
}

pub(crate) async fn start(
    model: Arc<mistralrs::Model>,
    device: String,
    speculative: bool,
    budget: crate::budget::ContextBudget,
    req: ChatRequest,
) -> Result<ChatStream, EngineError> {
    let sender = model.inner().get_sender(None).map_err(|e| EngineError::Generation(e.to_string()))?;
    let (mr_tx, mr_rx) = mpsc::channel(64);
    let (enable_thinking, effort) = req.thinking.template_vars();
    let messages = req
        .messages
        .iter()
        .map(|m| {
            let role = match m.role {
                Role::System => "system",
                Role::User => "user",
                Role::Assistant => "assistant",
            };
            indexmap::IndexMap::from([
                ("role".to_string(), either::Either::Left(role.to_string())),
                ("content".to_string(), either::Either::Left(m.content.clone())),
            ])
        })
        .collect();
    let request = Request::Normal(Box::new(NormalRequest {
        messages: RequestMessage::Chat {
            messages,
            enable_thinking: Some(enable_thinking),
            reasoning_effort: Some(effort),
        },
        sampling_params: req.sampling.to_mistralrs(),
        response: mr_tx,
        return_logprobs: false,
        is_streaming: true,
        id: REQUEST_ID.fetch_add(1, Ordering::Relaxed),
        constraint: Constraint::None,
        suffix: None,
        tools: None,
        tool_choice: None,
        logits_processors: ban_processor(req.banned_tokens.clone()),
        return_raw_logits: false,
        web_search_options: None,
        model_id: None,
        truncate_sequence: false,
    }));
    let started = Instant::now();
    sender.send(request).await.map_err(|e| EngineError::Generation(e.to_string()))?;

    let (tx, rx) = mpsc::channel(256);
    tx.try_send(ChatEvent::Context(budget)).expect("fresh channel has room");
    let stopper = Stopper::default();
    let pump = Pump {
        tx,
        cancel: stopper.0.clone(),
        splitter: ThinkSplitter::new(false),
        started,
        device,
        first_token: None,
        reasoning_span: None,
        // One sequence at a time per engine, so the counters' difference is this answer's.
        speculative_start: speculative.then(speculative_counters),
        last_channel: None,
    };
    tokio::spawn(async move {
        // Keep the model alive while its answer streams.
        let _model = model;
        pump.run(mr_rx).await;
    });
    Ok(ChatStream { rx, stopper })
}

struct Pump {
    tx: mpsc::Sender<ChatEvent>,
    cancel: CancellationToken,
    splitter: ThinkSplitter,
    started: Instant,
    device: String,
    first_token: Option<Instant>,
    reasoning_span: Option<(Instant, Instant)>,
    speculative_start: Option<(u64, u64)>,
    /// Which mistral.rs channel the last delta came on (true = reasoning).
    last_channel: Option<bool>,
}

impl Pump {
    async fn run(mut self, mut mr_rx: mpsc::Receiver<Response>) {
        let mut chunks = 0u32;
        let mut usage = None;
        let finish = loop {
            let resp = tokio::select! {
                biased;
                _ = self.cancel.cancelled() => break FinishReason::Cancelled,
                r = mr_rx.recv() => r,
            };
            let Some(resp) = resp else { break FinishReason::Stop };
            match resp {
                Response::Chunk(c) => {
                    self.first_token.get_or_insert_with(Instant::now);
                    chunks += 1;
                    if c.usage.is_some() {
                        usage = c.usage;
                    }
                    let mut finished = None;
                    for choice in c.choices {
                        // mistral.rs splits at the tags when the template knows them; its
                        // channel is authoritative. Tags inside a channel (a stray `<think>`
                        // or a model whose template knows no tags) are the splitter's job.
                        if let Some(r) = choice.delta.reasoning_content {
                            self.push_channel(true, &r).await;
                        }
                        if let Some(t) = choice.delta.content {
                            self.push_channel(false, &t).await;
                        }
                        if let Some(f) = choice.finish_reason {
                            finished = Some(if f == "length" { FinishReason::Length } else { FinishReason::Stop });
                        }
                    }
                    if let Some(f) = finished {
                        break f;
                    }
                }
                Response::Done(done) => {
                    usage = Some(done.usage);
                    break FinishReason::Stop;
                }
                Response::ModelError(msg, _) => break self.fail(EngineError::Generation(clean(msg))).await,
                Response::InternalError(e) => break self.fail(EngineError::Generation(clean(e))).await,
                Response::ValidationError(e) => break self.fail(validation_error(&e.to_string())).await,
                _ => {}
            }
        };
        // Dropping the receiver is what cancels the sequence inside mistral.rs.
        drop(mr_rx);
        for p in self.splitter.finish() {
            self.emit_piece(p).await;
        }
        if finish != FinishReason::Error {
            let stats = self.stats(chunks, usage);
            let _ = self.tx.send(ChatEvent::Stats(stats)).await;
        }
        let _ = self.tx.send(ChatEvent::Done { finish_reason: finish }).await;
    }

    async fn push_channel(&mut self, reasoning: bool, text: &str) {
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

    async fn fail(&mut self, e: EngineError) -> FinishReason {
        let _ = self.tx.send(ChatEvent::Error(e.payload())).await;
        FinishReason::Error
    }

    fn stats(&self, chunks: u32, usage: Option<mistralrs::core::Usage>) -> Stats {
        let end = Instant::now();
        let first = self.first_token.unwrap_or(end);
        let ttft = first.duration_since(self.started).as_secs_f64();
        let (prompt_tokens, tokens) = match &usage {
            Some(u) => (u.prompt_tokens as u32, u.completion_tokens as u32),
            None => (0, chunks),
        };
        let decode_s = end.duration_since(first).as_secs_f64();
        let decode_tok_s = if tokens > 1 && decode_s > 0.0 { (tokens - 1) as f64 / decode_s } else { 0.0 };
        let prefill_tok_s = match &usage {
            Some(u) if u.avg_prompt_tok_per_sec > 0.0 => u.avg_prompt_tok_per_sec as f64,
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
            draft_acceptance: self.speculative_start.and_then(|(d0, a0)| {
                let (d1, a1) = speculative_counters();
                (d1 > d0).then(|| (a1 - a0) as f64 / (d1 - d0) as f64)
            }),
        }
    }
}

fn ban_processor(ids: Vec<u32>) -> Option<Vec<Arc<dyn mistralrs::CustomLogitsProcessor>>> {
    if ids.is_empty() {
        return None;
    }
    let f = move |logits: &mistralrs::Tensor, _ctx: &[u32]| -> mistralrs::Result<mistralrs::Tensor> {
        let dtype = logits.dtype();
        let mut v = logits.to_dtype(mistralrs::DType::F32)?.flatten_all()?.to_vec1::<f32>()?;
        for &id in &ids {
            if let Some(x) = v.get_mut(id as usize) {
                *x = f32::NEG_INFINITY;
            }
        }
        mistralrs::Tensor::from_vec(v, logits.shape(), logits.device())?.to_dtype(dtype)
    };
    Some(vec![Arc::new(f)])
}

fn validation_error(msg: &str) -> EngineError {
    // mistral.rs: "Prompt sequence length is greater than N, perhaps consider using `truncate_sequence`?"
    if let Some(rest) = msg.strip_prefix("Prompt sequence length is greater than ") {
        let n: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        if let Ok(context) = n.parse() {
            return EngineError::PromptTooLong { context };
        }
    }
    EngineError::Generation(msg.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlong_prompt_error_is_recognised() {
        let e = validation_error(
            "Prompt sequence length is greater than 4096, perhaps consider using `truncate_sequence`?",
        );
        assert_eq!(e.code(), "PROMPT_TOO_LONG");
        assert!(e.to_string().contains("4096"));
        assert_eq!(validation_error("other").code(), "GENERATION_FAILED");
    }
}
