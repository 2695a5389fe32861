//! `anamnesis-cli download` and `verify`: the hub crate with progress bars or JSON lines.

use crate::CliError;
use anamnesis_hub::{download, Catalog, DownloadControl, DownloadEvent, HubClient, HubConfig, HubError, Token};
use anamnesis_secrets::{SecretKey, Secrets};
use anamnesis_wire::ErrorCode;
use clap::Args;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Mutex, PoisonError};

impl From<HubError> for CliError {
    fn from(e: HubError) -> Self {
        CliError::new(e.code(), e.to_string())
    }
}

#[derive(Args)]
pub struct DownloadArgs {
    /// A catalog variant (e.g. baichuan-m2-32b-gptq-int4, qwen3-0.6b) or a Hugging Face repo (owner/name).
    pub target: String,
    /// The primary Hugging Face endpoint (default: settings, then HF_ENDPOINT, then https://huggingface.co).
    #[arg(long)]
    pub endpoint: Option<String>,
    /// A mirror to try after the primary; repeat for more.
    #[arg(long = "mirror")]
    pub mirrors: Vec<String>,
    /// The ModelScope endpoint (default https://modelscope.cn).
    #[arg(long)]
    pub modelscope_endpoint: Option<String>,
    /// Never fall back to ModelScope.
    #[arg(long)]
    pub no_modelscope: bool,
    /// The folder for this model (default: <models folder>/<variant>).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Revision for a repo download.
    #[arg(long, default_value = "main")]
    pub revision: String,
    /// Parallel connections per file.
    #[arg(long, default_value_t = 8)]
    pub connections: usize,
    /// Part size in MiB (each part is resumed on its own).
    #[arg(long, default_value_t = 64)]
    pub part_mib: u64,
    /// Skip the free-space check (for file systems that misreport it).
    #[arg(long)]
    pub no_space_check: bool,
    /// Then make it the model the app (and `consult`, `chat`, `serve` without --model) loads,
    /// with its draft if downloaded and the context the planner gives it here.
    #[arg(long = "use", conflicts_with = "dir")]
    pub use_it: bool,
    /// One JSON event per line instead of progress bars.
    #[arg(long)]
    pub json: bool,
}

fn config(args: &DownloadArgs) -> Result<HubConfig, CliError> {
    let hub = crate::settings()?.hub;
    let endpoint = args.endpoint.as_deref().or(hub.endpoint.as_deref());
    let mirrors = if args.mirrors.is_empty() { hub.mirrors } else { args.mirrors.clone() };
    let mut cfg = HubConfig::with_endpoints(endpoint, &mirrors, hub.modelscope && !args.no_modelscope)?;
    if let (Some(ms), Some(_)) = (&args.modelscope_endpoint, &cfg.modelscope) {
        cfg.modelscope = Some(anamnesis_hub::parse_endpoint(ms)?);
    }
    cfg.connections = args.connections.max(1);
    cfg.part_size = args.part_mib.max(1) << 20;
    cfg.space_check = !args.no_space_check;
    // HF_TOKEN as in the Hugging Face tools, else the token the app saved in the keychain.
    cfg.token = std::env::var("HF_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| {
            Secrets::open(anamnesis_settings::APP_ID).ok()?.get(SecretKey::HfToken).ok()??.expose().to_string().into()
        })
        .map(Token::new);
    Ok(cfg)
}

