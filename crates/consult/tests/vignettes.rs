//! The red-flag triage against a vignette set (tests/vignettes.json): positives for every rule in
//! English and Chinese, negations, everyday complaints and tricky mixes. Run with `--nocapture`
//! for the per-rule table.

use anamnesis_consult::triage::{rule_ids, triage, TriageLevel};
use anamnesis_consult::PatientContext;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Case {
    id: String,
    kind: String,
    text: String,
    #[serde(default)]
    patient: PatientContext,
    level: TriageLevel,
    rules: Vec<String>,
}

fn cases() -> Vec<Case> {
    serde_json::from_str(include_str!("vignettes.json")).expect("vignettes.json parses")
}

#[test]
fn vignettes() {
    let cases = cases();
    assert!(cases.len() >= 80, "only {} vignettes", cases.len());

    let mut mismatches = Vec::new();
    let mut per_rule: BTreeMap<&str, (usize, usize, usize)> =
        rule_ids().iter().map(|(id, _)| (*id, (0, 0, 0))).collect();
    let (mut emergencies, mut emergencies_caught) = (0, 0);
    let (mut quiet_cases, mut false_fires) = (0, 0);

    for c in &cases {
        let patient = c.patient.clone().validated().unwrap_or_else(|e| panic!("{}: {e}", c.id));
        let got = triage(&c.text, &patient);
        for id in &c.rules {
            let entry = per_rule.get_mut(id.as_str()).unwrap_or_else(|| panic!("{}: unknown rule {id}", c.id));
            entry.0 += 1;
            if got.rules.contains(id) {
                entry.1 += 1;
            }
        }
        for id in got.rules.iter().filter(|r| !c.rules.contains(r)) {
            per_rule.get_mut(id.as_str()).unwrap().2 += 1;
        }
        if c.level == TriageLevel::Emergency {
            emergencies += 1;
            emergencies_caught += usize::from(got.level == TriageLevel::Emergency);
        }
        if c.kind == "negation" || c.kind == "negative" {
            quiet_cases += 1;
            false_fires += usize::from(!got.rules.is_empty());
        }
        if got.level != c.level || got.rules != c.rules {
            mismatches.push(format!(
                "{} {:?}: want {:?} {:?}, got {:?} {:?}",
                c.id, c.text, c.level, c.rules, got.level, got.rules
            ));
        }
    }

    println!("\n{:<32} {:>9} {:>6} {:>11}", "rule", "vignettes", "hits", "extra fires");
    for (id, (n, hits, extra)) in &per_rule {
        println!("{id:<32} {n:>9} {hits:>6} {extra:>11}");
    }
    println!(
        "\n{} vignettes; emergency recall {emergencies_caught}/{emergencies}; false fires on negations and negatives {false_fires}/{quiet_cases}",
        cases.len()
    );

    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
    assert_eq!(emergencies_caught, emergencies, "emergency recall must be 100%");
    assert_eq!(false_fires, 0, "negations and negatives must not fire");
}

#[test]
fn every_rule_has_an_english_and_a_chinese_positive() {
    let cases = cases();
    for (id, _) in rule_ids() {
        for lang in ["en_", "zh_"] {
            assert!(
                cases.iter().any(|c| c.kind == "positive" && c.id.starts_with(lang) && c.rules.iter().any(|r| r == id)),
                "no {lang} positive vignette for {id}"
            );
        }
    }
    for kind in ["negation", "negative", "tricky"] {
        for lang in ["en_", "zh_"] {
            assert!(cases.iter().any(|c| c.kind == kind && c.id.starts_with(lang)), "no {lang} {kind} vignettes");
        }
    }
}
