//! One chat turn: sends the request to mistral.rs and turns its responses into `ChatEvent`s.

use crate::error::{clean, EngineError};
use crate::events::ChatEvent;
use crate::pump::{Pump, Usage};
use crate::sampling::{SamplingConfig, ThinkingMode};
use anamnesis_wire::FinishReason;
use mistralrs::core::{Constraint, NormalRequest, Request, RequestMessage, Response};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
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
pub struct Stopper(pub(crate) CancellationToken);

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
    /// Alive while the stream is: the host tells from it whether an answer is running.
    pub(crate) alive: Arc<()>,
}

impl ChatStream {
    pub(crate) fn new(rx: mpsc::Receiver<ChatEvent>, stopper: Stopper) -> Self {
        Self { rx, stopper, alive: Arc::new(()) }
    }

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

pub(crate) async fn start(
    model: Arc<mistralrs::Model>,
    device: String,
    speculative: bool,
    budget: crate::budget::ContextBudget,
    req: ChatRequest,
) -> Result<ChatStream, EngineError> {
    let sender = model.inner().get_sender(None).map_err(|e| EngineError::Generation(e.to_string()))?;
    let (mr_tx, mr_rx) = mpsc::channel(64);
    let (enable_thinking, effort) = crate::sampling::template_vars(req.thinking);
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
    // One sequence at a time per engine, so the counters' difference is this answer's.
    let (pump, rx) = Pump::new(budget, device, speculative.then(mistralrs::core::speculation_report));
    let stopper = Stopper(pump.cancel.clone());
    sender.send(request).await.map_err(|e| EngineError::Generation(e.to_string()))?;
    tokio::spawn(async move {
        // Keep the model alive while its answer streams.
        let _model = model;
        pump.run_local(mr_rx).await;
    });
    Ok(ChatStream::new(rx, stopper))
}

impl Pump {
    pub(crate) async fn run_local(mut self, mut mr_rx: mpsc::Receiver<Response>) {
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
                    chunks += 1;
                    if let Some(u) = c.usage {
                        usage = Some(u);
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
        let usage = usage.map(|u| Usage {
            prompt_tokens: u.prompt_tokens as u32,
            completion_tokens: u.completion_tokens as u32,
            prefill_tok_s: Some(u.avg_prompt_tok_per_sec as f64),
        });
        let draft = self.speculative_start().map(|start| crate::speculation::answer(&start));
        self.finish(finish, chunks, usage, draft).await;
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
