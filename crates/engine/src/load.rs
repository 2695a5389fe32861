//! Loads a detected model through mistral.rs on the best device this build supports.

use crate::error::{clean, EngineError, Result};
use crate::notice::ModelNotice;
use crate::source::{ModelFormat, ModelSource};
use anamnesis_wire::GpuProblem;
use mistralrs::core::{DeviceLayerMapMetadata, DeviceMapMetadata};
use mistralrs::{
    AnyModelBuilder, DeviceMapSetting, GgufModelBuilder, IsqType, MemoryGpuConfig, ModelDType, PagedAttentionConfig,
    PagedAttentionMetaBuilder, TextModelBuilder, TokenSource,
};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Instant;
use ts_rs::TS;

#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub path: PathBuf,
    /// A jinja chat template that replaces the model's own.
    pub chat_template: Option<PathBuf>,
    /// Run on the CPU even when a GPU build finds a GPU.
    pub force_cpu: bool,
    /// A small model that drafts tokens for the target to verify (speculative decoding).
    pub draft: Option<DraftOptions>,
    /// Cap on the context (prompt plus answer), e.g. from the memory planner.
    pub max_context: Option<u32>,
    /// Quantize a full-precision safetensors model while loading ("q4k", "q8_0", "4", …):
    /// the fallback when no pre-quantized variant fits the device.
    pub isq: Option<String>,
    /// Answer through a remote OpenAI-compatible server instead of loading `path`.
    pub remote: Option<crate::remote::RemoteOptions>,
    /// For a GGUF model on a GPU too small for all of it: this many layers on the GPU, the rest
    /// on the CPU (from the memory planner). `None` lets mistral.rs map layers by free memory.
    pub gpu_layers: Option<u32>,
    /// PagedAttention for the KV cache (CUDA/Metal; mistral.rs ignores it on the CPU and with a
    /// draft). On an H100 it took the 64-layer decode from 26 to 45 tok/s, and from 15 to 44
    /// tok/s at a 2k-token context: the app turns it on.
    pub paged_attention: bool,
}

#[derive(Debug, Clone)]
pub struct DraftOptions {
    pub path: PathBuf,
    /// Tokens drafted per verification step; with `adaptive`, the most the engine may draft
    /// (it caps γ at 6).
    pub gamma: usize,
    /// Let the engine choose γ (0 = the draft off) per step from what it measures.
    pub adaptive: bool,
}

impl DraftOptions {
    /// The engine chooses γ up to 6, and switches the draft off where it does not pay.
    pub fn adaptive(path: PathBuf) -> Self {
        Self { path, gamma: mistralrs::core::MAX_GAMMA, adaptive: true }
    }

    /// Always `gamma` drafted tokens per step.
    pub fn fixed(path: PathBuf, gamma: usize) -> Self {
        Self { path, gamma, adaptive: false }
    }
}

/// Chosen by measurement (scripts/gpu-check/RESULTS.md): with a Qwen3-0.6B-shaped draft and
/// the 64-layer target on an H100, gamma 3 is best or within 3 % of best for acceptance 0.6–0.9.
pub const DEFAULT_GAMMA: usize = 3;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DraftInfo {
    pub name: String,
    pub gamma: usize,
}

/// What was loaded and where it runs; the UI shows this next to the model name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ModelInfo {
    pub path: String,
    pub name: String,
    pub format: ModelFormat,
    pub architecture: String,
    /// "cpu", "cuda:0", "metal:0".
    pub device: String,
    /// True when running on the CPU: slow, and the UI says so.
    pub on_cpu: bool,
    #[ts(type = "number | null")]
    pub context_length: Option<u64>,
    pub load_s: f64,
    /// The draft model, when speculative decoding is on.
    pub draft: Option<DraftInfo>,
    /// Things the user should know about how the model was loaded (e.g. a draft was refused).
    pub notices: Vec<ModelNotice>,
    /// In-situ quantization applied while loading, e.g. "Q4K".
    pub isq: Option<String>,
    /// How the model's layers are split between the GPU and the CPU.
    pub layers: Option<LayerSplit>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LayerSplit {
    pub total: u32,
    /// Layers on the GPU (`device`); the rest run on the CPU, much slower.
    pub on_gpu: u32,
}

impl LayerSplit {
    /// "31 of 64 layers on the GPU, 33 on the CPU".
    pub fn describe(&self) -> String {
        match self.total - self.on_gpu {
            0 => format!("all {} layers on the GPU", self.total),
            n if n == self.total => format!("all {} layers on the CPU", self.total),
            n => format!("{} of {} layers on the GPU, {n} on the CPU", self.on_gpu, self.total),
        }
    }
}

