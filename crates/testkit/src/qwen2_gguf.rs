//! A random-weight Qwen2 written as a GGUF in llama.cpp's Q4_K_M layout, for CPU benchmarks of
//! the format the app ships (Baichuan-M2-32B Q4_K_M: Q4_K for most matrices, Q6_K for half of
//! `attn_v` / `ffn_down` and for the output head), at a size a laptop runs in seconds.
//!
//! The shape is Qwen2.5-0.5B's (24 layers, head dim 64, 2 KV heads, intermediate 4864, q/k/v
//! biases, tied embeddings, the real 151 936-row vocabulary) except the hidden size: Qwen2.5-0.5B's
//! 896 is not a multiple of the 256-element k-quant super-block, so llama.cpp itself cannot make
//! Q4_K/Q6_K of its `[*, 896]` matrices and falls back to Q5_0 / Q8_0 (see [`q4_k_m_type`]). The
//! default hidden size is therefore 1024 (16 heads of 64), the nearest size where every matrix
//! is a real k-quant; `hidden: 896` gives the genuine Qwen2.5-0.5B layout, fallbacks included.
//!
//! Tensor types follow `llama_tensor_get_type` in llama.cpp's `src/llama-quant.cpp` for
//! `LLAMA_FTYPE_MOSTLY_Q4_K_M`: everything 2-D is Q4_K, except `attn_v` and `ffn_down` of the
//! layers `use_more_bits` picks (Q6_K), and the output head, which for a tied model is
//! `token_embd` (Q6_K; Q8_0 when its rows are not a multiple of 256). Norms and biases stay F32.

use anyhow::{anyhow, bail, Context, Result};
use candle_core::quantized::gguf_file::{self, Value};
use candle_core::quantized::{GgmlDType, QTensor};
use candle_core::{Device, Tensor};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

/// Embedding rows of every Qwen2/2.5 model (the tokenizer has fewer; the rest are padding).
pub const QWEN2_VOCAB: usize = 151_936;
pub const QWEN2_HEAD_DIM: usize = 64;

/// llama.cpp's `LLAMA_FTYPE_MOSTLY_Q4_K_M`.
pub const FTYPE_MOSTLY_Q4_K_M: u32 = 15;

/// GGUF token types (llama.cpp's `llama_token_type`).
const TOKEN_NORMAL: i32 = 1;
const TOKEN_CONTROL: i32 = 3;
const TOKEN_USER_DEFINED: i32 = 4;

/// A ChatML template (Qwen2.5's, without tools), so chat front ends can talk to the model.
pub const CHATML_TEMPLATE: &str = "{%- if messages[0]['role'] == 'system' %}\
{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}\
{%- else %}\
{{- '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}\
{%- endif %}\
{%- for message in messages %}\
{%- if not (message['role'] == 'system' and loop.first) %}\
{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}\
{%- endif %}\
{%- endfor %}\
{%- if add_generation_prompt %}\
{{- '<|im_start|>assistant\\n' }}\
{%- endif %}";

pub struct Qwen2Q4kmSpec {
    pub out: PathBuf,
    /// The Qwen tokenizer.json (the tests' Qwen3 one: same BPE vocabulary and merges as Qwen2.5).
    pub tokenizer: PathBuf,
    pub layers: usize,
    /// Hidden size; heads = hidden / 64. 1024 by default (see the module docs); 896 is Qwen2.5-0.5B.
    pub hidden: usize,
    pub intermediate: usize,
    pub kv_heads: usize,
    pub seed: u64,
    /// Layers from this index on write nothing to the residual stream (zero attention output
    /// and down projections): the model then computes exactly what its first layers compute,
    /// so that its first layers make a draft that always agrees with it.
    pub inert_from: Option<usize>,
    /// Choose quantization types as for a model of this many layers (default: `layers`), so a
    /// model's first layers can be written with the types they have in the full model.
    pub quant_layers: Option<usize>,
}

