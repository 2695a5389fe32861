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

#[test]
fn attached_documents_are_read_before_loading_and_go_into_the_prompt() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("labs.pdf");
    std::fs::write(&pdf, anamnesis_testkit::pdf::text_pdf(&["Potassium 5.9 mmol/L (high)"])).unwrap();
    let prompt_tokens = |extra: &[&str]| {
        let out = consult(&tiny_model(2), &[&["--json"], extra, &["What does this mean?"]].concat());
        assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
        let lines = json_lines(&out);
        let context = lines.iter().find(|l| l["type"] == "context").expect("a context event");
        context["message_tokens"].as_u64().unwrap_or_else(|| panic!("{context}"))
    };
    let (without, with) = (prompt_tokens(&[]), prompt_tokens(&["--attach", pdf.to_str().unwrap()]));
    assert!(with > without + 5, "the document is in the prompt: {without} → {with}");

    // A picture is refused in words, before any model loads.
    let png = dir.path().join("x-ray.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let out = consult(std::path::Path::new("/no/such/model"), &["--json", "--attach", png.to_str().unwrap(), "hi"]);
    assert!(!out.status.success());
    let last = json_lines(&out).pop().unwrap();
    assert_eq!(last["code"], "ATTACHMENT_UNSUPPORTED", "{last}");
    assert!(last["message"].as_str().unwrap().contains("x-ray.png"), "{last}");
}

/// `consult --save` in a throwaway config and data folder, the history protected by a passphrase
/// (as where no keychain is), so the test needs no Secret Service.
fn consult_saved(model: &std::path::Path, home: &std::path::Path, passphrase: Option<&str>, extra: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_anamnesis-cli"));
    cmd.args(["consult", "--model", model.to_str().unwrap(), "--thinking", "off", "--max-tokens", "12"])
        .args(["--temperature", "0"])
        .args(extra)
        .env("ANAMNESIS_CONFIG_DIR", home.join("config"))
        .env("ANAMNESIS_DATA_DIR", home.join("data"))
        .env_remove("ANAMNESIS_HISTORY_PASSPHRASE");
    if let Some(p) = passphrase {
        cmd.env("ANAMNESIS_HISTORY_PASSPHRASE", p);
    }
    cmd.output().expect("anamnesis-cli runs")
}

#[test]
fn a_saved_consultation_is_in_the_history_and_can_be_continued() {
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("config")).unwrap();
    std::fs::write(home.path().join("config/settings.json"), r#"{"history_key": "passphrase"}"#).unwrap();
    let model = tiny_model(2);

    // Without the passphrase: a clear error, and nothing made.
    let locked = consult_saved(&model, home.path(), None, &["--save", "--json", RED_FLAG]);
    assert!(!locked.status.success());
    let err = json_lines(&locked).pop().unwrap();
    assert_eq!(err["code"], "HISTORY_LOCKED", "{err}");
    assert!(err["message"].as_str().unwrap().contains("ANAMNESIS_HISTORY_PASSPHRASE"), "{err}");
    assert!(!home.path().join("data/anamnesis.db").exists());

    let pass = Some("correct horse battery staple");
    let out = consult_saved(&model, home.path(), pass, &["--save", "--jurisdiction", "US", "--json", RED_FLAG]);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let lines = json_lines(&out);
    // The emergency still comes first; then where it was saved, before the model's first token.
    assert_eq!(lines[0]["type"], "triage", "{lines:?}");
    assert_eq!(lines[0]["triage"]["level"], "emergency");
    let saved = lines.iter().position(|l| l["type"] == "saved").expect("a saved line");
    let first_content = lines.iter().position(|l| l["type"] == "content").expect("the model answers");
    assert!(saved < first_content, "{lines:?}");
    let id = lines[saved]["consultation_id"].as_i64().unwrap();
    let title = lines.iter().find(|l| l["type"] == "titled").expect("titled after its first question");
    assert!(RED_FLAG.starts_with(title["title"].as_str().unwrap()), "{title}");
    let db = std::fs::read(home.path().join("data/anamnesis.db")).unwrap();
    assert!(!db.windows(12).any(|w| w == b"Crushing che"), "the history is encrypted");

    // Continued: the earlier turn is part of it, and a wrong passphrase opens nothing.
    let wrong =
        consult_saved(&model, home.path(), Some("wrong"), &["--consultation", &id.to_string(), "--json", "Still?"]);
    assert!(!wrong.status.success());
    assert_eq!(json_lines(&wrong).pop().unwrap()["code"], "WRONG_KEY");
    let next = consult_saved(&model, home.path(), pass, &["--consultation", &id.to_string(), "It is worse now"]);
    assert!(next.status.success(), "stderr: {}", String::from_utf8_lossy(&next.stderr));
    let stderr = String::from_utf8_lossy(&next.stderr);
    assert!(stderr.contains(&format!("saved: consultation {id}")), "{stderr}");
    let again = consult_saved(&model, home.path(), pass, &["--consultation", &id.to_string(), "--json", "And now?"]);
    let lines = json_lines(&again);
    let saved = lines.iter().find(|l| l["type"] == "saved").unwrap();
    // Two earlier turns of two messages each: the third question's id comes after them.
    assert!(saved["user_message_id"].as_i64().unwrap() >= 5, "{saved}");
    assert!(lines.iter().all(|l| l["type"] != "titled"), "a titled consultation keeps its title");

    // Exported as the window exports it: the SOAP note with the disclaimer, saved to a file too.
    let export = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_anamnesis-cli"))
            .args(["export", &id.to_string()])
            .args(args)
            .env("ANAMNESIS_CONFIG_DIR", home.path().join("config"))
            .env("ANAMNESIS_DATA_DIR", home.path().join("data"))
            .env("ANAMNESIS_HISTORY_PASSPHRASE", "correct horse battery staple")
            .output()
            .unwrap()
    };
    let note = export(&[]);
    assert!(note.status.success(), "stderr: {}", String::from_utf8_lossy(&note.stderr));
    let md = String::from_utf8_lossy(&note.stdout);
    assert!(md.contains(RED_FLAG) && md.contains("It is worse now"), "{md}");
    assert!(md.contains("not a doctor"), "the disclaimer is in every note: {md}");
    let file = home.path().join("note.md");
    let saved = export(&["--json", "--out", file.to_str().unwrap()]);
    assert_eq!(json_lines(&saved)[0]["type"], "exported");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), md);
    let missing = export(&["--json", "--out", "/no/such/folder/note.md"]);
    assert_eq!(json_lines(&missing).pop().unwrap()["code"], "IO_ERROR");
}

