//! `anamnesis-cli triage`: the rule-based red-flag check, without a model. The JSON keys
//! (`level`, `rules`, `advice`) are a contract.

use crate::patient_args::PatientArgs;
use crate::CliError;
use anamnesis_consult::{triage, TriageLevel};
use clap::Args;
use std::process::ExitCode;

#[derive(Args)]
pub struct TriageArgs {
    /// The message to check (English or Chinese).
    pub text: String,
    #[command(flatten)]
    pub patient: PatientArgs,
    /// `{"level","rules","advice",…}` on one line.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: TriageArgs) -> Result<ExitCode, CliError> {
    let patient = args.patient.context()?;
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
