//! What the user tells us about the patient. Every field is optional and editable at any time;
//! `validated` checks plausibility and normalises (trims, drops empty items, upper-cases the
//! country code) before the context is stored or put into a prompt.

use crate::error::ConsultError;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub const MAX_ITEMS: usize = 50;
pub const MAX_ITEM_CHARS: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct PatientContext {
    /// Years; fractions for infants (a 6-week-old is about 0.115).
    pub age_years: Option<f32>,
    pub sex: Option<Sex>,
    pub pregnancy: Option<Pregnancy>,
    pub weight_kg: Option<f32>,
    pub allergies: Vec<String>,
    pub medications: Vec<String>,
    pub conditions: Vec<String>,
    /// ISO 3166-1 alpha-2 country code ("US", "CN", "GB", "DE"): guidelines and emergency numbers.
    pub jurisdiction: Option<String>,
}

/// Sex as it matters clinically (physiology, pregnancy, reference ranges).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Sex {
    Female,
    Male,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum Pregnancy {
    Pregnant {
        #[serde(default)]
        weeks: Option<u32>,
    },
    Lactating,
    NotPregnant,
}

impl PatientContext {
    /// The normalised context, or the first implausible field.
    pub fn validated(mut self) -> Result<PatientContext, ConsultError> {
        if let Some(age) = self.age_years {
            if !age.is_finite() || !(0.0..=130.0).contains(&age) {
                return Err(ConsultError::patient("age_years", format!("must be between 0 and 130 years (got {age})")));
            }
        }
        if let Some(w) = self.weight_kg {
            if !w.is_finite() || !(0.3..=500.0).contains(&w) {
                return Err(ConsultError::patient("weight_kg", format!("must be between 0.3 and 500 kg (got {w})")));
            }
        }
        match self.pregnancy {
            Some(Pregnancy::Pregnant { .. } | Pregnancy::Lactating) if self.sex == Some(Sex::Male) => {
                return Err(ConsultError::patient("pregnancy", "is only possible when sex is female or not given"));
            }
            Some(Pregnancy::Pregnant { weeks: Some(w) }) if w > 45 => {
                return Err(ConsultError::patient("pregnancy", format!("weeks must be between 0 and 45 (got {w})")));
            }
            _ => {}
        }
        self.allergies = clean_list("allergies", self.allergies)?;
        self.medications = clean_list("medications", self.medications)?;
        self.conditions = clean_list("conditions", self.conditions)?;
        self.jurisdiction = match self.jurisdiction.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(j) if j.len() == 2 && j.chars().all(|c| c.is_ascii_alphabetic()) => {
                // "UK" is what people type; the ISO code is GB.
                Some(match j.to_ascii_uppercase().as_str() {
                    "UK" => "GB".to_string(),
                    other => other.to_string(),
                })
            }
            Some(j) => {
                return Err(ConsultError::patient(
                    "jurisdiction",
                    format!("must be a two-letter country code such as US, CN, GB or DE (got \"{j}\")"),
                ))
            }
        };
        Ok(self)
    }

    /// True when nothing is known.
    pub fn is_empty(&self) -> bool {
        self == &PatientContext::default()
    }

    pub(crate) fn is_pregnant(&self) -> bool {
        matches!(self.pregnancy, Some(Pregnancy::Pregnant { .. }))
    }
}