/// The device to load on, and why it is the CPU when a GPU this build was made for cannot be used
/// (no driver, too old, none seen, or CUDA failing to start): never a failed load for that.
pub(crate) fn device_for(force_cpu: bool) -> (mistralrs::Device, Option<GpuProblem>) {
    if force_cpu {
        return (mistralrs::Device::Cpu, None);
    }
    if let Some(problem) = crate::gpu_problem() {
        return (mistralrs::Device::Cpu, Some(problem));
    }
    match mistralrs::best_device(false) {
        Ok(d) => (d, None),
        Err(e) => (mistralrs::Device::Cpu, Some(GpuProblem::DriverFailed { error: e.to_string() })),
    }
}

pub(crate) fn device_name(d: &mistralrs::Device) -> String {
    // best_device() always picks ordinal 0.
    if d.is_cuda() {
        "cuda:0".into()
    } else if d.is_metal() {
        "metal:0".into()
    } else {
        "cpu".into()
    }
}

/// The settings both builder types share (they have the same methods but no common trait).
macro_rules! common {
    ($b:expr, $on_cpu:expr, $template:expr, $tokenizer:expr, $map:expr, $paged:expr) => {{
        let mut b = $b.with_token_source(TokenSource::None).with_max_num_seqs(1);
        if let Some(p) = $paged {
            b = b.with_paged_attn(p);
        }
        if $on_cpu {
            b = b.with_force_cpu();
        }
        if let Some(m) = $map {
            b = b.with_device_mapping(m);
        }
        if let Some(t) = $template {
            b = b.with_jinja_explicit(t);
        }
        if let Some(t) = $tokenizer {
            b = b.with_tokenizer_json(t);
        }
        b
    }};
}

/// How one model (target or draft) is built on the chosen device.
struct BuildSpec {
    dtype: ModelDType,
    isq: Option<IsqType>,
    on_cpu: bool,
    template: Option<String>,
    tokenizer: Option<String>,
    map: Option<DeviceMapSetting>,
    paged: Option<PagedAttentionConfig>,
}

/// Builder for one model (target or draft) on the chosen device.
fn builder(source: &ModelSource, spec: BuildSpec) -> Result<AnyModelBuilder> {
    let BuildSpec { dtype, isq, on_cpu, template, tokenizer, map, paged } = spec;
    Ok(match source.format {
        ModelFormat::Safetensors => {
            let mut b = TextModelBuilder::new(source.path.display().to_string()).with_dtype(dtype);
            if let Some(q) = isq {
                b = b.with_isq(q);
            }
            AnyModelBuilder::Text(common!(b, on_cpu, template, tokenizer, map, paged))
        }
        ModelFormat::Gguf => {
            let dir = source.path.parent().unwrap_or(Path::new("."));
            let file = source.path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
            let b = GgufModelBuilder::new(dir.display().to_string(), vec![file]);
            AnyModelBuilder::Gguf(common!(b, on_cpu, template, tokenizer, map, paged))
        }
        ModelFormat::Remote => return Err(EngineError::NotForRemote("loading weights")),
    })
}

/// candle has no BF16 matmul on CPU (F32 there); GPTQ's Marlin path fails with BF16
/// activations in 0.8.1 ("dtype mismatch in add"), so F16; otherwise mistral.rs' choice
/// (BF16 where the GPU has it, whatever the checkpoint's torch_dtype).
fn dtype_for(source: &ModelSource, on_cpu: bool) -> ModelDType {
    if on_cpu {
        ModelDType::F32
    } else if source.gptq {
        ModelDType::F16
    } else {
        ModelDType::Auto
    }
}

/// Parses an ISQ request; it applies to full-precision safetensors only.
fn isq_for(source: &ModelSource, isq: Option<&str>, device: &mistralrs::Device) -> Result<Option<IsqType>> {
    let Some(name) = isq else { return Ok(None) };
    if source.format == ModelFormat::Gguf || source.gptq {
        return Err(EngineError::LoadFailed(format!(
            "in-situ quantization ({name}) applies to full-precision safetensors models; {} is already quantized",
            source.path.display()
        )));
    }
    mistralrs::parse_isq_value(name, Some(device))
        .map(Some)
        .map_err(|e| EngineError::LoadFailed(format!("unknown quantization {name:?}: {e}")))
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| p.display().to_string())
}

/// The target's tokenizer.json, which the draft must share token for token.
fn target_tokenizer(source: &ModelSource) -> Option<String> {
    let t = source.path.join("tokenizer.json");
    (source.format == ModelFormat::Safetensors && t.is_file()).then(|| t.display().to_string())
}

