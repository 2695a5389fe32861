//! Consultations: create, read, list, update, delete.

use anamnesis_consult::{Lang, PatientContext};
use anamnesis_wire::ThinkingMode;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use ts_rs::TS;

use crate::{json, timestamp_now, Store, StoreError};

pub type ConsultationId = i64;

/// A consultation without its messages.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Consultation {
    #[ts(type = "number")]
    pub id: ConsultationId,
    pub title: String,
    pub chief_complaint: String,
    /// The patient context; `null` until one is set.
    pub patient: Option<PatientContext>,
    /// The language of the consultation.
    pub lang: Lang,
    /// The thinking mode its answers use.
    pub thinking: ThinkingMode,
    pub created_at: String,
    pub updated_at: String,
}

/// One row of the history list.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ConsultationSummary {
    #[ts(type = "number")]
    pub id: ConsultationId,
    pub title: String,
    pub chief_complaint: String,
    pub updated_at: String,
    /// User and assistant messages (system messages are not counted).
    #[ts(type = "number")]
    pub message_count: i64,
    /// The start of the latest non-empty message as plain words (its Markdown removed), on one
    /// line; empty when there is none.
    pub last_snippet: String,
}

/// What a new consultation starts with.
#[derive(Debug, Clone, PartialEq)]
pub struct NewConsultation {
    pub title: String,
    pub chief_complaint: String,
    pub patient: Option<PatientContext>,
    pub lang: Lang,
    pub thinking: ThinkingMode,
}

impl Default for NewConsultation {
    fn default() -> Self {
        Self {
            title: String::new(),
            chief_complaint: String::new(),
            patient: None,
            lang: Lang::En,
            thinking: ThinkingMode::Auto,
        }
    }
}

/// Changes to a consultation; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConsultationPatch {
    pub title: Option<String>,
    pub chief_complaint: Option<String>,
    pub lang: Option<Lang>,
    pub thinking: Option<ThinkingMode>,
    /// `Some(None)` clears the patient context.
    pub patient: Option<Option<PatientContext>>,
}

const MAX_TITLE_CHARS: usize = 300;
const MAX_COMPLAINT_CHARS: usize = 4000;
const SNIPPET_CHARS: usize = 120;

const COLUMNS: &str = "id, title, chief_complaint, patient_json, lang, thinking, created_at, updated_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Consultation> {
    Ok(Consultation {
        id: row.get(0)?,
        title: row.get(1)?,
        chief_complaint: row.get(2)?,
        patient: json::column(row, 3)?,
        lang: Lang::from_tag(&row.get::<_, String>(4)?),
        // The column is CHECKed to the three names; anything else would be a foreign write.
        thinking: ThinkingMode::from_name(&row.get::<_, String>(5)?).unwrap_or_default(),
        created_at: row.get(6)?,
        updated_at: row.get(7)?,
    })
}

