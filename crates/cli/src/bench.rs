use crate::chat::ThinkingArg;
use crate::{rss, CliError};
use anamnesis_engine::{
    ChatEvent, ChatMessage, ChatRequest, DraftOptions, Engine, LoadOptions, Role, SamplingConfig, Stats, ThinkingMode,
    DEFAULT_GAMMA,
};
use anamnesis_wire::ErrorCode;
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
    /// A draft model: adds the `draft` (fixed γ) and `adaptive` modes.
    #[arg(long)]
    pub draft: Option<PathBuf>,
    /// γ of the `draft` mode.
    #[arg(long, default_value_t = DEFAULT_GAMMA)]
    pub gamma: usize,
    /// Which runs to compare, in order: plain, paged, draft, adaptive. Default: plain, plus
    /// paged with --paged-attn, plus draft and adaptive with --draft.
    #[arg(long, value_delimiter = ',')]
    pub modes: Vec<BenchMode>,
    /// Rounds over all modes (alternating); the report gives each mode's median.
    #[arg(long, default_value_t = 1)]
    pub rounds: usize,
    /// Sampling as the app does it (0 = greedy).
    #[arg(long, default_value_t = SamplingConfig::default().temperature)]
    pub temperature: f64,
    #[arg(long, default_value_t = SamplingConfig::default().top_k)]
    pub top_k: u32,
    #[arg(long, default_value_t = SamplingConfig::default().top_p)]
    pub top_p: f64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long)]
    pub cpu: bool,
    /// GGUF on a small GPU: put this many layers on the GPU and the rest on the CPU.
    #[arg(long)]
    pub gpu_layers: Option<u32>,
    /// Add the PagedAttention run (CUDA/Metal) to the default modes.
    #[arg(long)]
    pub paged_attn: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BenchMode {
    /// The target alone, plain KV cache.
    Plain,
    /// The target alone, PagedAttention.
    Paged,
    /// With the draft at a fixed γ.
    Draft,
    /// With the draft, γ chosen by the engine.
    Adaptive,
}

impl BenchMode {
    fn name(self) -> &'static str {
        match self {
            Self::Plain => "plain",
            Self::Paged => "paged",
            Self::Draft => "draft",
            Self::Adaptive => "adaptive",
        }
    }

    fn speculative(self) -> bool {
        matches!(self, Self::Draft | Self::Adaptive)
    }
}

#[derive(Serialize, Clone)]
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
    /// "greedy" or "T=0.6 top-k=20 top-p=0.95 seed=1".
    sampling: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    draft: Option<String>,
    /// The fixed γ, or the most the engine may choose.
    #[serde(skip_serializing_if = "Option::is_none")]
    gamma: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    adaptive: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    acceptance: Option<f64>,
    /// The engine's speculation decisions over the measured answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    speculation: Option<anamnesis_engine::DraftStats>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notices: Option<Vec<String>>,
}

/// The plain run's keys at the top level (the contract); every mode's median run under
/// `modes`; with a draft, the adaptive (else fixed-γ) run as `speculative` and its decode speed
/// over the best run without a draft as `speedup`.
#[derive(Serialize)]
struct Comparison {
    #[serde(flatten)]
    plain: Report,
    modes: Vec<ModeRun>,
    #[serde(skip_serializing_if = "Option::is_none")]
    speculative: Option<Report>,
    #[serde(skip_serializing_if = "Option::is_none")]
    speedup: Option<f64>,
    rounds: usize,
    /// Load average (1, 5, 15 min) when the bench ended: this machine's noise.
    #[serde(skip_serializing_if = "Option::is_none")]
    load_average: Option<[f64; 3]>,
}

