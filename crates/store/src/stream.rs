//! Answers being generated: starting one, writing its deltas as they come, and finishing it.
//!
//! Deltas arrive many times a second; writing each would make the database the bottleneck, so
//! [`StreamWriter`] keeps the text in memory and saves it at most once per [`FLUSH_INTERVAL`]
//! (and when the answer ends). A crash loses at most about that much of the answer.

use std::time::{Duration, Instant};

use anamnesis_wire::{ErrorPayload, Stats};
use rusqlite::{params, OptionalExtension};

use crate::consultation::{touch, ConsultationId};
use crate::message::{self, check_content, insert, MessageId, MessageRole, MessageStatus, StoredMessage};
use crate::{json, timestamp_now, versions, Store, StoreError};

/// The longest a delta waits in memory before it is saved, while deltas keep coming.
pub const FLUSH_INTERVAL: Duration = Duration::from_secs(1);

impl Store {
    /// Starts an empty assistant answer (status `streaming`) at the end of the conversation.
    /// Write it with [`Store::stream_writer`].
    pub fn begin_assistant(&self, consultation_id: ConsultationId) -> Result<MessageId, StoreError> {
        self.write(|tx| insert(tx, consultation_id, MessageRole::Assistant, "", MessageStatus::Streaming))
    }

    /// Empties the consultation's last message, which must be a finished assistant answer, and
    /// sets it `streaming` again to be regenerated in place (same id and position). The answer
    /// it had is kept as an earlier version of the answer to its question.
    pub fn replace_last_assistant(&self, consultation_id: ConsultationId) -> Result<MessageId, StoreError> {
        self.write(|tx| {
            touch(tx, consultation_id)?;
            let last: Option<(MessageId, MessageRole, MessageStatus, i64)> = tx
                .query_row(
                    "SELECT id, role, status, seq FROM messages WHERE consultation_id = ?1 ORDER BY seq DESC LIMIT 1",
                    [consultation_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            let id = match last {
                Some((id, MessageRole::Assistant, status, seq)) if status != MessageStatus::Streaming => {
                    if let Some((question, text)) = versions::question_before(tx, consultation_id, seq)? {
                        versions::keep(tx, question, &text, id)?;
                    }
                    id
                }
                Some((id, MessageRole::Assistant, ..)) => {
                    return Err(StoreError::invalid(format!("message {id} is still being written")))
                }
                _ => return Err(StoreError::invalid("the last message of this consultation is not an answer")),
            };
            tx.execute(
                "UPDATE messages SET content = '', reasoning = '', reasoning_started_at = NULL,
                    reasoning_ended_at = NULL, stats_json = NULL, status = 'streaming', error_json = NULL,
                    context_notice_json = NULL, triage_json = NULL, updated_at = ?2
                 WHERE id = ?1",
                params![id, timestamp_now()],
            )?;
            Ok(id)
        })
    }

    /// A writer for an answer in status `streaming`, continuing from the text already saved.
    pub fn stream_writer(&self, message_id: MessageId) -> Result<StreamWriter, StoreError> {
        let message = self.message(message_id)?;
        if message.status != MessageStatus::Streaming {
            return Err(StoreError::invalid(format!(
                "message {message_id} is not being written (it is {})",
                message.status.as_str()
            )));
        }
        Ok(StreamWriter {
            store: self.clone(),
            id: message_id,
            content: message.content,
            reasoning: message.reasoning,
            dirty: false,
            last_flush: Instant::now(),
            done: false,
        })
    }
}

/// Accumulates an answer's deltas and saves them at most once per [`FLUSH_INTERVAL`].
///
/// Saving happens inside the `push_*` calls; a caller whose deltas may pause for long can call
/// [`StreamWriter::flush_if_due`] on a timer. Dropped without `finish`, the writer saves what
/// it has and marks the answer `interrupted`.
#[derive(Debug)]
pub struct StreamWriter {
    store: Store,
    id: MessageId,
    content: String,
    reasoning: String,
    /// Text arrived since the last save.
    dirty: bool,
    last_flush: Instant,
    done: bool,
}

impl StreamWriter {
    pub fn message_id(&self) -> MessageId {
        self.id
    }

    /// The answer so far, saved or not.
    pub fn content(&self) -> &str {
        &self.content
    }

    pub fn reasoning(&self) -> &str {
        &self.reasoning
    }

    pub fn push_content(&mut self, delta: &str) -> Result<(), StoreError> {
        self.content.push_str(delta);
        self.pushed()
    }

    pub fn push_reasoning(&mut self, delta: &str) -> Result<(), StoreError> {
        self.reasoning.push_str(delta);
        self.pushed()
    }

    fn pushed(&mut self) -> Result<(), StoreError> {
        // Checked here, not only at the end, so an endless answer fails early instead of
        // growing in memory without bound.
        check_content(&self.content)?;
        check_content(&self.reasoning)?;
        self.dirty = true;
        self.flush_if_due().map(drop)
    }

    /// Saves if unsaved text has waited a full interval; returns whether it saved.
    pub fn flush_if_due(&mut self) -> Result<bool, StoreError> {
        if self.dirty && self.last_flush.elapsed() >= FLUSH_INTERVAL {
            self.flush()?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Saves the text now.
    pub fn flush(&mut self) -> Result<(), StoreError> {
        // Counted from the attempt, so a failing disk is retried once per interval, not on
        // every delta.
        self.last_flush = Instant::now();
        let (id, content, reasoning) = (self.id, &self.content, &self.reasoning);
        self.store.write(|tx| {
            let n = tx.execute(
                "UPDATE messages SET content = ?2, reasoning = ?3, updated_at = ?4
                 WHERE id = ?1 AND status = 'streaming'",
                params![id, content, reasoning, timestamp_now()],
            )?;
            if n == 0 {
                return Err(gone(tx, id));
            }
            Ok(())
        })?;
        self.dirty = false;
        Ok(())
    }

    /// Saves the whole answer with its final status (`complete`, `stopped`, `interrupted`, or
    /// `error`) and the generation statistics.
    pub fn finish(mut self, status: MessageStatus, stats: Option<&Stats>) -> Result<StoredMessage, StoreError> {
        self.done = true;
        if status == MessageStatus::Streaming {
            // Still write the text; the message stays open for a new writer.
            self.flush()?;
            return Err(StoreError::invalid("an answer cannot finish in status streaming"));
        }
        self.close(status, stats, None)
    }

    /// Saves the answer so far as failed, with the caller's description of the error.
    pub fn finish_with_error(
        mut self,
        error: &ErrorPayload,
        stats: Option<&Stats>,
    ) -> Result<StoredMessage, StoreError> {
        self.done = true;
        self.close(MessageStatus::Error, stats, Some(error))
    }

    fn close(
        &mut self,
        status: MessageStatus,
        stats: Option<&Stats>,
        error: Option<&ErrorPayload>,
    ) -> Result<StoredMessage, StoreError> {
        let (id, content, reasoning) = (self.id, &self.content, &self.reasoning);
        self.store.write(|tx| {
            let consultation_id: Option<ConsultationId> = tx
                .query_row("SELECT consultation_id FROM messages WHERE id = ?1 AND status = 'streaming'", [id], |r| {
                    r.get(0)
                })
                .optional()?;
            let Some(consultation_id) = consultation_id else {
                return Err(gone(tx, id));
            };
            tx.execute(
                "UPDATE messages SET content = ?2, reasoning = ?3, status = ?4, stats_json = ?5,
                    error_json = ?6, updated_at = ?7
                 WHERE id = ?1",
                params![id, content, reasoning, status, json::to_text(stats), json::to_text(error), timestamp_now()],
            )?;
            touch(tx, consultation_id)?;
            message::get(tx, id)
        })
    }
}

impl Drop for StreamWriter {
    fn drop(&mut self) {
        if !self.done {
            // Best effort: there is no one left to report an error to.
            let _ = self.close(MessageStatus::Interrupted, None, None);
        }
    }
}

/// Why a streaming message could not be written: deleted, or no longer streaming.
fn gone(conn: &rusqlite::Connection, id: MessageId) -> StoreError {
    match message::get(conn, id) {
        Ok(m) => StoreError::invalid(format!("message {id} is no longer being written (it is {})", m.status.as_str())),
        Err(e) => e,
    }
}
