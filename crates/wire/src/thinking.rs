//! Whether the model thinks before answering.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The engine turns the mode into chat-template variables; settings, the history and the UI
/// only store and show it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ThinkingMode {
    On,
    Off,
    #[default]
    Auto,
}

impl ThinkingMode {
    /// The name used in settings, the database and the CLI: "on", "off", "auto".
    pub fn name(self) -> &'static str {
        match self {
            Self::On => "on",
            Self::Off => "off",
            Self::Auto => "auto",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [Self::On, Self::Off, Self::Auto].into_iter().find(|m| m.name() == name)
    }
}
