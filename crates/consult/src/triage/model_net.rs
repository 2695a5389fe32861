//! The second net behind the rules: the model's own red flags. When the answer's "Red flags"
//! section, or its opening before any heading, tells the user to call emergency services or go to
//! an emergency department now, the same emergency banner is raised with the local number, even
//! though no rule fired. Conditional advice ("if it gets worse, call 911"), the "When to seek
//! care" section and denials ("you do not need an ambulance") do not count.

use super::rules::Group;
use super::{advice, emergency_number, Triage, TriageLevel};
use crate::answer::{parse_answer, SectionKind};
use crate::lang::Lang;
use crate::patient::PatientContext;
use regex::Regex;
use std::sync::LazyLock;

/// The rule id that records that the model's net, not a rule, raised the level.
pub const MODEL_RULE_ID: &str = "model_red_flags";

static ACTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(?:call|dial|ring|phone|contact)\s+(?:\d{2,3}\b|an?\s+ambulance|(?:the\s+)?emergency\s+services|(?:your\s+)?(?:local\s+)?emergency\s+(?:number|services|line))",
        r"|\b(?:go|get|head|be\s+taken)\s+(?:straight\s+|directly\s+)?to\s+(?:the\s+|an?\s+)?(?:nearest\s+)?(?:emergency\s+(?:department|room)|\ber\b|a&e|hospital)(?:\s+\w+){0,3}?\s+(?:now|immediately|right\s+away|straight\s+away|at\s+once)",
        r"|\b(?:this|these|it)\s+(?:is|are|could\s+be|may\s+be|might\s+be|can\s+be)\s+(?:an?\s+|signs?\s+of\s+an?\s+)?(?:medical\s+)?emergenc",
        r"|\bseek\s+(?:emergency|immediate)\s+(?:medical\s+)?(?:care|help|attention|treatment)|\bemergency\s+(?:care|treatment)\s+(?:now|immediately|right\s+away)",
        r"|(?:拨打|打)(?:\d{2,3}|急救电话|当地急救)|(?:立即|马上|立刻|赶紧|尽快)(?:\w{0,4})?(?:急诊|去医院|就医|送医|叫救护车)|叫救护车|(?:这|可能|属于)(?:\w{0,3})?急症|急诊情况"
    ))
    .unwrap()
});

/// A condition or a denial before the action in the same sentence.
static HEDGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(?:if|unless|should|in\s+case|when|whenever|once|not|no\s+need|don'?t|do\s+not|doesn'?t|unlikely|rather\s+than)\b",
        r"|如果|一旦|若|万一|假如|要是|的话|不需要|不必|无需|不用|没必要|暂时不"
    ))
    .unwrap()
});

/// Does the answer (possibly still streaming) tell the user it is an emergency now?
pub fn model_says_emergency(answer: &str) -> bool {
    let parsed = parse_answer(answer);
    parsed
        .sections
        .iter()
        .enumerate()
        .filter(|(i, s)| {
            s.kind == SectionKind::RedFlags || (*i == 0 && s.kind == SectionKind::Other && s.title.is_empty())
        })
        .any(|(_, s)| sentences(&s.body).any(urges_emergency))
}

fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split(['.', '!', '?', '\n', '。', '！', '？', '；', ';']).filter(|s| !s.trim().is_empty())
}

fn urges_emergency(sentence: &str) -> bool {
    ACTION.find_iter(sentence).any(|m| !HEDGE.is_match(&sentence[..m.start()]))
}

/// The triage to show after the model's net fired: emergency, with the local number and the
/// advice in the answer's language, "model_red_flags" first and the rules' ids after it.
/// `None` when the rules already said emergency or the answer does not urge one.
pub fn escalate(rules: &Triage, answer: &str, patient: &PatientContext, lang: Lang) -> Option<Triage> {
    if rules.level == TriageLevel::Emergency || !model_says_emergency(answer) {
        return None;
    }
    let jurisdiction = patient.jurisdiction.as_deref();
    let number = emergency_number(jurisdiction);
    let mut ids = vec![MODEL_RULE_ID.to_string()];
    ids.extend(rules.rules.iter().cloned());
    Some(Triage {
        level: TriageLevel::Emergency,
        rules: ids,
        advice: advice::advice(lang, TriageLevel::Emergency, &[Group::General], number, None),
        emergency_number: number.map(str::to_string),
        crisis_line: rules.crisis_line.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triage::triage;

    #[test]
    fn red_flags_that_urge_an_emergency() {
        for a in [
            "## Red flags\nCrushing pain with sweating can be a heart attack. Call 911 now.\n\n## Summary\n…",
            "## Red flags\n- Call an ambulance.\n",
            "This could be a medical emergency. Please go to the nearest emergency department immediately.\n\n## Summary\nx",
            "## 危险信号\n这些症状可能是急症，请立即拨打120。\n\n## 概要\n…",
            "## Red flags\nSeek emergency care: signs of a stroke.",
            "Call emergency services now.\n\nCall emergency services now.",
        ] {
            assert!(model_says_emergency(a), "{a}");
        }
    }

    #[test]
    fn conditions_denials_and_later_sections_do_not_count() {
        for a in [
            "## Summary\nA cold.\n\n## When to seek care\nCall 911 now if your lips turn blue.",
            "## Red flags\nIf the pain spreads to your arm or you start sweating, call 911.",
            "## Red flags\nYou do not need to call an ambulance, but see a doctor today.",
            "## 危险信号\n如果出现胸痛加重，请拨打120。",
            "## Summary\nProbably a tension headache.\n\n## Next steps\nRest.",
            "",
        ] {
            assert!(!model_says_emergency(a), "{a}");
        }
    }

    #[test]
    fn escalates_with_the_local_number_and_records_the_net() {
        let us = PatientContext { jurisdiction: Some("US".into()), ..Default::default() };
        let rules = triage("I have had a headache since this morning", &us);
        assert_eq!(rules.level, TriageLevel::Routine);
        let t = escalate(&rules, "## Red flags\nThis may be an emergency. Call 911 now.", &us, Lang::En).unwrap();
        assert_eq!(t.level, TriageLevel::Emergency);
        assert_eq!(t.rules, [MODEL_RULE_ID]);
        assert_eq!(t.emergency_number.as_deref(), Some("911"));
        assert!(t.advice.contains("Call 911 now"), "{}", t.advice);
        let zh = escalate(&rules, "## 危险信号\n请立即拨打120。", &PatientContext::default(), Lang::Zh).unwrap();
        assert!(zh.advice.contains("当地急救电话"), "{}", zh.advice);
        let already = triage("crushing chest pain down my left arm", &us);
        assert_eq!(escalate(&already, "## Red flags\nCall 911 now.", &us, Lang::En), None);
    }
}
