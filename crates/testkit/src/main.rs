use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(about = "Makes Anamnesis' test models")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// A tiny scripted Qwen3 with the real Qwen3 tokenizer.
    TinyQwen3 {
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        tokenizer: PathBuf,
        #[arg(long)]
        template: PathBuf,
        #[arg(long, default_value_t = 2)]
        layers: usize,
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// All weights random: no scripted answer.
        #[arg(long)]
        unscripted: bool,
    },
}

fn main() -> Result<()> {
    match Cli::parse().cmd {
        Cmd::TinyQwen3 { out, tokenizer, template, layers, seed, unscripted } => {
            anamnesis_testkit::make_tiny_qwen3(&anamnesis_testkit::TinyModelSpec {
                out,
                tokenizer,
                template,
                layers,
                seed,
                scripted: !unscripted,
            })
        }
    }
}
