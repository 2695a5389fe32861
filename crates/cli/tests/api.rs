//! `serve`: the local OpenAI-compatible API over the tiny real model, driven by the official
//! OpenAI Python client (PyPI `openai`), as users' scripts and tools would drive it.

use anamnesis_testkit::fixtures::{py_openai, repo_root, tiny_model};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

const KEY: &str = "sk-anamnesis-test-0123456789";

/// Starts the server on a free port and returns it with its base URL.
fn serve() -> (Server, String) {
    let model = tiny_model(2);
    let mut child = Command::new(env!("CARGO_BIN_EXE_anamnesis-cli"))
        .args(["serve", "--model", model.to_str().unwrap(), "--port", "0", "--json"])
        .env("ANAMNESIS_API_KEY", KEY)
        .stdout(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).expect("a first line");
    let v: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
    assert_eq!(v["type"], "listening", "{v}");
    assert!(v.get("api_key").is_none(), "the key is printed only with --show-key");
    let url = v["base_url"].as_str().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    (Server(child), url)
}

#[test]
fn the_openai_python_client_lists_streams_answers_and_is_refused_with_a_wrong_key() {
    let (_server, url) = serve();
    let script = repo_root().join("crates/cli/tests/api/client.py");
    let out = Command::new("python3")
        .arg(script)
        .args([&url, KEY])
        .env("PYTHONPATH", py_openai())
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "client failed: {}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("client prints JSON");
    assert_eq!(v["models"].as_array().unwrap().len(), 1, "{v}");
    let s = &v["stream"];
    assert_eq!(s["roles"][0], "assistant", "{v}");
    assert!(!s["reasoning"].as_str().unwrap().is_empty(), "thinking on streams reasoning_content: {v}");
    assert!(!s["content"].as_str().unwrap().is_empty(), "{v}");
    for part in [&s["reasoning"], &s["content"]] {
        assert!(!part.as_str().unwrap().contains("think>"), "no tags leak: {v}");
    }
    assert!(["stop", "length"].contains(&s["finish"].as_str().unwrap()), "{v}");
    // The tiny model's scripted answer, greedy, with thinking off: no reasoning at all.
    assert!(v["plain"]["content"].as_str().unwrap().contains("Hello"), "{v}");
    assert!(v["plain"]["reasoning"].as_str().is_none_or(str::is_empty), "{v}");
    assert!(v["plain"]["completion_tokens"].as_u64().unwrap() > 0, "{v}");
    assert_eq!(v["wrong_key"], 401, "{v}");

    // The safety layer: the triage, then its advice, before the model's first token.
    let ev = v["red_flag"].as_array().unwrap();
    assert_eq!(ev[0]["triage"]["level"], "emergency", "{v}");
    let advice = ev[1]["content"].as_str().unwrap();
    assert!(advice.contains("911"), "the advice is the first content: {v}");
    assert!(ev[2..].iter().all(|e| e.get("triage").is_none()), "{v}");
    assert!(ev.len() > 2, "the model's answer follows: {v}");
    let plain = &v["red_flag_plain"];
    assert_eq!(plain["triage"]["level"], "emergency", "{v}");
    assert!(plain["content"].as_str().unwrap().starts_with(advice.trim_end()), "{v}");
    assert!(v["raw"]["triage"].is_null(), "{v}");
    assert!(!v["raw"]["content"].as_str().unwrap().contains("911"), "{v}");
}

#[test]
fn serve_refuses_to_start_without_a_model() {
    let out = Command::new(env!("CARGO_BIN_EXE_anamnesis-cli"))
        .args(["serve", "--model", "/nonexistent/model", "--port", "0", "--json"])
        .env("ANAMNESIS_API_KEY", KEY)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let line: Value = serde_json::from_slice(out.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(line["code"], "MODEL_NOT_FOUND", "{line}");
}

/// The remote engine against a real OpenAI-compatible server: this app's own, serving the tiny
/// model (vLLM/SGLang stream shapes are replayed in crates/openai/tests).
#[test]
fn chat_with_a_remote_engine_streams_reasoning_and_answer_and_a_wrong_key_is_refused() {
    let (_server, url) = serve();
    let chat = |key: &str| {
        Command::new(env!("CARGO_BIN_EXE_anamnesis-cli"))
            .args([
                "chat",
                "--remote",
                &url,
                "--thinking",
                "on",
                "--max-tokens",
                "16",
                "--temperature",
                "0",
                "--json",
                "I feel dizzy",
            ])
            .env("ANAMNESIS_REMOTE_API_KEY", key)
            .output()
            .unwrap()
    };
    let out = chat(KEY);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<Value> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let types: Vec<&str> = lines.iter().map(|l| l["type"].as_str().unwrap()).collect();
    assert_eq!(types[0], "context", "{types:?}");
    assert!(types.contains(&"reasoning") && types.contains(&"content"), "{types:?}");
    let stats = lines.last().unwrap();
    assert_eq!(stats["type"], "stats");
    assert_eq!(stats["device"], "remote:127.0.0.1", "{stats}");
    assert!(stats["tokens"].as_u64().unwrap() > 0, "{stats}");

    let out = chat("sk-wrong");
    assert!(!out.status.success());
    let last: Value = serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().last().unwrap()).unwrap();
    assert_eq!(last["code"], "REMOTE_UNAUTHORIZED", "{last}");
}
