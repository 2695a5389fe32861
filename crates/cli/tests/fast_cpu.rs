//! The fast CPU path (patches/candle-core: tiled multi-row Q4_K/Q6_K/Q5_0/Q8_0/Q4_1 kernels)
//! against candle 0.10.2's own matmul, which `CANDLE_QUANTIZED_REFERENCE=1` brings back: the
//! greedy answer over 128 tokens must be the same on the format the app ships (Q4_K_M: Q4_K and
//! Q6_K), and deterministic on the others.

use anamnesis_testkit::fixtures::{qwen2_q4km, smollm2};
use std::path::Path;
use std::process::Command;

/// The greedy answer (thinking off, 128 tokens) as streamed by `chat --json`.
fn greedy(model: &Path, reference: bool, threads: &str) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_anamnesis-cli"));
    cmd.args(["--threads", threads, "chat", "--model", model.to_str().unwrap()])
        .args(["--temperature", "0", "--max-tokens", "128", "--thinking", "off", "--json"])
        .arg("Write a short paragraph about the history of medicine.");
    if reference {
        cmd.env("CANDLE_QUANTIZED_REFERENCE", "1");
    } else {
        cmd.env_remove("CANDLE_QUANTIZED_REFERENCE");
    }
    let out = cmd.output().expect("anamnesis-cli runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["type"] == "content")
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect()
}

fn same_greedy_answer(name: &str, model: &Path) {
    let reference = greedy(model, true, "2");
    assert!(reference.chars().count() > 40, "{name}: too short to compare: {reference:?}");
    assert_eq!(greedy(model, false, "2"), reference, "{name}: the fast path changed the greedy answer");
    // A row's result does not depend on how rows are split between threads.
    assert_eq!(greedy(model, false, "1"), reference, "{name}: one thread changed the greedy answer");
}

#[test]
fn q4_k_m_greedy_answer_matches_candles_reference_matmul() {
    same_greedy_answer("Q4_K_M (Q4_K + Q6_K)", &qwen2_q4km(2, 256));
}

/// SmolLM2 (Q4_1 and Q8_0) and llama.cpp's Q5_0/Q8_0 fallback for a 896-wide Q4_K_M: these
/// kernels add the same exact integer block sums in another float order than candle's scalar
/// ones (tests/quantized_fast_cpu.rs in the engine bounds the difference), so a near-tie can
/// flip ("a long and winding path" against "road"). What must hold exactly: the fast answer does
/// not depend on the thread count, and it opens like the reference.
#[test]
fn q4_1_and_q5_0_fast_answers_are_deterministic() {
    for (name, model) in
        [("SmolLM2 Q4_1 + Q8_0", smollm2()), ("Q4_K_M at hidden 896 (Q5_0 + Q8_0)", qwen2_q4km(2, 896))]
    {
        let fast = greedy(&model, false, "2");
        assert_eq!(greedy(&model, false, "1"), fast, "{name}: the thread count changed the greedy answer");
        let reference = greedy(&model, true, "2");
        let opening = |s: &str| s.chars().take(16).collect::<String>();
        assert_eq!(opening(&fast), opening(&reference), "{name}:\n{fast:?}\n{reference:?}");
    }
}
