//! `anamnesis-cli`: the app's capabilities without a window. Subcommand names, flags and
//! `--json` shapes are a contract other tools rely on.

mod bench;
mod chat;
mod consult;
mod consult_saved;
mod download;
mod export;
mod hw;
mod load_args;
mod patient_args;
mod printer;
mod rss;
mod serve;
mod triage;

use anamnesis_engine::{EngineError, ErrorPayload};
use anamnesis_wire::ErrorCode;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "anamnesis-cli", version, about = "Anamnesis, headless: a private medical reasoning assistant")]
struct Cli {
    /// CPU threads for model math (default: all cores).
    #[arg(long, global = true)]
    threads: Option<usize>,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Ask the model one question and stream its answer, as it is (no triage, no medical
    /// system prompt).
    Chat(chat::ChatArgs),
    /// A consultation turn, as in the window: red-flag triage first, then the answer with the
    /// medical system prompt and the patient context.
    Consult(consult::ConsultArgs),
    /// Measure load time, time to first token, prefill and decode speed, and peak memory.
    Bench(bench::BenchArgs),
    /// Show the hardware and the model variant and context that fit it.
    Hw(hw::HwArgs),
    /// Download a model variant (or a Hugging Face repo), resumable and verified.
    Download(download::DownloadArgs),
    /// Re-hash a downloaded model folder against its verified stamp.
    Verify(download::VerifyArgs),
    /// Check a message for red flags (rule-based, no model): emergency, urgent or routine.
    Triage(triage::TriageArgs),
    /// Serve the model over a local OpenAI-compatible API (127.0.0.1 only, bearer key).
    Serve(serve::ServeArgs),
    /// A saved consultation as a SOAP note in Markdown, as the window exports it.
    Export(export::ExportArgs),
}

/// An error that knows its stable code, for `{code, message}` output.
pub struct CliError(ErrorPayload);

impl From<EngineError> for CliError {
    fn from(e: EngineError) -> Self {
        Self(e.payload())
    }
}

impl From<anamnesis_app::AppError> for CliError {
    fn from(e: anamnesis_app::AppError) -> Self {
        Self::new(e.code(), e.to_string())
    }
}

impl CliError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self(ErrorPayload::new(code, message))
    }
}

/// The app's settings file, so the CLI and the app agree (models folder, hub endpoints, the
/// chosen model).
pub fn settings_store() -> anamnesis_settings::SettingsStore {
    anamnesis_settings::SettingsStore::new(anamnesis_settings::config_dir().join("settings.json"))
}

/// The app's settings.
pub fn settings() -> Result<anamnesis_settings::Settings, CliError> {
    settings_store().load().map(|l| l.settings).map_err(|e| CliError::new(e.code(), e.to_string()))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(n) = cli.threads {
        // candle's rayon pool reads this once, before any model math.
        std::env::set_var("RAYON_NUM_THREADS", n.max(1).to_string());
    }
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .init();
    }
    let json = match &cli.cmd {
        Cmd::Chat(a) => a.json,
        Cmd::Consult(a) => a.json,
        Cmd::Bench(a) => a.json,
        Cmd::Hw(a) => a.json,
        Cmd::Download(a) => a.json,
        Cmd::Verify(a) => a.json,
        Cmd::Triage(a) => a.json,
        Cmd::Serve(a) => a.json,
        Cmd::Export(a) => a.json,
    };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    let result = rt.block_on(async {
        match cli.cmd {
            Cmd::Chat(a) => chat::run(a).await,
            Cmd::Consult(a) => consult::run(a).await,
            Cmd::Bench(a) => bench::run(a).await,
            Cmd::Hw(a) => hw::run(a),
            Cmd::Download(a) => download::run(a).await,
            Cmd::Verify(a) => download::verify(a),
            Cmd::Triage(a) => triage::run(a),
            Cmd::Serve(a) => serve::run(a).await,
            Cmd::Export(a) => export::run(a).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(CliError(e)) => {
            if json {
                let line = serde_json::json!({"type": "error", "code": e.code, "message": e.message});
                println!("{line}");
            }
            eprintln!("error[{}]: {}", e.code, e.message);
            ExitCode::FAILURE
        }
    }
}