fn clean_list(field: &'static str, items: Vec<String>) -> Result<Vec<String>, ConsultError> {
    let items: Vec<String> = items.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    if items.len() > MAX_ITEMS {
        return Err(ConsultError::patient(field, format!("can hold at most {MAX_ITEMS} items (got {})", items.len())));
    }
    if let Some(long) = items.iter().find(|s| s.chars().count() > MAX_ITEM_CHARS) {
        let start: String = long.chars().take(30).collect();
        return Err(ConsultError::patient(
            field,
            format!("items can be at most {MAX_ITEM_CHARS} characters (\"{start}…\" has {})", long.chars().count()),
        ));
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> PatientContext {
        PatientContext::default()
    }

    #[test]
    fn empty_context_is_valid() {
        let p = base().validated().unwrap();
        assert!(p.is_empty());
    }

    #[test]
    fn normalises_lists_and_country() {
        let p = PatientContext {
            allergies: vec!["  penicillin ".into(), "".into(), "   ".into()],
            jurisdiction: Some(" uk ".into()),
            ..base()
        }
        .validated()
        .unwrap();
        assert_eq!(p.allergies, vec!["penicillin"]);
        assert_eq!(p.jurisdiction.as_deref(), Some("GB"));
        let p = PatientContext { jurisdiction: Some("  ".into()), ..base() }.validated().unwrap();
        assert_eq!(p.jurisdiction, None);
    }

    #[test]
    fn rejects_implausible_values_with_the_field_named() {
        let cases = [
            (PatientContext { age_years: Some(131.0), ..base() }, "age_years"),
            (PatientContext { age_years: Some(-1.0), ..base() }, "age_years"),
            (PatientContext { age_years: Some(f32::NAN), ..base() }, "age_years"),
            (PatientContext { weight_kg: Some(0.2), ..base() }, "weight_kg"),
            (PatientContext { weight_kg: Some(501.0), ..base() }, "weight_kg"),
            (
                PatientContext { sex: Some(Sex::Male), pregnancy: Some(Pregnancy::Pregnant { weeks: None }), ..base() },
                "pregnancy",
            ),
            (PatientContext { sex: Some(Sex::Male), pregnancy: Some(Pregnancy::Lactating), ..base() }, "pregnancy"),
            (PatientContext { pregnancy: Some(Pregnancy::Pregnant { weeks: Some(60) }), ..base() }, "pregnancy"),
            (PatientContext { medications: vec!["x".into(); 51], ..base() }, "medications"),
            (PatientContext { conditions: vec!["y".repeat(201)], ..base() }, "conditions"),
            (PatientContext { jurisdiction: Some("USA".into()), ..base() }, "jurisdiction"),
        ];
        for (ctx, field) in cases {
            let err = ctx.clone().validated().unwrap_err();
            assert_eq!(err.code(), "INVALID_PATIENT_CONTEXT");
            assert!(
                matches!(&err, ConsultError::InvalidPatientContext { field: f, .. } if *f == field),
                "{ctx:?}: {err}"
            );
        }
    }

    #[test]
    fn pregnancy_is_fine_for_female_or_unspecified_and_not_pregnant_for_anyone() {
        let preg = Some(Pregnancy::Pregnant { weeks: Some(12) });
        assert!(PatientContext { sex: Some(Sex::Female), pregnancy: preg, ..base() }.validated().is_ok());
        assert!(PatientContext { sex: None, pregnancy: preg, ..base() }.validated().is_ok());
        assert!(PatientContext { sex: Some(Sex::Male), pregnancy: Some(Pregnancy::NotPregnant), ..base() }
            .validated()
            .is_ok());
    }

    #[test]
    fn boundaries_are_inclusive() {
        assert!(PatientContext { age_years: Some(0.0), weight_kg: Some(0.3), ..base() }.validated().is_ok());
        assert!(PatientContext { age_years: Some(130.0), weight_kg: Some(500.0), ..base() }.validated().is_ok());
    }

    #[test]
    fn json_is_snake_case_and_partial_input_works() {
        let p: PatientContext =
            serde_json::from_str(r#"{"age_years": 34, "pregnancy": {"type": "pregnant", "weeks": 12}}"#).unwrap();
        assert_eq!(p.pregnancy, Some(Pregnancy::Pregnant { weeks: Some(12) }));
        let v = serde_json::to_value(PatientContext { pregnancy: Some(Pregnancy::NotPregnant), ..base() }).unwrap();
        assert_eq!(v["pregnancy"], serde_json::json!({"type": "not_pregnant"}));
        let p: PatientContext = serde_json::from_str(r#"{"pregnancy": {"type": "pregnant"}}"#).unwrap();
        assert_eq!(p.pregnancy, Some(Pregnancy::Pregnant { weeks: None }));
    }
}
