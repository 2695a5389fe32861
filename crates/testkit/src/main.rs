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
    /// A random-weight Qwen2 GGUF in llama.cpp's Q4_K_M layout (CPU benchmarks): Qwen2.5-0.5B's
    /// shape with hidden 1024 so that every matrix is a k-quant (896, Qwen2.5-0.5B's own, makes
    /// llama.cpp fall back to Q5_0/Q8_0), the real Qwen vocabulary, a ChatML template.
    Qwen2Q4km {
        /// The Qwen tokenizer.json (vocabulary and merges).
        #[arg(long)]
        tokenizer: PathBuf,
        /// The .gguf file to write.
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 24)]
        layers: usize,
        /// Hidden size (heads of 64).
        #[arg(long, default_value_t = 1024)]
        hidden: usize,
        #[arg(long, default_value_t = 4864)]
        intermediate: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Layers from this one on are inert (add nothing), so the first ones make a draft
        /// that always agrees (write it with --layers N --quant-layers <the target's layers>).
        #[arg(long)]
        inert_from: Option<usize>,
        /// Pick quantization types as for a model of this many layers.
        #[arg(long)]
        quant_layers: Option<usize>,
    },
    /// A small real PDF (Helvetica text, one page per --page) for attachment tests; with no
    /// --page, a "scanned" page with no text.
    Pdf {
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        page: Vec<String>,
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
        Cmd::Qwen2Q4km { tokenizer, out, layers, hidden, intermediate, seed, inert_from, quant_layers } => {
            let mut spec = anamnesis_testkit::qwen2_gguf::Qwen2Q4kmSpec::new(out.clone(), tokenizer);
            (spec.layers, spec.hidden, spec.intermediate, spec.seed) = (layers, hidden, intermediate, seed);
            (spec.inert_from, spec.quant_layers) = (inert_from, quant_layers);
            let types = anamnesis_testkit::qwen2_gguf::make_qwen2_q4km(&spec)?;
            let mut counts = std::collections::BTreeMap::<String, usize>::new();
            for (_, t) in &types {
                *counts.entry(format!("{t:?}")).or_default() += 1;
            }
            let size = std::fs::metadata(&out)?.len();
            eprintln!("wrote {} ({:.1} MB, {} tensors: {counts:?})", out.display(), size as f64 / 1e6, types.len());
            Ok(())
        }
        Cmd::Pdf { out, page } => {
            let pages: Vec<&str> = page.iter().map(String::as_str).collect();
            let pdf = match pages.is_empty() {
                true => anamnesis_testkit::pdf::scanned_pdf(),
                false => anamnesis_testkit::pdf::text_pdf(&pages),
            };
            std::fs::write(&out, pdf)?;
            Ok(())
        }
        Cmd::TinyQwen3 { out, tokenizer, template, layers, seed, unscripted } => {
            anamnesis_testkit::make_tiny_qwen3(&anamnesis_testkit::TinyModelSpec {
                out,
                tokenizer,
                template,
                layers,
                seed,
                script: (!unscripted).then_some(anamnesis_testkit::SCRIPT),
            })
        }
    }
}
