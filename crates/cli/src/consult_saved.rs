//! `consult --save`: the window's turn with the history — the consultation saved as it streams
//! in the same encrypted store, titled after its first question, the earlier turns of a
//! continued consultation sent as the conversation so far.

use crate::consult::ConsultArgs;
use crate::printer::Printer;
use crate::CliError;
use anamnesis_app::history::{History, Keychain};
use anamnesis_app::session::{run_turn, Answering, ConsultEvent, Turn};
use anamnesis_app::AppError;
use anamnesis_consult::{Lang, PatientContext};
use anamnesis_engine::ModelHost;
use anamnesis_store::{ConsultationPatch, DbKey, NewConsultation, Store};
use anamnesis_wire::ErrorCode;
use serde::Serialize;
use std::process::ExitCode;

/// The passphrase of a history that uses one instead of the keychain.
pub const PASSPHRASE_ENV: &str = "ANAMNESIS_HISTORY_PASSPHRASE";

/// `--json` lines of their own: where the turn was saved, and the title it was given.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum SavedLine<'a> {
    Saved { consultation_id: i64, user_message_id: i64, assistant_message_id: i64 },
    Titled { title: &'a str },
}

fn open_history() -> Result<Store, CliError> {
    let settings = crate::settings_store();
    let history = History::default();
    match history.store(&settings, &Keychain::default()) {
        Err(AppError::HistoryLocked) => match std::env::var(PASSPHRASE_ENV) {
            Ok(p) => Ok(history.open(&DbKey::passphrase(p).map_err(AppError::from)?)?),
            Err(_) => Err(CliError::new(
                ErrorCode::HistoryLocked,
                format!("the consultation history is protected by a passphrase: set {PASSPHRASE_ENV}"),
            )),
        },
        r => Ok(r?),
    }
}

/// The consultation to answer in: a new one with the patient and complaint, or the one named.
fn consultation(store: &Store, a: &ConsultArgs, patient: PatientContext) -> Result<i64, CliError> {
    let thinking = a.thinking.into();
    let Some(id) = a.consultation else {
        let new = NewConsultation {
            chief_complaint: a.complaint.clone().unwrap_or_default(),
            patient: Some(patient),
            lang: Lang::detect(&a.message),
            thinking,
            ..NewConsultation::default()
        };
        return Ok(store.create_consultation(new).map_err(AppError::from)?.id);
    };
    let patch = ConsultationPatch {
        chief_complaint: a.complaint.clone(),
        thinking: Some(thinking),
        patient: (patient != PatientContext::default()).then_some(Some(patient)),
        ..ConsultationPatch::default()
    };
    store.update_consultation(id, patch).map_err(AppError::from)?;
    Ok(id)
}

/// The history, opened as the window opens it. SQLCipher's key derivation and the keychain
/// block: off the runtime.
pub async fn open() -> Result<Store, CliError> {
    tokio::task::spawn_blocking(open_history).await.map_err(|e| CliError::new(ErrorCode::Internal, e.to_string()))?
}

pub async fn run(
    a: ConsultArgs,
    patient: PatientContext,
    attachments: Vec<anamnesis_wire::Attachment>,
    host: &ModelHost,
    store: Store,
) -> Result<ExitCode, CliError> {
    let id = consultation(&store, &a, patient)?;
    let answering = Answering { thinking: a.thinking.into(), sampling: a.sampling.config() };
    let mut printer = Printer::new(a.json);
    let mut title = None;
    run_turn(&store, host, id, Turn::New(a.message.clone(), attachments), answering, |ev| {
        match ev {
            ConsultEvent::Triage { triage } => printer.triage(triage),
            ConsultEvent::Titled { title: t } => {
                if a.json {
                    printer.line(&SavedLine::Titled { title: &t });
                }
                title = Some(t);
            }
            ConsultEvent::Saved { user_message_id, assistant_message_id } if a.json => {
                printer.line(&SavedLine::Saved { consultation_id: id, user_message_id, assistant_message_id })
            }
            ConsultEvent::Chat { event } => printer.chat(event),
            // The window's cards and sections; the terminal shows the text as it is.
            _ => {}
        }
        true
    })
    .await?;
    if !a.json {
        let named = title.map(|t| format!(" \"{t}\"")).unwrap_or_default();
        eprintln!("saved: consultation {id}{named} (continue it with --consultation {id})");
    }
    match printer.failed.take() {
        Some(e) => Err(CliError(e)),
        None => Ok(ExitCode::SUCCESS),
    }
}
