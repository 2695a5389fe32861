use crate::load_args::LoadArgs;
use crate::CliError;
use anamnesis_engine::{
    ChatEvent, ChatMessage, ChatRequest, Engine, LoadOptions, RemoteOptions, Role, SamplingConfig, ThinkingMode,
};
use anamnesis_openai::ApiKey;
use anamnesis_secrets::{SecretKey, Secrets};
use clap::Args;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ChatArgs {
    /// A model folder (config.json + tokenizer.json + *.safetensors) or a .gguf file.
    #[arg(long, required_unless_present = "remote")]
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
    #[arg(long, default_value_t = SamplingConfig::default().max_tokens)]
    pub max_tokens: u32,
    /// 0 means greedy.
    #[arg(long, default_value_t = SamplingConfig::default().temperature)]
    pub temperature: f64,
    #[arg(long, default_value_t = SamplingConfig::default().top_p)]
    pub top_p: f64,
    #[arg(long, default_value_t = SamplingConfig::default().top_k)]
    pub top_k: u32,
    #[arg(long)]
    pub seed: Option<u64>,
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
    let remote = match &a.remote {
        Some(url) => Some(RemoteOptions { base_url: url.clone(), model: a.remote_model.clone(), api_key: remote_key()? }),
        None => None,
    };
    let engine = Engine::load(LoadOptions {
        remote,
        seed: a.seed,
        ..a.load.options(a.model.clone().unwrap_or_default())
    })
    .await?;
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
    let sampling = SamplingConfig { temperature: a.temperature, top_p: a.top_p, top_k: a.top_k, max_tokens: a.max_tokens, seed: a.seed };
    let mut stream = engine.chat(ChatRequest { messages, sampling, thinking: a.thinking.into(), banned_tokens: vec![] }).await?;

    let stdout = std::io::stdout();
    let dim = !a.json && stdout.is_terminal();
    let mut out = stdout.lock();
    let mut in_reasoning = false;
    let mut failed = None;
    while let Some(ev) = stream.next().await {
        if a.json {
            match &ev {
                ChatEvent::Done { .. } => {}
                ChatEvent::Error(e) => failed = Some(e.clone()),
                _ => {
                    let _ = writeln!(out, "{}", serde_json::to_string(&ev).expect("events serialize"));
                }
            }
            let _ = out.flush();
            continue;
        }
        match ev {
            ChatEvent::Context(b) => {
                if !b.dropped.is_empty() {
                    eprintln!("note: {} earlier message(s) left out to fit the {}-token context", b.dropped.len(), b.limit);
                }
            }
            ChatEvent::Reasoning { text } => {
                if !in_reasoning {
                    in_reasoning = true;
                    let _ = write!(out, "{}Thinking: ", if dim { "\x1b[2m" } else { "" });
                }
                let _ = write!(out, "{text}");
            }
            ChatEvent::Content { text } => {
                if in_reasoning {
                    in_reasoning = false;
                    let _ = write!(out, "{}\n\n", if dim { "\x1b[0m" } else { "" });
                }
                let _ = write!(out, "{text}");
            }
            ChatEvent::Stats(s) => {
                if in_reasoning && dim {
                    let _ = write!(out, "\x1b[0m");
                }
                let _ = writeln!(out);
                let acc = s.draft_acceptance.map(|a| format!(" · draft acceptance {:.0}%", a * 100.0)).unwrap_or_default();
                eprintln!(
                    "[{} tokens · TTFT {:.0} ms · prefill {:.1} tok/s · decode {:.1} tok/s{acc} · {}]",
                    s.tokens, s.ttft_ms, s.prefill_tok_s, s.decode_tok_s, s.device
                );
            }
            ChatEvent::Error(e) => failed = Some(e),
            ChatEvent::Done { .. } => {}
        }
        let _ = out.flush();
    }
    match failed {
        Some(e) => Err(CliError(e)),
        None => Ok(ExitCode::SUCCESS),
    }
}