impl Qwen2Q4kmSpec {
    pub fn new(out: PathBuf, tokenizer: PathBuf) -> Self {
        Self {
            out,
            tokenizer,
            layers: 24,
            hidden: 1024,
            intermediate: 4864,
            kv_heads: 2,
            seed: 42,
            inert_from: None,
            quant_layers: None,
        }
    }
}

/// llama.cpp's `use_more_bits`: the first and last eighth of the layers, and every third between.
pub fn use_more_bits(i_layer: usize, n_layers: usize) -> bool {
    let (i, n) = (i_layer as i64, n_layers as i64);
    i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2
}

/// The type llama.cpp's Q4_K_M gives a 2-D tensor, by its GGUF name, layer, and row length
/// (`ne[0]`, the input dimension), fallbacks for rows that are not whole super-blocks included.
pub fn q4_k_m_type(name: &str, layer: usize, n_layers: usize, row_len: usize) -> GgmlDType {
    // The output head; with tied embeddings, `token_embd` is the head (`!qs.has_output`).
    if name == "output.weight" || name == "token_embd.weight" {
        return if !row_len.is_multiple_of(256) { GgmlDType::Q8_0 } else { GgmlDType::Q6K };
    }
    let wanted = if (name.contains("attn_v.weight") || name.contains("ffn_down")) && use_more_bits(layer, n_layers) {
        GgmlDType::Q6K
    } else {
        GgmlDType::Q4K
    };
    if row_len.is_multiple_of(256) {
        return wanted;
    }
    // `convert_incompatible_tensor` in llama-quant.cpp.
    let fallback = match wanted {
        GgmlDType::Q6K => GgmlDType::Q8_0,
        _ => GgmlDType::Q5_0,
    };
    if row_len.is_multiple_of(32) {
        fallback
    } else {
        GgmlDType::F16
    }
}

/// The testkit's SplitMix64 with a roughly normal sample (sum of three uniforms on [-1, 1):
/// variance 1).
struct Rng(crate::Rng);
impl Rng {
    fn normal(&mut self, std: f32) -> f32 {
        (self.0.next_f32() + self.0.next_f32() + self.0.next_f32()) * std
    }
    fn fill(&mut self, n: usize, std: f32) -> Vec<f32> {
        (0..n).map(|_| self.normal(std)).collect()
    }
}

/// The GGUF vocabulary as llama.cpp's converter writes it for a Qwen2 (`_set_vocab_gpt2`):
/// tokens by id, padded to `rows` with `[PAD{i}]` (user-defined); added special tokens are
/// control tokens, other added tokens user-defined; merges as "a b".
pub struct GgufVocab {
    pub tokens: Vec<String>,
    pub types: Vec<i32>,
    pub merges: Vec<String>,
    pub eos: u32,
    pub bos: u32,
}

