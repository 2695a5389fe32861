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
    /// Serve files from disk as a Hugging Face repo on loopback (benchmarks, manual runs)
    /// until killed; prints the endpoint URL on the first line.
    FakeHub {
        /// owner/name of the repo to serve.
        #[arg(long)]
        repo: String,
        /// Files to serve (their names become the repo paths); each is hashed once at start.
        files: Vec<PathBuf>,
    },
}

fn main() -> Result<()> {
    match Cli::parse().cmd {
        Cmd::FakeHub { repo, files } => {
            let hub = anamnesis_testkit::fake_hub::FakeHub::start();
            for f in files {
                let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let sha = anamnesis_testkit::fake_hub::sha256_file(&f)?;
                hub.add_disk_file(&repo, &name, f, &sha);
            }
            println!("{}", hub.url());
            loop {
                std::thread::park();
            }
        }
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
