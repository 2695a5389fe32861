//! Consultation commands: the history list, one consultation with its patient context, a turn
//! (new, edited or regenerated) streamed over a typed Channel, search, delete, SOAP export.

use crate::error::{blocking, AppResult};
use crate::state::AppState;
use anamnesis_app::attachments::AttachmentPreview;
use anamnesis_app::session::{self, ConsultEvent, ConsultationView, Turn};
use anamnesis_consult::PatientContext;
use anamnesis_engine::{ChatEvent, ThinkingMode};
use anamnesis_store::{ConsultationPatch, ConsultationSummary, SearchHit};
use anamnesis_wire::Attachment;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};

#[tauri::command]
pub fn list_consultations(state: State<'_, AppState>) -> AppResult<Vec<ConsultationSummary>> {
    Ok(state.store()?.list_consultations()?)
}

#[tauri::command]
pub fn new_consultation(state: State<'_, AppState>) -> AppResult<ConsultationView> {
    let settings = state.settings.load()?.settings;
    Ok(session::new_consultation(&state.store()?, &settings, state.host.status_info().as_ref())?)
}

#[tauri::command]
pub fn open_consultation(id: i64, state: State<'_, AppState>) -> AppResult<ConsultationView> {
    Ok(session::view(&state.store()?, id)?)
}

/// Title, chief complaint, thinking mode and patient context; the context is validated (plausible ages,
/// weights, pregnancy) before it is saved.
#[tauri::command]
pub fn update_consultation(
    id: i64,
    title: Option<String>,
    chief_complaint: Option<String>,
    patient: Option<PatientContext>,
    thinking: Option<ThinkingMode>,
    state: State<'_, AppState>,
) -> AppResult<ConsultationView> {
    let patient = patient.map(PatientContext::validated).transpose()?;
    let patch = ConsultationPatch {
        title,
        chief_complaint,
        thinking,
        patient: patient.map(Some),
        ..ConsultationPatch::default()
    };
    let store = state.store()?;
    store.update_consultation(id, patch)?;
    Ok(session::view(&store, id)?)
}

/// Deletes for real (VACUUM rewrites the file), so off the main thread.
#[tauri::command]
pub async fn delete_consultation(id: i64, app: AppHandle) -> AppResult<Vec<ConsultationSummary>> {
    blocking(move || {
        let store = app.state::<AppState>().store()?;
        store.delete_consultation(id)?;
        Ok(store.list_consultations()?)
    })
    .await
}

#[tauri::command]
pub fn search_history(query: String, state: State<'_, AppState>) -> AppResult<Vec<SearchHit>> {
    Ok(state.store()?.search(&query, 50)?)
}

/// Answers with the consultation's own thinking mode, so the UI cannot send a stale one.
async fn turn(app: AppHandle, id: i64, turn: Turn, on_event: Channel<ConsultEvent>) -> AppResult<()> {
    let result = answer(app, id, turn, &on_event).await;
    // After every other event, success or failure: the UI waits for it (see ConsultEvent).
    let _ = on_event.send(ConsultEvent::Finished);
    result
}

async fn answer(app: AppHandle, id: i64, turn: Turn, on_event: &Channel<ConsultEvent>) -> AppResult<()> {
    let st = app.state::<AppState>();
    let store = st.store()?;
    let thinking = store.consultation(id)?.thinking;
    let mut stats = None;
    let result = session::run_turn(&store, &st.host, id, turn, thinking, |ev| {
        if let ConsultEvent::Chat { event: ChatEvent::Stats(s) } = &ev {
            stats = Some(s.clone());
        }
        on_event.send(ev).is_ok()
    })
    .await;
    // What the answer taught about the model and its draft: a draft that never pays here is
    // left out of the next load. Failing to note it never fails the answer.
    if let (Some(stats), Ok(loaded)) = (&stats, st.settings.load()) {
        let s = loaded.settings;
        if let (Some(model), Some(draft)) = (&s.model_path, &s.draft_path) {
            if let Some(m) = anamnesis_app::drafts::measurement(model, draft, stats) {
                if let Err(e) = st.settings.update(|s| s.remember_draft(m)) {
                    tracing::warn!("could not note the draft's measurement: {e}");
                }
            }
        }
    }
    Ok(result?)
}

/// A new question, with the documents attached to it (as `read_attachment` returned them).
#[tauri::command]
pub async fn consult_send(
    id: i64,
    text: String,
    attachments: Vec<Attachment>,
    on_event: Channel<ConsultEvent>,
    app: AppHandle,
) -> AppResult<()> {
    turn(app, id, Turn::New(text, attachments), on_event).await
}

/// Extracts the text of a file the user picked (plain text or PDF), on this computer. `data` is
/// the file's bytes in base64.
#[tauri::command]
pub async fn read_attachment(name: String, data: String, app: AppHandle) -> AppResult<AttachmentPreview> {
    Ok(anamnesis_app::attachments::read(&app.state::<AppState>().host, name, data).await?)
}

/// Edits a user message and answers again; the later turns are replaced.
#[tauri::command]
pub async fn consult_edit(
    id: i64,
    message_id: i64,
    text: String,
    on_event: Channel<ConsultEvent>,
    app: AppHandle,
) -> AppResult<()> {
    turn(app, id, Turn::Edit(message_id, text), on_event).await
}

#[tauri::command]
pub async fn consult_regenerate(id: i64, on_event: Channel<ConsultEvent>, app: AppHandle) -> AppResult<()> {
    turn(app, id, Turn::Regenerate, on_event).await
}

/// The consultation as a SOAP note in Markdown (disclaimer always in; the thinking trace only
/// when asked). `path` saves it there as well (from the native save dialog).
#[tauri::command]
pub async fn export_consultation(
    id: i64,
    include_reasoning: bool,
    path: Option<String>,
    app: AppHandle,
) -> AppResult<String> {
    blocking(move || {
        let store = app.state::<AppState>().store()?;
        Ok(anamnesis_app::export::soap_note(&store, id, include_reasoning, path.as_deref().map(std::path::Path::new))?)
    })
    .await
}
