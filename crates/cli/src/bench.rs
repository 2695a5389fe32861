use crate::chat::ThinkingArg;
use crate::{rss, CliError};
use anamnesis_engine::{ChatEvent, ChatMessage, ChatRequest, DraftOptions, Engine, LoadOptions, Role, SamplingConfig, Stats, ThinkingMode, DEFAULT_GAMMA};
use clap::Args;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Args)]
pub struct BenchArgs {
    #[arg(long)]
    pub model: PathBuf,
    /// Prompt length in tokens, chat template included.
    #[arg(long, default_value_t = 512)]
    pub prompt_tokens: usize,
    /// Tokens to generate (end-of-turn tokens are banned so that exactly this many come).
    #[arg(long, default_value_t = 128)]
    pub gen_tokens: u32,
    #[arg(long, value_enum, default_value = "off")]
    pub thinking: ThinkingArg,
    #[arg(long)]
    pub template: Option<PathBuf>,
    /// Quantize a full-precision safetensors model while loading: q4k, q8_0, 4, 8, …
    #[arg(long)]
    pub isq: Option<String>,
    /// A draft model: runs the bench without it, then with it, and compares.
    #[arg(long)]
    pub draft: Option<PathBuf>,
    /// Tokens drafted per step.
    #[arg(long, default_value_t = DEFAULT_GAMMA)]
    pub gamma: usize,
    #[arg(long)]
    pub cpu: bool,
    /// GGUF on a small GPU: put this many layers on the GPU and the rest on the CPU.
    #[arg(long)]
    pub gpu_layers: Option<u32>,
    /// PagedAttention KV cache (CUDA/Metal; ignored with a draft).
    #[arg(long)]
    pub paged_attn: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Report {
    model: String,
    device: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    layers: Option<anamnesis_engine::LayerSplit>,
    load_s: f64,
    ttft_ms: f64,
    prefill_tok_s: f64,
    decode_tok_s: f64,
    peak_rss_mb: f64,
    prompt_tokens: u32,
    gen_tokens: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    draft: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gamma: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    acceptance: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notices: Option<Vec<String>>,
}

/// With `--draft`: the plain run's keys at the top level (the contract), the speculative run
/// beside it, and decode speed-up = speculative / plain.
#[derive(Serialize)]
struct Comparison {
    #[serde(flatten)]
    plain: Report,
    speculative: Report,
    speedup: f64,
}

const FILLER: &str = "A 54-year-old patient reports intermittent chest tightness on exertion, relieved by rest, \
with a history of hypertension, type 2 diabetes and smoking. Vital signs were stable at the last visit. ";

/// A user message whose templated prompt is `target` tokens long (as near as the tokenizer allows).
async fn prompt_of(engine: &Engine, target: usize, thinking: ThinkingMode) -> Result<String, CliError> {
    let overhead = engine.prompt_tokens(&[ChatMessage::new(Role::User, "")], thinking).await?;
    let want = target.saturating_sub(overhead).max(1);
    let mut text = FILLER.to_string();
    let mut ids = engine.tokenize(&text).await?;
    while ids.len() < want {
        text.push_str(FILLER);
        ids = engine.tokenize(&text).await?;
    }
    Ok(engine.detokenize(&ids[..want]).await?)
}

async fn run_once(engine: &Engine, prompt: String, gen: u32, thinking: ThinkingMode, banned: Vec<u32>) -> Result<Stats, CliError> {
    let req = ChatRequest {
        messages: vec![ChatMessage::new(Role::User, prompt)],
        sampling: SamplingConfig::greedy(gen),
        thinking,
        banned_tokens: banned,
    };
    let mut stream = engine.chat(req).await?;
    let mut stats = None;
    while let Some(ev) = stream.next().await {
        match ev {
            ChatEvent::Stats(s) => stats = Some(s),
            ChatEvent::Error(e) => return Err(CliError(e)),
            _ => {}
        }
    }
    stats.ok_or_else(|| CliError::new("GENERATION_FAILED", "the run ended without statistics"))
}

async fn measure(a: &BenchArgs, draft: Option<DraftOptions>) -> Result<Report, CliError> {
    let started = Instant::now();
    let opts = LoadOptions {
        path: a.model.clone(),
        chat_template: a.template.clone(),
        force_cpu: a.cpu,
        draft,
        isq: a.isq.clone(),
        gpu_layers: a.gpu_layers,
        paged_attention: a.paged_attn,
        max_context: a.paged_attn.then_some((a.prompt_tokens + a.gen_tokens as usize + 64) as u32),
        ..LoadOptions::default()
    };
    let engine = Engine::load(opts).await?;
    let load_s = started.elapsed().as_secs_f64();
    let banned = engine.end_of_turn_tokens().await;
    // Warm-up: first-call allocations and kernel selection are not what we measure.
    run_once(&engine, "Hello".into(), 4, a.thinking.into(), banned.clone()).await?;
    let prompt = prompt_of(&engine, a.prompt_tokens, a.thinking.into()).await?;
    let s = run_once(&engine, prompt, a.gen_tokens, a.thinking.into(), banned).await?;
    let info = engine.info();
    Ok(Report {
        model: info.name.clone(),
        device: info.device.clone(),
        layers: info.layers,
        load_s,
        ttft_ms: s.ttft_ms,
        prefill_tok_s: s.prefill_tok_s,
        decode_tok_s: s.decode_tok_s,
        peak_rss_mb: rss::peak_rss_mb(),
        prompt_tokens: s.prompt_tokens,
        gen_tokens: s.tokens,
        draft: info.draft.as_ref().map(|d| d.name.clone()),
        gamma: info.draft.as_ref().map(|d| d.gamma),
        acceptance: s.draft_acceptance,
        notices: (!info.notices.is_empty()).then(|| info.notices.clone()),
    })
}

fn print_table(rows: &[(&str, &Report)]) {
    let head: Vec<String> = rows.iter().map(|(n, _)| format!("{n:>14}")).collect();
    println!("{:<14}{}", "", head.concat());
    let line = |label: &str, f: &dyn Fn(&Report) -> String| {
        let cells: Vec<String> = rows.iter().map(|(_, r)| format!("{:>14}", f(r))).collect();
        println!("{label:<14}{}", cells.concat());
    };
    line("device", &|r| r.device.clone());
    line("layers on GPU", &|r| r.layers.map(|l| format!("{}/{}", l.on_gpu, l.total)).unwrap_or_else(|| "-".into()));
    line("load s", &|r| format!("{:.2}", r.load_s));
    line("ttft ms", &|r| format!("{:.1}", r.ttft_ms));
    line("prefill tok/s", &|r| format!("{:.1}", r.prefill_tok_s));
    line("decode tok/s", &|r| format!("{:.1}", r.decode_tok_s));
    line("prompt tokens", &|r| r.prompt_tokens.to_string());
    line("gen tokens", &|r| r.gen_tokens.to_string());
    line("peak RSS MB", &|r| format!("{:.0}", r.peak_rss_mb));
    if rows.iter().any(|(_, r)| r.draft.is_some()) {
        line("gamma", &|r| r.gamma.map(|g| g.to_string()).unwrap_or_else(|| "-".into()));
        line("acceptance", &|r| r.acceptance.map(|a| format!("{:.1}%", a * 100.0)).unwrap_or_else(|| "-".into()));
    }
}

pub async fn run(a: BenchArgs) -> Result<ExitCode, CliError> {
    let plain = measure(&a, None).await?;
    let Some(draft) = a.draft.clone() else {
        if a.json {
            println!("{}", serde_json::to_string(&plain).expect("report serializes"));
        } else {
            println!("model: {}", plain.model);
            print_table(&[("plain", &plain)]);
        }
        return Ok(ExitCode::SUCCESS);
    };
    let spec = measure(&a, Some(DraftOptions { path: draft, gamma: a.gamma })).await?;
    for n in spec.notices.iter().flatten() {
        eprintln!("notice: {n}");
    }
    let speedup = if plain.decode_tok_s > 0.0 { spec.decode_tok_s / plain.decode_tok_s } else { 0.0 };
    if a.json {
        let c = Comparison { plain, speculative: spec, speedup };
        println!("{}", serde_json::to_string(&c).expect("report serializes"));
    } else {
        println!("model: {}   draft: {}", plain.model, spec.draft.as_deref().unwrap_or("(refused)"));
        print_table(&[("plain", &plain), ("speculative", &spec)]);
        println!("{:<14}{:>28}", "decode ratio", format!("{speedup:.2}x"));
    }
    Ok(ExitCode::SUCCESS)
}
