//! A deterministic `ChatBackend`: plays a fixed script of events, records the requests it got,
//! and sets a flag when its stream is dropped.

use anamnesis_openai::wire::{ChatRequest, ModelCard, Usage};
use anamnesis_openai::{ChatBackend, EventStream, FinishReason, OpenAiError, StreamEvent};
use futures::future::BoxFuture;
use futures::StreamExt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub struct ScriptBackend {
    pub loaded: bool,
    pub script: Vec<StreamEvent>,
    /// After the script, keep sending "tick" forever (for disconnect tests).
    pub endless: bool,
    pub delay: Duration,
    pub requests: Mutex<Vec<ChatRequest>>,
    pub dropped: Arc<AtomicBool>,
    pub streams_started: AtomicUsize,
}

impl ScriptBackend {
    pub fn new(script: Vec<StreamEvent>) -> Self {
        Self {
            loaded: true,
            script,
            endless: false,
            delay: Duration::from_millis(2),
            requests: Mutex::new(Vec::new()),
            dropped: Arc::new(AtomicBool::new(false)),
            streams_started: AtomicUsize::new(0),
        }
    }

    /// Reasoning in two pieces, then the answer in two, then stop with usage 12 + 7.
    pub fn medical() -> Self {
        Self::new(vec![
            StreamEvent::Reasoning("Fever and stiff neck: ".into()),
            StreamEvent::Reasoning("consider meningitis.".into()),
            StreamEvent::Content("Seek urgent care ".into()),
            StreamEvent::Content("now.".into()),
            StreamEvent::Done { finish_reason: FinishReason::Stop, usage: Some(Usage::new(12, 7)) },
        ])
    }

    pub fn endless() -> Self {
        let mut b = Self::new(vec![StreamEvent::Reasoning("thinking".into())]);
        b.endless = true;
        b.delay = Duration::from_millis(20);
        b
    }

    pub fn last_request(&self) -> Option<ChatRequest> {
        self.requests.lock().unwrap().last().cloned()
    }
}

/// Sets its flag when dropped: the stream's owner (the server) let go of it.
struct DropFlag(Arc<AtomicBool>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl ChatBackend for ScriptBackend {
    fn models(&self) -> Vec<ModelCard> {
        if self.loaded {
            vec![ModelCard { max_model_len: Some(32768), ..ModelCard::new("baichuan-m2-32b", "anamnesis") }]
        } else {
            Vec::new()
        }
    }

    fn chat(&self, req: ChatRequest) -> BoxFuture<'_, Result<EventStream, OpenAiError>> {
        Box::pin(async move {
            if !self.loaded {
                return Err(OpenAiError::NotLoaded);
            }
            self.requests.lock().unwrap().push(req);
            self.streams_started.fetch_add(1, Ordering::SeqCst);
            let flag = DropFlag(self.dropped.clone());
            let script = self.script.clone();
            let (endless, delay) = (self.endless, self.delay);
            let stream = futures::stream::unfold((0usize, flag), move |(i, flag)| {
                let next = script.get(i).cloned();
                async move {
                    tokio::time::sleep(delay).await;
                    match next {
                        Some(ev) => Some((Ok(ev), (i + 1, flag))),
                        None if endless => Some((Ok(StreamEvent::Content("tick ".into())), (i + 1, flag))),
                        None => None,
                    }
                }
            });
            Ok(stream.boxed())
        })
    }
}