/// The model set-up path from a terminal, as the window does it: `download VARIANT --use` from a
/// (loopback) hub makes the variant the app's model, and `consult` without `--model` loads it.
#[test]
fn download_use_then_consult_without_a_model_flag() {
    let model = tiny_model(2);
    let hub = anamnesis_testkit::fake_hub::FakeHub::start();
    for f in std::fs::read_dir(&model).unwrap().map(|f| f.unwrap().path()).filter(|f| f.is_file()) {
        let name = f.file_name().unwrap().to_str().unwrap().to_string();
        hub.add_file("test/tiny-qwen3", &name, std::fs::read(&f).unwrap(), name.ends_with(".safetensors"));
    }
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(home.path().join("config")).unwrap();
    let hub_settings = serde_json::json!({"hub": {"endpoint": hub.url(), "mirrors": [], "modelscope": false}});
    std::fs::write(home.path().join("config/settings.json"), hub_settings.to_string()).unwrap();
    let cli = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_anamnesis-cli"))
            .args(args)
            .env("ANAMNESIS_CONFIG_DIR", home.path().join("config"))
            .env("ANAMNESIS_DATA_DIR", home.path().join("data"))
            .env("ANAMNESIS_CATALOG_DIR", anamnesis_testkit::fixtures::repo_root().join("tests/e2e/catalog"))
            .env("HF_TOKEN", "")
            .output()
            .expect("anamnesis-cli runs")
    };
    let turn = ["consult", "--thinking", "off", "--max-tokens", "12", "--temperature", "0", "--json"];

    let none = cli(&[&turn[..], &["--jurisdiction", "US", RED_FLAG]].concat());
    assert!(!none.status.success());
    let err = json_lines(&none).pop().unwrap();
    assert_eq!(err["code"], "NO_MODEL_CHOSEN", "{err}");
    assert!(err["message"].as_str().unwrap().contains("--model"), "{err}");

    let got = cli(&["download", "tiny-qwen3-test", "--use", "--json"]);
    assert!(got.status.success(), "stderr: {}", String::from_utf8_lossy(&got.stderr));
    let using = json_lines(&got).pop().unwrap();
    assert_eq!(using["type"], "using", "{using}");
    let path = std::path::PathBuf::from(using["model_path"].as_str().unwrap());
    assert!(path.starts_with(home.path().join("data/models/tiny-qwen3-test")), "{using}");

    let out = cli(&[&turn[..], &["--jurisdiction", "US", RED_FLAG]].concat());
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let lines = json_lines(&out);
    assert_eq!(lines[0]["triage"]["level"], "emergency", "{lines:?}");
    assert!(lines.iter().any(|l| l["type"] == "content"), "the chosen model answers: {lines:?}");
}
