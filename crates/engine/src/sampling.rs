//! Sampling settings and thinking modes.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use anamnesis_wire::ThinkingMode;

/// Defaults are Baichuan-M2's recommended settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct SamplingConfig {
    /// 0 means greedy.
    pub temperature: f64,
    pub top_p: f64,
    pub top_k: u32,
    pub max_tokens: u32,
    /// Seed for the sampler; the default seed is used when absent.
    #[ts(type = "number | null")]
    pub seed: Option<u64>,
}

impl Default for SamplingConfig {
    fn default() -> Self {
        Self { temperature: 0.6, top_p: 0.95, top_k: 20, max_tokens: 8192, seed: None }
    }
}

impl SamplingConfig {
    pub fn greedy(max_tokens: u32) -> Self {
        Self { temperature: 0.0, max_tokens, ..Self::default() }
    }

    pub fn is_greedy(&self) -> bool {
        self.temperature <= 0.0
    }

    pub(crate) fn to_mistralrs(&self) -> mistralrs::SamplingParams {
        let mut p = mistralrs::SamplingParams::deterministic();
        p.max_len = Some(self.max_tokens.max(1) as usize);
        // The request's own sampler stream (patches/mistralrs-core), draft included.
        p.seed = self.seed;
        if !self.is_greedy() {
            p.temperature = Some(self.temperature);
            p.top_p = Some(self.top_p);
            p.top_k = Some(self.top_k.max(1) as usize);
        }
        p
    }
}

/// The chat-template variables of a thinking mode.
///
/// mistral.rs 0.8.1 passes only `enable_thinking` and `reasoning_effort` to chat templates, so
/// the three modes travel as: on = (true, "high"), auto = (true, "medium"), off = (false, _).
/// The templates in `models/templates/` turn those into the prompt tails.
pub(crate) fn template_vars(mode: ThinkingMode) -> (bool, mistralrs::core::ReasoningEffort) {
    use mistralrs::core::ReasoningEffort as E;
    match mode {
        ThinkingMode::On => (true, E::High),
        ThinkingMode::Auto => (true, E::Medium),
        ThinkingMode::Off => (false, E::Medium),
    }
}
