//! `anamnesis-cli triage`: the JSON contract (`level`, `rules`, `advice`) and negation.

use serde_json::Value;
use std::process::Command;

fn triage(args: &[&str]) -> Value {
    let out =
        Command::new(env!("CARGO_BIN_EXE_anamnesis-cli")).arg("triage").args(args).arg("--json").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn emergencies_fire_with_the_local_number_and_negations_do_not() {
    let t = triage(&["Crushing chest pain going down my left arm when I climb stairs", "--jurisdiction", "US"]);
    assert_eq!(t["level"], "emergency");
    assert!(t["rules"].as_array().unwrap().iter().any(|r| r.as_str().unwrap().starts_with("chest_pain")), "{t}");
    assert!(t["advice"].as_str().unwrap().contains("911"), "{t}");

    let zh = triage(&["胸口剧痛，疼到左臂，还出冷汗", "--jurisdiction", "CN"]);
    assert_eq!(zh["level"], "emergency", "{zh}");
    assert!(zh["advice"].as_str().unwrap().contains("120"), "{zh}");

    let denied = triage(&["No chest pain, no shortness of breath, just a runny nose"]);
    assert_eq!(denied["level"], "routine", "{denied}");
    assert_eq!(denied["rules"], serde_json::json!([]));

    let infant = triage(&["fever of 38.5", "--age", "0.1"]);
    assert_eq!(infant["level"], "emergency", "{infant}");
}

#[test]
fn a_bad_patient_context_is_a_clear_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_anamnesis-cli"))
        .args(["triage", "--age", "400", "--json", "headache"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"code\""), "{}", String::from_utf8_lossy(&out.stdout));
}