#[derive(Serialize)]
struct ModeRun {
    mode: BenchMode,
    #[serde(flatten)]
    report: Report,
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

fn sampling_of(a: &BenchArgs) -> SamplingConfig {
    SamplingConfig {
        temperature: a.temperature,
        top_k: a.top_k,
        top_p: a.top_p,
        max_tokens: a.gen_tokens,
        seed: Some(a.seed),
    }
}

fn describe(s: &SamplingConfig) -> String {
    if s.is_greedy() {
        return "greedy".into();
    }
    format!("T={} top-k={} top-p={} seed={}", s.temperature, s.top_k, s.top_p, s.seed.unwrap_or_default())
}

async fn run_once(
    engine: &Engine,
    prompt: String,
    sampling: SamplingConfig,
    thinking: ThinkingMode,
    banned: Vec<u32>,
) -> Result<Stats, CliError> {
    let req =
        ChatRequest { messages: vec![ChatMessage::new(Role::User, prompt)], sampling, thinking, banned_tokens: banned };
    let mut stream = engine.chat(req).await?;
    let mut stats = None;
    while let Some(ev) = stream.next().await {
        match ev {
            ChatEvent::Stats(s) => stats = Some(s),
            ChatEvent::Error(e) => return Err(CliError(e)),
            _ => {}
        }
    }
    stats.ok_or_else(|| CliError::new(ErrorCode::GenerationFailed, "the run ended without statistics"))
}

async fn measure(a: &BenchArgs, mode: BenchMode) -> Result<Report, CliError> {
    let started = Instant::now();
    let draft = match (mode, &a.draft) {
        (BenchMode::Draft, Some(d)) => Some(DraftOptions::fixed(d.clone(), a.gamma)),
        (BenchMode::Adaptive, Some(d)) => Some(DraftOptions::adaptive(d.clone())),
        (m, None) if m.speculative() => {
            return Err(CliError::new(ErrorCode::InvalidArgument, format!("the {} mode needs --draft", m.name())));
        }
        _ => None,
    };
    let paged = mode == BenchMode::Paged;
    let opts = LoadOptions {
        path: a.model.clone(),
        chat_template: a.template.clone(),
        force_cpu: a.cpu,
        draft,
        isq: a.isq.clone(),
        gpu_layers: a.gpu_layers,
        paged_attention: paged,
        max_context: paged.then_some((a.prompt_tokens + a.gen_tokens as usize + 64) as u32),
        ..LoadOptions::default()
    };
    let engine = Engine::load(opts).await?;
    let load_s = started.elapsed().as_secs_f64();
    let banned = engine.end_of_turn_tokens().await;
    let sampling = sampling_of(a);
    // Warm-up: first-call allocations and kernel selection are not what we measure.
    run_once(
        &engine,
        "Hello".into(),
        SamplingConfig { max_tokens: 4, ..sampling.clone() },
        a.thinking.into(),
        banned.clone(),
    )
    .await?;
    let prompt = prompt_of(&engine, a.prompt_tokens, a.thinking.into()).await?;
    let s = run_once(&engine, prompt, sampling.clone(), a.thinking.into(), banned).await?;
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
        sampling: describe(&sampling),
        draft: info.draft.as_ref().map(|d| d.name.clone()),
        gamma: info.draft.as_ref().map(|d| d.gamma),
        adaptive: info.draft.as_ref().map(|_| mode == BenchMode::Adaptive),
        acceptance: s.draft_acceptance,
        speculation: s.draft.map(|d| *d),
        notices: (!info.notices.is_empty()).then(|| info.notices.iter().map(ToString::to_string).collect()),
    })
}

fn print_table(rows: &[(&str, &Report)]) {
    let head: Vec<String> = rows.iter().map(|(n, _)| format!("{n:>14}")).collect();
    println!("{:<16}{}", "", head.concat());
    let line = |label: &str, f: &dyn Fn(&Report) -> String| {
        let cells: Vec<String> = rows.iter().map(|(_, r)| format!("{:>14}", f(r))).collect();
        println!("{label:<16}{}", cells.concat());
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
        let dash = || "-".to_string();
        line("gamma", &|r| match (r.gamma, r.adaptive) {
            (Some(g), Some(true)) => format!("auto<={g}"),
            (Some(g), _) => g.to_string(),
            _ => dash(),
        });
        line("acceptance", &|r| r.acceptance.map(|a| format!("{:.1}%", a * 100.0)).unwrap_or_else(dash));
        line("last gamma", &|r| r.speculation.as_ref().map(|d| d.gamma.to_string()).unwrap_or_else(dash));
        line("drafted share", &|r| {
            r.speculation.as_ref().map(|d| format!("{:.0}%", d.speculative_share * 100.0)).unwrap_or_else(dash)
        });
        line("predicted gain", &|r| {
            r.speculation.as_ref().and_then(|d| d.predicted_speedup).map(|p| format!("{p:.2}x")).unwrap_or_else(dash)
        });
        line("best possible gain", &|r| {
            r.speculation.as_ref().and_then(|d| d.best_speedup).map(|p| format!("{p:.2}x")).unwrap_or_else(dash)
        });
        let ms = |f: fn(&anamnesis_engine::DraftStats) -> Option<f64>| {
            move |r: &Report| {
                r.speculation.as_ref().and_then(f).map(|v| format!("{v:.1}")).unwrap_or_else(|| "-".into())
            }
        };
        line("plain step ms", &ms(|d| d.plain_step_ms));
        line("draft step ms", &ms(|d| d.draft_step_ms));
        line("verify +tok ms", &ms(|d| d.verify_extra_ms));
        line("verdict", &|r| {
            r.speculation.as_ref().map(|d| format!("{:?}", d.verdict).to_lowercase()).unwrap_or_else(dash)
        });
    }
}

