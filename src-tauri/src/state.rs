//! What the shell keeps for the app's lifetime.

use anamnesis_engine::{ChatMessage, ChatRequest, LoadOptions, ModelHost, SamplingConfig, ThinkingMode};
use anamnesis_settings::SettingsStore;
use std::path::PathBuf;

pub struct AppState {
    pub settings: SettingsStore,
    pub host: ModelHost,
}

impl AppState {
    pub fn load_options(&self, path: PathBuf) -> LoadOptions {
        LoadOptions { path, ..LoadOptions::default() }
    }

    pub fn chat_request(&self, messages: Vec<ChatMessage>, thinking: ThinkingMode) -> ChatRequest {
        ChatRequest { messages, sampling: SamplingConfig::default(), thinking, banned_tokens: Vec::new() }
    }
}
