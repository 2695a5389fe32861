//! Builds a tiny Qwen3 model with the real Qwen3 tokenizer and template.
//!
//! The weights are random, except for a small "script" wired into the embeddings and the output
//! head, so that the model deterministically answers with a thinking trace followed by an
//! endless answer: `\n` → `<think>` → "Let me think first" → `</think>` → "\n\n" →
//! "Hello there." repeated. Every forward pass still runs through all attention and MLP layers
//! (small random weights), so loading, templating, streaming, the think split, stopping and
//! speculative decoding are exercised for real. `max_tokens` bounds the answer.

pub mod fake_hub;
pub mod fixtures;
pub mod pdf;
pub mod qwen2_gguf;

use anyhow::{anyhow, bail, Context, Result};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub const VOCAB: usize = 151_936;
pub const HIDDEN: usize = 64;
const INTERMEDIATE: usize = 128;
const HEADS: usize = 4;
const KV_HEADS: usize = 2;
const HEAD_DIM: usize = 16;

/// The scripted chain, as tokens of the real Qwen3 vocabulary (byte-level BPE spelling).
/// Each maps to the token that follows it.
pub const SCRIPT: &[(&str, &str)] = &[
    ("Ċ", "<think>"),
    ("<think>", "Let"),
    ("Let", "Ġme"),
    ("Ġme", "Ġthink"),
    ("Ġthink", "Ġfirst"),
    ("Ġfirst", "</think>"),
    ("</think>", "ĊĊ"),
    ("ĊĊ", "Hello"),
    ("Hello", "Ġthere"),
    ("Ġthere", "."),
    (".", "Hello"),
];

/// A second chain: an answer that opens with the red-flags heading and tells the user to call
/// emergency services, for the second safety net (the model's own red flags).
pub const EMERGENCY_SCRIPT: &[(&str, &str)] = &[
    ("Ċ", "##"),
    ("##", "ĠRed"),
    ("ĠRed", "Ġflags"),
    ("Ġflags", "ĊĊ"),
    ("ĊĊ", "Call"),
    ("Call", "Ġemergency"),
    ("Ġemergency", "Ġservices"),
    ("Ġservices", "Ġnow"),
    ("Ġnow", "."),
    (".", "ĊĊ"),
];

pub struct TinyModelSpec {
    pub out: PathBuf,
    pub tokenizer: PathBuf,
    pub template: PathBuf,
    pub layers: usize,
    pub seed: u64,
    /// The scripted answer to wire in (`SCRIPT` or `EMERGENCY_SCRIPT`); without one every weight
    /// is random and the output depends on the whole context (for speculative-decoding
    /// equivalence tests).
    pub script: Option<&'static [(&'static str, &'static str)]>,
}

/// SplitMix64: tiny, seedable, good enough for test weights.
struct Rng(u64);
impl Rng {
    pub(crate) fn next_f32(&mut self) -> f32 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0
    }
    fn fill(&mut self, n: usize, scale: f32) -> Vec<f32> {
        (0..n).map(|_| self.next_f32() * scale).collect()
    }
}

fn token_ids(tokenizer: &Value) -> Result<HashMap<String, usize>> {
    let mut ids: HashMap<String, usize> = HashMap::new();
    let vocab = tokenizer
        .pointer("/model/vocab")
        .and_then(|v| v.as_object())
        .ok_or_else(|| anyhow!("tokenizer.json has no model.vocab"))?;
    for (k, v) in vocab {
        ids.insert(k.clone(), v.as_u64().unwrap_or(0) as usize);
    }
    for t in tokenizer.get("added_tokens").and_then(|a| a.as_array()).into_iter().flatten() {
        if let (Some(c), Some(id)) = (t.get("content").and_then(|c| c.as_str()), t.get("id").and_then(|i| i.as_u64())) {
            ids.insert(c.to_string(), id as usize);
        }
    }
    Ok(ids)
}

