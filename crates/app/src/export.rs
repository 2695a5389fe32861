//! A saved consultation as a SOAP note in Markdown, for the window's export and the CLI: the
//! disclaimer always in it, the thinking trace only when asked, written to a file when one is
//! named (a failed write changes nothing else).

use crate::error::{AppError, AppResult};
use anamnesis_consult::{export_soap, AnswerStamp, ConsultationExport, ExportMessage, ExportOptions, ExportRole};
use anamnesis_store::{ConsultationId, MessageRole, Store};
use std::path::Path;

/// Consultation `id` as a SOAP note; saved at `path` too, when given. Blocking.
pub fn soap_note(store: &Store, id: ConsultationId, include_reasoning: bool, path: Option<&Path>) -> AppResult<String> {
    let consultation = store.consultation(id)?;
    let export = ConsultationExport {
        title: consultation.title.clone(),
        created_at: consultation.created_at.clone(),
        patient: crate::session::patient_of(&consultation),
        chief_complaint: Some(consultation.chief_complaint.clone()).filter(|s| !s.trim().is_empty()),
        messages: store
            .messages(id)?
            .into_iter()
            .filter_map(|m| {
                let role = match m.role {
                    MessageRole::User => ExportRole::User,
                    MessageRole::Assistant => ExportRole::Assistant,
                    MessageRole::System => return None,
                };
                let reasoning = Some(m.reasoning).filter(|r| !r.is_empty());
                let stamp = m.stats.map(|s| AnswerStamp {
                    model: s.model,
                    quantization: s.quantization,
                    prompt_version: s.prompt_version,
                });
                let attachments = m.attachments.iter().map(|a| a.name.clone()).collect();
                Some(ExportMessage { role, content: m.content, reasoning, stamp, attachments })
            })
            .collect(),
    };
    let md = export_soap(&export, &ExportOptions { include_reasoning, lang: consultation.lang });
    if let Some(path) = path {
        write_private(path, &md).map_err(|source| AppError::Io { path: path.to_path_buf(), source })?;
    }
    Ok(md)
}

/// A health record: readable by its owner only where the OS has modes (a new file; an existing
/// one keeps its own).
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}
