//! Turns a backend's events into the OpenAI streaming shape (SSE `data:` frames ending with
//! `data: [DONE]`) or into one `ChatCompletion`.

use super::reply::error_body;
use crate::error::OpenAiError;
use crate::event::{EventStream, StreamEvent};
use crate::wire::{AssistantMessage, ChatCompletion, Choice, Chunk, ChunkChoice, Delta};
use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::{watch, OwnedSemaphorePermit};

/// What every chunk of one answer repeats.
pub(super) struct ChunkMeta {
    id: String,
    created: u64,
    model: String,
}

impl ChunkMeta {
    pub(super) fn new(model: String) -> Self {
        use rand::RngCore;
        let mut b = [0u8; 12];
        rand::rng().fill_bytes(&mut b);
        let id = format!("chatcmpl-{}", b.iter().map(|x| format!("{x:02x}")).collect::<String>());
        let created = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        Self { id, created, model }
    }

    fn chunk(&self, delta: Delta, finish_reason: Option<String>) -> Chunk {
        Chunk {
            id: self.id.clone(),
            object: "chat.completion.chunk".into(),
            created: self.created,
            model: self.model.clone(),
            choices: vec![ChunkChoice { index: 0, delta, finish_reason }],
            usage: None,
            triage: None,
        }
    }
}

fn frame<T: serde::Serialize>(value: &T) -> Bytes {
    // Serializing our own plain structs cannot fail; an empty object is a safe fallback.
    let json = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    Bytes::from(format!("data: {json}\n\n"))
}

struct Pump {
    events: EventStream,
    meta: ChunkMeta,
    include_usage: bool,
    queue: VecDeque<Bytes>,
    ended: bool,
    shutdown: watch::Receiver<bool>,
    keep_alive: Duration,
    _permit: OwnedSemaphorePermit,
}

impl Pump {
    fn end_with_error(&mut self, e: &OpenAiError) {
        self.queue.push_back(frame(&error_body(e)));
        self.finish();
    }

    fn finish(&mut self) {
        self.queue.push_back(Bytes::from_static(b"data: [DONE]\n\n"));
        self.ended = true;
        // Drop the backend stream now, not when the client has read the last bytes.
        self.events = futures::stream::empty().boxed();
    }

    fn on_event(&mut self, ev: Option<Result<StreamEvent, OpenAiError>>) {
        match ev {
            Some(Ok(StreamEvent::Reasoning(t))) => {
                let delta = Delta { reasoning_content: Some(t), ..Default::default() };
                self.queue.push_back(frame(&self.meta.chunk(delta, None)));
            }
            Some(Ok(StreamEvent::Content(t))) => {
                let delta = Delta { content: Some(t), ..Default::default() };
                self.queue.push_back(frame(&self.meta.chunk(delta, None)));
            }
            Some(Ok(StreamEvent::Triage(t))) => {
                let mut chunk = self.meta.chunk(Delta::default(), None);
                chunk.triage = Some(t);
                self.queue.push_back(frame(&chunk));
            }
            Some(Ok(StreamEvent::Done { finish_reason, usage })) => {
                self.queue
                    .push_back(frame(&self.meta.chunk(Delta::default(), Some(finish_reason.as_str().to_string()))));
                if let (true, Some(usage)) = (self.include_usage, usage) {
                    let mut last = self.meta.chunk(Delta::default(), None);
                    last.choices.clear();
                    last.usage = Some(usage);
                    self.queue.push_back(frame(&last));
                }
                self.finish();
            }
            Some(Err(e)) => self.end_with_error(&e),
            None => self.end_with_error(&OpenAiError::Backend("the answer ended without finishing".into())),
        }
    }

    async fn next_frame(mut self) -> Option<(Bytes, Self)> {
        loop {
            if let Some(f) = self.queue.pop_front() {
                return Some((f, self));
            }
            if self.ended {
                return None;
            }
            let mut shutdown = self.shutdown.clone();
            let step = tokio::select! {
                ev = self.events.next() => Step::Event(ev),
                _ = tokio::time::sleep(self.keep_alive) => Step::KeepAlive,
                // A dropped sender (the server handle dropped) counts as a stop too.
                _ = async { let _ = shutdown.wait_for(|s| *s).await; } => Step::Shutdown,
            };
            match step {
                Step::Event(ev) => self.on_event(ev),
                Step::KeepAlive => self.queue.push_back(Bytes::from_static(b": keep-alive\n\n")),
                Step::Shutdown => self.end_with_error(&OpenAiError::Backend("the API server is shutting down".into())),
            }
        }
    }
}

enum Step {
    Event(Option<Result<StreamEvent, OpenAiError>>),
    KeepAlive,
    Shutdown,
}

pub(super) fn sse_response(
    events: EventStream,
    meta: ChunkMeta,
    include_usage: bool,
    permit: OwnedSemaphorePermit,
    shutdown: watch::Receiver<bool>,
    keep_alive: Duration,
) -> Response {
    let first =
        meta.chunk(Delta { role: Some("assistant".into()), content: Some(String::new()), ..Default::default() }, None);
    let pump = Pump {
        events,
        meta,
        include_usage,
        queue: VecDeque::from([frame(&first)]),
        ended: false,
        shutdown,
        keep_alive,
        _permit: permit,
    };
    let body = futures::stream::unfold(pump, Pump::next_frame).map(Ok::<_, Infallible>);
    (
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        Body::from_stream(body),
    )
        .into_response()
}

/// `stream: false`: the whole answer at once.
pub(super) async fn collect(mut events: EventStream, meta: ChunkMeta) -> Result<ChatCompletion, OpenAiError> {
    let (mut reasoning, mut content, mut triage) = (String::new(), String::new(), None);
    while let Some(ev) = events.next().await {
        match ev? {
            StreamEvent::Reasoning(t) => reasoning.push_str(&t),
            StreamEvent::Content(t) => content.push_str(&t),
            StreamEvent::Triage(t) => triage = Some(t),
            StreamEvent::Done { finish_reason, usage } => {
                let message = AssistantMessage {
                    role: "assistant".into(),
                    content: Some(content),
                    reasoning_content: (!reasoning.is_empty()).then_some(reasoning),
                };
                return Ok(ChatCompletion {
                    id: meta.id,
                    object: "chat.completion".into(),
                    created: meta.created,
                    model: meta.model,
                    choices: vec![Choice {
                        index: 0,
                        message,
                        finish_reason: Some(finish_reason.as_str().to_string()),
                    }],
                    usage: Some(usage.unwrap_or_default()),
                    triage,
                });
            }
        }
    }
    Err(OpenAiError::Backend("the answer ended without finishing".into()))
}
