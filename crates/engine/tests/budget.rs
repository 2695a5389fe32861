//! The context budget with real token counts (the real Qwen3 tokenizer and chat template).

mod common;

use anamnesis_engine::{ChatEvent, ChatMessage, ChatRequest, Engine, LoadOptions, Role, SamplingConfig, ThinkingMode};
use anamnesis_testkit::fixtures::tiny_model;
use common::*;

async fn engine(max_context: u32) -> Engine {
    let opts =
        LoadOptions { path: tiny_model(2), force_cpu: true, max_context: Some(max_context), ..LoadOptions::default() };
    Engine::load(opts).await.unwrap()
}

fn conversation(turns: usize) -> Vec<ChatMessage> {
    let mut m = vec![ChatMessage::new(
        Role::System,
        "You are a careful clinician. Patient: 34 y, female, pregnant (20 weeks), allergic to penicillin.",
    )];
    for i in 0..turns {
        m.push(ChatMessage::new(Role::User, format!("Question {i}: my headache got worse today, should I worry?")));
        m.push(ChatMessage::new(
            Role::Assistant,
            format!("Answer {i}: tell me more about the headache and your blood pressure."),
        ));
    }
    m.push(ChatMessage::new(Role::User, "It is the worst headache of my life."));
    m
}

fn request(messages: Vec<ChatMessage>, max_tokens: u32) -> ChatRequest {
    ChatRequest {
        messages,
        sampling: SamplingConfig::greedy(max_tokens),
        thinking: ThinkingMode::Off,
        banned_tokens: vec![],
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn everything_fits_and_the_counts_add_up_exactly() {
    let e = engine(4096).await;
    let msgs = conversation(3);
    let (kept, b) = e.fit(&request(msgs.clone(), 256)).await.unwrap();
    assert_eq!(kept, msgs);
    assert!(b.dropped.is_empty());
    let total = e.prompt_tokens(&msgs, ThinkingMode::Off).await.unwrap() as u32;
    assert_eq!(b.system_tokens + b.history_tokens + b.message_tokens, total);
    assert_eq!(b.system_tokens, e.prompt_tokens(&msgs[..1], ThinkingMode::Off).await.unwrap() as u32);
    assert_eq!(b.answer_room, 4096 - total);
    assert_eq!(b.limit, 4096);
}

#[tokio::test(flavor = "multi_thread")]
async fn overflow_drops_the_oldest_turns_but_never_system_or_the_last_message() {
    let e = engine(4096).await;
    let msgs = conversation(6);
    let full = e.prompt_tokens(&msgs, ThinkingMode::Off).await.unwrap() as u32;
    let per_turn = (full - e.prompt_tokens(&conversation(5), ThinkingMode::Off).await.unwrap() as u32) as i64;
    // Room for the answer plus about three of the six earlier exchanges.
    let reserve = 200;
    let e = engine(full + reserve - (3 * per_turn as u32)).await;
    let (kept, b) = e.fit(&request(msgs.clone(), reserve)).await.unwrap();
    assert_eq!(kept.first(), msgs.first(), "system prompt kept");
    assert_eq!(kept.last(), msgs.last(), "new message kept");
    assert!(!b.dropped.is_empty());
    // Oldest first, whole exchanges: user at an odd index, its answer right after.
    assert_eq!(b.dropped[0], 1);
    assert_eq!(b.dropped.len() % 2, 0, "{:?}", b.dropped);
    assert!(b.dropped.windows(2).all(|w| w[1] == w[0] + 1));
    assert_eq!(kept.len(), msgs.len() - b.dropped.len());
    assert!(b.answer_room >= reserve, "{b:?}");
    let sent = e.prompt_tokens(&kept, ThinkingMode::Off).await.unwrap() as u32;
    assert_eq!(b.limit - b.answer_room, sent);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_meter_travels_first_in_the_stream() {
    let e = engine(4096).await;
    let events = collect(e.chat(request(conversation(1), 4)).await.unwrap()).await;
    match &events[0] {
        ChatEvent::Context(b) => assert!(b.message_tokens > 0 && b.answer_room > 0),
        other => panic!("first event {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_longer_than_the_whole_context_is_a_clear_error() {
    let e = engine(64).await;
    let long = "pain ".repeat(200);
    let err = match e.chat(request(vec![ChatMessage::new(Role::User, long)], 16)).await {
        Ok(_) => panic!("accepted"),
        Err(e) => e,
    };
    assert_eq!(err.code(), "PROMPT_TOO_LONG");
    assert!(err.to_string().contains("64"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_answer_is_capped_at_the_room_left_in_the_context() {
    let e = engine(64).await;
    let events = collect(e.chat(request(vec![ChatMessage::new(Role::User, "Hi")], 8192)).await.unwrap()).await;
    let room = match &events[0] {
        ChatEvent::Context(b) => b.answer_room,
        other => panic!("first event {other:?}"),
    };
    let stats = events.iter().find_map(|e| if let ChatEvent::Stats(s) = e { Some(s.clone()) } else { None }).unwrap();
    assert_eq!(stats.tokens, room);
    assert_eq!(events.last(), Some(&ChatEvent::Done { finish_reason: anamnesis_engine::FinishReason::Length }));
}