pub async fn run(args: DownloadArgs) -> Result<ExitCode, CliError> {
    let catalog = Catalog::load();
    let variant = match catalog.get(&args.target) {
        Ok(v) => v.clone(),
        Err(_) if args.target.contains('/') && !args.use_it => Catalog::ad_hoc(&args.target, &args.revision)?,
        Err(e) => return Err(e.into()),
    };
    let dir = match &args.dir {
        Some(d) => d.clone(),
        None => crate::settings()?.models_dir().join(&variant.id),
    };
    let client = HubClient::new(config(&args)?)?;
    let control = DownloadControl::new();
    let on_ctrl_c = control.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_ctrl_c.pause();
        }
    });
    let bars = Bars::new(args.json);
    let result = download(&client, &variant, &dir, &control, &|e| bars.show(e)).await;
    bars.finish();
    let report = result.map_err(|e| match e {
        HubError::Paused => {
            CliError::new(ErrorCode::Paused, "paused; run the same command again to resume where it stopped")
        }
        e => e.into(),
    })?;
    if args.json {
        println!("{}", serde_json::json!({"type": "report", "report": report}));
    } else {
        println!(
            "verified {} files ({:.2} GB) in {} ({:.1} s)",
            report.files,
            report.total as f64 / 1e9,
            report.dir,
            report.secs
        );
    }
    if args.use_it {
        let s = anamnesis_app::models::choose(
            &crate::settings_store(),
            &catalog,
            &anamnesis_hardware::detect(),
            &variant.id,
        )?;
        let (path, context) = (s.model_path.unwrap_or_default(), s.max_context);
        if args.json {
            println!(
                "{}",
                serde_json::json!({"type": "using", "model_path": path, "draft_path": s.draft_path, "max_context": context})
            );
        } else {
            let context = context.map(|c| format!(", context {c} tokens")).unwrap_or_default();
            println!("the app now uses {path}{context}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A total bar and a bar for the current file; retries and source changes print above them.
struct Bars {
    json: bool,
    multi: MultiProgress,
    total: ProgressBar,
    file: ProgressBar,
    current: Mutex<String>,
}

impl Bars {
    fn new(json: bool) -> Self {
        let style =
            ProgressStyle::with_template("{msg:<32!} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
                .expect("valid template")
                .progress_chars("=> ");
        let multi = MultiProgress::new();
        if json {
            multi.set_draw_target(indicatif::ProgressDrawTarget::hidden());
        }
        let total = multi.add(ProgressBar::new(0).with_style(style.clone()).with_message("total"));
        let file = multi.add(ProgressBar::new(0).with_style(style));
        Self { json, multi, total, file, current: Mutex::default() }
    }

    fn show(&self, e: DownloadEvent) {
        if self.json {
            println!("{}", serde_json::to_string(&e).expect("event serializes"));
            return;
        }
        match e {
            DownloadEvent::Planned { source, files, total, present, .. } => {
                let _ = self.multi.println(format!("{} files from {source}", files.len()));
                self.total.set_length(total);
                self.total.set_position(present);
            }
            DownloadEvent::Progress { file, bytes, total, .. } => {
                let mut cur = self.current.lock().unwrap_or_else(PoisonError::into_inner);
                if *cur != file {
                    self.file.reset();
                    self.file.set_length(total);
                    self.file.set_message(file.clone());
                    *cur = file;
                }
                self.file.set_position(bytes);
            }
            DownloadEvent::Total { bytes, .. } => self.total.set_position(bytes),
            DownloadEvent::Retrying { file, reason, wait_ms, .. } => {
                let _ = self.multi.println(format!("retrying {file} in {wait_ms} ms: {reason}"));
            }
            DownloadEvent::SourceFailed { source, reason, next } => {
                let then = next.map(|n| format!("; trying {n}")).unwrap_or_default();
                let _ = self.multi.println(format!("{source} failed: {reason}{then}"));
            }
            DownloadEvent::FileDone { file, skipped } => {
                let _ = self.multi.println(format!("✓ {file}{}", if skipped { " (already verified)" } else { "" }));
            }
            DownloadEvent::Verifying { .. } | DownloadEvent::Done { .. } => {}
        }
    }

    fn finish(&self) {
        self.file.finish_and_clear();
        self.total.finish_and_clear();
    }
}

#[derive(Args)]
pub struct VerifyArgs {
    /// A downloaded model folder (with its .verified.json).
    pub dir: PathBuf,
    #[arg(long)]
    pub json: bool,
}

pub fn verify(args: VerifyArgs) -> Result<ExitCode, CliError> {
    let stamp_total: u64 = std::fs::read(args.dir.join(anamnesis_hub::STAMP))
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v["files"].as_object().map(|f| f.values().filter_map(|x| x["size"].as_u64()).sum()))
        .unwrap_or(0);
    let bar = if args.json { ProgressBar::hidden() } else { ProgressBar::new(stamp_total) };
    bar.set_style(
        ProgressStyle::with_template("verifying [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}")
            .expect("valid template"),
    );
    let report = anamnesis_hub::verify(&args.dir, &|n| bar.inc(n))?;
    bar.finish_and_clear();
    if args.json {
        println!("{}", serde_json::to_string(&report).expect("report serializes"));
    } else {
        for f in &report.files {
            match &f.problem {
                None => println!("✓ {}", f.path),
                Some(p) => println!("✗ {}: {p}", f.path),
            }
        }
        println!(
            "{:.2} GB in {:.1} s ({:.2} GB/s)",
            report.bytes as f64 / 1e9,
            report.secs,
            report.bytes as f64 / 1e9 / report.secs.max(1e-9)
        );
    }
    if report.ok {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "error[CHECKSUM_MISMATCH]: {} file(s) in {} failed verification",
            report.files.iter().filter(|f| !f.ok).count(),
            report.dir
        );
        Ok(ExitCode::FAILURE)
    }
}
