//! Reads mistral.rs' speculation report (patches/mistralrs-core) around one answer.

use anamnesis_wire::{DraftStats, DraftVerdict};
use mistralrs::core::{SpeculationReport, SpeculationVerdict};

/// An answer's draft statistics.
#[derive(Debug, Clone)]
pub(crate) struct AnswerDraft {
    /// Share of drafted tokens accepted; `None` when nothing was drafted.
    pub acceptance: Option<f64>,
    pub stats: DraftStats,
}

/// What happened since `start` (the counters are process-wide; one answer runs at a time).
pub(crate) fn answer(start: &SpeculationReport) -> AnswerDraft {
    let now = mistralrs::core::speculation_report();
    let drafted = now.drafted.saturating_sub(start.drafted);
    let accepted = now.accepted.saturating_sub(start.accepted);
    let spec = now.speculative_tokens.saturating_sub(start.speculative_tokens);
    let plain = now.plain_tokens.saturating_sub(start.plain_tokens);
    AnswerDraft {
        acceptance: (drafted > 0).then(|| accepted as f64 / drafted as f64),
        stats: DraftStats {
            gamma: now.gamma as u32,
            speculative_share: if spec + plain > 0 { spec as f64 / (spec + plain) as f64 } else { 0.0 },
            predicted_speedup: now.predicted_speedup,
            best_speedup: now.best_speedup,
            verdict: verdict(now.verdict),
            plain_step_ms: now.plain_step_s.map(|s| s * 1000.0),
            draft_step_ms: now.draft_step_s.map(|s| s * 1000.0),
            verify_extra_ms: now.verify_extra_s.map(|s| s * 1000.0),
        },
    }
}

fn verdict(v: SpeculationVerdict) -> DraftVerdict {
    match v {
        SpeculationVerdict::Measuring => DraftVerdict::Measuring,
        SpeculationVerdict::Pays => DraftVerdict::Pays,
        SpeculationVerdict::DoesNotPayNow => DraftVerdict::DoesNotPayNow,
        SpeculationVerdict::NeverPays => DraftVerdict::NeverPays,
        SpeculationVerdict::Fixed => DraftVerdict::Fixed,
    }
}
