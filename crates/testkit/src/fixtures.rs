//! Where the test models live, for every crate's tests.

use crate::{make_tiny_qwen3, TinyModelSpec};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// `ANAMNESIS_TEST_MODELS`, else the cache that scripts/fetch-test-models.sh fills.
pub fn models_dir() -> PathBuf {
    std::env::var_os("ANAMNESIS_TEST_MODELS").map(PathBuf::from).unwrap_or_else(|| {
        let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
        home.join(".cache/anamnesis/models")
    })
}

fn require(path: PathBuf) -> PathBuf {
    assert!(
        path.exists(),
        "{} is missing: run scripts/fetch-test-models.sh (the README's test command does)",
        path.display()
    );
    path
}

pub fn qwen3_tokenizer() -> PathBuf {
    require(models_dir().join("qwen3-tokenizer/tokenizer.json"))
}

pub fn smollm2() -> PathBuf {
    require(models_dir().join("smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"))
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn baichuan_template() -> PathBuf {
    repo_root().join("models/templates/baichuan-m2.jinja")
}

/// A tiny scripted Qwen3 with `layers` layers, made once per test process.
pub fn tiny_model(layers: usize) -> PathBuf {
    tiny(layers, 7 + layers as u64, Some(crate::SCRIPT))
}

/// A tiny scripted Qwen3 whose answer opens with "## Red flags" and "Call emergency services
/// now." (the model's own red flags, for the second safety net).
pub fn tiny_alarm_model(layers: usize) -> PathBuf {
    tiny(layers, 7 + layers as u64, Some(crate::EMERGENCY_SCRIPT))
}

/// A tiny Qwen3 with every weight random, so each token depends on the whole context.
pub fn tiny_random_model(layers: usize, seed: u64) -> PathBuf {
    tiny(layers, seed, None)
}

type Script = Option<&'static [(&'static str, &'static str)]>;

fn tiny(layers: usize, seed: u64, script: Script) -> PathBuf {
    type Made = Vec<((usize, u64, Script), tempfile::TempDir)>;
    static DIRS: OnceLock<Mutex<Made>> = OnceLock::new();
    let key = (layers, seed, script);
    let mut dirs = DIRS.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, d)) = dirs.iter().find(|(k, _)| *k == key) {
        return d.path().to_path_buf();
    }
    let dir = tempfile::tempdir().expect("temp dir");
    make_tiny_qwen3(&TinyModelSpec {
        out: dir.path().to_path_buf(),
        tokenizer: qwen3_tokenizer(),
        template: baichuan_template(),
        layers,
        seed,
        script,
    })
    .expect("tiny model");
    let p = dir.path().to_path_buf();
    dirs.push((key, dir));
    p
}

/// The official `openai` Python package (a `pip --target` folder for PYTHONPATH).
pub fn py_openai() -> PathBuf {
    require(models_dir().join("py-openai"))
}

/// A small random-weight Qwen2 in llama.cpp's Q4_K_M layout (Q4_K and Q6_K, real Qwen vocabulary),
/// `layers` layers of width `hidden` (a multiple of 256 keeps Q4_K; 896 gives llama.cpp's Q5_0
/// and Q8_0 fallbacks), made once per test process.
pub fn qwen2_q4km(layers: usize, hidden: usize) -> PathBuf {
    type Made = Vec<((usize, usize), tempfile::TempDir)>;
    static DIRS: OnceLock<Mutex<Made>> = OnceLock::new();
    let mut dirs = DIRS.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    let file = |d: &tempfile::TempDir| d.path().join("qwen2-q4km.gguf");
    if let Some((_, d)) = dirs.iter().find(|(k, _)| *k == (layers, hidden)) {
        return file(d);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let mut spec = crate::qwen2_gguf::Qwen2Q4kmSpec::new(file(&dir), qwen3_tokenizer());
    spec.layers = layers;
    spec.hidden = hidden;
    spec.intermediate = hidden * 2;
    crate::qwen2_gguf::make_qwen2_q4km(&spec).expect("Q4_K_M model");
    let p = file(&dir);
    dirs.push(((layers, hidden), dir));
    p
}

/// A Q4_K_M Qwen2 target of `layers` layers whose layers from `draft_layers` on are inert, and
/// its first `draft_layers` layers as a draft: the draft is cheaper and computes exactly the
/// target's logits, so it is always right (speculative decoding's best case). Made once per
/// test process.
pub fn qwen2_q4km_agreeing_pair(layers: usize, hidden: usize, draft_layers: usize) -> (PathBuf, PathBuf) {
    type Made = Vec<((usize, usize, usize), tempfile::TempDir)>;
    static DIRS: OnceLock<Mutex<Made>> = OnceLock::new();
    let mut dirs = DIRS.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    let files = |d: &tempfile::TempDir| (d.path().join("target.gguf"), d.path().join("draft.gguf"));
    let key = (layers, hidden, draft_layers);
    if let Some((_, d)) = dirs.iter().find(|(k, _)| *k == key) {
        return files(d);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (target, draft) = files(&dir);
    for (out, n) in [(&target, layers), (&draft, draft_layers)] {
        let mut spec = crate::qwen2_gguf::Qwen2Q4kmSpec::new(out.clone(), qwen3_tokenizer());
        spec.layers = n;
        spec.hidden = hidden;
        spec.intermediate = hidden * 2;
        spec.inert_from = Some(draft_layers);
        spec.quant_layers = Some(layers);
        crate::qwen2_gguf::make_qwen2_q4km(&spec).expect("Q4_K_M model");
    }
    dirs.push((key, dir));
    (target, draft)
}