pub fn qwen_vocab(tokenizer: &Path, rows: usize) -> Result<GgufVocab> {
    let text = std::fs::read_to_string(tokenizer).with_context(|| format!("reading {}", tokenizer.display()))?;
    let tok: Json = serde_json::from_str(&text).context("tokenizer.json is not JSON")?;
    let mut tokens: Vec<Option<(String, i32)>> = vec![None; rows];
    let vocab = tok
        .pointer("/model/vocab")
        .and_then(|v| v.as_object())
        .ok_or_else(|| anyhow!("tokenizer.json has no model.vocab"))?;
    let mut put = |id: usize, s: &str, ty: i32| -> Result<()> {
        let slot = tokens.get_mut(id).ok_or_else(|| anyhow!("token id {id} beyond the {rows} embedding rows"))?;
        *slot = Some((s.to_string(), ty));
        Ok(())
    };
    for (s, id) in vocab {
        put(id.as_u64().ok_or_else(|| anyhow!("bad id for {s:?}"))? as usize, s, TOKEN_NORMAL)?;
    }
    for t in tok.get("added_tokens").and_then(|a| a.as_array()).into_iter().flatten() {
        let (Some(s), Some(id)) = (t.get("content").and_then(|c| c.as_str()), t.get("id").and_then(|i| i.as_u64()))
        else {
            continue;
        };
        let special = t.get("special").and_then(|s| s.as_bool()).unwrap_or(false);
        put(id as usize, s, if special { TOKEN_CONTROL } else { TOKEN_USER_DEFINED })?;
    }
    let (mut out_tokens, mut types) = (Vec::with_capacity(rows), Vec::with_capacity(rows));
    for (i, t) in tokens.into_iter().enumerate() {
        let (s, ty) = t.unwrap_or_else(|| (format!("[PAD{i}]"), TOKEN_USER_DEFINED));
        out_tokens.push(s);
        types.push(ty);
    }
    let merges = tok
        .pointer("/model/merges")
        .and_then(|m| m.as_array())
        .ok_or_else(|| anyhow!("tokenizer.json has no model.merges"))?
        .iter()
        .map(|m| match m {
            Json::String(s) => Ok(s.clone()),
            Json::Array(p) if p.len() == 2 => {
                Ok(format!("{} {}", p[0].as_str().unwrap_or_default(), p[1].as_str().unwrap_or_default()))
            }
            other => Err(anyhow!("unexpected merge {other}")),
        })
        .collect::<Result<Vec<_>>>()?;
    let id_of =
        |s: &str| out_tokens.iter().position(|t| t == s).map(|i| i as u32).ok_or_else(|| anyhow!("no {s} token"));
    let eos = id_of("<|im_end|>")?;
    let bos = id_of("<|endoftext|>")?;
    Ok(GgufVocab { tokens: out_tokens, types, merges, eos, bos })
}

