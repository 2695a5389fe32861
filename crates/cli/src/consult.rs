//! `consult`: the window's consultation turn from a terminal — the red-flag triage first (an
//! emergency's advice is printed before anything the model says), then the medical system
//! prompt with the patient context, the answer, and the model's own red flags as a second net.

use crate::chat::{SamplingArgs, ThinkingArg};
use crate::load_args::LoadArgs;
use crate::patient_args::PatientArgs;
use crate::printer::Printer;
use crate::CliError;
use anamnesis_app::turn::{self, TurnEvent, TurnInput};
use anamnesis_engine::ModelHost;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ConsultArgs {
    /// A model folder (config.json + tokenizer.json + *.safetensors) or a .gguf file; without
    /// it, the model the app uses, loaded as the app loads it.
    #[arg(long)]
    pub model: Option<PathBuf>,
    #[command(flatten)]
    pub patient: PatientArgs,
    /// The chief complaint, when it differs from the message.
    #[arg(long)]
    pub complaint: Option<String>,
    #[arg(long, value_enum, default_value = "auto")]
    pub thinking: ThinkingArg,
    #[command(flatten)]
    pub sampling: SamplingArgs,
    #[command(flatten)]
    pub load: LoadArgs,
    /// One JSON object per line: the triage first, then the model's events.
    #[arg(long)]
    pub json: bool,
    /// Keep the consultation in the encrypted history, as the window does (the keychain's key,
    /// or the passphrase in ANAMNESIS_HISTORY_PASSPHRASE where the history uses one).
    #[arg(long)]
    pub save: bool,
    /// Continue this saved consultation (implies --save): its earlier turns are the conversation
    /// so far; patient flags, when given, replace its patient context.
    #[arg(long, value_name = "ID")]
    pub consultation: Option<i64>,
    /// A document to attach (plain text or PDF; its text is extracted here): lab results, a
    /// letter, a medication list. Repeat for more, at most 5.
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<PathBuf>,
    /// What the patient says.
    pub message: String,
}

/// The documents of `--attach`, read before any model loads: a wrong file fails fast.
pub fn attachments(files: &[PathBuf]) -> Result<Vec<anamnesis_wire::Attachment>, CliError> {
    if files.len() > anamnesis_attach::MAX_PER_MESSAGE {
        let most = anamnesis_attach::MAX_PER_MESSAGE;
        return Err(CliError::new(
            anamnesis_wire::ErrorCode::InvalidArgument,
            format!("at most {most} documents can be attached"),
        ));
    }
    files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(f).map_err(|e| {
                CliError::new(anamnesis_wire::ErrorCode::IoError, format!("could not read {}: {e}", f.display()))
            })?;
            anamnesis_attach::extract(&f.display().to_string(), &bytes)
                .map_err(|e| CliError::new(e.code(), e.to_string()))
        })
        .collect()
}

pub async fn run(a: ConsultArgs) -> Result<ExitCode, CliError> {
    let patient = a.patient.context()?;
    let attachments = attachments(&a.attach)?;
    // A saved consultation needs the history: a locked one is said before a model loads.
    let store = match a.save || a.consultation.is_some() {
        true => Some(crate::consult_saved::open().await?),
        false => None,
    };
    let host = ModelHost::default();
    let info = host.load(a.load.resolve(a.model.as_deref())?).await?;
    if !a.json {
        for n in &info.notices {
            eprintln!("notice: {n}");
        }
    }
    if let Some(store) = store {
        return crate::consult_saved::run(a, patient, attachments, &host, store).await;
    }
    let input = TurnInput {
        history: Vec::new(),
        message: a.message.clone(),
        attachments,
        patient,
        complaint: a.complaint.clone(),
        thinking: a.thinking.into(),
        sampling: a.sampling.config(),
    };
    let mut printer = Printer::new(a.json);
    turn::run(&host, input, |ev| {
        match ev {
            TurnEvent::Triage { triage } => printer.triage(triage),
            TurnEvent::Chat { event } => printer.chat(event),
        }
        true
    })
    .await
    .map_err(|e| CliError::new(e.code(), e.to_string()))?;
    match printer.failed.take() {
        Some(e) => Err(CliError(e)),
        None => Ok(ExitCode::SUCCESS),
    }
}
