//! Paths that cannot load give a clear error naming the problem, never a panic.

mod common;

use anamnesis_engine::{Engine, EngineError, LoadOptions};
use common::*;
use std::path::Path;

async fn load_err(path: &Path) -> EngineError {
    match Engine::load(LoadOptions { path: path.to_path_buf(), force_cpu: true, ..LoadOptions::default() }).await {
        Ok(_) => panic!("{} loaded", path.display()),
        Err(e) => e,
    }
}

#[tokio::test]
async fn missing_path() {
    let e = load_err(Path::new("/nonexistent/model")).await;
    assert_eq!(e.code(), "MODEL_NOT_FOUND");
    assert!(e.to_string().contains("/nonexistent/model"));
}

#[tokio::test]
async fn folder_without_config_json() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tokenizer.json"), "{}").unwrap();
    let e = load_err(dir.path()).await;
    assert_eq!(e.code(), "NOT_A_MODEL");
    assert!(e.to_string().contains("config.json"), "{e}");
}

#[tokio::test]
async fn config_with_unknown_architecture() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.json"), r#"{"architectures":["FooBarForCausalLM"]}"#).unwrap();
    let e = load_err(dir.path()).await;
    assert_eq!(e.code(), "UNKNOWN_ARCHITECTURE");
    assert!(e.to_string().contains("FooBarForCausalLM"), "{e}");
}

#[tokio::test]
async fn config_that_is_not_json() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.json"), "{\"architectures\": [").unwrap();
    let e = load_err(dir.path()).await;
    assert_eq!(e.code(), "INVALID_CONFIG");
}

#[tokio::test]
async fn truncated_gguf() {
    let full = std::fs::read(smollm2()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("half.gguf");
    std::fs::write(&path, &full[..full.len() / 2]).unwrap();
    let e = load_err(&path).await;
    assert_eq!(e.code(), "INVALID_GGUF");
    assert!(e.to_string().contains("truncated"), "{e}");
}

#[tokio::test]
async fn gguf_cut_inside_its_header() {
    let full = std::fs::read(smollm2()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiny.gguf");
    std::fs::write(&path, &full[..4096]).unwrap();
    assert_eq!(load_err(&path).await.code(), "INVALID_GGUF");
}

#[tokio::test]
async fn a_text_file_is_not_a_model() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "hello").unwrap();
    assert_eq!(load_err(&path).await.code(), "NOT_A_MODEL");
}

#[tokio::test]
async fn whole_smollm2_header_checks_out() {
    let s = anamnesis_engine::gguf::inspect(&smollm2()).unwrap();
    assert_eq!(s.architecture, "llama");
    assert_eq!(s.expected_len, std::fs::metadata(smollm2()).unwrap().len());
    assert_eq!(s.context_length, Some(8192));
}

#[tokio::test]
async fn gptq_weights_on_a_cpu_build_name_the_gguf_way_out() {
    let tiny = tiny_model(1);
    let dir = tempfile::tempdir().unwrap();
    for f in ["tokenizer.json", "model.safetensors", "chat_template.jinja"] {
        std::fs::copy(tiny.join(f), dir.path().join(f)).unwrap();
    }
    let mut config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tiny.join("config.json")).unwrap()).unwrap();
    config["quantization_config"] = serde_json::json!({"quant_method": "gptq", "bits": 4, "group_size": 128});
    std::fs::write(dir.path().join("config.json"), config.to_string()).unwrap();
    let e = load_err(dir.path()).await;
    assert_eq!(e.code(), "UNSUPPORTED_ON_THIS_BUILD");
    assert!(e.to_string().contains("GGUF"), "{e}");
}
