//! `anamnesis-cli triage`: the rule-based red-flag check, without a model. The JSON keys
//! (`level`, `rules`, `advice`) are a contract.

use crate::CliError;
use anamnesis_consult::{triage, PatientContext, Pregnancy, TriageLevel};
use clap::Args;
use std::process::ExitCode;

#[derive(Args)]
pub struct TriageArgs {
    /// The message to check (English or Chinese).
    pub text: String,
    /// Patient age in years (fractions for infants: 0.1 ≈ 5 weeks).
    #[arg(long)]
    pub age: Option<f32>,
    /// The patient is pregnant.
    #[arg(long)]
    pub pregnant: bool,
    /// ISO country code for the emergency number (US, CN, GB, DE, …).
    #[arg(long)]
    pub jurisdiction: Option<String>,
    /// `{"level","rules","advice",…}` on one line.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: TriageArgs) -> Result<ExitCode, CliError> {
    let patient = (PatientContext {
        age_years: args.age,
        pregnancy: args.pregnant.then_some(Pregnancy::Pregnant { weeks: None }),
        jurisdiction: args.jurisdiction.map(|j| j.trim().to_uppercase()),
        ..PatientContext::default()
    })
    .validated()
    .map_err(|e| CliError::new(e.code(), e.to_string()))?;
    let t = triage(&args.text, &patient);
    if args.json {
        println!("{}", serde_json::to_string(&t).expect("triage serializes"));
    } else {
        let level = match t.level {
            TriageLevel::Emergency => "EMERGENCY",
            TriageLevel::Urgent => "urgent",
            TriageLevel::Routine => "routine",
        };
        println!("{level}{}", if t.rules.is_empty() { String::new() } else { format!(" ({})", t.rules.join(", ")) });
        if !t.advice.is_empty() {
            println!("{}", t.advice);
        }
    }
    Ok(ExitCode::SUCCESS)
}
