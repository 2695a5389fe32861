//! A real small model (SmolLM2-135M-Instruct, Q4_1 GGUF from PyPI) answering for real on CPU.

mod common;

use anamnesis_engine::{ChatMessage, ChatRequest, ModelFormat, Role, SamplingConfig, ThinkingMode};
use common::*;

#[tokio::test(flavor = "multi_thread")]
async fn greedy_answer_names_paris() {
    let engine = load(smollm2()).await;
    assert_eq!(engine.info().format, ModelFormat::Gguf);
    assert_eq!(engine.info().architecture, "llama");
    // block_count from the GGUF header: SmolLM2-135M has 30 layers.
    assert_eq!(engine.info().layers.map(|l| (l.total, l.on_gpu)), Some((30, 0)));
    let req = ChatRequest {
        // With the template's default system prompt ("You are a helpful AI assistant named
        // SmolLM…") this Q4_1 file answers greedily in French ("L'Étoile, …"); a plain one
        // gets the plain answer.
        messages: vec![
            ChatMessage::new(Role::System, "You are a helpful assistant."),
            ChatMessage::new(Role::User, "What is the capital of France?"),
        ],
        sampling: SamplingConfig::greedy(40),
        thinking: ThinkingMode::Auto,
        banned_tokens: vec![],
    };
    let events = collect(engine.chat(req).await.unwrap()).await;
    let (reasoning, content) = texts(&events);
    assert!(reasoning.is_empty());
    assert!(content.contains("Paris"), "answer: {content:?}");
}
