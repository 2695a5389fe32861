//! The red-flag rules: stable ids, a level each, and the concept combinations that fire them.

use super::concepts::Concept::{self, *};
use super::vitals::Vitals;
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
    pub vitals: Vitals,
    pub pregnancy_weeks: Option<u32>,
    pub older: bool,
    pub child: bool,
    pub diabetic: bool,
    pub on_insulin: bool,
    pub anticoagulated: bool,
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
        self.any(&[Dyspnea, SevereDyspnea, RelieverFailing])
    }

    fn glucose_high(&self) -> bool {
        self.vitals.glucose_max.is_some_and(|g| g >= 14.0)
    }

    fn glucose_low(&self) -> bool {
        self.vitals.glucose_min.is_some_and(|g| g < 4.0)
    }

    fn fast_pulse(&self, at: u32) -> bool {
        self.vitals.heart_rate_max.is_some_and(|h| h >= at)
    }

    fn slow_pulse(&self) -> bool {
        self.vitals.heart_rate_min.is_some_and(|h| h <= 45)
    }

    /// Less awake than normal: confused, drowsy, unresponsive.
    fn altered(&self) -> bool {
        self.any(&[Confusion, Drowsy, Unresponsive])
    }

    /// Late pregnancy (20 weeks on, or pregnant with the weeks unknown) or just after a birth.
    fn late_pregnancy_or_postpartum(&self) -> bool {
        self.has(Postpartum) || (self.pregnant && self.pregnancy_weeks.is_none_or(|w| w >= 20))
    }

    fn preeclampsia(&self) -> bool {
        let (sys, dia) = (self.vitals.systolic_max.unwrap_or(0), self.vitals.diastolic_max.unwrap_or(0));
        let signs = [SevereHeadache, VisualDisturbance, UpperRightPain, SwellingFaceHands]
            .iter()
            .filter(|c| self.has(**c))
            .count();
        self.late_pregnancy_or_postpartum()
            && (sys >= 160 || dia >= 110 || ((sys >= 140 || dia >= 90) && signs >= 1) || signs >= 2)
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
    Fumes,
    Burn,
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
    rule("pregnancy_abdominal_pain", Emergency, Group::Pregnancy, |f| {
        f.pregnant && (f.has(SevereAbdominal) || (f.has(AbdoPain) && f.any(&[Fainting, Collapse, BleedingMarker])))
    }),
    rule("suicidal_intent", Emergency, Group::Mind, |f| f.has(Suicidal)),
    rule("self_harm", Emergency, Group::Mind, |f| f.has(SelfHarm)),
    rule("overdose", Emergency, Group::Poison, |f| f.has(Overdose)),
    rule("sepsis_signs", Emergency, Group::General, |f| {
        (f.fever() || f.has(Infection))
            && (f.any(&[Confusion, RapidBreathing, Mottled, LowBpWord, LowUrine, Unresponsive])
                || f.low_bp
                || (f.has(Drowsy) && (f.older || f.has(Infection)))
                || f.fast_pulse(130)
                || f.vitals.resp_rate.is_some_and(|r| r >= 25))
    }),
    rule("fever_on_chemotherapy", Emergency, Group::General, |f| f.fever() && f.has(Chemo)),
    rule("meningitis_signs", Emergency, Group::General, |f| {
        f.has(NonBlanching)
            || (f.fever() && f.any(&[StiffNeck, Petechiae]))
            || (f.fever() && f.has(Photophobia) && f.any(&[WorstHeadache, SevereHeadache, Confusion]))
    }),
    rule("infant_fever", Emergency, Group::Infant, |f| f.infant && f.fever()),
    rule("seizure", Emergency, Group::Seizure, |f| f.has(Seizure)),
    rule("unresponsive", Emergency, Group::Unconscious, |f| f.has(Unresponsive)),
    rule("rigid_abdomen", Emergency, Group::General, |f| f.has(RigidAbdomen)),
    rule("suicide_plan", Emergency, Group::Mind, |f| f.has(SuicidePlan)),
    rule("overdose_count", Emergency, Group::Poison, |f| {
        let n = f.vitals.tablets.unwrap_or(0);
        n >= 10
            || (n >= 3
                && (f.altered()
                    || f.any(&[
                        HypoSigns,
                        Palpitations,
                        PaleGrey,
                        Sweating,
                        Nausea,
                        HeadacheDizzy,
                        Collapse,
                        VisualDisturbance,
                    ])
                    || f.slow_pulse()))
    }),
    rule("swallowed_hazard", Emergency, Group::Poison, |f| f.has(HazardIngestion)),
    rule("child_took_medicine", Emergency, Group::Poison, |f| f.child && f.has(OthersMedicine)),
    rule("cardiac_atypical", Emergency, Group::Cardiac, |f| {
        let frail = f.older || f.diabetic;
        (f.has(CardiacEquivalent)
            && (f.any(&[Sweating, PaleGrey]) || f.breathless() || (f.has(Nausea) && frail) || f.has(Exertion)))
            || (f.has(ChestPain) && (f.has(PaleGrey) || (f.has(Nausea) && frail)))
    }),
    rule("vision_loss_sudden", Emergency, Group::Stroke, |f| f.has(VisionLoss)),
    rule("aortic_tearing_pain", Emergency, Group::Cardiac, |f| {
        f.has(TearingPain)
            || (f.any(&[ChestPain, BackPain, CardiacEquivalent]) && f.vitals.systolic_max.is_some_and(|s| s >= 180))
    }),
    rule("clot_to_lung", Emergency, Group::General, |f| {
        let sign = f.has(ChestPain) || f.has(CoughingBlood) || f.fast_pulse(110);
        (f.has(LegClot) && (f.breathless() || sign))
            || (f.has(ClotRisk) && f.breathless() && (sign || f.has(SuddenOnset)))
    }),
    rule("hyperglycaemic_crisis", Emergency, Group::General, |f| {
        f.glucose_high()
            && f.any(&[Ketones, DeepBreathing, RapidBreathing, Drowsy, Confusion, Nausea, Unresponsive, AbdoPain])
    }),
    rule("hypoglycaemia_signs", Emergency, Group::General, |f| {
        (f.glucose_low() && (f.altered() || f.any(&[HypoSigns, Seizure, Collapse, Sweating])))
            || ((f.on_insulin || f.diabetic) && f.altered() && f.any(&[HypoSigns, Sweating]))
    }),
    rule("asthma_reliever_failing", Emergency, Group::General, |f| {
        f.has(RelieverFailing) || f.vitals.puffs.is_some_and(|p| p >= 8)
    }),
    rule("carbon_monoxide", Emergency, Group::Fumes, |f| {
        (f.has(CoSource)
            && f.any(&[HeadacheDizzy, Nausea, Confusion, Drowsy, Collapse, Unresponsive, SpeechDifficulty]))
            || (f.has(SeveralPeople) && f.has(HeadacheDizzy) && f.any(&[Confusion, Drowsy, Collapse, Unresponsive]))
    }),
    rule("heatstroke", Emergency, Group::General, |f| {
        f.any(&[HeatExposure, HotDrySkin])
            && (f.any(&[Confusion, Drowsy, Unresponsive, Seizure])
                || (f.has(HotDrySkin) && f.any(&[Collapse, Fainting]))
                || f.max_temp_c.is_some_and(|t| t >= 40.0))
    }),
    rule("electric_shock", Emergency, Group::General, |f| {
        f.has(ElectricShock)
            && (f.any(&[Collapse, Fainting, Unresponsive, Palpitations, Burn, ChestPain, Drowsy, Confusion, Seizure])
                || f.fast_pulse(120)
                || f.slow_pulse())
    }),
    rule("serious_burn", Emergency, Group::Burn, |f| f.has(Burn) && f.has(Blister) && (f.child || f.has(BurnSite))),
    rule("cauda_equina", Emergency, Group::General, |f| {
        f.has(SaddleNumb) || (f.has(BackPain) && f.any(&[UrinaryRetention, Incontinence, LegsWeak]))
    }),
    rule("testicular_pain_sudden", Emergency, Group::General, |f| {
        f.has(TesticularPain) && f.any(&[SuddenOnset, SevereWord, Nausea])
    }),
    rule("head_injury_red_flags", Emergency, Group::General, |f| {
        f.has(HeadInjury)
            && (f.anticoagulated
                || f.any(&[Nausea, Drowsy, Confusion, Unresponsive, Seizure, SpeechDifficulty, Collapse, LimbWeakness]))
    }),
    rule("preeclampsia_signs", Emergency, Group::Pregnancy, |f| f.preeclampsia()),
    rule("low_oxygen", Emergency, Group::General, |f| f.vitals.spo2.is_some_and(|s| s < 92.0)),
    rule("bleeding_with_shock", Emergency, Group::General, |f| {
        f.any(&[BlackStool, VomitingBlood, BleedingHeavy])
            && (f.any(&[BleedingMarker, PaleGrey, Fainting, Sweating, Collapse]) || f.fast_pulse(110))
    }),
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