impl Store {
    pub fn create_consultation(&self, new: NewConsultation) -> Result<Consultation, StoreError> {
        check_title(&new.title)?;
        check_complaint(&new.chief_complaint)?;
        let now = timestamp_now();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO consultations (title, chief_complaint, patient_json, lang, thinking, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
                params![new.title, new.chief_complaint, json::to_text(new.patient.as_ref()), new.lang.tag(), new.thinking.name(), now],
            )?;
            get(tx, tx.last_insert_rowid())
        })
    }

    pub fn consultation(&self, id: ConsultationId) -> Result<Consultation, StoreError> {
        self.read(|conn| get(conn, id))
    }

    /// Every consultation, most recently active first.
    pub fn list_consultations(&self) -> Result<Vec<ConsultationSummary>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT c.id, c.title, c.chief_complaint, c.updated_at,
                    (SELECT count(*) FROM messages m
                      WHERE m.consultation_id = c.id AND m.role <> 'system'),
                    (SELECT m.content FROM messages m
                      WHERE m.consultation_id = c.id AND m.role <> 'system' AND m.content <> ''
                      ORDER BY m.seq DESC LIMIT 1)
                 FROM consultations c
                 ORDER BY c.updated_at DESC, c.id DESC",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(ConsultationSummary {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    chief_complaint: r.get(2)?,
                    updated_at: r.get(3)?,
                    message_count: r.get(4)?,
                    last_snippet: one_line_prefix(
                        &crate::plain::plain(&r.get::<_, Option<String>>(5)?.unwrap_or_default()),
                        SNIPPET_CHARS,
                    ),
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    pub fn update_consultation(
        &self,
        id: ConsultationId,
        patch: ConsultationPatch,
    ) -> Result<Consultation, StoreError> {
        if let Some(title) = &patch.title {
            check_title(title)?;
        }
        if let Some(complaint) = &patch.chief_complaint {
            check_complaint(complaint)?;
        }
        self.write(|tx| {
            let current = get(tx, id)?;
            let patient = match &patch.patient {
                Some(new) => new.as_ref(),
                None => current.patient.as_ref(),
            };
            tx.execute(
                "UPDATE consultations
                 SET title = ?2, chief_complaint = ?3, lang = ?4, patient_json = ?5, updated_at = ?6,
                     thinking = ?7
                 WHERE id = ?1",
                params![
                    id,
                    patch.title.as_ref().unwrap_or(&current.title),
                    patch.chief_complaint.as_ref().unwrap_or(&current.chief_complaint),
                    patch.lang.unwrap_or(current.lang).tag(),
                    json::to_text(patient),
                    timestamp_now(),
                    patch.thinking.unwrap_or(current.thinking).name(),
                ],
            )?;
            get(tx, id)
        })
    }

    /// Sets (or with `None` clears) the patient context.
    pub fn set_patient(
        &self,
        id: ConsultationId,
        patient: Option<&PatientContext>,
    ) -> Result<Consultation, StoreError> {
        self.update_consultation(id, ConsultationPatch { patient: Some(patient.cloned()), ..Default::default() })
    }

    pub fn set_chief_complaint(&self, id: ConsultationId, chief_complaint: &str) -> Result<Consultation, StoreError> {
        self.update_consultation(
            id,
            ConsultationPatch { chief_complaint: Some(chief_complaint.into()), ..Default::default() },
        )
    }

    /// Deletes the consultation and its messages for good: the text is wiped from the database
    /// file and its write-ahead log, not only unlinked (this rewrites the file, so it can take
    /// a moment on a large history).
    pub fn delete_consultation(&self, id: ConsultationId) -> Result<(), StoreError> {
        self.delete_and_wipe(|tx| {
            // Messages go by ON DELETE CASCADE; their triggers remove them from the search index.
            match tx.execute("DELETE FROM consultations WHERE id = ?1", [id])? {
                0 => Err(StoreError::NotFound { what: "consultation", id }),
                _ => Ok(()),
            }
        })
    }
}

pub(crate) fn get(conn: &Connection, id: ConsultationId) -> Result<Consultation, StoreError> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM consultations WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or(StoreError::NotFound { what: "consultation", id })
}

/// Marks the consultation as active now (the history list is ordered by this); NOT_FOUND if
/// it does not exist, so it doubles as the existence check of every message write.
pub(crate) fn touch(conn: &Connection, id: ConsultationId) -> Result<(), StoreError> {
    match conn.execute("UPDATE consultations SET updated_at = ?2 WHERE id = ?1", params![id, timestamp_now()])? {
        0 => Err(StoreError::NotFound { what: "consultation", id }),
        _ => Ok(()),
    }
}

/// The first `max` characters of `text` with runs of whitespace made single spaces, and "…"
/// when cut.
pub(crate) fn one_line_prefix(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().count() > max {
            let mut cut: String = out.chars().take(max).collect();
            cut.push('…');
            return cut;
        }
    }
    out
}

fn check_title(title: &str) -> Result<(), StoreError> {
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(StoreError::invalid(format!("the title is longer than {MAX_TITLE_CHARS} characters")));
    }
    Ok(())
}

fn check_complaint(complaint: &str) -> Result<(), StoreError> {
    if complaint.chars().count() > MAX_COMPLAINT_CHARS {
        return Err(StoreError::invalid(format!(
            "the chief complaint is longer than {MAX_COMPLAINT_CHARS} characters"
        )));
    }
    Ok(())
}
