//! `consult`: the window's turn from a terminal. The same red-flag message as the window's e2e
//! and the API test: the emergency advice comes before the model's first token; the patient's
//! country gives the number; the model's own red flags raise a routine triage.

use anamnesis_testkit::fixtures::{tiny_alarm_model, tiny_model};
use serde_json::Value;
use std::process::{Command, Output};

const RED_FLAG: &str = "Crushing chest pain going to my left arm since an hour";

fn consult(model: &std::path::Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anamnesis-cli"))
        .args([
            "consult",
            "--model",
            model.to_str().unwrap(),
            "--thinking",
            "off",
            "--max-tokens",
            "12",
            "--temperature",
            "0",
        ])
        .args(extra)
        .output()
        .expect("anamnesis-cli runs")
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn an_emergency_is_said_before_the_models_first_token() {
    let out = consult(&tiny_model(2), &["--jurisdiction", "US", "--age", "58", "--sex", "male", "--json", RED_FLAG]);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let lines = json_lines(&out);
    assert_eq!(lines[0]["type"], "triage", "{lines:?}");
    assert_eq!(lines[0]["triage"]["level"], "emergency");
    assert!(lines[0]["triage"]["advice"].as_str().unwrap().contains("911"), "{}", lines[0]);
    let first_content = lines.iter().position(|l| l["type"] == "content").expect("the model answers");
    assert!(first_content > 0);

    let text = consult(&tiny_model(2), &["--jurisdiction", "GB", RED_FLAG]);
    assert!(text.status.success());
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.starts_with("!! EMERGENCY: "), "{stdout}");
    let (advice, answer) = stdout.split_once("\n\n").unwrap();
    assert!(advice.contains("999"), "{advice}");
    assert!(answer.contains("Hello"), "the model's answer follows: {stdout}");
}

#[test]
fn the_models_own_red_flags_raise_a_routine_triage() {
    let out = consult(
        &tiny_alarm_model(2),
        &["--jurisdiction", "US", "--json", "I have had a mild headache since yesterday"],
    );
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let lines = json_lines(&out);
    assert_eq!(lines[0]["triage"]["level"], "routine", "{lines:?}");
    let raised = lines.iter().skip(1).find(|l| l["type"] == "triage").expect("the second net fires");
    assert_eq!(raised["triage"]["level"], "emergency", "{raised}");
    assert!(raised["triage"]["rules"].as_array().unwrap().iter().any(|r| r == "model_red_flags"), "{raised}");
}

#[test]
fn a_bad_patient_context_is_refused_before_loading() {
    let out = consult(std::path::Path::new("/no/such/model"), &["--age", "400", "--json", "hi"]);
    assert!(!out.status.success());
    let last = json_lines(&out).pop().unwrap();
    assert_eq!(last["code"], "INVALID_PATIENT_CONTEXT", "{last}");
}
