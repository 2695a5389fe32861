//! What a finished answer taught about the loaded model and its draft, for the settings: a pair
//! whose draft never pays is loaded without it from then on.

use anamnesis_engine::{DraftVerdict, Stats};
use anamnesis_settings::DraftMeasurement;

/// A measurement worth keeping: the engine's verdict was that the draft pays, or never does.
pub fn measurement(model_path: &str, draft_path: &str, stats: &Stats) -> Option<DraftMeasurement> {
    let d = stats.draft.as_ref()?;
    let pays = match d.verdict {
        DraftVerdict::Pays => true,
        DraftVerdict::NeverPays => false,
        DraftVerdict::Measuring | DraftVerdict::DoesNotPayNow | DraftVerdict::Fixed => return None,
    };
    Some(DraftMeasurement {
        model_path: model_path.to_string(),
        draft_path: draft_path.to_string(),
        device: stats.device.clone(),
        pays,
        predicted_speedup: d.predicted_speedup,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use anamnesis_engine::DraftStats;

    fn stats(verdict: DraftVerdict) -> Stats {
        let draft = DraftStats {
            gamma: 0,
            speculative_share: 0.1,
            predicted_speedup: Some(0.7),
            best_speedup: Some(0.8),
            verdict,
            plain_step_ms: Some(40.0),
            draft_step_ms: Some(41.0),
            verify_extra_ms: Some(12.0),
        };
        Stats { device: "cpu".into(), draft: Some(Box::new(draft)), ..Stats::default() }
    }

    #[test]
    fn only_settled_verdicts_are_remembered() {
        let never = measurement("/m/a", "/m/d", &stats(DraftVerdict::NeverPays)).unwrap();
        assert!(!never.pays);
        assert_eq!(never.device, "cpu");
        assert!(measurement("/m/a", "/m/d", &stats(DraftVerdict::Pays)).unwrap().pays);
        for v in [DraftVerdict::Measuring, DraftVerdict::DoesNotPayNow, DraftVerdict::Fixed] {
            assert!(measurement("/m/a", "/m/d", &stats(v)).is_none(), "{v:?}");
        }
        assert!(measurement("/m/a", "/m/d", &Stats::default()).is_none(), "no draft, nothing learned");
    }
}
