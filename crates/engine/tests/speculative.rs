//! Speculative decoding with a draft model: greedy output must equal the target's alone, token
//! for token. Every run is bounded in time: mistral.rs 0.8.1 as published deadlocks on the
//! first speculative step (patches/mistralrs-core-0.8.1.patch fixes it), so a lost patch fails
//! here instead of hanging CI.

mod common;

use anamnesis_engine::{ChatMessage, ChatRequest, DraftOptions, Engine, LoadOptions, Role, SamplingConfig, ThinkingMode};
use anamnesis_testkit::fixtures::{smollm2, tiny_model, tiny_random_model};
use common::*;
use std::path::PathBuf;
use std::time::Duration;

const BOUND: Duration = Duration::from_secs(240);

/// The draft counters mistral.rs keeps are process-wide, so these tests take turns.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn bounded<T>(what: &str, f: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(BOUND, f)
        .await
        .unwrap_or_else(|_| panic!("{what} did not finish within {BOUND:?}: is the speculative-decoding patch applied?"))
}

async fn load_with(path: PathBuf, draft: Option<(PathBuf, usize)>) -> Engine {
    let opts = LoadOptions {
        path,
        force_cpu: true,
        draft: draft.map(|(path, gamma)| DraftOptions { path, gamma }),
        ..LoadOptions::default()
    };
    bounded("loading", Engine::load(opts)).await.expect("loads")
}

/// (answer text, draft acceptance)
async fn greedy(engine: &Engine, system: &str, prompt: &str, n: u32) -> (String, Option<f64>) {
    let req = ChatRequest {
        messages: vec![ChatMessage::new(Role::System, system), ChatMessage::new(Role::User, prompt)],
        sampling: SamplingConfig::greedy(n),
        thinking: ThinkingMode::Off,
        banned_tokens: engine.end_of_turn_tokens().await,
    };
    let events = bounded("generation", async { collect(engine.chat(req).await.unwrap()).await }).await;
    let acceptance = events.iter().find_map(|e| match e {
        anamnesis_engine::ChatEvent::Stats(s) => Some(s.draft_acceptance),
        _ => None,
    });
    let (r, c) = texts(&events);
    (r + &c, acceptance.flatten())
}

#[tokio::test(flavor = "multi_thread")]
async fn random_tiny_target_with_a_different_draft_gives_identical_greedy_output() {
    let _turn = SERIAL.lock().await;
    let target = tiny_random_model(2, 11);
    let draft = tiny_random_model(1, 12);
    let plain = load_with(target.clone(), None).await;
    let (want, acc) = greedy(&plain, "sys", "Chest pain since this morning", 40).await;
    assert!(acc.is_none());
    drop(plain);
    for gamma in [1, 3, 5] {
        let spec = load_with(target.clone(), Some((draft.clone(), gamma))).await;
        assert_eq!(spec.info().draft.as_ref().map(|d| d.gamma), Some(gamma), "{:?}", spec.info().notices);
        let (got, acc) = greedy(&spec, "sys", "Chest pain since this morning", 40).await;
        assert_eq!(got, want, "gamma {gamma}");
        let acc = acc.expect("acceptance is reported");
        assert!((0.0..=1.0).contains(&acc));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_draft_identical_to_the_target_is_always_accepted() {
    let _turn = SERIAL.lock().await;
    let target = tiny_random_model(2, 21);
    let spec = load_with(target.clone(), Some((target, 4))).await;
    let (_, acc) = greedy(&spec, "sys", "Fever and a rash", 24).await;
    assert!(acc.unwrap() > 0.99, "acceptance {acc:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn smollm2_with_itself_as_draft_matches_and_accepts_everything() {
    let _turn = SERIAL.lock().await;
    let m = smollm2();
    let plain = load_with(m.clone(), None).await;
    let (want, _) = greedy(&plain, "You are a helpful assistant.", "What is the capital of France?", 24).await;
    drop(plain);
    let spec = load_with(m.clone(), Some((m, 4))).await;
    let (got, acc) = greedy(&spec, "You are a helpful assistant.", "What is the capital of France?", 24).await;
    assert_eq!(got, want);
    assert!(acc.unwrap() > 0.95, "acceptance {acc:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_draft_with_another_vocabulary_falls_back_with_a_notice() {
    let _turn = SERIAL.lock().await;
    let spec = load_with(tiny_model(2), Some((smollm2(), 4))).await;
    assert!(spec.info().draft.is_none());
    assert_eq!(spec.info().notices.len(), 1);
    assert!(spec.info().notices[0].contains("vocabulary"), "{:?}", spec.info().notices);
    let (text, acc) = greedy(&spec, "sys", "hello", 8).await;
    assert!(!text.is_empty());
    assert!(acc.is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_draft_is_a_notice_not_a_failure() {
    let _turn = SERIAL.lock().await;
    let spec = load_with(tiny_model(2), Some(("/no/such/draft".into(), 4))).await;
    assert!(spec.info().draft.is_none());
    assert!(spec.info().notices[0].contains("/no/such/draft"), "{:?}", spec.info().notices);
}
