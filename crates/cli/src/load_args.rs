//! How to load a model: the flags `chat`, `consult` and `serve` share, over `--model` or what the
//! app loads.

use crate::CliError;
use anamnesis_app::history::Keychain;
use anamnesis_engine::{DraftOptions, LoadOptions};
use anamnesis_hub::Catalog;
use clap::Args;
use std::path::{Path, PathBuf};

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
    /// What to load: `model` when given, else what the app loads (its chosen model with the
    /// catalog template, draft and planned context, or its remote server); the flags given here
    /// override either.
    pub fn resolve(&self, model: Option<&Path>) -> Result<LoadOptions, CliError> {
        let base = match model {
            Some(path) => LoadOptions { path: path.to_path_buf(), paged_attention: true, ..LoadOptions::default() },
            None => anamnesis_app::models::load_options(
                &crate::settings()?,
                &Catalog::load(),
                &Keychain::default(),
                &anamnesis_settings::data_dir(),
            )
            .map_err(|e| match e {
                anamnesis_app::AppError::NoModelChosen => CliError::new(
                    e.code(),
                    "no model: pass --model, or choose one in the app (or `anamnesis-cli download VARIANT --use`)",
                ),
                e => e.into(),
            })?,
        };
        if let Some(remote) = &base.remote {
            // The patient's words leave this machine: say so, as the window's badge does.
            eprintln!("note: the app uses the remote server {}; the message goes there", remote.base_url);
        }
        Ok(self.apply(base))
    }

    /// `base` with the flags given here in place of its own values.
    pub fn apply(&self, base: LoadOptions) -> LoadOptions {
        let draft = match &self.draft {
            Some(path) => Some(match self.gamma {
                Some(g) => DraftOptions::fixed(path.clone(), g),
                None => DraftOptions::adaptive(path.clone()),
            }),
            None => base.draft.map(|d| match self.gamma {
                Some(g) => DraftOptions::fixed(d.path, g),
                None => d,
            }),
        };
        LoadOptions {
            chat_template: self.template.clone().or(base.chat_template),
            force_cpu: self.cpu || base.force_cpu,
            draft,
            max_context: self.max_context.or(base.max_context),
            isq: self.isq.clone().or(base.isq),
            gpu_layers: self.gpu_layers.or(base.gpu_layers),
            paged_attention: base.paged_attention && !self.no_paged_attn,
            ..base
        }
    }
}
