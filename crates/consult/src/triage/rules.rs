//! The red-flag rules: stable ids, a level each, and the concept combinations that fire them.

use super::concepts::Concept::{self, *};
use super::TriageLevel::{self, *};
use std::collections::HashSet;

/// What a message (plus the patient context) establishes.
pub(crate) struct Findings {
    pub concepts: HashSet<Concept>,
    /// Highest temperature given, °C.
    pub max_temp_c: Option<f32>,
    /// A baby under 3 months is involved (from the context's age or the text).
    pub infant: bool,
    pub pregnant: bool,
    pub low_bp: bool,
    /// One of the patient's recorded allergens is named.
    pub allergen: bool,
}

impl Findings {
    pub fn has(&self, c: Concept) -> bool {
        self.concepts.contains(&c)
    }

    fn any(&self, cs: &[Concept]) -> bool {
        cs.iter().any(|c| self.has(*c))
    }

    /// A fever: a reading of at least 38 °C, or the word with no reading that contradicts it.
    pub fn fever(&self) -> bool {
        match self.max_temp_c {
            Some(t) => t >= 38.0,
            None => self.has(FeverWord),
        }
    }

    fn breathless(&self) -> bool {
        self.any(&[Dyspnea, SevereDyspnea])
    }
}

/// Which advice sentence a rule adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Group {
    Cardiac,
    Stroke,
    Allergy,
    Wound,
    Mind,
    Poison,
    Infant,
    Pregnancy,
    Seizure,
    Unconscious,
    General,
}

pub(crate) struct Rule {
    pub id: &'static str,
    pub level: TriageLevel,
    pub group: Group,
    /// A catch-all that only fires when no emergency rule did ("chest pain" alone).
    pub fallback: bool,
    pub fires: fn(&Findings) -> bool,
}

const fn rule(id: &'static str, level: TriageLevel, group: Group, fires: fn(&Findings) -> bool) -> Rule {
    Rule { id, level, group, fallback: false, fires }
}

/// In order of display: emergencies first.
pub(crate) const RULES: &[Rule] = &[
    rule("chest_pain_radiation", Emergency, Group::Cardiac, |f| f.has(ChestPain) && f.has(Radiation)),
    rule("chest_pain_exertion", Emergency, Group::Cardiac, |f| f.has(ChestPain) && f.has(Exertion)),
    rule("chest_pain_sweating", Emergency, Group::Cardiac, |f| f.has(ChestPain) && f.has(Sweating)),
    rule("chest_pain_dyspnea", Emergency, Group::Cardiac, |f| f.has(ChestPain) && f.breathless()),
    rule("chest_pain_crushing", Emergency, Group::Cardiac, |f| f.has(ChestPain) && f.has(Crushing)),
    rule("suspected_heart_attack", Emergency, Group::Cardiac, |f| f.has(SaysHeartAttack)),
    rule("suspected_stroke", Emergency, Group::Stroke, |f| f.has(SaysStroke)),
    rule("stroke_face_droop", Emergency, Group::Stroke, |f| f.has(FaceDroop)),
    rule("stroke_arm_weakness", Emergency, Group::Stroke, |f| f.has(LimbWeakness)),
    rule("stroke_speech", Emergency, Group::Stroke, |f| f.has(SpeechDifficulty)),
    rule("headache_thunderclap", Emergency, Group::Stroke, |f| f.has(Thunderclap)),
    rule("anaphylaxis_airway_swelling", Emergency, Group::Allergy, |f| {
        f.has(AirwaySwelling) || (f.has(SwellingWeak) && (f.has(AllergyTrigger) || f.allergen || f.has(Hives)))
    }),
    rule("anaphylaxis_trigger_breathing", Emergency, Group::Allergy, |f| {
        f.breathless() && (f.has(AllergyTrigger) || f.allergen)
    }),
    rule("anaphylaxis_hives_breathing", Emergency, Group::Allergy, |f| f.has(Hives) && f.breathless()),
    rule("severe_breathing_difficulty", Emergency, Group::General, |f| f.has(SevereDyspnea)),
    rule("bleeding_uncontrolled", Emergency, Group::Wound, |f| f.has(BleedingHeavy)),
    rule("vomiting_blood", Emergency, Group::General, |f| f.has(VomitingBlood)),
    rule("pregnancy_bleeding", Emergency, Group::Pregnancy, |f| f.pregnant && f.has(VaginalBleeding)),
    rule("pregnancy_abdominal_pain", Emergency, Group::Pregnancy, |f| f.pregnant && f.has(SevereAbdominal)),
    rule("suicidal_intent", Emergency, Group::Mind, |f| f.has(Suicidal)),
    rule("self_harm", Emergency, Group::Mind, |f| f.has(SelfHarm)),
    rule("overdose", Emergency, Group::Poison, |f| f.has(Overdose)),
    rule("sepsis_signs", Emergency, Group::General, |f| {
        f.fever() && (f.any(&[Confusion, RapidBreathing, Mottled, LowBpWord, LowUrine]) || f.low_bp)
    }),
    rule("meningitis_signs", Emergency, Group::General, |f| {
        f.has(NonBlanching) || (f.fever() && f.any(&[StiffNeck, Petechiae]))
    }),
    rule("infant_fever", Emergency, Group::Infant, |f| f.infant && f.fever()),
    rule("seizure", Emergency, Group::Seizure, |f| f.has(Seizure)),
    rule("unresponsive", Emergency, Group::Unconscious, |f| f.has(Unresponsive)),
    rule("rigid_abdomen", Emergency, Group::General, |f| f.has(RigidAbdomen)),
    rule("coughing_blood", Urgent, Group::General, |f| f.has(CoughingBlood)),
    rule("black_stools", Urgent, Group::General, |f| f.has(BlackStool)),
    rule("headache_worst_ever", Urgent, Group::General, |f| f.has(WorstHeadache)),
    rule("high_fever", Urgent, Group::General, |f| {
        !f.infant && (f.max_temp_c.is_some_and(|t| t >= 40.0) || f.has(HighFeverPhrase))
    }),
    rule("severe_abdominal_pain", Urgent, Group::General, |f| !f.pregnant && f.has(SevereAbdominal)),
    rule("fainting", Urgent, Group::General, |f| f.has(Fainting) && !f.has(Unresponsive)),
    Rule { id: "chest_pain", level: Urgent, group: Group::Cardiac, fallback: true, fires: |f| f.has(ChestPain) },
    Rule { id: "shortness_of_breath", level: Urgent, group: Group::General, fallback: true, fires: |f| f.has(Dyspnea) },
];

/// The rules that fire, in table order.
pub(crate) fn evaluate(f: &Findings) -> Vec<&'static Rule> {
    let fired: Vec<&Rule> = RULES.iter().filter(|r| !r.fallback && (r.fires)(f)).collect();
    if fired.iter().any(|r| r.level == Emergency) {
        return fired;
    }
    let mut all = fired;
    all.extend(RULES.iter().filter(|r| r.fallback && (r.fires)(f)));
    all
}
