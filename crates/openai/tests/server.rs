//! The API server over real HTTP (reqwest) with a deterministic backend.

mod common;

use anamnesis_openai::server::{self, RunningServer, ServerConfig};
use anamnesis_openai::ApiKey;
use common::backend::ScriptBackend;
use futures::StreamExt;
use serde_json::{json, Value};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

const KEY: &str = "sk-anamnesis-test";

async fn start(backend: Arc<ScriptBackend>) -> RunningServer {
    server::start(ServerConfig::new(0, ApiKey::new(KEY)), backend).await.unwrap()
}

fn http() -> reqwest::Client {
    anamnesis_openai::client::install_tls_provider();
    reqwest::Client::builder().no_proxy().build().unwrap()
}

fn chat_body(stream: bool) -> Value {
    json!({"model":"whatever","messages":[{"role":"user","content":"fever and stiff neck?"}],
           "stream":stream,"stream_options":{"include_usage":true},"chat_template_kwargs":{"enable_thinking":true}})
}

async fn post(srv: &RunningServer, key: Option<&str>, body: String) -> reqwest::Response {
    let mut req = http()
        .post(format!("{}/chat/completions", srv.base_url()))
        .header("content-type", "application/json")
        .body(body);
    if let Some(k) = key {
        req = req.bearer_auth(k);
    }
    req.send().await.unwrap()
}

/// The `data:` payloads of an SSE body, in order.
fn data_frames(body: &str) -> Vec<String> {
    body.split("\n\n").filter_map(|f| f.strip_prefix("data: ")).map(str::to_string).collect()
}

