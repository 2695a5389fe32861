//! The remote client against a loopback server replaying recorded-style vLLM, SGLang and raw
//! streams (real HTTP, chunked, with pauses between chunks).

mod common;

use anamnesis_openai::wire::{Message, Role};
use anamnesis_openai::{ApiKey, ChatOptions, FinishReason, OpenAiError, RemoteClient, RemoteConfig, StreamEvent};
use common::replay::{Replay, Reply};
use futures::StreamExt;
use std::time::Duration;

/// What a stream gave: reasoning, content, the Done event if any, the error if any.
#[derive(Debug, Default)]
struct Got {
    reasoning: String,
    content: String,
    done: Option<(FinishReason, Option<anamnesis_openai::wire::Usage>)>,
    error: Option<OpenAiError>,
}

fn client(base: &str, key: Option<&str>) -> RemoteClient {
    let mut cfg = RemoteConfig::new(base);
    cfg.api_key = key.map(ApiKey::new);
    cfg.idle_timeout = Duration::from_secs(5);
    RemoteClient::new(cfg).unwrap()
}

async fn run(reply: Reply) -> (Got, Replay) {
    let replay = Replay::start(reply).await;
    let got = ask(&client(&replay.base_url(), Some("sk-test")), &ChatOptions::default()).await;
    (got, replay)
}

async fn ask(c: &RemoteClient, opts: &ChatOptions) -> Got {
    let mut stream = match c.chat_stream(vec![Message::new(Role::User, "fever and stiff neck?")], opts).await {
        Ok(s) => s,
        Err(e) => return Got { error: Some(e), ..Default::default() },
    };
    let mut got = Got::default();
    while let Some(item) = stream.next().await {
        assert!(got.done.is_none() && got.error.is_none(), "nothing may follow Done or an error");
        match item {
            Ok(StreamEvent::Reasoning(t)) => got.reasoning.push_str(&t),
            Ok(StreamEvent::Content(t)) => got.content.push_str(&t),
            Ok(StreamEvent::Done { finish_reason, usage }) => got.done = Some((finish_reason, usage)),
            Ok(StreamEvent::Triage(_)) => panic!("the client reads no triage"),
            Err(e) => got.error = Some(e),
        }
    }
    got
}

/// One SSE frame of a vLLM chunk with this delta.
fn vllm(delta: &str, finish: Option<&str>) -> String {
    let finish = finish.map_or("null".to_string(), |f| format!("\"{f}\""));
    format!(
        "data: {{\"id\":\"chatcmpl-8f3e2a\",\"object\":\"chat.completion.chunk\",\"created\":1754000000,\"model\":\"baichuan-m2-32b\",\"choices\":[{{\"index\":0,\"delta\":{delta},\"logprobs\":null,\"finish_reason\":{finish},\"stop_reason\":null}}]}}\n\n"
    )
}

fn vllm_usage() -> String {
    "data: {\"id\":\"chatcmpl-8f3e2a\",\"object\":\"chat.completion.chunk\",\"created\":1754000000,\"model\":\"baichuan-m2-32b\",\"choices\":[],\"usage\":{\"prompt_tokens\":31,\"total_tokens\":52,\"completion_tokens\":21}}\n\n".into()
}

const DONE: &str = "data: [DONE]\n\n";

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

