//! `export`: a saved consultation as the window's SOAP note in Markdown (the disclaimer always
//! in it, the thinking trace only with --reasoning), from the same encrypted history.

use crate::CliError;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct ExportArgs {
    /// The consultation's id (`consult --save --json` prints it).
    pub id: i64,
    /// Include the model's thinking trace.
    #[arg(long)]
    pub reasoning: bool,
    /// Save the note in this file instead of printing it.
    #[arg(long, short)]
    pub out: Option<PathBuf>,
    /// One JSON object: the note and where it was saved.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(a: ExportArgs) -> Result<ExitCode, CliError> {
    let store = crate::consult_saved::open().await?;
    let note = anamnesis_app::export::soap_note(&store, a.id, a.reasoning, a.out.as_deref())?;
    match (&a.out, a.json) {
        (_, true) => println!("{}", serde_json::json!({"type": "exported", "markdown": note, "path": a.out})),
        (None, false) => print!("{note}"),
        (Some(path), false) => eprintln!("saved {}", path.display()),
    }
    Ok(ExitCode::SUCCESS)
}
