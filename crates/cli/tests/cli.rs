//! The CLI contract: `chat --json` and `bench --json` shapes, exit codes, and clear errors.

use anamnesis_testkit::fixtures::{smollm2, tiny_model};
use serde_json::Value;
use std::process::{Command, Output};

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anamnesis-cli")).args(args).output().expect("runs")
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

#[test]
fn chat_json_prints_typed_lines_ending_with_stats() {
    let model = tiny_model(2);
    let out = cli(&[
        "chat",
        "--model",
        model.to_str().unwrap(),
        "--thinking",
        "on",
        "--max-tokens",
        "16",
        "--temperature",
        "0",
        "--json",
        "I feel dizzy",
    ]);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let lines = json_lines(&out);
    let types: Vec<&str> = lines.iter().map(|l| l["type"].as_str().unwrap()).collect();
    assert!(types.contains(&"reasoning"), "{types:?}");
    assert!(types.contains(&"content"), "{types:?}");
    assert_eq!(*types.last().unwrap(), "stats");
    let stats = lines.last().unwrap();
    for key in ["ttft_ms", "prefill_tok_s", "decode_tok_s", "tokens", "prompt_tokens", "device"] {
        assert!(!stats[key].is_null(), "stats lacks {key}: {stats}");
    }
    assert_eq!(types[0], "context");
    assert!(lines[0]["answer_room"].as_u64().unwrap() > 0);
    for l in &lines[1..lines.len() - 1] {
        assert!(l["text"].is_string());
        assert!(!l["text"].as_str().unwrap().contains("think>"));
    }
}

#[test]
fn chat_text_mode_prints_the_answer() {
    let model = tiny_model(2);
    let out = cli(&["chat", "--model", model.to_str().unwrap(), "--thinking", "off", "--max-tokens", "6", "Hello"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Hello there."));
}

#[test]
fn bench_json_has_the_contract_keys() {
    let model = smollm2();
    let out =
        cli(&["bench", "--model", model.to_str().unwrap(), "--prompt-tokens", "64", "--gen-tokens", "8", "--json"]);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1);
    let r = &lines[0];
    for key in ["load_s", "ttft_ms", "prefill_tok_s", "decode_tok_s", "peak_rss_mb"] {
        assert!(r[key].as_f64().is_some_and(|v| v > 0.0), "{key} missing or zero: {r}");
    }
    assert_eq!(r["gen_tokens"], 8);
    let prompt = r["prompt_tokens"].as_u64().unwrap();
    assert!((60..=68).contains(&prompt), "prompt tokens {prompt}");
}

/// Plain, fixed-γ and adaptive runs side by side at the app's sampling settings, each with
/// what the speculative decoder measured and decided.
#[test]
fn bench_compares_plain_draft_and_adaptive_runs() {
    let (target, draft) = (smollm2(), smollm2());
    let out = cli(&[
        "bench",
        "--model",
        target.to_str().unwrap(),
        "--draft",
        draft.to_str().unwrap(),
        "--prompt-tokens",
        "64",
        "--gen-tokens",
        "24",
        "--json",
    ]);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let r = &json_lines(&out)[0];
    let modes: Vec<&str> = r["modes"].as_array().unwrap().iter().map(|m| m["mode"].as_str().unwrap()).collect();
    assert_eq!(modes, ["plain", "draft", "adaptive"]);
    for m in r["modes"].as_array().unwrap() {
        assert_eq!(m["sampling"], "T=0.6 top-k=20 top-p=0.95 seed=1", "{m}");
        assert!(m["decode_tok_s"].as_f64().unwrap() > 0.0, "{m}");
    }
    let fixed = &r["modes"][1];
    assert_eq!(fixed["speculation"]["verdict"], "fixed", "{fixed}");
    assert!(fixed["acceptance"].as_f64().unwrap() > 0.99, "an identical draft is always accepted: {fixed}");
    let adaptive = &r["speculative"];
    assert_eq!(adaptive["adaptive"], true);
    assert!(adaptive["speculation"]["plain_step_ms"].as_f64().is_some(), "{adaptive}");
    assert!(r["speedup"].as_f64().unwrap() > 0.0);
}

fn assert_clean_error(out: &Output, code: &str, mention: &str) {
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(code), "stderr lacks {code}: {stderr}");
    assert!(stderr.contains(mention), "stderr lacks {mention}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn bad_models_give_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = cli(&["chat", "--model", "/no/such/model", "hi"]);
    assert_clean_error(&out, "MODEL_NOT_FOUND", "/no/such/model");

    let out = cli(&["chat", "--model", dir.path().to_str().unwrap(), "--json", "hi"]);
    assert_clean_error(&out, "NOT_A_MODEL", "config.json");
    let last = json_lines(&out).pop().unwrap();
    assert_eq!(last["type"], "error");
    assert_eq!(last["code"], "NOT_A_MODEL");

    std::fs::write(dir.path().join("config.json"), r#"{"architectures":["FooForCausalLM"]}"#).unwrap();
    let out = cli(&["bench", "--model", dir.path().to_str().unwrap()]);
    assert_clean_error(&out, "UNKNOWN_ARCHITECTURE", "FooForCausalLM");

    let gguf = dir.path().join("cut.gguf");
    let full = std::fs::read(smollm2()).unwrap();
    std::fs::write(&gguf, &full[..full.len() / 3]).unwrap();
    let out = cli(&["chat", "--model", gguf.to_str().unwrap(), "hi"]);
    assert_clean_error(&out, "INVALID_GGUF", "truncated");
}

#[test]
fn bad_flags_are_refused_by_the_parser() {
    let out = cli(&["chat", "--model", "x", "--thinking", "maybe", "hi"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("'maybe'") && err.contains("on, off, auto"), "{err}");
}
