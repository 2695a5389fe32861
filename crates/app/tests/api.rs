//! The local API's safety layer, against the backend directly: an emergency gets its advice
//! even when no model can answer, and the model's own red flags raise a routine triage mid-
//! answer (the end-to-end path with the `openai` client is in crates/cli/tests/api.rs).

use anamnesis_app::api::AppBackend;
use anamnesis_engine::{LoadOptions, ModelHost};
use anamnesis_openai::{wire, ChatBackend, OpenAiError, StreamEvent};
use futures::StreamExt;
use serde_json::json;
use std::sync::Arc;

const RED_FLAG: &str = "Crushing chest pain going to my left arm since an hour";

fn request(text: &str) -> wire::ChatRequest {
    let raw = json!({
        "messages": [{"role": "user", "content": text}],
        "patient": {"jurisdiction": "US"},
        "temperature": 0, "max_tokens": 16,
        "chat_template_kwargs": {"enable_thinking": false}
    });
    serde_json::from_value(raw).unwrap()
}

async fn events(backend: &AppBackend, text: &str) -> Result<Vec<StreamEvent>, OpenAiError> {
    let stream = backend.chat(request(text)).await?;
    Ok(stream.map(|e| e.unwrap()).collect().await)
}

fn level(ev: &StreamEvent) -> Option<String> {
    match ev {
        StreamEvent::Triage(t) => Some(t["level"].as_str().unwrap().to_string()),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_emergency_gets_its_advice_even_when_no_model_can_answer() {
    let backend = AppBackend(Arc::new(ModelHost::default()));
    let ev = events(&backend, RED_FLAG).await.expect("the advice is an answer of its own");
    assert_eq!(level(&ev[0]).as_deref(), Some("emergency"), "{ev:?}");
    assert!(matches!(&ev[1], StreamEvent::Content(t) if t.contains("911")), "{ev:?}");
    assert!(matches!(ev.last(), Some(StreamEvent::Done { .. })), "{ev:?}");
    // A routine message without a model is the usual error.
    let err = events(&backend, "What is a normal resting heart rate?").await.expect_err("no model");
    assert!(matches!(err, OpenAiError::NotLoaded), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_models_own_red_flags_raise_the_triage_mid_answer() {
    let host = ModelHost::default();
    host.load(LoadOptions { path: anamnesis_testkit::fixtures::tiny_alarm_model(2), ..LoadOptions::default() })
        .await
        .unwrap();
    let backend = AppBackend(Arc::new(host));
    let ev = events(&backend, "I have had a mild headache since yesterday").await.unwrap();
    let levels: Vec<String> = ev.iter().filter_map(level).collect();
    assert_eq!(levels, ["routine", "emergency"], "{ev:?}");
    let raised = ev.iter().position(|e| level(e).as_deref() == Some("emergency")).unwrap();
    assert!(
        ev[..raised].iter().any(|e| matches!(e, StreamEvent::Content(_))),
        "raised while the answer streams: {ev:?}"
    );
}
