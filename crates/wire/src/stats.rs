//! What a finished answer reports: how it ended and how fast it went.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FinishReason {
    /// The model ended its answer.
    Stop,
    /// `max_tokens` was reached.
    Length,
    /// The user pressed Stop.
    Cancelled,
    Error,
}

/// Stored with each answer: fields added later read as their defaults in older rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct Stats {
    /// From sending the request to the first generated token.
    pub ttft_ms: f64,
    pub prefill_tok_s: f64,
    pub decode_tok_s: f64,
    pub prompt_tokens: u32,
    /// Generated tokens (reasoning and answer).
    pub tokens: u32,
    /// Wall time spent thinking, if there was a thinking trace.
    pub reasoning_ms: Option<f64>,
    /// Where the model ran, e.g. "cpu" or "cuda:0".
    pub device: String,
    /// Share of drafted tokens the target accepted, when a draft model is on.
    pub draft_acceptance: Option<f64>,
    /// What the adaptive speculation did in this answer, when a draft model is loaded.
    // Boxed: it is most of `Stats`' size, and every stream event enum carries a `Stats`.
    pub draft: Option<Box<DraftStats>>,
    /// The model that wrote the answer (its file or folder name, or the remote model's id);
    /// empty in answers saved before stamps.
    pub model: String,
    /// Its quantization, e.g. "Q4_K_M" or "GPTQ-Int4", when known.
    pub quantization: Option<String>,
    /// The version of the consultation instructions (system prompt) it answered under.
    pub prompt_version: String,
}

/// The speculative decoder's decisions over one answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DraftStats {
    /// γ of the answer's last step (0: the draft was off).
    pub gamma: u32,
    /// Share of the answer's tokens that came from speculative steps.
    pub speculative_share: f64,
    /// The engine's predicted speed of speculation over plain decoding, from its measurements.
    pub predicted_speedup: Option<f64>,
    /// The same if every drafted token were accepted: below 0.9 the draft never pays
    /// (`NeverPays`, with the figure it was judged on). Absent in answers saved before it.
    #[serde(default)]
    pub best_speedup: Option<f64>,
    pub verdict: DraftVerdict,
    /// The measured costs behind the decision: a plain target step, a draft step, and each
    /// verified token beyond the first (milliseconds, moving averages).
    pub plain_step_ms: Option<f64>,
    pub draft_step_ms: Option<f64>,
    pub verify_extra_ms: Option<f64>,
}

/// Whether the draft pays on this machine, as the engine measured it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DraftVerdict {
    Measuring,
    Pays,
    /// Not at the acceptance measured lately; probed again later.
    DoesNotPayNow,
    /// Not even if every drafted token were accepted: switched off for this model pair.
    NeverPays,
    /// γ was fixed by the caller.
    Fixed,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers are stored with their stats: a row written before a field existed still reads.
    #[test]
    fn draft_stats_saved_before_best_speedup_still_read() {
        let old = r#"{"draft":{"gamma":0,"speculative_share":0.1,"predicted_speedup":0.7,"verdict":"never_pays",
            "plain_step_ms":40.0,"draft_step_ms":41.0,"verify_extra_ms":12.0}}"#;
        let stats: Stats = serde_json::from_str(old).unwrap();
        let draft = stats.draft.unwrap();
        assert_eq!(draft.verdict, DraftVerdict::NeverPays);
        assert_eq!(draft.best_speedup, None);
    }
}