fn median_by_decode(mut runs: Vec<Report>) -> Report {
    runs.sort_by(|a, b| a.decode_tok_s.total_cmp(&b.decode_tok_s));
    runs.swap_remove(runs.len() / 2)
}

fn load_average() -> Option<[f64; 3]> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    let v: Vec<f64> = text.split_whitespace().take(3).filter_map(|x| x.parse().ok()).collect();
    (v.len() == 3).then(|| [v[0], v[1], v[2]])
}

pub async fn run(a: BenchArgs) -> Result<ExitCode, CliError> {
    let modes = if a.modes.is_empty() {
        let mut m = vec![BenchMode::Plain];
        if a.paged_attn {
            m.push(BenchMode::Paged);
        }
        if a.draft.is_some() {
            m.extend([BenchMode::Draft, BenchMode::Adaptive]);
        }
        m
    } else {
        a.modes.clone()
    };
    let rounds = a.rounds.max(1);
    let mut runs: Vec<Vec<Report>> = vec![Vec::new(); modes.len()];
    for _ in 0..rounds {
        for (i, &mode) in modes.iter().enumerate() {
            runs[i].push(measure(&a, mode).await?);
        }
    }
    let results: Vec<(BenchMode, Report)> = modes.iter().copied().zip(runs.into_iter().map(median_by_decode)).collect();
    for n in results.iter().flat_map(|(_, r)| r.notices.iter().flatten()) {
        eprintln!("notice: {n}");
    }
    let find = |m: BenchMode| results.iter().find(|(k, _)| *k == m).map(|(_, r)| r);
    let best_plain = results.iter().filter(|(m, _)| !m.speculative()).map(|(_, r)| r.decode_tok_s).fold(0.0, f64::max);
    let speculative = find(BenchMode::Adaptive).or_else(|| find(BenchMode::Draft)).cloned();
    let speedup = speculative.as_ref().filter(|_| best_plain > 0.0).map(|s| s.decode_tok_s / best_plain);
    if a.json {
        let plain = find(BenchMode::Plain).unwrap_or(&results[0].1).clone();
        let modes = results.into_iter().map(|(mode, report)| ModeRun { mode, report }).collect();
        let c = Comparison { plain, modes, speculative, speedup, rounds, load_average: load_average() };
        println!("{}", serde_json::to_string(&c).expect("report serializes"));
        return Ok(ExitCode::SUCCESS);
    }
    let first = &results[0].1;
    println!("model: {}   sampling: {}   rounds: {rounds} (medians)", first.model, first.sampling);
    if let Some(d) = results.iter().find_map(|(_, r)| r.draft.as_deref()) {
        println!("draft: {d}");
    }
    let rows: Vec<(&str, &Report)> = results.iter().map(|(m, r)| (m.name(), r)).collect();
    print_table(&rows);
    if best_plain > 0.0 {
        let cells: Vec<String> =
            results.iter().map(|(_, r)| format!("{:>14}", format!("{:.2}x", r.decode_tok_s / best_plain))).collect();
        println!("{:<16}{}", "vs best plain", cells.concat());
    }
    if let Some([l1, l5, l15]) = load_average() {
        println!("load average: {l1:.2} {l5:.2} {l15:.2}");
    }
    Ok(ExitCode::SUCCESS)
}
