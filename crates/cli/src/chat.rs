use crate::load_args::LoadArgs;
use crate::printer::Printer;
use crate::CliError;
use anamnesis_engine::{
    ChatMessage, ChatRequest, Engine, LoadOptions, RemoteOptions, Role, SamplingConfig, ThinkingMode,
};
use anamnesis_openai::ApiKey;
use anamnesis_secrets::{SecretKey, Secrets};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// The model as it is: no triage and no medical system prompt (`consult` has both).
#[derive(Args)]
pub struct ChatArgs {
    /// A model folder (config.json + tokenizer.json + *.safetensors) or a .gguf file; without
    /// it (or --remote), the model the app uses.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Ask a remote OpenAI-compatible server (vLLM/SGLang) instead, e.g. https://host/v1. Its
    /// key comes from $ANAMNESIS_REMOTE_API_KEY, else the keychain.
    #[arg(long, conflicts_with = "model")]
    pub remote: Option<String>,
    /// The remote model id (default: the first the server lists).
    #[arg(long, requires = "remote")]
    pub remote_model: Option<String>,
    /// on: always think first; off: answer directly; auto: the model decides.
    #[arg(long, value_enum, default_value = "auto")]
    pub thinking: ThinkingArg,
    #[command(flatten)]
    pub sampling: SamplingArgs,
    /// A system prompt.
    #[arg(long)]
    pub system: Option<String>,
    #[command(flatten)]
    pub load: LoadArgs,
    /// One JSON object per line: context, reasoning, content, stats.
    #[arg(long)]
    pub json: bool,
    pub prompt: String,
}

/// Sampling flags; defaults follow Baichuan-M2.
#[derive(Args)]
pub struct SamplingArgs {
    #[arg(long, default_value_t = SamplingConfig::default().max_tokens)]
    pub max_tokens: u32,
    /// 0 means greedy.
    #[arg(long, default_value_t = SamplingConfig::default().temperature)]
    pub temperature: f64,
    #[arg(long, default_value_t = SamplingConfig::default().top_p)]
    pub top_p: f64,
    #[arg(long, default_value_t = SamplingConfig::default().top_k)]
    pub top_k: u32,
    /// Makes a sampled answer repeat.
    #[arg(long)]
    pub seed: Option<u64>,
}

impl SamplingArgs {
    pub fn config(&self) -> SamplingConfig {
        SamplingConfig {
            temperature: self.temperature,
            top_p: self.top_p,
            top_k: self.top_k,
            max_tokens: self.max_tokens,
            seed: self.seed,
        }
    }
}

/// `--thinking` values; clap lists them in its own error for anything else.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ThinkingArg {
    On,
    Off,
    Auto,
}

impl From<ThinkingArg> for ThinkingMode {
    fn from(a: ThinkingArg) -> Self {
        match a {
            ThinkingArg::On => Self::On,
            ThinkingArg::Off => Self::Off,
            ThinkingArg::Auto => Self::Auto,
        }
    }
}

/// The remote server's key: the environment's, else the keychain's; none is fine (a server
/// without auth on a private network).
fn remote_key() -> Result<Option<ApiKey>, CliError> {
    if let Some(k) = std::env::var("ANAMNESIS_REMOTE_API_KEY").ok().filter(|k| !k.trim().is_empty()) {
        return Ok(Some(ApiKey::new(k.trim())));
    }
    let Ok(secrets) = Secrets::open(anamnesis_settings::APP_ID) else { return Ok(None) };
    let key = secrets.get(SecretKey::RemoteApiKey).map_err(|e| CliError::new(e.code(), e.to_string()))?;
    Ok(key.map(|k| ApiKey::new(k.expose())))
}

pub async fn run(a: ChatArgs) -> Result<ExitCode, CliError> {
    let opts = match &a.remote {
        Some(url) => {
            let remote = RemoteOptions { base_url: url.clone(), model: a.remote_model.clone(), api_key: remote_key()? };
            LoadOptions { remote: Some(remote), ..a.load.apply(LoadOptions::default()) }
        }
        None => a.load.resolve(a.model.as_deref())?,
    };
    let engine = Engine::load(opts).await?;
    let info = engine.info();
    for n in &info.notices {
        eprintln!("notice: {n}");
    }
    if info.on_cpu && !a.json {
        eprintln!("note: running {} on the CPU; answers will be slow", info.name);
    } else if let Some(l) = info.layers.filter(|l| l.on_gpu < l.total && !a.json) {
        eprintln!("note: {} runs {}; the CPU layers slow every token", info.name, l.describe());
    }
    let mut messages = Vec::new();
    if let Some(s) = &a.system {
        messages.push(ChatMessage::new(Role::System, s));
    }
    messages.push(ChatMessage::new(Role::User, &a.prompt));
    let sampling = a.sampling.config();
    let mut stream =
        engine.chat(ChatRequest { messages, sampling, thinking: a.thinking.into(), banned_tokens: vec![] }).await?;

    let mut printer = Printer::new(a.json);
    while let Some(ev) = stream.next().await {
        printer.chat(ev);
    }
    let failed = printer.failed.take();
    match failed {
        Some(e) => Err(CliError(e)),
        None => Ok(ExitCode::SUCCESS),
    }
}
