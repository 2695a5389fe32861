//! The local OpenAI-compatible API over the app's own loaded model (one copy of the weights
//! serves the window and the API), with the consultation's safety layer:
//! - the last user message is triaged by the same rules as the window (with the request's
//!   `patient`, if any); the verdict goes out first as a chunk with a top-level `triage` field
//!   (and as `triage` in a non-streamed completion), and when it is urgent or an emergency its
//!   advice is also the answer's first content, before any model token;
//! - while the answer streams, its opening is read for the model's own red flags (the second
//!   net); when it names an emergency the rules missed, a raised `triage` chunk follows;
//! - when the model cannot answer (busy with the window, not loaded) an urgent or emergency
//!   message still gets its triage and advice, as a short answer of their own;
//! - a request without a system message gets the medical system prompt (with the patient);
//! - `"raw": true` turns all of this off and sends the messages to the model as they are.

use crate::turn::SecondNet;
use anamnesis_consult::{triage, Lang, PatientContext, Triage, TriageLevel};
use anamnesis_engine::{
    ChatEvent, ChatMessage, ChatRequest, EngineError, FinishReason, ModelHost, ModelStatus, Role, SamplingConfig,
    ThinkingMode,
};
use anamnesis_openai::wire::{self, ModelCard, Usage};
use anamnesis_openai::{ChatBackend, EventStream, OpenAiError, StreamEvent};
use futures::future::BoxFuture;
use std::sync::Arc;

/// Serves whatever model the host has loaded.
pub struct AppBackend(pub Arc<ModelHost>);

impl ChatBackend for AppBackend {
    fn models(&self) -> Vec<ModelCard> {
        match (self.0.status(), self.0.engine()) {
            (ModelStatus::Ready { info }, Ok(engine)) => {
                let mut card = ModelCard::new(info.name, "anamnesis");
                card.max_model_len = Some(u64::from(engine.context_limit()));
                vec![card]
            }
            _ => Vec::new(),
        }
    }

    fn chat(&self, req: wire::ChatRequest) -> BoxFuture<'_, Result<EventStream, OpenAiError>> {
        Box::pin(async move {
            let (engine_req, verdict) = safe_request(&req)?;
            let mut stream = match self.0.chat_if_idle(engine_req).await {
                Ok(stream) => stream,
                // No model to answer: an urgent message still gets its advice.
                Err(e) => match verdict.filter(|v| v.triage.level != TriageLevel::Routine) {
                    Some(v) => return Ok(advice_only(v.triage)),
                    None => return Err(to_api(e)),
                },
            };
            let events = async_stream(move |tx| async move {
                let mut net = None;
                // The safety notice and the advice go out before the model's first token.
                if let Some(v) = verdict {
                    for ev in opening(&v.triage) {
                        if tx.send(Ok(ev)).await.is_err() {
                            return;
                        }
                    }
                    net = Some(SecondNet::new(&v.triage, &v.patient, v.lang));
                }
                let mut usage = None;
                while let Some(ev) = stream.next().await {
                    let out = match ev {
                        ChatEvent::Reasoning { text } => Ok(StreamEvent::Reasoning(text)),
                        ChatEvent::Content { text } => {
                            if let Some(raised) = net.as_mut().and_then(|n| n.read(&text)) {
                                if tx.send(Ok(triage_event(&raised))).await.is_err() {
                                    break;
                                }
                            }
                            Ok(StreamEvent::Content(text))
                        }
                        ChatEvent::Stats(s) => {
                            usage = Some(Usage::new(s.prompt_tokens, s.tokens));
                            continue;
                        }
                        ChatEvent::Done { finish_reason: FinishReason::Error } => break,
                        ChatEvent::Done { finish_reason } => Ok(StreamEvent::Done {
                            finish_reason: match finish_reason {
                                FinishReason::Length => anamnesis_openai::FinishReason::Length,
                                FinishReason::Cancelled => anamnesis_openai::FinishReason::Cancelled,
                                _ => anamnesis_openai::FinishReason::Stop,
                            },
                            usage: usage.take(),
                        }),
                        ChatEvent::Error(e) => Err(OpenAiError::Backend(e.message)),
                        ChatEvent::Context(_) => continue,
                    };
                    let last = !matches!(out, Ok(StreamEvent::Reasoning(_) | StreamEvent::Content(_)));
                    // The HTTP client is gone: dropping `stream` stops the answer.
                    if tx.send(out).await.is_err() || last {
                        break;
                    }
                }
            });
            Ok(events)
        })
    }
}