/// GGUF tensor types with the patched candle's fast multi-row CPU kernels (patches/candle-core);
/// F32 and F16 go through gemm. Others run on candle's reference path: right, but slower.
const CPU_FAST_TYPES: &[&str] = &["F32", "F16", "Q4_1", "Q5_0", "Q8_0", "Q4_K", "Q6_K"];

fn log_slow_cpu_types(source: &ModelSource) {
    let slow: Vec<&str> = source.tensor_types.iter().copied().filter(|t| !CPU_FAST_TYPES.contains(t)).collect();
    if !slow.is_empty() {
        tracing::warn!(
            "{}: tensors in {} have no fast CPU kernel; they run on candle's reference path (slower on the CPU)",
            source.path.display(),
            slow.join(", ")
        );
    }
}

pub(crate) async fn load(opts: &LoadOptions) -> Result<(mistralrs::Model, ModelInfo)> {
    // Paths reach mistral.rs absolute and existing (ModelSource::detect); should one ever not,
    // the patched loader refuses it instead of asking the Hugging Face hub.
    mistralrs::core::HUB_OFFLINE.store(true, std::sync::atomic::Ordering::Relaxed);
    // Any HTTPS client mistral.rs builds needs rustls' provider (the workspace drops aws-lc).
    anamnesis_openai::client::install_tls_provider();
    let source = ModelSource::detect(&opts.path)?;
    let (device, gpu_problem) = device_for(opts.force_cpu);
    let on_cpu = device.is_cpu();
    if let (true, Some(problem)) = (source.gptq, &gpu_problem) {
        return Err(EngineError::UnsupportedOnThisBuild(format!(
            "{} holds GPTQ-Int4 weights, which run only on an NVIDIA GPU, and the GPU cannot be used: {problem}; \
             or use the Q4_K_M GGUF variant of the model, which runs on the CPU",
            source.path.display()
        )));
    }
    if source.gptq && !device.is_cuda() {
        return Err(EngineError::UnsupportedOnThisBuild(format!(
            "{} holds GPTQ-Int4 weights, which run only on an NVIDIA GPU with a CUDA build; \
             use the Q4_K_M GGUF variant of the model instead",
            source.path.display()
        )));
    }
    if on_cpu || opts.gpu_layers.is_some() {
        log_slow_cpu_types(&source);
    }
    let template = opts.chat_template.as_ref().map(|p| p.display().to_string());
    let started = Instant::now();
    let dtype = dtype_for(&source, on_cpu);
    let isq = isq_for(&source, opts.isq.as_deref(), &device)?;
    let map = layer_map(&source, opts.gpu_layers, on_cpu);
    let paged = paged_config(opts, &source, on_cpu)?;
    let target = builder(&source, BuildSpec { dtype, isq, on_cpu, template, tokenizer: None, map, paged })?
        .build_pipeline()
        .await
        .map_err(|e| EngineError::LoadFailed(clean(format!("{e:#}"))))?;
    let mut notices: Vec<ModelNotice> =
        gpu_problem.map(|problem| ModelNotice::GpuUnavailable { problem }).into_iter().collect();
    let mut draft_info = None;
    let (pipeline, scheduler, mut add_cfg) = target;
    let layers = layer_split(&source, &pipeline, on_cpu).await;
    let pipeline = match &opts.draft {
        None => pipeline,
        Some(d) => match load_draft(&source, dtype, d, on_cpu, pipeline.clone()).await {
            Ok(spec) => {
                draft_info = Some(DraftInfo { name: file_name(&d.path), gamma: d.gamma });
                // The speculative step reads whole prompts: a prefix-cache hit would restore
                // the target's cache alone (patches/mistralrs-core refuses that case).
                add_cfg.engine_config.no_prefix_cache = true;
                spec
            }
            Err(e) => {
                notices.push(ModelNotice::DraftNotUsed { error: e.payload() });
                pipeline
            }
        },
    };
    let model = mistralrs::model_builder_trait::build_model_from_pipeline(pipeline, scheduler, add_cfg).await;
    let info = ModelInfo {
        path: source.path.display().to_string(),
        name: file_name(&source.path),
        format: source.format,
        architecture: source.architecture.clone(),
        device: device_name(&device),
        on_cpu,
        context_length: source.context_length,
        load_s: started.elapsed().as_secs_f64(),
        draft: draft_info,
        notices,
        isq: isq.map(|q| format!("{q:?}")),
        layers,
    };
    Ok((model, info))
}

