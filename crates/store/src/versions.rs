//! Earlier answers to a question, kept when it is answered again: Regenerate rewrites the answer
//! in place, an edit rewrites the question and drops what followed. Either way the answer that
//! was there is copied here first, under the question's id (which both keep).

use anamnesis_wire::Stats;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::consultation::ConsultationId;
use crate::message::{MessageId, MessageStatus};
use crate::{json, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AnswerVersion {
    #[ts(type = "number")]
    pub id: i64,
    /// The user message the answer replied to.
    #[ts(type = "number")]
    pub question_id: MessageId,
    /// Its text then (after an edit, not the text shown now).
    pub question: String,
    pub content: String,
    pub reasoning: String,
    pub stats: Option<Stats>,
    pub status: MessageStatus,
    /// When the answer was written.
    pub created_at: String,
}

/// Copies answer `answer` (if it is a finished answer with any text) as an earlier version of
/// the answer to `question`, whose text was then `question_text`.
pub(crate) fn keep(
    conn: &Connection,
    question: MessageId,
    question_text: &str,
    answer: MessageId,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO answer_versions (question_id, question, content, reasoning, stats_json, status, created_at)
         SELECT ?1, ?2, content, reasoning, stats_json, status, updated_at FROM messages
          WHERE id = ?3 AND role = 'assistant' AND status != 'streaming' AND (content != '' OR reasoning != '')",
        params![question, question_text, answer],
    )?;
    Ok(())
}

/// The user message just before position `seq` of a consultation: the question an answer there
/// replies to.
pub(crate) fn question_before(
    conn: &Connection,
    consultation_id: ConsultationId,
    seq: i64,
) -> Result<Option<(MessageId, String)>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT id, content FROM messages WHERE consultation_id = ?1 AND seq < ?2 AND role = 'user'
              ORDER BY seq DESC LIMIT 1",
            params![consultation_id, seq],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The answer right after position `seq`, if the next message is one.
pub(crate) fn answer_after(
    conn: &Connection,
    consultation_id: ConsultationId,
    seq: i64,
) -> Result<Option<MessageId>, StoreError> {
    Ok(conn
        .query_row(
            "SELECT id FROM messages WHERE consultation_id = ?1 AND seq > ?2 ORDER BY seq LIMIT 1",
            params![consultation_id, seq],
            |r| r.get::<_, MessageId>(0),
        )
        .optional()?)
}

impl Store {
    /// Every earlier answer kept in a consultation, by question, oldest first.
    pub fn answer_versions(&self, consultation_id: ConsultationId) -> Result<Vec<AnswerVersion>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT v.id, v.question_id, v.question, v.content, v.reasoning, v.stats_json, v.status, v.created_at
                   FROM answer_versions v JOIN messages m ON m.id = v.question_id
                  WHERE m.consultation_id = ?1 ORDER BY v.question_id, v.id",
            )?;
            let rows = stmt.query_map([consultation_id], |r| {
                Ok(AnswerVersion {
                    id: r.get(0)?,
                    question_id: r.get(1)?,
                    question: r.get(2)?,
                    content: r.get(3)?,
                    reasoning: r.get(4)?,
                    stats: json::column(r, 5)?,
                    status: r.get(6)?,
                    created_at: r.get(7)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }
}
