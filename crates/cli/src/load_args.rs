//! How to load a local model: the flags `chat` and `serve` share.

use anamnesis_engine::{DraftOptions, LoadOptions};
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct LoadArgs {
    /// A jinja chat template to use instead of the model's.
    #[arg(long)]
    pub template: Option<PathBuf>,
    /// Run on the CPU even if a GPU is available.
    #[arg(long)]
    pub cpu: bool,
    /// Quantize a full-precision safetensors model while loading: q4k, q8_0, 4, 8, …
    #[arg(long)]
    pub isq: Option<String>,
    /// A draft model for speculative decoding (same vocabulary as the model).
    #[arg(long)]
    pub draft: Option<PathBuf>,
    /// Always draft this many tokens per step; without it the engine chooses γ (up to 6, or
    /// the draft off) from what it measures.
    #[arg(long)]
    pub gamma: Option<usize>,
    /// Cap the context (prompt plus answer) at this many tokens.
    #[arg(long)]
    pub max_context: Option<u32>,
    /// GGUF on a small GPU: put this many layers on the GPU and the rest on the CPU.
    #[arg(long)]
    pub gpu_layers: Option<u32>,
    /// Keep mistral.rs' plain KV cache instead of PagedAttention (which is on for GPUs).
    #[arg(long)]
    pub no_paged_attn: bool,
}

impl LoadArgs {
    pub fn options(&self, path: PathBuf) -> LoadOptions {
        LoadOptions {
            path,
            chat_template: self.template.clone(),
            force_cpu: self.cpu,
            draft: self.draft.clone().map(|path| match self.gamma {
                Some(g) => DraftOptions::fixed(path, g),
                None => DraftOptions::adaptive(path),
            }),
            max_context: self.max_context,
            isq: self.isq.clone(),
            gpu_layers: self.gpu_layers,
            paged_attention: !self.no_paged_attn,
            ..LoadOptions::default()
        }
    }
}
