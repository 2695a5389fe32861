//! Where the test models live, for every crate's tests.

use crate::{make_tiny_qwen3, TinyModelSpec};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
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

/// A tiny scripted Qwen3 with `layers` layers, made once and kept in the models folder.
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
    let kind = match script {
        None => "random",
        Some(s) if std::ptr::eq(s, crate::EMERGENCY_SCRIPT) => "alarm",
        Some(_) => "scripted",
    };
    generated(&format!("tiny-qwen3-{kind}-l{layers}-s{seed}"), |dir| {
        make_tiny_qwen3(&TinyModelSpec {
            out: dir.to_path_buf(),
            tokenizer: qwen3_tokenizer(),
            template: baichuan_template(),
            layers,
            seed,
            script,
        })
        .expect("tiny model");
    })
}

/// Made models live in `models_dir()/generated`, one folder per model and per version of the
/// code and files that make it, so runs share them. They used to be per-process temporary
/// folders held in statics, which are never dropped: every test run left ~500 MB in /tmp.
fn generated(name: &str, make: impl FnOnce(&Path)) -> PathBuf {
    // One maker at a time in this process; other processes race through the rename below.
    static MAKING: Mutex<()> = Mutex::new(());
    let _turn = MAKING.lock().unwrap_or_else(|e| e.into_inner());
    let root = models_dir().join("generated");
    let dir = root.join(format!("{name}-{}", maker_version()));
    if dir.is_dir() {
        return dir;
    }
    std::fs::create_dir_all(&root).expect("models folder");
    prune(&root, name);
    let tmp = tempfile::tempdir_in(&root).expect("temp dir");
    make(tmp.path());
    let tmp = tmp.keep();
    if let Err(e) = std::fs::rename(&tmp, &dir) {
        let _ = std::fs::remove_dir_all(&tmp);
        assert!(dir.is_dir(), "cannot place {}: {e}", dir.display());
    }
    dir
}

/// The code and inputs a made model depends on: a change to any of them makes it anew.
fn maker_version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        let mut h = Sha256::new();
        for src in [include_str!("lib.rs"), include_str!("qwen2_gguf.rs"), include_str!("fixtures.rs")] {
            h.update(src.as_bytes());
        }
        h.update(std::fs::read(baichuan_template()).expect("chat template"));
        h.update(std::fs::metadata(qwen3_tokenizer()).expect("tokenizer").len().to_le_bytes());
        hex::encode(&h.finalize()[..6])
    })
}

/// Removes older versions of `name` and makers' leftovers, once they are a day old (a checkout
/// of another version may be using a younger one).
fn prune(root: &Path, name: &str) {
    let day = std::time::Duration::from_secs(86_400);
    let Ok(entries) = std::fs::read_dir(root) else { return };
    for e in entries.flatten() {
        let file = e.file_name();
        let file = file.to_string_lossy();
        let stale = file.starts_with(".tmp") || file.rsplit_once('-').is_some_and(|(n, _)| n == name);
        let old = e.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok()).is_some_and(|a| a > day);
        if stale && old {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// The official `openai` Python package (a `pip --target` folder for PYTHONPATH).
pub fn py_openai() -> PathBuf {
    require(models_dir().join("py-openai"))
}

/// A small random-weight Qwen2 in llama.cpp's Q4_K_M layout (Q4_K and Q6_K, real Qwen vocabulary),
/// `layers` layers of width `hidden` (a multiple of 256 keeps Q4_K; 896 gives llama.cpp's Q5_0
/// and Q8_0 fallbacks), made once and kept in the models folder.
pub fn qwen2_q4km(layers: usize, hidden: usize) -> PathBuf {
    let dir = generated(&format!("qwen2-q4km-l{layers}-h{hidden}"), |dir| {
        let mut spec = crate::qwen2_gguf::Qwen2Q4kmSpec::new(dir.join("qwen2-q4km.gguf"), qwen3_tokenizer());
        spec.layers = layers;
        spec.hidden = hidden;
        spec.intermediate = hidden * 2;
        crate::qwen2_gguf::make_qwen2_q4km(&spec).expect("Q4_K_M model");
    });
    dir.join("qwen2-q4km.gguf")
}

/// A Q4_K_M Qwen2 target of `layers` layers whose layers from `draft_layers` on are inert, and
/// its first `draft_layers` layers as a draft: the draft is cheaper and computes exactly the
/// target's logits, so it is always right (speculative decoding's best case). Made once and
/// kept in the models folder.
pub fn qwen2_q4km_agreeing_pair(layers: usize, hidden: usize, draft_layers: usize) -> (PathBuf, PathBuf) {
    let dir = generated(&format!("qwen2-q4km-pair-l{layers}-h{hidden}-d{draft_layers}"), |dir| {
        for (file, n) in [("target.gguf", layers), ("draft.gguf", draft_layers)] {
            let mut spec = crate::qwen2_gguf::Qwen2Q4kmSpec::new(dir.join(file), qwen3_tokenizer());
            spec.layers = n;
            spec.hidden = hidden;
            spec.intermediate = hidden * 2;
            spec.inert_from = Some(draft_layers);
            spec.quant_layers = Some(layers);
            crate::qwen2_gguf::make_qwen2_q4km(&spec).expect("Q4_K_M model");
        }
    });
    (dir.join("target.gguf"), dir.join("draft.gguf"))
}