#[tokio::test]
async fn vllm_with_reasoning_content() {
    let chunks = vec![
        vllm(r#"{"role":"assistant","content":""}"#, None),
        vllm(r#"{"reasoning_content":"Fever plus neck stiffness"}"#, None),
        vllm(r#"{"reasoning_content":" suggests meningitis."}"#, None),
        vllm(r#"{"content":"Go to the emergency department "}"#, None),
        vllm(r#"{"content":"now."}"#, None),
        vllm(r#"{"content":""}"#, Some("stop")),
        vllm_usage(),
        DONE.into(),
    ];
    let (got, _) = run(Reply::sse(chunks)).await;
    assert!(got.error.is_none(), "{:?}", got.error);
    assert_eq!(got.reasoning, "Fever plus neck stiffness suggests meningitis.");
    assert_eq!(got.content, "Go to the emergency department now.");
    let (reason, usage) = got.done.unwrap();
    assert_eq!(reason, FinishReason::Stop);
    assert_eq!(usage.unwrap().completion_tokens, 21);
}

#[tokio::test]
async fn vllm_with_reasoning_field() {
    let chunks = vec![
        vllm(r#"{"role":"assistant","content":""}"#, None),
        vllm(r#"{"reasoning":"Check red flags","content":null}"#, None),
        vllm(r#"{"reasoning":": none."}"#, None),
        vllm(r#"{"content":"Rest and fluids."}"#, None),
        vllm(r#"{}"#, Some("length")),
        DONE.into(),
    ];
    let (got, _) = run(Reply::sse(chunks)).await;
    assert_eq!((got.reasoning.as_str(), got.content.as_str()), ("Check red flags: none.", "Rest and fluids."));
    assert_eq!(got.done.unwrap(), (FinishReason::Length, None));
}

#[tokio::test]
async fn sglang_stream() {
    let sg = |delta: &str, finish: &str, matched: &str| {
        format!("data: {{\"id\":\"5c2a4e1f9b0d4c8e8a7d3f6b2e1c0a9d\",\"object\":\"chat.completion.chunk\",\"created\":1754000001,\"model\":\"default\",\"choices\":[{{\"index\":0,\"delta\":{delta},\"logprobs\":null,\"finish_reason\":{finish},\"matched_stop\":{matched}}}],\"usage\":null}}\n\n")
    };
    let chunks = vec![
        sg(r#"{"role":"assistant","content":"","reasoning_content":null,"tool_calls":null}"#, "null", "null"),
        sg(r#"{"role":null,"content":null,"reasoning_content":"Likely viral.","tool_calls":null}"#, "null", "null"),
        sg(r#"{"role":null,"content":"Hydrate ","reasoning_content":null,"tool_calls":null}"#, "null", "null"),
        sg(r#"{"role":null,"content":"well.","reasoning_content":null,"tool_calls":null}"#, "null", "null"),
        sg(r#"{"role":null,"content":null,"reasoning_content":null,"tool_calls":null}"#, "\"stop\"", "151645"),
        "data: {\"id\":\"5c2a4e1f9b0d4c8e8a7d3f6b2e1c0a9d\",\"object\":\"chat.completion.chunk\",\"created\":1754000001,\"model\":\"default\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"total_tokens\":15,\"completion_tokens\":6,\"prompt_tokens_details\":null}}\n\n".into(),
        DONE.into(),
    ];
    let (got, _) = run(Reply::sse(chunks)).await;
    assert_eq!((got.reasoning.as_str(), got.content.as_str()), ("Likely viral.", "Hydrate well."));
    assert_eq!(got.done.unwrap().1.unwrap().total_tokens, 15);
}

#[tokio::test]
async fn inline_think_tags_split_across_chunks() {
    let chunks = vec![
        vllm(r#"{"role":"assistant","content":""}"#, None),
        vllm(r#"{"content":"<th"}"#, None),
        vllm(r#"{"content":"ink>Headache with "}"#, None),
        vllm(r#"{"content":"fever.</thi"}"#, None),
        vllm(r#"{"content":"nk>\n\nSee a doctor "}"#, None),
        vllm(r#"{"content":"today."}"#, None),
        vllm(r#"{"content":""}"#, Some("stop")),
        DONE.into(),
    ];
    let (got, _) = run(Reply::sse(chunks)).await;
    assert_eq!((got.reasoning.as_str(), got.content.as_str()), ("Headache with fever.", "See a doctor today."));
    assert_eq!(got.done.unwrap().0, FinishReason::Stop);
}

#[tokio::test]
async fn crlf_framing_keep_alives_and_chunks_cut_anywhere() {
    let crlf = |f: String| f.replace("\n\n", "\r\n\r\n").into_bytes();
    let b = crlf(vllm(r#"{"reasoning_content":"r2"}"#, None));
    let c = crlf(vllm(r#"{"content":"answer é"}"#, None));
    let cut = c.iter().position(|&x| x == 0xc3).unwrap() + 1; // inside the two bytes of 'é'
    let mut reply = Reply::sse(vec![]);
    reply.chunks = vec![
        b": ping\r\n\r\n".to_vec(),
        crlf(vllm(r#"{"reasoning_content":"r1 "}"#, None)),
        b": keep-alive\r\n\r\n".to_vec(),
        b[..10].to_vec(),
        b[10..].to_vec(),
        c[..cut].to_vec(),
        c[cut..c.len() - 1].to_vec(), // "\r\n\r" then "\n": a CR at a chunk's end
        c[c.len() - 1..].to_vec(),
        crlf(vllm("{}", Some("stop"))),
        b"data: [DONE]\r\n\r\n".to_vec(),
    ];
    let (got, _) = run(reply).await;
    assert!(got.error.is_none(), "{:?}", got.error);
    assert_eq!((got.reasoning.as_str(), got.content.as_str()), ("r1 r2", "answer é"));
    assert!(got.done.is_some());
}

#[tokio::test]
async fn multi_line_data_frame() {
    let chunks = s(&[
        "data: {\"choices\":[{\"index\":0,\n",
        "data: \"delta\":{\"content\":\"two lines\"}}]}\n\n",
        "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n",
    ]);
    let (got, _) = run(Reply::sse(chunks)).await;
    assert!(got.error.is_none(), "{:?}", got.error);
    assert_eq!(got.content, "two lines");
}

#[tokio::test]
async fn mid_stream_disconnect_keeps_text_and_reports_disconnected() {
    let mut reply = Reply::sse(vec![
        vllm(r#"{"role":"assistant","content":""}"#, None),
        vllm(r#"{"content":"<think>weighing"}"#, None),
        vllm(r#"{"content":" options</think>Partial ans"}"#, None),
        vllm(r#"{"content":"wer <"}"#, None),
        "data: {\"id\":\"chatcmpl-8f3e2a\",\"choi".into(),
    ]);
    reply.cut = true;
    let (got, _) = run(reply).await;
    assert_eq!((got.reasoning.as_str(), got.content.as_str()), ("weighing options", "Partial answer <"));
    assert!(got.done.is_none());
    let e = got.error.unwrap();
    assert_eq!(e.code(), "DISCONNECTED");
    assert!(e.to_string().contains("incomplete"), "{e}");
}

#[tokio::test]
async fn clean_close_without_done_or_finish_is_disconnected() {
    let (got, _) = run(Reply::sse(vec![vllm(r#"{"content":"Half"}"#, None)])).await;
    assert_eq!(got.content, "Half");
    assert_eq!(got.error.unwrap().code(), "DISCONNECTED");
}

#[tokio::test]
async fn http_500_with_openai_error_body() {
    let body = r#"{"error":{"message":"CUDA out of memory. Tried to allocate 2.00 GiB","type":"InternalServerError","param":null,"code":500}}"#;
    let (got, _) = run(Reply::json(500, body)).await;
    let e = got.error.unwrap();
    assert_eq!(e.code(), "SERVER_ERROR");
    assert!(e.to_string().contains("CUDA out of memory. Tried to allocate 2.00 GiB"), "{e}");
}

#[tokio::test]
async fn error_frame_mid_stream() {
    let chunks = vec![
        vllm(r#"{"content":"Start"}"#, None),
        "event: error\ndata: {\"error\":{\"message\":\"engine died\",\"type\":\"InternalServerError\",\"code\":500}}\n\n".into(),
    ];
    let (got, _) = run(Reply::sse(chunks)).await;
    assert_eq!(got.content, "Start");
    let e = got.error.unwrap();
    assert_eq!((e.code().as_str(), e.to_string().contains("engine died")), ("SERVER_ERROR", true));

    // vLLM's own shape: an error body in a plain data frame.
    let chunks = vec![
        "data: {\"error\":{\"message\":\"prompt too long\",\"type\":\"BadRequestError\",\"code\":400}}\n\n".into(),
        DONE.into(),
    ];
    let e = run(Reply::sse(chunks)).await.0.error.unwrap();
    assert!(e.to_string().contains("prompt too long"), "{e}");
}

#[tokio::test]
async fn unauthorized_401() {
    let body = r#"{"error":{"message":"Unauthorized","type":"invalid_request_error","code":"invalid_api_key"}}"#;
    let (got, _) = run(Reply::json(401, body)).await;
    assert_eq!(got.error.unwrap().code(), "UNAUTHORIZED");
}

#[tokio::test]
async fn malformed_chunk() {
    let chunks = vec![
        vllm(r#"{"content":"ok "}"#, None),
        "data: {\"choices\":[{\"delta\":{\"content\":\"x\"\n\n".into(),
        vllm(r#"{"content":"never"}"#, None),
    ];
    let (got, _) = run(Reply::sse(chunks)).await;
    assert_eq!(got.content, "ok ");
    assert_eq!(got.error.unwrap().code(), "MALFORMED");
}

#[tokio::test]
async fn request_shape_thinking_off_with_key() {
    let replay = Replay::start(Reply::sse(vec![vllm("{}", Some("stop")), DONE.into()])).await;
    let c = client(&replay.base_url(), Some("sk-clinic-123"));
    let opts = ChatOptions {
        thinking: Some(false),
        temperature: Some(0.6),
        top_p: Some(0.95),
        top_k: Some(20),
        max_tokens: Some(512),
        seed: Some(7),
        stop: vec!["<|im_end|>".into()],
        template_kwargs: serde_json::Map::from_iter([("thinking_mode".to_string(), serde_json::json!("off"))]),
    };
    assert!(ask(&c, &opts).await.error.is_none());
    let reqs = replay.requests.lock().unwrap().clone();
    // The model was not configured: the client asked the server first.
    assert_eq!((reqs[0].method.as_str(), reqs[0].path.as_str()), ("GET", "/v1/models"));
    assert_eq!(reqs[0].headers.get("authorization").map(String::as_str), Some("Bearer sk-clinic-123"));
    let chat = &replay.chat_requests()[0];
    assert_eq!((chat.method.as_str(), chat.path.as_str()), ("POST", "/v1/chat/completions"));
    assert_eq!(chat.headers.get("authorization").map(String::as_str), Some("Bearer sk-clinic-123"));
    let body = chat.json();
    assert_eq!(body["chat_template_kwargs"], serde_json::json!({"enable_thinking": false, "thinking_mode": "off"}));
    assert_eq!(body["model"], "baichuan-m2-32b");
    assert_eq!(body["stream"], true);
    assert_eq!(body["stream_options"]["include_usage"], true);
    assert_eq!(body["messages"], serde_json::json!([{"role":"user","content":"fever and stiff neck?"}]));
    assert_eq!(
        (body["max_tokens"].as_u64(), body["top_k"].as_i64(), body["seed"].as_u64()),
        (Some(512), Some(20), Some(7))
    );
    assert_eq!(body["stop"], serde_json::json!(["<|im_end|>"]));
    assert!((body["temperature"].as_f64().unwrap() - 0.6).abs() < 1e-6);
}

#[tokio::test]
async fn request_without_key_has_no_authorization_and_thinking_default_sends_no_kwargs() {
    let replay = Replay::start(Reply::sse(vec![vllm("{}", Some("stop")), DONE.into()])).await;
    let mut cfg = RemoteConfig::new(format!("http://{}", replay.addr)); // bare host: /v1 is added
    cfg.model = Some("my-model".into());
    let c = RemoteClient::new(cfg).unwrap();
    assert!(!c.endpoint().insecure);
    assert!(ask(&c, &ChatOptions::default()).await.error.is_none());
    let reqs = replay.requests.lock().unwrap().clone();
    assert_eq!(reqs.len(), 1, "a configured model needs no model list");
    assert!(!reqs[0].headers.contains_key("authorization"));
    let body = reqs[0].json();
    assert_eq!(body["model"], "my-model");
    assert!(body.get("chat_template_kwargs").is_none() && body.get("temperature").is_none());

    let on = ask(&c, &ChatOptions { thinking: Some(true), ..Default::default() }).await;
    assert!(on.error.is_none());
    assert_eq!(replay.chat_requests()[1].json()["chat_template_kwargs"]["enable_thinking"], true);
}

#[tokio::test]
async fn models_are_listed() {
    let replay = Replay::start(Reply::sse(vec![])).await;
    let models = client(&replay.base_url(), None).models().await.unwrap();
    assert_eq!((models[0].id.as_str(), models[0].max_model_len), ("baichuan-m2-32b", Some(32768)));
}

#[tokio::test]
async fn idle_timeout_while_the_server_is_silent() {
    let mut reply = Reply::sse(vec![vllm(r#"{"content":"late"}"#, None)]);
    reply.stall = Duration::from_secs(3);
    let replay = Replay::start(reply).await;
    let mut cfg = RemoteConfig::new(replay.base_url());
    cfg.model = Some("m".into());
    cfg.idle_timeout = Duration::from_millis(300);
    let got = ask(&RemoteClient::new(cfg).unwrap(), &ChatOptions::default()).await;
    assert_eq!(got.error.unwrap().code(), "TIMEOUT");
}

#[tokio::test]
async fn unreachable_server() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    }; // closed again: nothing listens there
    let mut cfg = RemoteConfig::new(format!("http://127.0.0.1:{port}/v1"));
    cfg.model = Some("m".into());
    cfg.api_key = Some(ApiKey::new("sk-never-shown"));
    let c = RemoteClient::new(cfg).unwrap();
    let e = ask(&c, &ChatOptions::default()).await.error.unwrap();
    assert_eq!(e.code(), "UNREACHABLE");
    assert!(!e.to_string().contains("sk-never-shown") && !format!("{e:?}").contains("sk-never-shown"));
    assert!(!format!("{c:?}").contains("sk-never-shown"), "the key leaked into Debug");
}

#[test]
fn public_http_is_refused_and_private_http_is_flagged() {
    let e = RemoteClient::new(RemoteConfig::new("http://api.example.com/v1")).unwrap_err();
    assert_eq!(e.code(), "INVALID_ENDPOINT");
    let c = RemoteClient::new(RemoteConfig::new("http://192.168.1.20:8000")).unwrap();
    assert!(c.endpoint().insecure);
    assert_eq!(c.endpoint().url.as_str(), "http://192.168.1.20:8000/v1");
}
