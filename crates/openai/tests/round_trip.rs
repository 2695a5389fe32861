//! The remote client against this crate's own server: what one side writes, the other reads.

mod common;

use anamnesis_openai::server::{self, ServerConfig};
use anamnesis_openai::wire::{Message, Role};
use anamnesis_openai::{ApiKey, ChatOptions, FinishReason, RemoteClient, RemoteConfig, StreamEvent};
use common::backend::ScriptBackend;
use futures::StreamExt;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

const KEY: &str = "sk-anamnesis-roundtrip";

fn client(base: String, key: &str) -> RemoteClient {
    let mut cfg = RemoteConfig::new(base);
    cfg.api_key = Some(ApiKey::new(key));
    RemoteClient::new(cfg).unwrap()
}

fn question() -> Vec<Message> {
    vec![Message::new(Role::System, "You are careful."), Message::new(Role::User, "fever and stiff neck?")]
}

#[tokio::test]
async fn client_reads_what_the_server_streams() {
    let backend = Arc::new(ScriptBackend::medical());
    let srv = server::start(ServerConfig::new(0, ApiKey::new(KEY)), backend.clone()).await.unwrap();
    let c = client(srv.base_url(), KEY);
    assert_eq!(c.models().await.unwrap()[0].id, "baichuan-m2-32b");
    let opts = ChatOptions { thinking: Some(false), max_tokens: Some(64), ..Default::default() };
    let events: Vec<StreamEvent> = c.chat_stream(question(), &opts).await.unwrap().map(Result::unwrap).collect().await;
    let (mut r, mut a) = (String::new(), String::new());
    for e in &events[..events.len() - 1] {
        match e {
            StreamEvent::Reasoning(t) => r.push_str(t),
            StreamEvent::Content(t) => a.push_str(t),
            StreamEvent::Done { .. } => panic!("Done before the end"),
            StreamEvent::Triage(_) => panic!("the client reads no triage"),
        }
    }
    assert_eq!((r.as_str(), a.as_str()), ("Fever and stiff neck: consider meningitis.", "Seek urgent care now."));
    match events.last().unwrap() {
        StreamEvent::Done { finish_reason, usage } => {
            assert_eq!(*finish_reason, FinishReason::Stop);
            assert_eq!(usage.as_ref().unwrap().total_tokens, 19);
        }
        other => panic!("last event {other:?}"),
    }
    let req = backend.last_request().unwrap();
    assert_eq!(req.enable_thinking(), Some(false));
    assert_eq!(req.max_new_tokens(), Some(64));
    assert_eq!(req.model.as_deref(), Some("baichuan-m2-32b"));
    assert_eq!(req.messages, question());
}

#[tokio::test]
async fn dropping_the_client_stream_stops_the_backend() {
    let backend = Arc::new(ScriptBackend::endless());
    let srv = server::start(ServerConfig::new(0, ApiKey::new(KEY)), backend.clone()).await.unwrap();
    let c = client(srv.base_url(), KEY);
    let mut stream = c.chat_stream(question(), &ChatOptions::default()).await.unwrap();
    assert_eq!(stream.next().await.unwrap().unwrap(), StreamEvent::Reasoning("thinking".into()));
    assert!(matches!(stream.next().await.unwrap().unwrap(), StreamEvent::Content(_)));
    drop(stream);
    for _ in 0..200 {
        if backend.dropped.load(Ordering::SeqCst) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the backend stream was not dropped");
}

#[tokio::test]
async fn server_errors_reach_the_client_with_codes() {
    let srv = server::start(ServerConfig::new(0, ApiKey::new(KEY)), Arc::new(ScriptBackend::medical())).await.unwrap();
    let e = client(srv.base_url(), "sk-wrong").models().await.unwrap_err();
    assert_eq!(e.code(), "UNAUTHORIZED");
    assert!(e.to_string().contains("incorrect API key") && !e.to_string().contains("sk-wrong"), "{e}");

    let mut idle = ScriptBackend::medical();
    idle.loaded = false;
    let srv2 = server::start(ServerConfig::new(0, ApiKey::new(KEY)), Arc::new(idle)).await.unwrap();
    let mut cfg = RemoteConfig::new(srv2.base_url());
    cfg.api_key = Some(ApiKey::new(KEY));
    cfg.model = Some("baichuan-m2-32b".into());
    let e = RemoteClient::new(cfg).unwrap().chat_stream(question(), &ChatOptions::default()).await.err().unwrap();
    assert_eq!(e.code(), "SERVER_ERROR");
    assert!(e.to_string().contains("no model is loaded"), "{e}");
}