pub fn make_tiny_qwen3(spec: &TinyModelSpec) -> Result<()> {
    let tok_text =
        std::fs::read_to_string(&spec.tokenizer).with_context(|| format!("reading {}", spec.tokenizer.display()))?;
    let tokenizer: Value = serde_json::from_str(&tok_text).context("tokenizer.json is not JSON")?;
    let ids = token_ids(&tokenizer)?;
    let id = |t: &str| ids.get(t).copied().ok_or_else(|| anyhow!("token {t:?} not in the tokenizer"));

    let mut rng = Rng(spec.seed);
    // Embeddings: script tokens are one-hot in their own dimension; all others live in the
    // remaining dimensions, so they never trigger the script.
    let script = spec.script.unwrap_or(&[]);
    let script_tokens: Vec<&str> = script.iter().map(|(a, _)| *a).collect();
    if script_tokens.len() >= HIDDEN / 2 {
        bail!("script too long for hidden size");
    }
    let free = script_tokens.len();
    let scripted = spec.script.is_some();
    let free = if scripted { free } else { 0 };
    let mut embed = vec![0f32; VOCAB * HIDDEN];
    let mut head = vec![0f32; VOCAB * HIDDEN];
    for row in 0..VOCAB {
        for d in free..HIDDEN {
            embed[row * HIDDEN + d] = rng.next_f32() * 0.5;
            head[row * HIDDEN + d] = rng.next_f32() * 0.5;
        }
    }
    // Layer weight scale: small beside the script, large enough without it for the context to
    // steer every token.
    let w = if scripted { 1.0 } else { 6.0 };
    for (dim, (from, to)) in script.iter().enumerate() {
        let (from, to) = (id(from)?, id(to)?);
        embed[from * HIDDEN..(from + 1) * HIDDEN].fill(0.0);
        embed[from * HIDDEN + dim] = 1.0;
        // The successor's output row points along the predecessor's dimension.
        head[to * HIDDEN + dim] = 4.0;
    }

    let mut tensors: Vec<(String, Vec<usize>, Vec<f32>)> = vec![
        ("model.embed_tokens.weight".into(), vec![VOCAB, HIDDEN], embed),
        ("lm_head.weight".into(), vec![VOCAB, HIDDEN], head),
        ("model.norm.weight".into(), vec![HIDDEN], vec![1.0; HIDDEN]),
    ];
    let q = HEADS * HEAD_DIM;
    let kv = KV_HEADS * HEAD_DIM;
    for l in 0..spec.layers {
        let p = format!("model.layers.{l}.");
        let mut add = |name: &str, shape: Vec<usize>, data: Vec<f32>| tensors.push((format!("{p}{name}"), shape, data));
        // Small weights: the layers do real work without drowning the scripted signal.
        add("self_attn.q_proj.weight", vec![q, HIDDEN], rng.fill(q * HIDDEN, 0.05 * w));
        add("self_attn.k_proj.weight", vec![kv, HIDDEN], rng.fill(kv * HIDDEN, 0.05 * w));
        add("self_attn.v_proj.weight", vec![kv, HIDDEN], rng.fill(kv * HIDDEN, 0.05 * w));
        add("self_attn.o_proj.weight", vec![HIDDEN, q], rng.fill(HIDDEN * q, 0.01 * w));
        add("self_attn.q_norm.weight", vec![HEAD_DIM], vec![1.0; HEAD_DIM]);
        add("self_attn.k_norm.weight", vec![HEAD_DIM], vec![1.0; HEAD_DIM]);
        add("mlp.gate_proj.weight", vec![INTERMEDIATE, HIDDEN], rng.fill(INTERMEDIATE * HIDDEN, 0.05 * w));
        add("mlp.up_proj.weight", vec![INTERMEDIATE, HIDDEN], rng.fill(INTERMEDIATE * HIDDEN, 0.05 * w));
        add("mlp.down_proj.weight", vec![HIDDEN, INTERMEDIATE], rng.fill(HIDDEN * INTERMEDIATE, 0.01 * w));
        add("input_layernorm.weight", vec![HIDDEN], vec![1.0; HIDDEN]);
        add("post_attention_layernorm.weight", vec![HIDDEN], vec![1.0; HIDDEN]);
    }

    std::fs::create_dir_all(&spec.out)?;
    write_safetensors(&spec.out.join("model.safetensors"), &tensors)?;
    let eos = id("<|im_end|>")?;
    let config = json!({
        "architectures": ["Qwen3ForCausalLM"],
        "model_type": "qwen3",
        "vocab_size": VOCAB,
        "hidden_size": HIDDEN,
        "intermediate_size": INTERMEDIATE,
        "num_hidden_layers": spec.layers,
        "num_attention_heads": HEADS,
        "num_key_value_heads": KV_HEADS,
        "head_dim": HEAD_DIM,
        "hidden_act": "silu",
        "max_position_embeddings": 4096,
        "rms_norm_eps": 1e-6,
        "rope_theta": 1000000.0,
        "sliding_window": null,
        "max_window_layers": spec.layers,
        "use_sliding_window": false,
        "tie_word_embeddings": false,
        "bos_token_id": id("<|endoftext|>")?,
        "eos_token_id": eos,
        "torch_dtype": "float32"
    });
    write_json(&spec.out.join("config.json"), &config)?;
    write_json(&spec.out.join("generation_config.json"), &json!({ "eos_token_id": [eos, id("<|endoftext|>")?] }))?;
    std::fs::copy(&spec.tokenizer, spec.out.join("tokenizer.json"))?;
    let tok_config = spec.tokenizer.with_file_name("tokenizer_config.json");
    if tok_config.is_file() {
        std::fs::copy(&tok_config, spec.out.join("tokenizer_config.json"))?;
    }
    std::fs::copy(&spec.template, spec.out.join("chat_template.jinja"))
        .with_context(|| format!("copying {}", spec.template.display()))?;
    Ok(())
}

fn write_json(path: &Path, v: &Value) -> Result<()> {
    std::fs::write(path, serde_json::to_string_pretty(v)?)?;
    Ok(())
}

fn write_safetensors(path: &Path, tensors: &[(String, Vec<usize>, Vec<f32>)]) -> Result<()> {
    let bytes: Vec<Vec<u8>> =
        tensors.iter().map(|(_, _, d)| d.iter().flat_map(|x| x.to_le_bytes()).collect()).collect();
    let views = tensors
        .iter()
        .zip(&bytes)
        .map(|((name, shape, _), b)| {
            Ok((name.clone(), safetensors::tensor::TensorView::new(safetensors::Dtype::F32, shape.clone(), b)?))
        })
        .collect::<Result<Vec<_>>>()?;
    safetensors::tensor::serialize_to_file(views, None, path)?;
    Ok(())
}