/// The paged KV cache holds the whole context the engine allows (the planner's cap, else the
/// model's own up to 32k), so a long thinking trace never runs out of blocks.
fn paged_config(opts: &LoadOptions, source: &ModelSource, on_cpu: bool) -> Result<Option<PagedAttentionConfig>> {
    // The speculative pipeline ignores PagedAttention in mistral.rs 0.8.1; the CPU has none.
    if !opts.paged_attention || opts.draft.is_some() || on_cpu {
        return Ok(None);
    }
    let model = source.context_length.unwrap_or(4096).min(32_768) as u32;
    let context = opts.max_context.map_or(model, |m| m.min(model).max(1)) as usize;
    PagedAttentionMetaBuilder::default()
        .with_gpu_memory(MemoryGpuConfig::ContextSize(context))
        .build()
        .map(Some)
        .map_err(|e| EngineError::LoadFailed(format!("paged attention: {e}")))
}

/// A fixed GPU/CPU split for GGUF models only: GPTQ must sit wholly on the GPU (Marlin), and
/// safetensors go through mistral.rs' own mapping.
fn layer_map(source: &ModelSource, gpu_layers: Option<u32>, on_cpu: bool) -> Option<DeviceMapSetting> {
    let n = gpu_layers.filter(|_| !on_cpu && source.format == ModelFormat::Gguf)?;
    let n = source.layers.map_or(n as usize, |total| (n as u64).min(total) as usize);
    Some(DeviceMapSetting::Map(DeviceMapMetadata::from_num_device_layers(vec![DeviceLayerMapMetadata {
        ordinal: 0,
        layers: n,
    }])))
}

/// Counts the layers the loaded pipeline actually put on an accelerator.
async fn layer_split(source: &ModelSource, pipeline: &PipelineArc, on_cpu: bool) -> Option<LayerSplit> {
    let total = u32::try_from(source.layers?).ok()?;
    if on_cpu {
        return Some(LayerSplit { total, on_gpu: 0 });
    }
    let p = pipeline.lock().await;
    let on_gpu = match p.device_mapper() {
        // Only a per-layer mapper tells layers apart; anything else keeps the model on one device.
        Some(m) if m.num_device_mapping_layers() == total as usize => {
            (0..total as usize).filter(|&l| m.device_for(l, false).is_some_and(|d| !d.is_cpu())).count() as u32
        }
        _ => total,
    };
    Some(LayerSplit { total, on_gpu })
}

type PipelineArc = std::sync::Arc<tokio::sync::Mutex<dyn mistralrs::core::Pipeline>>;

/// Loads the draft and pairs it with the target. Any failure here is a notice, not an error:
/// the target alone still answers.
async fn load_draft(
    target_source: &ModelSource,
    dtype: ModelDType,
    d: &DraftOptions,
    on_cpu: bool,
    target: PipelineArc,
) -> Result<PipelineArc> {
    let rejected = |m: String| EngineError::DraftRejected(m);
    let source = ModelSource::detect(&d.path)?;
    if d.gamma == 0 || d.gamma > 64 {
        return Err(rejected(format!("gamma must be between 1 and 64, got {}", d.gamma)));
    }
    // The draft reads the target's token ids, so every id the target's tokenizer can produce
    // must have a row in the draft's embedding; mistral.rs would index past it otherwise.
    let target_vocab = target.lock().await.tokenizer().map(|t| t.get_vocab_size(true) as u64);
    if let (Some(t), Some(d)) = (target_vocab, source.vocab_size) {
        if d < t {
            return Err(rejected(format!(
                "its vocabulary has {d} tokens but the model's tokenizer has {t}; the two must share one vocabulary"
            )));
        }
    }
    // The draft runs in the target's dtype: the two share caches and logits (a BF16 draft
    // beside an F16 GPTQ target fails with "dtype mismatch in slice-set").
    let (draft, _, _) = builder(
        &source,
        BuildSpec {
            dtype,
            isq: None,
            on_cpu,
            template: None,
            tokenizer: target_tokenizer(target_source),
            map: None,
            paged: None,
        },
    )?
    .build_pipeline()
    .await
    .map_err(|e| rejected(clean(format!("{e:#}"))))?;
    let mut spec =
        mistralrs::core::SpeculativePipeline::new(target, draft, mistralrs::SpeculativeConfig { gamma: d.gamma })
            .map_err(|e| rejected(clean(e)))?;
    let ratio = match (weights_bytes(&source), weights_bytes(target_source)) {
        (Some(d), Some(t)) if t > 0 => Some(d as f64 / t as f64),
        _ => None,
    };
    spec.set_adaptive(d.adaptive, ratio);
    Ok(std::sync::Arc::new(tokio::sync::Mutex::new(spec)))
}

/// The size of a model's weights on disk: the GGUF file, or the folder's safetensors.
fn weights_bytes(source: &ModelSource) -> Option<u64> {
    if source.path.is_file() {
        return std::fs::metadata(&source.path).ok().map(|m| m.len());
    }
    let total = std::fs::read_dir(&source.path)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "safetensors"))
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum();
    Some(total)
}
