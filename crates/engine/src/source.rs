//! Finds out what a user-chosen path holds, and rejects what cannot load with an error that
//! names the problem, before the slow load starts.

use crate::error::{EngineError, Result};
use crate::gguf;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// `architectures[0]` values mistral.rs 0.8.1 can load from safetensors.
pub const SAFETENSORS_ARCHITECTURES: &[&str] = &[
    "MistralForCausalLM",
    "MixtralForCausalLM",
    "GemmaForCausalLM",
    "Gemma2ForCausalLM",
    "PhiForCausalLM",
    "Phi3ForCausalLM",
    "LlamaForCausalLM",
    "Qwen2ForCausalLM",
    "Qwen3ForCausalLM",
    "Qwen3MoeForCausalLM",
    "Starcoder2ForCausalLM",
    "SmolLM3ForCausalLM",
    "Glm4ForCausalLM",
];

/// `general.architecture` values mistral.rs 0.8.1 can load from GGUF.
pub const GGUF_ARCHITECTURES: &[&str] =
    &["llama", "mistral3", "phi2", "phi3", "starcoder2", "qwen2", "qwen3", "qwen3moe"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ModelFormat {
    /// A folder with config.json, tokenizer.json and *.safetensors.
    Safetensors,
    /// One GGUF file.
    Gguf,
    /// Served by a remote OpenAI-compatible server (vLLM, SGLang).
    Remote,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ModelSource {
    pub format: ModelFormat,
    /// The folder for safetensors; the file for GGUF.
    pub path: PathBuf,
    pub architecture: String,
    /// From config.json (`max_position_embeddings`) or the GGUF header.
    pub context_length: Option<u64>,
    /// GPTQ/AWQ weights, which mistral.rs runs on CUDA only.
    pub gptq: bool,
    /// Rows of the token embedding: the largest token id the model can take, plus one.
    pub vocab_size: Option<u64>,
    /// Transformer layers (`num_hidden_layers` or the GGUF `block_count`).
    pub layers: Option<u64>,
    /// GGUF tensor types ("Q4_K", "Q6_K", "F32"); empty for safetensors.
    pub tensor_types: Vec<&'static str>,
}

impl ModelSource {
    /// Reads a local model folder or GGUF file. The path is made absolute first: mistral.rs
    /// takes a bare name ("model.gguf", whose folder is "") for a hub repository and would ask
    /// the network for it, so nothing relative ever reaches it.
    pub fn detect(path: &Path) -> Result<Self> {
        let not_found = |e: std::io::Error| match e.kind() {
            std::io::ErrorKind::NotFound => EngineError::ModelNotFound(path.to_path_buf()),
            _ => EngineError::io(path, e),
        };
        let meta = std::fs::metadata(path).map_err(not_found)?;
        let path = &std::fs::canonicalize(path).map_err(not_found)?;
        if meta.is_dir() {
            Self::detect_dir(path)
        } else {
            Self::detect_gguf(path)
        }
    }

    fn detect_gguf(path: &Path) -> Result<Self> {
        let summary = gguf::inspect(path)?;
        if !GGUF_ARCHITECTURES.contains(&summary.architecture.as_str()) {
            return Err(EngineError::UnknownArchitecture {
                path: path.to_path_buf(),
                found: summary.architecture,
                supported: GGUF_ARCHITECTURES.join(", "),
            });
        }
        Ok(Self {
            format: ModelFormat::Gguf,
            path: path.to_path_buf(),
            architecture: summary.architecture,
            context_length: summary.context_length,
            gptq: false,
            vocab_size: summary.vocab_size,
            layers: summary.block_count,
            tensor_types: summary.tensor_types,
        })
    }

    fn detect_dir(dir: &Path) -> Result<Self> {
        let config_path = dir.join("config.json");
        if !config_path.is_file() {
            return Err(EngineError::NotAModel {
                path: dir.to_path_buf(),
                reason: "has no config.json (choose the model folder, or a .gguf file)".into(),
            });
        }
        let invalid = |reason: String| EngineError::InvalidConfig { path: config_path.clone(), reason };
        let text = std::fs::read_to_string(&config_path).map_err(|e| EngineError::io(&config_path, e))?;
        let config: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| invalid(format!("not valid JSON: {e}")))?;
        let architecture = config
            .get("architectures")
            .and_then(|a| a.get(0))
            .and_then(|a| a.as_str())
            .ok_or_else(|| invalid("no \"architectures\" entry".into()))?
            .to_string();
        if !SAFETENSORS_ARCHITECTURES.contains(&architecture.as_str()) {
            return Err(EngineError::UnknownArchitecture {
                path: config_path,
                found: architecture,
                supported: SAFETENSORS_ARCHITECTURES.join(", "),
            });
        }
        if !dir.join("tokenizer.json").is_file() {
            return Err(EngineError::NotAModel { path: dir.to_path_buf(), reason: "has no tokenizer.json".into() });
        }
        let has_weights = std::fs::read_dir(dir)
            .map_err(|e| EngineError::io(dir, e))?
            .filter_map(|e| e.ok())
            .any(|e| e.file_name().to_string_lossy().ends_with(".safetensors"));
        if !has_weights {
            return Err(EngineError::NotAModel {
                path: dir.to_path_buf(),
                reason: "has no .safetensors weights".into(),
            });
        }
        let gptq = config
            .pointer("/quantization_config/quant_method")
            .and_then(|m| m.as_str())
            .is_some_and(|m| m.eq_ignore_ascii_case("gptq") || m.eq_ignore_ascii_case("awq"));
        Ok(Self {
            format: ModelFormat::Safetensors,
            path: dir.to_path_buf(),
            architecture,
            context_length: config.get("max_position_embeddings").and_then(|v| v.as_u64()),
            gptq,
            vocab_size: config.get("vocab_size").and_then(|v| v.as_u64()),
            layers: config.get("num_hidden_layers").and_then(|v| v.as_u64()),
            tensor_types: Vec::new(),
        })
    }
}
