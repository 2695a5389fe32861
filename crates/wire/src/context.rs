//! How a conversation fits the model's context, and what the history keeps of it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The live meter: every number is a real token count of the templated prompt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContextBudget {
    /// The context the answer must fit in (model and memory limits).
    pub limit: u32,
    /// System prompt and patient context, template included.
    pub system_tokens: u32,
    /// Earlier turns that are kept.
    pub history_tokens: u32,
    /// The new user message.
    pub message_tokens: u32,
    /// What is left for the answer (thinking included).
    pub answer_room: u32,
    /// Indices (into the messages given) of turns dropped to make room, oldest first.
    pub dropped: Vec<u32>,
}

/// Kept with an answer whose prompt left older turns out: the meter and the stored ids of the
/// messages that were dropped, so the window can mark them without redoing the prompt layout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ContextNotice {
    pub budget: ContextBudget,
    #[ts(type = "Array<number>")]
    pub dropped_message_ids: Vec<i64>,
}
