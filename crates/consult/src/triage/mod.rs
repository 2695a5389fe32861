//! Rule-based red-flag triage. It never depends on the model: it runs on every user message and
//! on the patient context before anything is generated, so an emergency is flagged even when the
//! model is slow, wrong or not loaded. Rules have stable ids (the UI and exports show them) and
//! handle negation ("no chest pain", "否认胸痛") within a clause.

mod advice;
mod concept;
mod concepts;
mod frames;
mod measures;
mod model_net;
mod negation;
mod rules;
mod situations;
mod text;
mod vitals;

use crate::lang::Lang;
use crate::patient::PatientContext;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use advice::emergency_number;
pub use model_net::{escalate, model_says_emergency, MODEL_RULE_ID};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TriageLevel {
    Routine,
    Urgent,
    Emergency,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Triage {
    pub level: TriageLevel,
    /// Stable rule ids, emergencies first ("chest_pain_radiation", "infant_fever").
    pub rules: Vec<String>,
    /// What to do, in the message's language; empty when routine.
    pub advice: String,
    /// The ambulance number for the patient's jurisdiction; `None` means "your local emergency
    /// number" (the advice says so).
    pub emergency_number: Option<String>,
    /// A suicide and crisis line, only when a self-harm rule fired and one is known for the
    /// jurisdiction.
    pub crisis_line: Option<String>,
}

static DIABETES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"diabet\w*|type\s*[12]\b|\bt[12]d\b|insulin|糖尿病|一型|二型|1型|2型|胰岛素|降糖药").unwrap()
});

static INSULIN: std::sync::LazyLock<regex::Regex> =
    std::sync::LazyLock::new(|| regex::Regex::new(r"insulin|lantus|novorapid|humalog|胰岛素").unwrap());

const ANTICOAGULANTS: &[&str] = &[
    "warfarin",
    "apixaban",
    "eliquis",
    "rivaroxaban",
    "xarelto",
    "edoxaban",
    "dabigatran",
    "heparin",
    "enoxaparin",
    "clopidogrel",
    "华法林",
    "利伐沙班",
    "阿哌沙班",
    "达比加群",
    "氯吡格雷",
    "blood thinner",
];

/// Babies under this age with a fever are an emergency (NICE NG143, AAP).
const INFANT_DAYS: f32 = 90.0;

/// Checks one user message, together with the patient context (age for infant fever, pregnancy,
/// allergies, jurisdiction for the numbers).
pub fn triage(text: &str, patient: &PatientContext) -> Triage {
    let norm = text::normalize(text);
    let temps = measures::temperatures_c(&norm);
    let context_infant = patient.age_years.is_some_and(|a| a.is_finite() && a * 365.25 < INFANT_DAYS);
    let text_infant = measures::infant_age_days(&norm).is_some_and(|d| d < INFANT_DAYS);
    let concepts = concepts::scan(&norm);
    let vitals = vitals::read(&norm);
    let listed = |items: &[String], words: &[&str]| {
        items.iter().any(|i| {
            let i = text::normalize(i);
            words.iter().any(|w| i.contains(w))
        })
    };
    // Who the message is about: the text's own age wins over the stored context ("my mum is 72"
    // in a consultation about oneself).
    let age = vitals.age_years.or(patient.age_years.filter(|a| a.is_finite()));
    let pregnancy_weeks = vitals.pregnancy_weeks.or(match patient.pregnancy {
        Some(crate::patient::Pregnancy::Pregnant { weeks }) => weeks,
        _ => None,
    });
    let findings = rules::Findings {
        pregnant: patient.is_pregnant()
            || concepts.contains(&concepts::Concept::Pregnancy)
            || vitals.pregnancy_weeks.is_some(),
        pregnancy_weeks,
        older: age.is_some_and(|a| a >= 65.0) || (age.is_none() && vitals.older_words),
        child: age.is_some_and(|a| a < 12.0) || (age.is_none() && vitals.child_words),
        diabetic: listed(&patient.conditions, &["diabet", "糖尿病"])
            || listed(&patient.medications, &["insulin", "胰岛素", "metformin", "gliclazide"])
            || DIABETES.is_match(&norm),
        on_insulin: listed(&patient.medications, &["insulin", "胰岛素"]) || INSULIN.is_match(&norm),
        anticoagulated: concepts.contains(&concepts::Concept::Anticoagulant)
            || listed(&patient.medications, ANTICOAGULANTS),
        concepts,
        max_temp_c: temps.into_iter().reduce(f32::max),
        infant: context_infant || text_infant,
        low_bp: vitals.systolic_min.is_some_and(|s| s < 90),
        allergen: mentions_allergen(&norm, &patient.allergies),
        vitals,
    };
    let fired = rules::evaluate(&findings);
    let level = fired.iter().map(|r| r.level).max().unwrap_or(TriageLevel::Routine);
    let jurisdiction = patient.jurisdiction.as_deref();
    let number = emergency_number(jurisdiction);
    let mind = fired.iter().any(|r| r.group == rules::Group::Mind);
    let crisis = if mind { advice::crisis_line(jurisdiction) } else { None };
    // Practical sentences only for the rules that set the level ("rest while you wait" is for an
    // emergency, not for an appointment today).
    let groups: Vec<rules::Group> = fired.iter().filter(|r| r.level == level).map(|r| r.group).collect();
    Triage {
        level,
        rules: fired.iter().map(|r| r.id.to_string()).collect(),
        advice: advice::advice(Lang::detect(text), level, &groups, number, crisis),
        emergency_number: number.map(str::to_string),
        crisis_line: crisis.map(|c| c.number.to_string()),
    }
}

