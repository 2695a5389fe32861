//! The engine on a tiny real Qwen3 (scripted weights, real tokenizer and template).

mod common;

use anamnesis_engine::{
    ChatEvent, ChatMessage, ChatRequest, FinishReason, LayerSplit, Role, SamplingConfig, ThinkingMode,
};
use common::*;

fn request(thinking: ThinkingMode, max_tokens: u32) -> ChatRequest {
    ChatRequest {
        messages: vec![
            ChatMessage::new(Role::System, "You are a careful clinician."),
            ChatMessage::new(Role::User, "I have a headache."),
        ],
        sampling: SamplingConfig { max_tokens, ..SamplingConfig::default() },
        thinking,
        banned_tokens: vec![],
    }
}

fn assert_no_tags(events: &[ChatEvent]) {
    for e in events {
        if let ChatEvent::Reasoning { text } | ChatEvent::Content { text } = e {
            assert!(!text.contains("<think>") && !text.contains("</think>"), "raw tag leaked: {e:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn thinking_on_streams_reasoning_then_answer_then_stats_then_done() {
    let engine = load(tiny_model(2)).await;
    assert_eq!(engine.info().device, "cpu");
    assert!(engine.info().on_cpu);
    // The layer split is reported, and on a CPU build every layer is on the CPU.
    assert_eq!(engine.info().layers, Some(LayerSplit { total: 2, on_gpu: 0 }));
    assert_eq!(engine.info().layers.unwrap().describe(), "all 2 layers on the CPU");
    let events = collect(engine.chat(request(ThinkingMode::On, 24)).await.unwrap()).await;
    assert_no_tags(&events);

    // Order: reasoning*, content+, stats, done.
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| match e {
            ChatEvent::Context(_) => "b",
            ChatEvent::Reasoning { .. } => "r",
            ChatEvent::Content { .. } => "c",
            ChatEvent::Stats(_) => "s",
            ChatEvent::Done { .. } => "d",
            ChatEvent::Error(e) => panic!("error event: {e:?}"),
        })
        .collect();
    let joined: String = kinds.concat();
    assert!(joined.starts_with("br"), "budget, then reasoning first: {joined}");
    let joined = &joined[1..];
    let trimmed = joined.trim_start_matches('r');
    assert!(trimmed.trim_end_matches("sd").chars().all(|c| c == 'c'), "then content only: {joined}");
    assert!(joined.ends_with("sd"), "stats then done last: {joined}");

    let (reasoning, content) = texts(&events);
    assert_eq!(reasoning.trim(), "Let me think first");
    assert!(content.starts_with("Hello there."), "answer: {content:?}");
    match events.last() {
        Some(ChatEvent::Done { finish_reason }) => assert_eq!(*finish_reason, FinishReason::Length),
        other => panic!("last event {other:?}"),
    }
    let stats = events.iter().find_map(|e| if let ChatEvent::Stats(s) = e { Some(s.clone()) } else { None }).unwrap();
    assert_eq!(stats.tokens, 24);
    assert!(stats.prompt_tokens > 10);
    assert!(stats.reasoning_ms.is_some());
    assert_eq!(stats.device, "cpu");
}

#[tokio::test(flavor = "multi_thread")]
async fn thinking_off_emits_no_reasoning() {
    let engine = load(tiny_model(2)).await;
    let events = collect(engine.chat(request(ThinkingMode::Off, 12)).await.unwrap()).await;
    assert_no_tags(&events);
    assert!(!events.iter().any(|e| matches!(e, ChatEvent::Reasoning { .. })), "{events:?}");
    let (_, content) = texts(&events);
    assert!(content.starts_with("Hello there."), "{content:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn thinking_auto_lets_the_model_open_its_own_think_block() {
    let engine = load(tiny_model(2)).await;
    let events = collect(engine.chat(request(ThinkingMode::Auto, 16)).await.unwrap()).await;
    assert_no_tags(&events);
    let (reasoning, content) = texts(&events);
    assert_eq!(reasoning.trim(), "Let me think first");
    assert!(content.starts_with("Hello there."));
}

#[tokio::test(flavor = "multi_thread")]
async fn stop_ends_the_answer_within_a_few_tokens() {
    let engine = load(tiny_model(2)).await;
    let mut stream = engine.chat(request(ThinkingMode::Off, 4000)).await.unwrap();
    let mut content_events = 0;
    let mut after_stop = 0;
    let mut stopped = false;
    let mut last = None;
    while let Some(e) = stream.next().await {
        if matches!(e, ChatEvent::Content { .. }) {
            content_events += 1;
            if stopped {
                after_stop += 1;
            }
            if content_events == 3 && !stopped {
                stream.stopper().stop();
                stopped = true;
            }
        }
        last = Some(e);
    }
    assert!(stopped);
    assert!(after_stop <= 4, "{after_stop} content events after Stop");
    assert_eq!(last, Some(ChatEvent::Done { finish_reason: FinishReason::Cancelled }));
}

#[tokio::test(flavor = "multi_thread")]
async fn greedy_answers_are_reproducible() {
    let engine = load(tiny_model(2)).await;
    let mut req = request(ThinkingMode::On, 20);
    req.sampling = SamplingConfig::greedy(20);
    let a = texts(&collect(engine.chat(req.clone()).await.unwrap()).await);
    let b = texts(&collect(engine.chat(req).await.unwrap()).await);
    assert_eq!(a, b);
}

#[tokio::test(flavor = "multi_thread")]
async fn prompt_tokens_are_counted_with_the_template() {
    let engine = load(tiny_model(2)).await;
    let short = engine.prompt_tokens(&[ChatMessage::new(Role::User, "Hi")], ThinkingMode::Auto).await.unwrap();
    let long = engine
        .prompt_tokens(
            &[ChatMessage::new(Role::User, "Hi there, I have had a fever for three days")],
            ThinkingMode::Auto,
        )
        .await
        .unwrap();
    // "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n" is 9 Qwen3 tokens.
    assert_eq!(short, 9);
    assert!(long > short);
}

#[tokio::test(flavor = "multi_thread")]
async fn in_situ_quantization_loads_and_still_answers() {
    let opts = anamnesis_engine::LoadOptions {
        path: tiny_model(2),
        force_cpu: true,
        isq: Some("q8_0".into()),
        ..anamnesis_engine::LoadOptions::default()
    };
    let engine = anamnesis_engine::Engine::load(opts).await.unwrap();
    assert_eq!(engine.info().isq.as_deref(), Some("Q8_0"));
    let (_, content) = texts(&collect(engine.chat(request(ThinkingMode::Off, 6)).await.unwrap()).await);
    assert!(content.starts_with("Hello there."), "{content:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn in_situ_quantization_of_a_gguf_is_refused_clearly() {
    let opts = anamnesis_engine::LoadOptions {
        path: common::smollm2(),
        force_cpu: true,
        isq: Some("q4k".into()),
        ..anamnesis_engine::LoadOptions::default()
    };
    let err = anamnesis_engine::Engine::load(opts).await.err().expect("refused");
    assert_eq!(err.code(), "LOAD_FAILED");
    assert!(err.to_string().contains("already quantized"), "{err}");
}
