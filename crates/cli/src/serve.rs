//! `serve`: the local OpenAI-compatible API on 127.0.0.1, over one loaded model.

use crate::load_args::LoadArgs;
use crate::CliError;
use anamnesis_app::api::AppBackend;
use anamnesis_engine::ModelHost;
use anamnesis_openai::{ApiKey, ServerConfig};
use anamnesis_secrets::{SecretKey, Secrets};
use anamnesis_wire::ErrorCode;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

/// Where a key may come from other than the keychain (argv is visible to every user: no flag).
pub const API_KEY_ENV: &str = "ANAMNESIS_API_KEY";

#[derive(Args)]
pub struct ServeArgs {
    /// A model folder or a .gguf file; without it, the model the app uses.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// 0 picks a free port.
    #[arg(long, default_value_t = 8089)]
    pub port: u16,
    #[command(flatten)]
    pub load: LoadArgs,
    /// Print the API key (from $ANAMNESIS_API_KEY, else the keychain, made there on first use).
    #[arg(long)]
    pub show_key: bool,
    #[arg(long)]
    pub json: bool,
}

/// The key clients must send: the environment's, else the keychain's (created once).
fn api_key() -> Result<ApiKey, CliError> {
    if let Some(k) = std::env::var(API_KEY_ENV).ok().filter(|k| !k.trim().is_empty()) {
        return Ok(ApiKey::new(k.trim()));
    }
    let fail = |e: anamnesis_secrets::SecretsError| {
        CliError::new(e.code(), format!("{e}; or set {API_KEY_ENV} to the key clients must send"))
    };
    let secrets = Secrets::open(anamnesis_settings::APP_ID).map_err(fail)?;
    if let Some(k) = secrets.get(SecretKey::LocalApiKey).map_err(fail)? {
        return Ok(ApiKey::new(k.expose()));
    }
    let key = ApiKey::generate();
    secrets.set(SecretKey::LocalApiKey, key.reveal()).map_err(fail)?;
    Ok(key)
}

pub async fn run(a: ServeArgs) -> Result<ExitCode, CliError> {
    let key = api_key()?;
    let host = Arc::new(ModelHost::default());
    host.load(a.load.resolve(a.model.as_deref())?).await?;
    let server = anamnesis_openai::server::start(ServerConfig::new(a.port, key.clone()), Arc::new(AppBackend(host)))
        .await
        .map_err(|e| CliError::new(e.code(), e.to_string()))?;
    let url = server.base_url();
    if a.json {
        let mut line = serde_json::json!({"type": "listening", "base_url": url});
        if a.show_key {
            line["api_key"] = key.reveal().into();
        }
        println!("{line}");
    } else {
        println!("listening on {url} (this computer only); Ctrl-C stops");
        if a.show_key {
            println!("api key: {}", key.reveal());
        }
    }
    tokio::signal::ctrl_c().await.map_err(|e| CliError::new(ErrorCode::IoError, e.to_string()))?;
    server.shutdown().await;
    Ok(ExitCode::SUCCESS)
}
