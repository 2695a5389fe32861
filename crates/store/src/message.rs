//! Messages: the types, reading them, appending finished messages, and the edits that rewrite
//! a conversation (edit-and-resend, annotations). Answers being generated are in `stream.rs`.

use anamnesis_consult::Triage;
use anamnesis_wire::{Attachment, ContextNotice, ErrorPayload, Stats};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, ValueRef};
use rusqlite::{params, Connection, OptionalExtension, Row, ToSql};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::consultation::{self, touch, ConsultationId};
use crate::time::is_timestamp;
use crate::{json, timestamp_now, Store, StoreError};

pub type MessageId = i64;

/// Who wrote a message. (Named apart from the engine's `Role` so their bindings do not clash.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum MessageRole {
    System,
    User,
    Assistant,
}

/// Where a message is in its life. Only assistant answers are ever other than `complete`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum MessageStatus {
    /// Being generated now.
    Streaming,
    Complete,
    /// The user stopped it.
    Stopped,
    /// The app died (or dropped the writer) mid-answer; the text is what was saved until then.
    Interrupted,
    /// Generation failed; `error` says why.
    Error,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct StoredMessage {
    #[ts(type = "number")]
    pub id: MessageId,
    #[ts(type = "number")]
    pub consultation_id: ConsultationId,
    /// Position in the conversation, from 1.
    #[ts(type = "number")]
    pub seq: i64,
    pub role: MessageRole,
    pub content: String,
    /// The model's thinking trace; empty when there was none.
    pub reasoning: String,
    pub reasoning_started_at: Option<String>,
    pub reasoning_ended_at: Option<String>,
    /// Generation statistics.
    pub stats: Option<Stats>,
    pub status: MessageStatus,
    /// Why generation failed (with status `error`).
    pub error: Option<ErrorPayload>,
    /// The notice that older turns were dropped to fit the context window.
    pub context_notice: Option<ContextNotice>,
    /// The red-flag triage of this message (kept on the user's message it judged).
    pub triage: Option<Triage>,
    pub created_at: String,
    pub updated_at: String,
    /// Documents attached to a user message, with their text (empty for most messages).
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

impl MessageRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::User => "user",
            Self::Assistant => "assistant",
        }
    }
}

impl MessageStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Streaming => "streaming",
            Self::Complete => "complete",
            Self::Stopped => "stopped",
            Self::Interrupted => "interrupted",
            Self::Error => "error",
        }
    }
}

impl ToSql for MessageRole {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl FromSql for MessageRole {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value.as_str()? {
            "system" => Ok(Self::System),
            "user" => Ok(Self::User),
            "assistant" => Ok(Self::Assistant),
            other => Err(FromSqlError::Other(format!("unknown role {other:?}").into())),
        }
    }
}

impl ToSql for MessageStatus {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl FromSql for MessageStatus {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value.as_str()? {
            "streaming" => Ok(Self::Streaming),
            "complete" => Ok(Self::Complete),
            "stopped" => Ok(Self::Stopped),
            "interrupted" => Ok(Self::Interrupted),
            "error" => Ok(Self::Error),
            other => Err(FromSqlError::Other(format!("unknown message status {other:?}").into())),
        }
    }
}

/// A message's text may be long (pasted lab reports) but not unbounded.
pub(crate) const MAX_CONTENT_BYTES: usize = 4 << 20;
/// The text of a message's attached documents, together.
const MAX_ATTACHMENT_BYTES: usize = 16 << 20;

const COLUMNS: &str = "id, consultation_id, seq, role, content, reasoning, reasoning_started_at, \
    reasoning_ended_at, stats_json, status, error_json, context_notice_json, triage_json, created_at, updated_at, \
    attachments_json";

