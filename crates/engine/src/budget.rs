//! The context budget: how a conversation fits the model's context, with room left for the
//! answer. When it does not fit, the oldest turns go first; the system prompt (which carries the
//! patient context) and the last user message are never dropped.

use crate::chat::{ChatMessage, Role};
use crate::error::{EngineError, Result};
pub use anamnesis_wire::ContextBudget;
use std::future::Future;

/// Plans `messages` (system first, if any; the last one is the new user message) into `limit`
/// tokens, keeping `reserve` tokens for the answer. `count` returns the templated prompt length
/// of a message list. Returns the messages to send and the meter.
pub async fn fit<F, Fut>(
    messages: &[ChatMessage],
    limit: u32,
    reserve: u32,
    count: F,
) -> Result<(Vec<ChatMessage>, ContextBudget)>
where
    F: Fn(Vec<ChatMessage>) -> Fut,
    Fut: Future<Output = Result<usize>>,
{
    let Some(last) = messages.last() else {
        return Err(EngineError::Generation("nothing to send".into()));
    };
    let has_system = messages.first().is_some_and(|m| m.role == Role::System);
    let system: Vec<ChatMessage> = messages.iter().take(usize::from(has_system)).cloned().collect();
    let history_range = usize::from(has_system)..messages.len() - 1;

    let count_u32 = |v: Vec<ChatMessage>| {
        let f = count(v);
        async move { f.await.map(|n| n as u32) }
    };
    let system_tokens = if system.is_empty() { 0 } else { count_u32(system.clone()).await? };
    let mut first_kept = history_range.start;
    loop {
        let mut kept = system.clone();
        kept.extend_from_slice(&messages[first_kept..history_range.end]);
        kept.push(last.clone());
        let total = count_u32(kept.clone()).await?;
        if total + reserve.min(limit / 2) <= limit || first_kept >= history_range.end {
            if total >= limit {
                return Err(EngineError::PromptTooLong { context: limit as usize });
            }
            let mut without_last = system.clone();
            without_last.extend_from_slice(&messages[first_kept..history_range.end]);
            let before_last = if without_last.is_empty() { 0 } else { count_u32(without_last).await? };
            let budget = ContextBudget {
                limit,
                system_tokens,
                history_tokens: before_last.saturating_sub(system_tokens),
                message_tokens: total - before_last,
                answer_room: limit - total,
                dropped: (history_range.start..first_kept).map(|i| i as u32).collect(),
            };
            return Ok((kept, budget));
        }
        // Drop the oldest turn; an assistant reply goes with the question it answered.
        first_kept += 1;
        while first_kept < history_range.end && messages[first_kept].role == Role::Assistant {
            first_kept += 1;
        }
    }
}
