//! The patient context as flags, for `triage` and `consult`.

use crate::CliError;
use anamnesis_consult::{PatientContext, Pregnancy, Sex};
use clap::Args;

#[derive(Args)]
pub struct PatientArgs {
    /// The patient's age in years (fractions for infants: 0.1 ≈ 5 weeks).
    #[arg(long)]
    pub age: Option<f32>,
    #[arg(long, value_enum)]
    pub sex: Option<SexArg>,
    /// The patient is pregnant.
    #[arg(long, conflicts_with = "lactating")]
    pub pregnant: bool,
    /// Weeks of pregnancy (implies --pregnant).
    #[arg(long, conflicts_with = "lactating")]
    pub pregnancy_weeks: Option<u32>,
    #[arg(long)]
    pub lactating: bool,
    #[arg(long)]
    pub weight_kg: Option<f32>,
    /// A known condition; repeat for more.
    #[arg(long = "condition")]
    pub conditions: Vec<String>,
    /// A current medication; repeat for more.
    #[arg(long = "medication")]
    pub medications: Vec<String>,
    /// An allergy; repeat for more.
    #[arg(long = "allergy")]
    pub allergies: Vec<String>,
    /// The patient's country (ISO code: US, GB, CN, DE, …): emergency numbers and guidelines.
    #[arg(long)]
    pub jurisdiction: Option<String>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum SexArg {
    Female,
    Male,
}

impl PatientArgs {
    /// The validated context, or the first implausible field as a clear error.
    pub fn context(&self) -> Result<PatientContext, CliError> {
        let pregnancy = match (self.pregnant, self.pregnancy_weeks, self.lactating) {
            (_, Some(w), _) => Some(Pregnancy::Pregnant { weeks: Some(w) }),
            (true, None, _) => Some(Pregnancy::Pregnant { weeks: None }),
            (false, None, true) => Some(Pregnancy::Lactating),
            (false, None, false) => None,
        };
        PatientContext {
            age_years: self.age,
            sex: self.sex.map(|s| match s {
                SexArg::Female => Sex::Female,
                SexArg::Male => Sex::Male,
            }),
            pregnancy,
            weight_kg: self.weight_kg,
            allergies: self.allergies.clone(),
            medications: self.medications.clone(),
            conditions: self.conditions.clone(),
            jurisdiction: self.jurisdiction.clone(),
        }
        .validated()
        .map_err(|e| CliError::new(e.code(), e.to_string()))
    }
}