/// The triage of a request's last user message, with what the second net needs.
struct Verdict {
    triage: Triage,
    patient: PatientContext,
    lang: Lang,
}

fn triage_event(t: &Triage) -> StreamEvent {
    StreamEvent::Triage(serde_json::to_value(t).expect("triage serializes"))
}

/// What goes out before the model's first token: the triage, then an urgent one's advice.
fn opening(t: &Triage) -> Vec<StreamEvent> {
    let mut out = vec![triage_event(t)];
    if t.level != TriageLevel::Routine && !t.advice.is_empty() {
        out.push(StreamEvent::Content(format!("{}\n\n", t.advice)));
    }
    out
}

/// The triage and its advice as a whole answer, for when the model cannot answer.
fn advice_only(t: Triage) -> EventStream {
    let mut events: Vec<Result<StreamEvent, OpenAiError>> = opening(&t).into_iter().map(Ok).collect();
    events.push(Ok(StreamEvent::Done { finish_reason: anamnesis_openai::FinishReason::Stop, usage: None }));
    Box::pin(futures::stream::iter(events))
}

/// The engine request, and the triage to send first (none for `raw`).
fn safe_request(req: &wire::ChatRequest) -> Result<(ChatRequest, Option<Verdict>), OpenAiError> {
    let mut engine_req = to_engine(req)?;
    if req.raw == Some(true) {
        return Ok((engine_req, None));
    }
    let patient = match &req.patient {
        None => PatientContext::default(),
        Some(v) => serde_json::from_value::<PatientContext>(v.clone())
            .map_err(|e| OpenAiError::InvalidRequest(format!("`patient`: {e}")))?
            .validated()
            .map_err(|e| OpenAiError::InvalidRequest(format!("`patient`: {e}")))?,
    };
    let last_user = engine_req.messages.iter().rev().find(|m| m.role == Role::User).map(|m| m.content.clone());
    let lang = Lang::detect(last_user.as_deref().unwrap_or_default());
    if !engine_req.messages.iter().any(|m| m.role == Role::System) {
        engine_req.messages.insert(0, crate::turn::system_message(lang, &patient, None));
    }
    let verdict = last_user.map(|u| Verdict { triage: triage(&u, &patient), patient, lang });
    Ok((engine_req, verdict))
}

/// A stream fed by a task; dropping the stream ends the task at its next send.
fn async_stream<F, Fut>(f: F) -> EventStream
where
    F: FnOnce(tokio::sync::mpsc::Sender<Result<StreamEvent, OpenAiError>>) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let (tx, rx) = tokio::sync::mpsc::channel(64);
    tokio::spawn(f(tx));
    Box::pin(futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|v| (v, rx)) }))
}

fn to_engine(req: &wire::ChatRequest) -> Result<ChatRequest, OpenAiError> {
    let mut messages = Vec::with_capacity(req.messages.len());
    for m in &req.messages {
        let role = match m.role {
            wire::Role::System => Role::System,
            wire::Role::User => Role::User,
            wire::Role::Assistant => Role::Assistant,
        };
        messages.push(ChatMessage::new(role, m.text()?));
    }
    let d = SamplingConfig::default();
    let sampling = SamplingConfig {
        temperature: req.temperature.map_or(d.temperature, f64::from),
        top_p: req.top_p.map_or(d.top_p, f64::from),
        top_k: req.top_k.filter(|k| *k > 0).map_or(d.top_k, |k| k as u32),
        max_tokens: req.max_new_tokens().unwrap_or(d.max_tokens),
        seed: req.seed,
    };
    let thinking = match req.enable_thinking() {
        Some(true) => ThinkingMode::On,
        Some(false) => ThinkingMode::Off,
        None => ThinkingMode::Auto,
    };
    Ok(ChatRequest { messages, sampling, thinking, banned_tokens: Vec::new() })
}

fn to_api(e: EngineError) -> OpenAiError {
    match e {
        EngineError::NotLoaded => OpenAiError::NotLoaded,
        EngineError::Busy => OpenAiError::Busy,
        EngineError::PromptTooLong { .. } => OpenAiError::InvalidRequest(e.to_string()),
        other => OpenAiError::Backend(other.to_string()),
    }
}