/// Writes the model; returns the GGUF tensor names with their types, in file order.
pub fn make_qwen2_q4km(spec: &Qwen2Q4kmSpec) -> Result<Vec<(String, GgmlDType)>> {
    let (h, inter, layers) = (spec.hidden, spec.intermediate, spec.layers);
    if h == 0
        || h % QWEN2_HEAD_DIM != 0
        || spec.kv_heads == 0
        || !(h / QWEN2_HEAD_DIM).is_multiple_of(spec.kv_heads)
        || layers == 0
    {
        bail!("hidden {h} must be a multiple of {QWEN2_HEAD_DIM}, with heads divisible by {} KV heads", spec.kv_heads);
    }
    let heads = h / QWEN2_HEAD_DIM;
    let kv = spec.kv_heads * QWEN2_HEAD_DIM;
    let vocab = qwen_vocab(&spec.tokenizer, QWEN2_VOCAB)?;
    // (name, shape as [rows, cols] = [out, in], init std (0: ones), layer); 2-D tensors are
    // quantized. Each tensor has its own seed, so the file does not depend on the thread count.
    let mut plan: Vec<(String, Vec<usize>, f32, usize)> = Vec::new();
    plan.push(("token_embd.weight".into(), vec![QWEN2_VOCAB, h], 0.02, 0));
    for l in 0..layers {
        let p = format!("blk.{l}.");
        let mut add = |n: &str, shape: Vec<usize>, std: f32| plan.push((format!("{p}{n}"), shape, std, l));
        add("attn_norm.weight", vec![h], 0.0);
        add("attn_q.weight", vec![h, h], 0.02);
        add("attn_q.bias", vec![h], 0.02);
        add("attn_k.weight", vec![kv, h], 0.02);
        add("attn_k.bias", vec![kv], 0.02);
        add("attn_v.weight", vec![kv, h], 0.02);
        add("attn_v.bias", vec![kv], 0.02);
        let inert = spec.inert_from.is_some_and(|from| l >= from);
        let out_std = if inert { f32::NAN } else { 0.02 };
        add("attn_output.weight", vec![h, h], out_std);
        add("ffn_norm.weight", vec![h], 0.0);
        add("ffn_gate.weight", vec![inter, h], 0.02);
        add("ffn_up.weight", vec![inter, h], 0.02);
        add("ffn_down.weight", vec![h, inter], out_std);
    }
    plan.push(("output_norm.weight".into(), vec![h], 0.0, 0));

    let make = |i: usize| -> Result<QTensor> {
        let (name, shape, std, layer) = &plan[i];
        let n: usize = shape.iter().product();
        let data = if *std == 0.0 {
            vec![1.0f32; n]
        } else if std.is_nan() {
            // An inert layer's output projection.
            vec![0.0f32; n]
        } else {
            Rng(crate::Rng(spec.seed.wrapping_mul(0x1000_0000_01B3).wrapping_add(i as u64 + 1))).fill(n, *std)
        };
        let type_layers = spec.quant_layers.unwrap_or(layers);
        let dtype = if shape.len() == 2 { q4_k_m_type(name, *layer, type_layers, shape[1]) } else { GgmlDType::F32 };
        let t = Tensor::from_vec(data, shape.as_slice(), &Device::Cpu)?;
        QTensor::quantize(&t, dtype).with_context(|| format!("quantizing {name} as {dtype:?}"))
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::Mutex::new(Vec::<(usize, QTensor)>::with_capacity(plan.len()));
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8);
    std::thread::scope(|s| -> Result<()> {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| -> Result<()> {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= plan.len() {
                            return Ok(());
                        }
                        let q = make(i)?;
                        done.lock().unwrap_or_else(|e| e.into_inner()).push((i, q));
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().map_err(|_| anyhow!("a quantizing thread panicked"))??;
        }
        Ok(())
    })?;
    let mut done = done.into_inner().unwrap_or_else(|e| e.into_inner());
    done.sort_by_key(|(i, _)| *i);
    let tensors: Vec<(String, QTensor)> = done.into_iter().map(|(i, q)| (plan[i].0.clone(), q)).collect();

    let arch = "qwen2";
    let k = |s: &str| format!("{arch}.{s}");
    let strings = |v: &[String]| Value::Array(v.iter().map(|s| Value::String(s.clone())).collect());
    let metadata: Vec<(String, Value)> = vec![
        ("general.architecture".into(), Value::String(arch.into())),
        ("general.name".into(), Value::String(format!("Qwen2 random {layers}L h{h} Q4_K_M (anamnesis-testkit)"))),
        ("general.file_type".into(), Value::U32(FTYPE_MOSTLY_Q4_K_M)),
        ("general.quantization_version".into(), Value::U32(2)),
        (k("context_length"), Value::U32(32_768)),
        (k("embedding_length"), Value::U32(h as u32)),
        (k("block_count"), Value::U32(layers as u32)),
        (k("feed_forward_length"), Value::U32(inter as u32)),
        (k("attention.head_count"), Value::U32(heads as u32)),
        (k("attention.head_count_kv"), Value::U32(spec.kv_heads as u32)),
        (k("attention.layer_norm_rms_epsilon"), Value::F32(1e-6)),
        (k("rope.freq_base"), Value::F32(1_000_000.0)),
        ("tokenizer.ggml.model".into(), Value::String("gpt2".into())),
        ("tokenizer.ggml.pre".into(), Value::String("qwen2".into())),
        ("tokenizer.ggml.tokens".into(), strings(&vocab.tokens)),
        ("tokenizer.ggml.token_type".into(), Value::Array(vocab.types.iter().map(|&t| Value::I32(t)).collect())),
        ("tokenizer.ggml.merges".into(), strings(&vocab.merges)),
        ("tokenizer.ggml.eos_token_id".into(), Value::U32(vocab.eos)),
        ("tokenizer.ggml.padding_token_id".into(), Value::U32(vocab.bos)),
        ("tokenizer.ggml.bos_token_id".into(), Value::U32(vocab.bos)),
        ("tokenizer.ggml.add_bos_token".into(), Value::Bool(false)),
        ("tokenizer.chat_template".into(), Value::String(CHATML_TEMPLATE.into())),
    ];

    if let Some(dir) = spec.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    // Written beside the target and renamed, so an interrupted run never leaves a half file.
    let part = spec.out.with_extension("gguf.part");
    {
        let mut w = std::io::BufWriter::with_capacity(
            8 << 20,
            std::fs::File::create(&part).with_context(|| format!("creating {}", part.display()))?,
        );
        let md: Vec<(&str, &Value)> = metadata.iter().map(|(k, v)| (k.as_str(), v)).collect();
        let ts: Vec<(&str, &QTensor)> = tensors.iter().map(|(n, t)| (n.as_str(), t)).collect();
        gguf_file::write(&mut w, &md, &ts)?;
        use std::io::Write;
        w.flush()?;
    }
    std::fs::rename(&part, &spec.out)?;
    Ok(tensors.iter().map(|(n, t)| (n.clone(), t.dtype())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn use_more_bits_picks_half_of_24_layers() {
        let more: Vec<usize> = (0..24).filter(|&i| use_more_bits(i, 24)).collect();
        assert_eq!(more, [0, 1, 2, 5, 8, 11, 14, 17, 20, 21, 22, 23]);
        let more: Vec<usize> = (0..2).filter(|&i| use_more_bits(i, 2)).collect();
        assert_eq!(more, [1]);
    }

    #[test]
    fn qwen2_5_0_5b_rows_fall_back_like_llama_cpp() {
        // 896 is not a multiple of 256: Q4_K -> Q5_0, Q6_K -> Q8_0, the head Q8_0.
        assert_eq!(q4_k_m_type("token_embd.weight", 0, 24, 896), GgmlDType::Q8_0);
        assert_eq!(q4_k_m_type("blk.3.attn_q.weight", 3, 24, 896), GgmlDType::Q5_0);
        assert_eq!(q4_k_m_type("blk.0.attn_v.weight", 0, 24, 896), GgmlDType::Q8_0);
        // ffn_down's rows are the intermediate size, 4864 = 19 x 256.
        assert_eq!(q4_k_m_type("blk.0.ffn_down.weight", 0, 24, 4864), GgmlDType::Q6K);
        assert_eq!(q4_k_m_type("blk.3.ffn_down.weight", 3, 24, 4864), GgmlDType::Q4K);
        assert_eq!(q4_k_m_type("token_embd.weight", 0, 24, 1024), GgmlDType::Q6K);
    }

    #[test]
    fn writes_a_two_layer_q4_k_m_gguf_that_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("m.gguf");
        let mut spec = Qwen2Q4kmSpec::new(out.clone(), crate::fixtures::qwen3_tokenizer());
        spec.layers = 2;
        make_qwen2_q4km(&spec).unwrap();

        let mut f = std::fs::File::open(&out).unwrap();
        let c = gguf_file::Content::read(&mut f).unwrap();
        let dtype = |n: &str| c.tensor_infos.get(n).unwrap_or_else(|| panic!("no {n}")).ggml_dtype;
        assert_eq!(dtype("token_embd.weight"), GgmlDType::Q6K);
        assert!(!c.tensor_infos.contains_key("output.weight"), "embeddings are tied");
        // use_more_bits(i, 2) is true for layer 1 only.
        for (l, more) in [(0, GgmlDType::Q4K), (1, GgmlDType::Q6K)] {
            assert_eq!(dtype(&format!("blk.{l}.attn_v.weight")), more, "attn_v {l}");
            assert_eq!(dtype(&format!("blk.{l}.ffn_down.weight")), more, "ffn_down {l}");
            for n in ["attn_q", "attn_k", "attn_output", "ffn_gate", "ffn_up"] {
                assert_eq!(dtype(&format!("blk.{l}.{n}.weight")), GgmlDType::Q4K, "{n} {l}");
            }
            for n in ["attn_norm.weight", "ffn_norm.weight", "attn_q.bias", "attn_k.bias", "attn_v.bias"] {
                assert_eq!(dtype(&format!("blk.{l}.{n}")), GgmlDType::F32, "{n} {l}");
            }
        }
        assert_eq!(dtype("output_norm.weight"), GgmlDType::F32);
        assert_eq!(c.tensor_infos.len(), 1 + 2 * 12 + 1);
        let shape = |n: &str| c.tensor_infos[n].shape.dims().to_vec();
        assert_eq!(shape("token_embd.weight"), [QWEN2_VOCAB, 1024]);
        assert_eq!(shape("blk.0.attn_k.weight"), [128, 1024]);
        assert_eq!(shape("blk.1.ffn_down.weight"), [1024, 4864]);

        let md = &c.metadata;
        let u32_of = |k: &str| md.get(k).unwrap_or_else(|| panic!("no {k}")).to_u32().unwrap();
        let str_of = |k: &str| md.get(k).unwrap_or_else(|| panic!("no {k}")).to_string().unwrap().clone();
        assert_eq!(str_of("general.architecture"), "qwen2");
        assert_eq!(u32_of("general.file_type"), FTYPE_MOSTLY_Q4_K_M);
        assert_eq!(u32_of("qwen2.block_count"), 2);
        assert_eq!(u32_of("qwen2.embedding_length"), 1024);
        assert_eq!(u32_of("qwen2.feed_forward_length"), 4864);
        assert_eq!(u32_of("qwen2.attention.head_count"), 16);
        assert_eq!(u32_of("qwen2.attention.head_count_kv"), 2);
        assert_eq!(u32_of("qwen2.context_length"), 32_768);
        assert_eq!(md["qwen2.attention.layer_norm_rms_epsilon"].to_f32().unwrap(), 1e-6);
        assert_eq!(md["qwen2.rope.freq_base"].to_f32().unwrap(), 1e6);
        assert_eq!(str_of("tokenizer.ggml.model"), "gpt2");
        assert_eq!(str_of("tokenizer.ggml.pre"), "qwen2");
        assert!(str_of("tokenizer.chat_template").contains("<|im_start|>"));
        assert_eq!(u32_of("tokenizer.ggml.eos_token_id"), 151_645);
        assert_eq!(u32_of("tokenizer.ggml.bos_token_id"), 151_643);
        let tokens = md["tokenizer.ggml.tokens"].to_vec().unwrap();
        let types = md["tokenizer.ggml.token_type"].to_vec().unwrap();
        assert_eq!(tokens.len(), QWEN2_VOCAB);
        assert_eq!(types.len(), QWEN2_VOCAB);
        assert_eq!(tokens[151_645].to_string().unwrap(), "<|im_end|>");
        assert_eq!(types[151_645].to_i32().unwrap(), TOKEN_CONTROL);
        assert_eq!(types[151_667].to_i32().unwrap(), TOKEN_USER_DEFINED, "<think> is added, not special");
        assert_eq!(types[1000].to_i32().unwrap(), TOKEN_NORMAL);
        assert_eq!(tokens[QWEN2_VOCAB - 1].to_string().unwrap(), &format!("[PAD{}]", QWEN2_VOCAB - 1));
        assert_eq!(types[QWEN2_VOCAB - 1].to_i32().unwrap(), TOKEN_USER_DEFINED);
        let merges = md["tokenizer.ggml.merges"].to_vec().unwrap();
        assert_eq!(merges[0].to_string().unwrap(), "Ġ Ġ");

        // The quantized data reads back and dequantizes to finite, small weights.
        let q = c.tensor(&mut f, "blk.1.attn_v.weight", &Device::Cpu).unwrap();
        let w: Vec<f32> = q.dequantize(&Device::Cpu).unwrap().flatten_all().unwrap().to_vec1().unwrap();
        assert!(w.iter().all(|x| x.is_finite() && x.abs() < 1.0));
        let std = (w.iter().map(|x| x * x).sum::<f32>() / w.len() as f32).sqrt();
        assert!((0.01..0.04).contains(&std), "std {std}");
    }
}
