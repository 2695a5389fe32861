//! Shared by the engine's integration tests.
#![allow(dead_code)]

use anamnesis_engine::{ChatEvent, ChatStream, Engine, LoadOptions};
#[allow(unused_imports)]
pub use anamnesis_testkit::fixtures::{smollm2, tiny_model};
use std::path::PathBuf;

pub async fn load(path: PathBuf) -> Engine {
    Engine::load(LoadOptions { path, force_cpu: true, ..LoadOptions::default() }).await.expect("model loads")
}

/// Drains a stream into its events.
pub async fn collect(mut s: ChatStream) -> Vec<ChatEvent> {
    let mut v = Vec::new();
    while let Some(e) = s.next().await {
        v.push(e);
    }
    v
}

/// (reasoning, content) concatenated.
pub fn texts(events: &[ChatEvent]) -> (String, String) {
    let (mut r, mut c) = (String::new(), String::new());
    for e in events {
        match e {
            ChatEvent::Reasoning { text } => r.push_str(text),
            ChatEvent::Content { text } => c.push_str(text),
            _ => {}
        }
    }
    (r, c)
}
