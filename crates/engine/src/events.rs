//! What a chat stream yields. The same tagged JSON shape travels over Tauri channels and the
//! CLI's `--json` lines: `{"type":"content","text":"…"}`.

use anamnesis_wire::{ContextBudget, ErrorPayload, FinishReason, Stats};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum ChatEvent {
    /// How the prompt fits the context; sent first. `dropped` lists turns left out to make room.
    Context(ContextBudget),
    /// Thinking-trace text, never containing `<think>` tags.
    Reasoning {
        text: String,
    },
    /// Answer text, never containing `<think>` tags.
    Content {
        text: String,
    },
    /// Timing for the finished answer; sent once, just before `Done`.
    Stats(Stats),
    Done {
        finish_reason: FinishReason,
    },
    Error(ErrorPayload),
}