/// Every rule id with its level, in display order (for tests, docs and the UI legend).
pub fn rule_ids() -> Vec<(&'static str, TriageLevel)> {
    rules::RULES.iter().map(|r| (r.id, r.level)).collect()
}

/// Whether the text names one of the patient's recorded allergens ("I ate a cookie with
/// peanuts" when "peanuts" is listed). Short entries are skipped: "egg" would match "eggplant"
/// rarely, but two letters would match everything.
fn mentions_allergen(norm: &str, allergies: &[String]) -> bool {
    allergies.iter().any(|a| {
        let a = text::normalize(a.trim());
        let long_enough = if a.is_ascii() { a.len() >= 3 } else { a.chars().count() >= 2 };
        long_enough && norm.contains(&a)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patient::{Pregnancy, Sex};

    fn t(text: &str) -> Triage {
        triage(text, &PatientContext::default())
    }

    fn us() -> PatientContext {
        PatientContext { jurisdiction: Some("US".into()), ..Default::default() }
    }

    #[test]
    fn emergency_numbers_by_jurisdiction() {
        for (j, n) in [
            ("US", Some("911")),
            ("ca", Some("911")),
            ("CN", Some("120")),
            ("GB", Some("999")),
            ("DE", Some("112")),
            ("FR", Some("112")),
            ("IT", Some("112")),
            ("ES", Some("112")),
            ("NL", Some("112")),
            ("AU", Some("000")),
            ("IN", Some("108")),
            ("NO", Some("113")),
            ("CH", Some("144")),
            ("SE", Some("112")),
            ("JP", Some("119")),
            ("ZZ", None),
        ] {
            assert_eq!(emergency_number(Some(j)), n, "{j}");
        }
        assert_eq!(emergency_number(None), None);
    }

    #[test]
    fn english_emergency_advice_names_the_number_and_hedges() {
        let r = triage("crushing chest pain going down my left arm", &us());
        assert_eq!(r.level, TriageLevel::Emergency);
        assert_eq!(r.emergency_number.as_deref(), Some("911"));
        assert!(r.advice.starts_with("These symptoms can be a sign of an emergency. Call 911 now"), "{}", r.advice);
        assert!(r.advice.contains("do not drive yourself"));
        assert!(!r.advice.contains("you are having"));
    }

    #[test]
    fn chinese_advice_for_chinese_text_and_unknown_jurisdiction() {
        let r = t("胸口疼，出冷汗");
        assert_eq!(r.level, TriageLevel::Emergency);
        assert_eq!(r.rules, ["chest_pain_sweating"]);
        assert_eq!(r.emergency_number, None);
        assert!(r.advice.starts_with("这些症状可能是急症的信号。请立即拨打当地急救电话"), "{}", r.advice);
    }

    #[test]
    fn suicidal_intent_gives_crisis_line() {
        let r = triage("I want to kill myself", &us());
        assert_eq!(r.level, TriageLevel::Emergency);
        assert_eq!(r.rules, ["suicidal_intent"]);
        assert_eq!(r.crisis_line.as_deref(), Some("988"));
        assert!(
            r.advice.contains("call 911 now") && r.advice.contains("988 (Suicide & Crisis Lifeline"),
            "{}",
            r.advice
        );
        assert!(!r.advice.contains("These symptoms"), "{}", r.advice);
        let cn = PatientContext { jurisdiction: Some("CN".into()), ..Default::default() };
        let r = triage("我不想活了", &cn);
        assert_eq!(r.crisis_line.as_deref(), Some("12356"));
        assert!(r.advice.contains("请立即拨打120（急救）或110（报警）"), "{}", r.advice);
        assert!(r.advice.contains("12356（全国心理援助热线，每天至少18小时有人接听"), "{}", r.advice);
        assert!(!r.advice.contains("随时拨打12356"), "{}", r.advice);
        let r = triage("I want to end my life", &cn);
        assert!(r.advice.contains("call 120 (ambulance) or 110 (police) now"), "{}", r.advice);
        assert!(!r.advice.contains("any time"), "{}", r.advice);
    }

    #[test]
    fn routine_has_no_advice() {
        let r = t("I have had a runny nose for two days");
        assert_eq!(r.level, TriageLevel::Routine);
        assert!(r.rules.is_empty() && r.advice.is_empty() && r.crisis_line.is_none());
    }

    #[test]
    fn urgent_fallback_rules_give_way_to_emergencies() {
        assert_eq!(t("I have chest pain").rules, ["chest_pain"]);
        assert_eq!(t("I have chest pain").level, TriageLevel::Urgent);
        assert_eq!(t("chest pain and shortness of breath").rules, ["chest_pain_dyspnea"]);
    }

    #[test]
    fn patient_context_feeds_the_rules() {
        let infant = PatientContext { age_years: Some(0.1), ..Default::default() };
        assert_eq!(triage("fever of 38.3", &infant).rules, ["infant_fever"]);
        assert_eq!(triage("temperature 37.6", &infant).level, TriageLevel::Routine);
        let pregnant = PatientContext {
            sex: Some(Sex::Female),
            pregnancy: Some(Pregnancy::Pregnant { weeks: Some(9) }),
            ..Default::default()
        };
        assert_eq!(triage("I noticed some bleeding this morning", &pregnant).rules, ["pregnancy_bleeding"]);
        let allergic = PatientContext { allergies: vec!["Cashews".into()], ..Default::default() };
        assert_eq!(
            triage("ate a cookie with cashews and now I'm short of breath", &allergic).rules,
            ["anaphylaxis_trigger_breathing"]
        );
    }

    #[test]
    fn serialises_level_snake_case() {
        let v = serde_json::to_value(t("I can't breathe")).unwrap();
        assert_eq!(v["level"], "emergency");
        assert_eq!(v["rules"][0], "severe_breathing_difficulty");
    }
}