fn from_row(row: &Row<'_>) -> rusqlite::Result<StoredMessage> {
    Ok(StoredMessage {
        id: row.get(0)?,
        consultation_id: row.get(1)?,
        seq: row.get(2)?,
        role: row.get(3)?,
        content: row.get(4)?,
        reasoning: row.get(5)?,
        reasoning_started_at: row.get(6)?,
        reasoning_ended_at: row.get(7)?,
        stats: json::column(row, 8)?,
        status: row.get(9)?,
        error: json::column(row, 10)?,
        context_notice: json::column(row, 11)?,
        triage: json::column(row, 12)?,
        created_at: row.get(13)?,
        updated_at: row.get(14)?,
        attachments: json::column(row, 15)?.unwrap_or_default(),
    })
}

impl Store {
    /// The consultation's messages in order.
    pub fn messages(&self, consultation_id: ConsultationId) -> Result<Vec<StoredMessage>, StoreError> {
        self.read(|conn| {
            consultation::get(conn, consultation_id)?;
            let mut stmt =
                conn.prepare(&format!("SELECT {COLUMNS} FROM messages WHERE consultation_id = ?1 ORDER BY seq"))?;
            let rows = stmt.query_map([consultation_id], from_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    pub fn message(&self, id: MessageId) -> Result<StoredMessage, StoreError> {
        self.read(|conn| get(conn, id))
    }

    /// Appends a finished message (status `complete`) at the end of the conversation.
    pub fn append_message(
        &self,
        consultation_id: ConsultationId,
        role: MessageRole,
        content: &str,
    ) -> Result<StoredMessage, StoreError> {
        check_content(content)?;
        self.write(|tx| {
            let id = insert(tx, consultation_id, role, content, MessageStatus::Complete)?;
            get(tx, id)
        })
    }

    pub fn append_user_message(
        &self,
        consultation_id: ConsultationId,
        content: &str,
    ) -> Result<StoredMessage, StoreError> {
        self.append_message(consultation_id, MessageRole::User, content)
    }

    /// A user message with the documents attached to it.
    pub fn append_user_message_with(
        &self,
        consultation_id: ConsultationId,
        content: &str,
        attachments: &[Attachment],
    ) -> Result<StoredMessage, StoreError> {
        check_content(content)?;
        let text_bytes: usize = attachments.iter().map(|a| a.text.len()).sum();
        if text_bytes > MAX_ATTACHMENT_BYTES {
            return Err(StoreError::invalid(format!(
                "the attached documents hold {} MB of text; at most {} MB can be kept with a message",
                text_bytes.div_ceil(1 << 20),
                MAX_ATTACHMENT_BYTES >> 20
            )));
        }
        let json = json::to_text(Some(&attachments).filter(|a| !a.is_empty()));
        self.write(|tx| {
            let id = insert(tx, consultation_id, MessageRole::User, content, MessageStatus::Complete)?;
            tx.execute("UPDATE messages SET attachments_json = ?2 WHERE id = ?1", params![id, json])?;
            get(tx, id)
        })
    }

    /// Deletes every message after `id` in its consultation (for "edit and resend", and for
    /// dropping answers). Returns how many were deleted.
    pub fn truncate_after(&self, id: MessageId) -> Result<usize, StoreError> {
        self.write(|tx| {
            let message = get(tx, id)?;
            truncate(tx, &message)
        })
    }

    /// Replaces a user message's text and deletes everything after it, so the conversation can
    /// be resent from there; the answer it had is kept as an earlier version (the turns after
    /// that are not). Returns how many later messages were deleted.
    pub fn edit_user_message(&self, id: MessageId, content: &str) -> Result<usize, StoreError> {
        check_content(content)?;
        self.write(|tx| {
            let message = get(tx, id)?;
            if message.role != MessageRole::User {
                return Err(StoreError::invalid(format!("message {id} is not a user message")));
            }
            if let Some(answer) = crate::versions::answer_after(tx, message.consultation_id, message.seq)? {
                crate::versions::keep(tx, id, &message.content, answer)?;
            }
            let removed = truncate(tx, &message)?;
            tx.execute(
                "UPDATE messages SET content = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, content, timestamp_now()],
            )?;
            Ok(removed)
        })
    }

    /// Records when the model started and stopped thinking (RFC 3339 UTC, e.g. from
    /// [`timestamp_now`]); `None` clears a time.
    pub fn set_reasoning_times(
        &self,
        id: MessageId,
        started_at: Option<&str>,
        ended_at: Option<&str>,
    ) -> Result<(), StoreError> {
        for time in [started_at, ended_at].into_iter().flatten() {
            if !is_timestamp(time) {
                return Err(StoreError::invalid(format!("{time:?} is not an RFC 3339 UTC time")));
            }
        }
        self.update_message(id, "reasoning_started_at = ?2, reasoning_ended_at = ?3", params![id, started_at, ended_at])
    }

    /// Attaches (or with `None` removes) the notice that older turns were dropped from the
    /// context to make room for this answer.
    pub fn set_context_notice(&self, id: MessageId, notice: Option<&ContextNotice>) -> Result<(), StoreError> {
        self.update_message(id, "context_notice_json = ?2", params![id, json::to_text(notice)])
    }

    /// Attaches (or with `None` removes) the red-flag triage of this answer.
    pub fn set_triage(&self, id: MessageId, triage: Option<&Triage>) -> Result<(), StoreError> {
        self.update_message(id, "triage_json = ?2", params![id, json::to_text(triage)])
    }

    /// `UPDATE messages SET {set}` for message `?1`; NOT_FOUND if there is none.
    fn update_message(&self, id: MessageId, set: &str, params: &[&dyn ToSql]) -> Result<(), StoreError> {
        self.write(|tx| match tx.execute(&format!("UPDATE messages SET {set} WHERE id = ?1"), params)? {
            0 => Err(StoreError::NotFound { what: "message", id }),
            _ => Ok(()),
        })
    }
}

pub(crate) fn get(conn: &Connection, id: MessageId) -> Result<StoredMessage, StoreError> {
    conn.query_row(&format!("SELECT {COLUMNS} FROM messages WHERE id = ?1"), [id], from_row)
        .optional()?
        .ok_or(StoreError::NotFound { what: "message", id })
}

/// Inserts a message after the last one. Refused while an answer is being generated in the
/// consultation: the conversation must not change under it.
pub(crate) fn insert(
    conn: &Connection,
    consultation_id: ConsultationId,
    role: MessageRole,
    content: &str,
    status: MessageStatus,
) -> Result<MessageId, StoreError> {
    touch(conn, consultation_id)?;
    let streaming: Option<MessageId> = conn
        .query_row(
            "SELECT id FROM messages WHERE consultation_id = ?1 AND status = 'streaming'",
            [consultation_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(busy) = streaming {
        return Err(StoreError::invalid(format!(
            "an answer (message {busy}) is still being written in this consultation"
        )));
    }
    let now = timestamp_now();
    conn.execute(
        "INSERT INTO messages (consultation_id, seq, role, content, status, created_at, updated_at)
         VALUES (?1, (SELECT coalesce(max(seq), 0) + 1 FROM messages WHERE consultation_id = ?1), ?2, ?3, ?4, ?5, ?5)",
        params![consultation_id, role, content, status, now],
    )?;
    Ok(conn.last_insert_rowid())
}

fn truncate(conn: &Connection, after: &StoredMessage) -> Result<usize, StoreError> {
    touch(conn, after.consultation_id)?;
    Ok(conn.execute(
        "DELETE FROM messages WHERE consultation_id = ?1 AND seq > ?2",
        params![after.consultation_id, after.seq],
    )?)
}

pub(crate) fn check_content(content: &str) -> Result<(), StoreError> {
    if content.len() > MAX_CONTENT_BYTES {
        return Err(StoreError::invalid(format!("the message is larger than {} MiB", MAX_CONTENT_BYTES >> 20)));
    }
    Ok(())
}