#[tokio::test]
async fn streams_sse_chunks_with_role_finish_usage_and_done() {
    let backend = Arc::new(ScriptBackend::medical());
    let srv = start(backend.clone()).await;
    let resp = post(&srv, Some(KEY), chat_body(true).to_string()).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "text/event-stream");
    let body = resp.text().await.unwrap();
    assert!(body.ends_with("data: [DONE]\n\n"), "{body}");
    let frames = data_frames(&body);
    assert_eq!(frames.last().unwrap(), "[DONE]");
    let chunks: Vec<Value> = frames[..frames.len() - 1].iter().map(|f| serde_json::from_str(f).unwrap()).collect();
    for c in &chunks {
        assert_eq!(c["object"], "chat.completion.chunk");
        assert_eq!(c["model"], "baichuan-m2-32b");
        assert_eq!(c["id"], chunks[0]["id"]);
    }
    assert_eq!(chunks[0]["choices"][0]["delta"], json!({"role":"assistant","content":""}));
    let text =
        |field: &str| -> String { chunks.iter().filter_map(|c| c["choices"][0]["delta"][field].as_str()).collect() };
    assert_eq!(text("reasoning_content"), "Fever and stiff neck: consider meningitis.");
    assert_eq!(text("content"), "Seek urgent care now.");
    let n = chunks.len();
    assert_eq!(chunks[n - 2]["choices"][0]["finish_reason"], "stop");
    assert_eq!(chunks[n - 2]["choices"][0]["delta"], json!({}));
    assert_eq!(chunks[n - 1]["choices"], json!([]));
    assert_eq!(chunks[n - 1]["usage"], json!({"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}));
    // The backend got the parsed request.
    assert_eq!(backend.last_request().unwrap().enable_thinking(), Some(true));
    assert!(backend.dropped.load(Ordering::SeqCst));
}

#[tokio::test]
async fn no_usage_chunk_unless_asked() {
    let srv = start(Arc::new(ScriptBackend::medical())).await;
    let body = json!({"messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}],"stream":true});
    let text = post(&srv, Some(KEY), body.to_string()).await.text().await.unwrap();
    assert!(!text.contains("\"usage\""), "{text}");
}

#[tokio::test]
async fn non_stream_returns_one_completion() {
    let srv = start(Arc::new(ScriptBackend::medical())).await;
    let resp = post(&srv, Some(KEY), chat_body(false).to_string()).await;
    assert_eq!(resp.status(), 200);
    let v: Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
    assert_eq!(v["object"], "chat.completion");
    assert_eq!(v["choices"][0]["message"]["role"], "assistant");
    assert_eq!(v["choices"][0]["message"]["content"], "Seek urgent care now.");
    assert_eq!(v["choices"][0]["message"]["reasoning_content"], "Fever and stiff neck: consider meningitis.");
    assert_eq!(v["choices"][0]["finish_reason"], "stop");
    assert_eq!(v["usage"]["total_tokens"], 19);
}

#[tokio::test]
async fn models_lists_the_backend_models() {
    let srv = start(Arc::new(ScriptBackend::medical())).await;
    let resp = http().get(format!("{}/models", srv.base_url())).bearer_auth(KEY).send().await.unwrap();
    let v: Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
    assert_eq!(v["object"], "list");
    assert_eq!(v["data"][0]["id"], "baichuan-m2-32b");
    assert_eq!(v["data"][0]["max_model_len"], 32768);
}

#[tokio::test]
async fn missing_or_wrong_key_is_401_on_every_route() {
    let backend = Arc::new(ScriptBackend::medical());
    let srv = start(backend.clone()).await;
    for key in [None, Some("sk-wrong"), Some("")] {
        let resp = post(&srv, key, chat_body(true).to_string()).await;
        assert_eq!(resp.status(), 401, "{key:?}");
        let v: Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
        assert_eq!(v["error"]["code"], "invalid_api_key");
        assert!(v["error"]["message"].as_str().unwrap().len() > 5);
        assert!(!v.to_string().contains(KEY));
    }
    let mut req = http().get(format!("{}/models", srv.base_url()));
    req = req.header("authorization", format!("Basic {KEY}"));
    assert_eq!(req.send().await.unwrap().status(), 401);
    let resp = http().get(format!("http://{}/anything", srv.addr())).send().await.unwrap();
    assert_eq!(resp.status(), 401, "unknown routes are behind the key too");
    assert_eq!(backend.streams_started.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn bad_requests_are_400_with_an_openai_error_body() {
    let srv = start(Arc::new(ScriptBackend::medical())).await;
    for bad in [
        "{not json".to_string(),
        json!({"messages":[]}).to_string(),
        json!({"messages":[{"role":"tool","content":"x"}]}).to_string(),
        json!({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}).to_string(),
        json!({"model":"m"}).to_string(),
    ] {
        let resp = post(&srv, Some(KEY), bad.clone()).await;
        assert_eq!(resp.status(), 400, "{bad}");
        let v: Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
        assert_eq!(v["error"]["type"], "invalid_request_error", "{bad}");
        assert_eq!(v["error"]["code"], "invalid_request");
        assert!(!v["error"]["message"].as_str().unwrap().is_empty());
    }
}

#[tokio::test]
async fn oversized_body_is_413() {
    let srv = start(Arc::new(ScriptBackend::medical())).await;
    let big = json!({"messages":[{"role":"user","content":"x".repeat(5 << 20)}]}).to_string();
    let resp = post(&srv, Some(KEY), big).await;
    assert_eq!(resp.status(), 413);
    let v: Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
    assert_eq!(v["error"]["code"], "request_too_large");
}

#[tokio::test]
async fn no_model_loaded_is_503() {
    let mut b = ScriptBackend::medical();
    b.loaded = false;
    let srv = start(Arc::new(b)).await;
    let resp = post(&srv, Some(KEY), chat_body(true).to_string()).await;
    assert_eq!(resp.status(), 503);
    let v: Value = serde_json::from_str(&resp.text().await.unwrap()).unwrap();
    assert_eq!(v["error"]["code"], "model_not_loaded");
}

#[tokio::test]
async fn a_second_concurrent_request_gets_429_then_the_slot_frees() {
    let backend = Arc::new(ScriptBackend::endless());
    let srv = start(backend.clone()).await;
    let first = post(&srv, Some(KEY), chat_body(true).to_string()).await;
    assert_eq!(first.status(), 200);
    let second =
        tokio::time::timeout(Duration::from_secs(5), post(&srv, Some(KEY), chat_body(true).to_string())).await.unwrap();
    assert_eq!(second.status(), 429);
    let v: Value = serde_json::from_str(&second.text().await.unwrap()).unwrap();
    assert_eq!(v["error"]["code"], "rate_limit_exceeded");
    drop(first);
    wait_for(|| backend.dropped.load(Ordering::SeqCst)).await;
    // The permit went with the dropped answer.
    let mut third = None;
    for _ in 0..50 {
        let r = post(&srv, Some(KEY), chat_body(true).to_string()).await;
        if r.status() == 200 {
            third = Some(r);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(third.is_some(), "the slot never freed");
}

#[tokio::test]
async fn client_disconnect_drops_the_backend_stream() {
    let backend = Arc::new(ScriptBackend::endless());
    let srv = start(backend.clone()).await;
    let resp = post(&srv, Some(KEY), chat_body(true).to_string()).await;
    let mut body = resp.bytes_stream();
    let first = body.next().await.unwrap().unwrap();
    assert!(first.starts_with(b"data: "));
    assert!(!backend.dropped.load(Ordering::SeqCst));
    drop(body);
    wait_for(|| backend.dropped.load(Ordering::SeqCst)).await;
}

#[tokio::test]
async fn refuses_to_listen_beyond_loopback() {
    for addr in ["0.0.0.0:0", "[::]:0", "192.168.1.10:8000"] {
        let mut cfg = ServerConfig::new(0, ApiKey::new(KEY));
        cfg.addr = addr.parse().unwrap();
        let e = server::start(cfg, Arc::new(ScriptBackend::medical())).await.err().unwrap();
        assert_eq!(e.code(), "NOT_LOOPBACK", "{addr}");
        assert!(e.to_string().contains("only listens on this computer"));
    }
    let e =
        server::start(ServerConfig::new(0, ApiKey::new(" ")), Arc::new(ScriptBackend::medical())).await.err().unwrap();
    assert_eq!(e.code(), "INVALID_REQUEST");
}

#[tokio::test]
async fn shutdown_ends_open_answers() {
    let backend = Arc::new(ScriptBackend::endless());
    let srv = start(backend.clone()).await;
    let addr = srv.addr();
    assert!(addr.ip().is_loopback() && addr.port() != 0);
    let resp = post(&srv, Some(KEY), chat_body(true).to_string()).await;
    tokio::time::timeout(Duration::from_secs(5), srv.shutdown()).await.expect("shutdown hung");
    assert!(backend.dropped.load(Ordering::SeqCst));
    let rest = resp.text().await.unwrap_or_default();
    assert!(rest.contains("shutting down") || rest.is_empty(), "{rest}");
    assert!(tokio::net::TcpStream::connect(addr).await.is_err(), "still listening");
}

async fn wait_for(cond: impl Fn() -> bool) {
    for _ in 0..200 {
        if cond() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("condition not met within 2 s");
}

#[tokio::test]
async fn disconnect_is_noticed_while_the_backend_is_silent() {
    // A long prefill: nothing to send for 30 s, so no write can fail; the server must still
    // notice the closed connection.
    let mut b = ScriptBackend::endless();
    b.delay = Duration::from_secs(30);
    let backend = Arc::new(b);
    let srv = start(backend.clone()).await;
    let resp = post(&srv, Some(KEY), chat_body(true).to_string()).await;
    let mut body = resp.bytes_stream();
    let role = body.next().await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&role).contains("\"role\":\"assistant\""));
    drop(body);
    wait_for(|| backend.dropped.load(Ordering::SeqCst)).await;
}
