//! The planner against a table of synthetic machines, with the real Baichuan-M2-32B numbers.

use anamnesis_hardware::*;
use anamnesis_wire::MemoryFallback;

const GIB: u64 = 1 << 30;
const GPTQ: &str = "baichuan-m2-32b-gptq-int4";
const GGUF: &str = "baichuan-m2-32b-q4_k_m-gguf";

fn baichuan(id: &str, label: &str, backends: Vec<Backend>, cc: Option<&str>, weights: u64) -> Candidate {
    Candidate {
        id: id.into(),
        label: label.into(),
        requirements: Requirements {
            backends,
            min_compute_capability: cc.map(Into::into),
            weights_bytes: weights,
            kv_bytes_per_token: 64 * 8 * 128 * 2 * 2,
            layers: 64,
            min_context: 4096,
            max_context: 32768,
        },
    }
}

/// In preference order, as the catalog lists them.
fn candidates() -> Vec<Candidate> {
    use Backend::*;
    vec![
        baichuan(GPTQ, "GPTQ-Int4", vec![Cuda], Some("8.0"), 19_500_000_000),
        baichuan(GGUF, "Q4_K_M", vec![Cuda, Metal, Cpu], None, 19_900_000_000),
    ]
}

fn draft() -> Candidate {
    Candidate {
        id: "qwen3-0.6b".into(),
        label: "Qwen3-0.6B (draft)".into(),
        requirements: Requirements {
            backends: vec![Backend::Cuda, Backend::Metal, Backend::Cpu],
            min_compute_capability: None,
            weights_bytes: 1_200_000_000,
            kv_bytes_per_token: 28 * 8 * 128 * 2 * 2,
            layers: 28,
            min_context: 4096,
            max_context: 32768,
        },
    }
}

fn gb(x: f64) -> u64 {
    (x * GIB as f64) as u64
}

fn machine(ram_total: f64, ram_free: f64, gpus: Vec<GpuInfo>) -> HardwareInfo {
    HardwareInfo {
        os: "Test OS".into(),
        cpu: CpuInfo { brand: "Test CPU".into(), physical_cores: 8, threads: 16 },
        ram_total: gb(ram_total),
        ram_available: gb(ram_free),
        gpus,
        disks: vec![],
        notes: vec![],
    }
}

fn nvidia(name: &str, total: f64, free: f64, cc: &str) -> GpuInfo {
    GpuInfo {
        index: 0,
        vendor: GpuVendor::Nvidia,
        name: name.into(),
        vram_total: gb(total),
        vram_free: gb(free),
        compute_capability: Some(cc.into()),
        driver: Some("550.54.14".into()),
        cuda: Some("12.4".into()),
        unified: false,
    }
}

fn mac(name: &str, ram: f64, free: f64) -> HardwareInfo {
    let gpu = GpuInfo {
        index: 0,
        vendor: GpuVendor::Apple,
        name: name.into(),
        vram_total: gb(ram),
        vram_free: gb(free),
        compute_capability: None,
        driver: None,
        cuda: None,
        unified: true,
    };
    HardwareInfo {
        cpu: CpuInfo { brand: name.into(), physical_cores: 12, threads: 12 },
        ..machine(ram, free, vec![gpu])
    }
}

struct Case {
    name: &'static str,
    hw: HardwareInfo,
    variant: Option<&'static str>,
    mode: PlanMode,
    backend: Backend,
    draft: bool,
    /// Words the reason must contain.
    says: &'static [&'static str],
    /// An alternative and words its reason must contain.
    alt: (&'static str, &'static [&'static str]),
}

fn table() -> Vec<Case> {
    vec![
        Case {
            name: "RTX 4090 24 GB",
            hw: machine(64.0, 50.0, vec![nvidia("NVIDIA GeForce RTX 4090", 24.0, 23.1, "8.9")]),
            variant: Some(GPTQ),
            mode: PlanMode::Gpu,
            backend: Backend::Cuda,
            draft: false, // the draft would leave under 8k of context
            says: &["RTX 4090", "24 GB", "23.1 GB free", "GPTQ-Int4 on the GPU", "context", "draft model"],
            alt: (GGUF, &["fits on the GPU", "GPTQ-Int4 is preferred"]),
        },
        Case {
            name: "RTX 3060 12 GB",
            hw: machine(32.0, 26.0, vec![nvidia("NVIDIA GeForce RTX 3060", 12.0, 11.4, "8.6")]),
            variant: Some(GGUF),
            mode: PlanMode::Hybrid,
            backend: Backend::Cuda,
            draft: true,
            says: &["RTX 3060", "Q4_K_M with", "of 64 layers on the GPU", "the rest in RAM", "draft model"],
            alt: (GPTQ, &["needs", "GB of GPU memory", "11.4 GB free"]),
        },
        Case {
            name: "RTX 2080 Ti 11 GB",
            hw: machine(32.0, 26.0, vec![nvidia("NVIDIA GeForce RTX 2080 Ti", 11.0, 10.6, "7.5")]),
            variant: Some(GGUF),
            mode: PlanMode::Hybrid,
            backend: Backend::Cuda,
            draft: true,
            says: &["RTX 2080 Ti", "layers on the GPU"],
            alt: (GPTQ, &["needs compute capability 8.0; this GPU has 7.5"]),
        },
        Case {
            name: "A100 80 GB",
            hw: machine(256.0, 240.0, vec![nvidia("NVIDIA A100-SXM4-80GB", 80.0, 79.2, "8.0")]),
            variant: Some(GPTQ),
            mode: PlanMode::Gpu,
            backend: Backend::Cuda,
            draft: true,
            says: &["A100", "a 32k context and the draft model"],
            alt: (GGUF, &["fits on the GPU with a 32k context"]),
        },
        Case {
            name: "M2 Max 64 GB",
            hw: mac("Apple M2 Max", 64.0, 48.0),
            variant: Some(GGUF),
            mode: PlanMode::Gpu,
            backend: Backend::Metal,
            draft: true,
            says: &["Apple M2 Max", "unified memory", "on the GPU (Metal)", "32k context", "draft model"],
            alt: (GPTQ, &["needs an NVIDIA GPU"]),
        },
        Case {
            name: "M1 16 GB",
            hw: mac("Apple M1", 16.0, 11.0),
            variant: None,
            mode: PlanMode::Unsupported,
            backend: Backend::Cpu,
            draft: false,
            says: &["Not enough memory", "Q4_K_M needs", "GB short"],
            alt: (GGUF, &["needs 20.5 GB", "9.0 GB usable"]),
        },
        Case {
            name: "CPU only 32 GB",
            hw: machine(32.0, 28.0, vec![]),
            variant: Some(GGUF),
            mode: PlanMode::Cpu,
            backend: Backend::Cpu,
            draft: true,
            says: &["16 threads", "28.0 GB free RAM", "on the CPU", "draft model"],
            alt: (GPTQ, &["needs an NVIDIA GPU"]),
        },
        Case {
            name: "CPU only 16 GB",
            hw: machine(16.0, 12.0, vec![]),
            variant: None,
            mode: PlanMode::Unsupported,
            backend: Backend::Cpu,
            draft: false,
            says: &["Not enough memory", "Q4_K_M needs", "10.0 GB is usable", "GB short"],
            alt: (GGUF, &["needs", "GB of RAM"]),
        },
        Case {
            name: "RTX 4090, another app holds 14 GB",
            hw: machine(64.0, 50.0, vec![nvidia("NVIDIA GeForce RTX 4090", 24.0, 10.0, "8.9")]),
            variant: Some(GGUF),
            mode: PlanMode::Hybrid,
            backend: Backend::Cuda,
            draft: true,
            says: &["RTX 4090", "10.0 GB free", "layers on the GPU"],
            alt: (GPTQ, &["GB of GPU memory, 10.0 GB free"]),
        },
    ]
}

#[test]
fn every_machine_gets_the_expected_plan() {
    let (cands, d) = (candidates(), draft());
    for case in table() {
        let p = plan(&case.hw, &cands, Some(&d));
        let name = case.name;
        println!(
            "{name}: {:?} {:?} ctx {} draft {} layers {:?}\n  {}",
            p.variant, p.mode, p.context, p.draft, p.gpu_layers, p.reason
        );
        for a in &p.alternatives {
            println!("  alt {}: fits {} — {}", a.variant, a.fits, a.reason);
        }
        assert_eq!(p.variant.as_deref(), case.variant, "{name}");
        assert_eq!(p.mode, case.mode, "{name}");
        assert_eq!(p.backend, case.backend, "{name}");
        assert_eq!(p.draft, case.draft, "{name}");
        for w in case.says {
            assert!(p.reason.contains(w), "{name}: {w:?} not in {:?}", p.reason);
        }
        assert!(p.reason.ends_with('.') && p.reason.matches(". ").count() == 0, "{name}: one sentence: {}", p.reason);
        assert!(!p.reason.to_lowercase().contains("tok/s") && !p.reason.contains("fast"), "{name}: no speed claims");

        let b = &p.breakdown;
        assert!(b.weights + b.kv_cache + b.draft + b.overhead + b.headroom <= b.budget, "{name}: {b:?}");
        if case.mode == PlanMode::Unsupported {
            assert_eq!(p.context, 0, "{name}");
        } else {
            assert_eq!(p.context % 1024, 0, "{name}");
            assert!((4096..=32768).contains(&p.context), "{name}: {}", p.context);
            assert_eq!(b.kv_cache, u64::from(p.context) * 262_144, "{name}");
            assert_eq!(b.draft > 0, p.draft, "{name}");
        }
        assert_eq!(p.gpu_layers.is_some(), case.mode == PlanMode::Hybrid, "{name}");
        if let Some(n) = p.gpu_layers {
            assert!((1..64).contains(&n), "{name}: {n}");
        }

        // Every candidate not chosen is listed once, with why.
        let expected_alts = cands.len() - usize::from(p.variant.is_some());
        assert_eq!(p.alternatives.len(), expected_alts, "{name}");
        let (other, words) = case.alt;
        let alt = p.alternatives.iter().find(|a| a.variant == other).expect("the alternative is listed");
        assert_eq!(alt.fits, alt.reason.starts_with("fits "), "{name}: {alt:?}");
        for w in words {
            assert!(alt.reason.contains(w), "{name}: {w:?} not in {:?}", alt.reason);
        }
    }
}

#[test]
fn free_memory_not_total_decides() {
    let (cands, d) = (candidates(), draft());
    let full = plan(&machine(64.0, 50.0, vec![nvidia("RTX 4090", 24.0, 23.1, "8.9")]), &cands, Some(&d));
    let busy = plan(&machine(64.0, 50.0, vec![nvidia("RTX 4090", 24.0, 10.0, "8.9")]), &cands, Some(&d));
    assert_eq!(full.mode, PlanMode::Gpu);
    assert_eq!(busy.mode, PlanMode::Hybrid);
    let gptq = &busy.alternatives[0];
    assert_eq!((gptq.variant.as_str(), gptq.fits), (GPTQ, false));
    assert!(gptq.reason.ends_with("10.0 GB free"), "{}", gptq.reason);
}

#[test]
fn the_draft_is_dropped_when_it_leaves_less_than_the_minimum_context() {
    // 19.5e9 weights + 1.8 GB overhead + 4k context fit in 21.0 GB, the draft beside them does not.
    let hw = machine(64.0, 50.0, vec![nvidia("RTX 4090", 24.0, 21.0, "8.9")]);
    let p = plan(&hw, &candidates()[..1], Some(&draft()));
    assert_eq!((p.variant.as_deref(), p.mode, p.draft), (Some(GPTQ), PlanMode::Gpu, false));
    assert!(p.context >= 4096);
    assert!(p.reason.contains("no room left for the draft model"), "{}", p.reason);
    assert_eq!(p.breakdown.draft, 0);
}

#[test]
fn without_a_draft_the_context_is_larger() {
    let hw = machine(64.0, 50.0, vec![nvidia("RTX 5090", 32.0, 31.0, "12.0")]);
    let with = plan(&hw, &candidates(), Some(&draft()));
    let without = plan(&hw, &candidates(), None);
    assert!(with.draft && !without.draft);
    assert!(without.context > with.context);
    assert!(!without.reason.contains("draft"), "{}", without.reason);
}

#[test]
fn a_draft_that_cannot_run_on_the_backend_is_named() {
    let mut d = draft();
    d.requirements.backends = vec![Backend::Cuda];
    let p = plan(&machine(32.0, 28.0, vec![]), &candidates(), Some(&d));
    assert_eq!((p.mode, p.draft), (PlanMode::Cpu, false));
    assert!(p.reason.contains("the draft model does not run on CPU"), "{}", p.reason);
}

#[test]
fn contexts_are_capped_at_the_maximum() {
    let hw = machine(512.0, 500.0, vec![nvidia("H100", 80.0, 79.0, "9.0")]);
    let p = plan(&hw, &candidates(), Some(&draft()));
    assert_eq!(p.context, 32768);
    assert!(p.breakdown.headroom > 0);
}

#[test]
fn the_gpu_with_the_most_free_memory_is_used() {
    let mut small = nvidia("RTX 3060", 12.0, 11.0, "8.6");
    let mut big = nvidia("RTX 4090", 24.0, 23.0, "8.9");
    (small.index, big.index) = (0, 1);
    let p = plan(&machine(64.0, 50.0, vec![small, big]), &candidates(), None);
    assert_eq!((p.variant.as_deref(), p.gpu), (Some(GPTQ), Some(1)));
}

#[test]
fn a_turing_card_with_enough_memory_runs_the_gguf_fully_on_the_gpu() {
    let hw = machine(64.0, 50.0, vec![nvidia("TITAN RTX", 24.0, 23.5, "7.5")]);
    let p = plan(&hw, &candidates(), Some(&draft()));
    assert_eq!((p.variant.as_deref(), p.mode, p.backend), (Some(GGUF), PlanMode::Gpu, Backend::Cuda));
    assert!(p.alternatives[0].reason.contains("compute capability 8.0"));
}

#[test]
fn metal_never_gets_more_than_three_quarters_of_unified_memory() {
    // Plenty free, but macOS wires at most 75 % of 32 GB = 24 GB for Metal.
    let p = plan(&mac("Apple M2 Pro", 32.0, 30.0), &candidates(), None);
    assert_eq!(p.mode, PlanMode::Gpu);
    assert!(p.breakdown.budget <= 24 * GIB);
}

#[test]
fn planning_is_deterministic_and_serializes() {
    let hw = machine(32.0, 26.0, vec![nvidia("RTX 3060", 12.0, 11.4, "8.6")]);
    let a = plan(&hw, &candidates(), Some(&draft()));
    assert_eq!(a, plan(&hw, &candidates(), Some(&draft())));
    let json = serde_json::to_value(&a).unwrap();
    assert_eq!(json["mode"], "hybrid");
    assert_eq!(json["backend"], "cuda");
    assert!(json["breakdown"]["kv_cache"].is_u64());
    let back: Plan = serde_json::from_value(json).unwrap();
    assert_eq!(back, a);
}

#[test]
fn no_candidates_or_no_backend_is_unsupported_not_a_panic() {
    let hw = machine(32.0, 28.0, vec![]);
    let p = plan(&hw, &[], None);
    assert_eq!((p.mode, p.variant), (PlanMode::Unsupported, None));
    assert_eq!(p.reason, "No model variant to choose from.");

    let gptq_only = &candidates()[..1];
    let p = plan(&hw, gptq_only, None);
    assert_eq!(p.mode, PlanMode::Unsupported);
    assert!(p.reason.contains("needs an NVIDIA GPU"), "{}", p.reason);

    let mut odd = candidates()[1].clone();
    odd.requirements =
        Requirements { backends: vec![], weights_bytes: 0, kv_bytes_per_token: 0, layers: 0, ..odd.requirements };
    assert_eq!(plan(&hw, &[odd], None).mode, PlanMode::Unsupported);
}

#[test]
fn requirements_read_from_the_catalog_toml_shape() {
    let r: Requirements = serde_json::from_str(
        r#"{"backends":["cuda","metal","cpu"],"weights_bytes":19900000000,"kv_bytes_per_token":262144,"layers":64,"min_context":4096,"max_context":32768}"#,
    )
    .unwrap();
    assert_eq!(r.min_compute_capability, None);
    assert_eq!(r.backends, vec![Backend::Cuda, Backend::Metal, Backend::Cpu]);
}

#[test]
fn detect_reads_this_machine() {
    let hw = detect();
    assert!(hw.ram_total > 0 && hw.ram_available > 0 && hw.ram_available <= hw.ram_total, "{hw:?}");
    assert!(hw.cpu.threads >= 1 && hw.cpu.physical_cores >= 1 && hw.cpu.physical_cores <= hw.cpu.threads, "{hw:?}");
    assert!(!hw.os.is_empty() && !hw.cpu.brand.is_empty());
    for g in &hw.gpus {
        assert!(g.vram_total > 0 && g.vram_free <= g.vram_total, "{g:?}");
    }
    for d in &hw.disks {
        assert!(d.available <= d.total, "{d:?}");
    }
    let json = serde_json::to_string(&hw).unwrap();
    assert!(json.contains("\"ram_total\"") && json.contains("\"physical_cores\""));
    assert_eq!(serde_json::from_str::<HardwareInfo>(&json).unwrap(), hw);
    let line = summary(&hw);
    assert!(line.contains("threads") && line.contains("GB RAM"), "{line}");
    println!("{line}\n{json}");
}

#[test]
fn summary_is_one_line() {
    let hw = machine(31.2, 24.0, vec![]);
    assert_eq!(summary(&hw), "16 threads, 31.2 GB RAM (24.0 free), no GPU");
    let hw = machine(64.0, 50.0, vec![nvidia("NVIDIA GeForce RTX 4090", 24.0, 23.1, "8.9")]);
    assert_eq!(summary(&hw), "16 threads, 64.0 GB RAM (50.0 free), NVIDIA GeForce RTX 4090 24 GB (23.1 free)");
    assert_eq!(
        summary(&mac("Apple M2 Max", 64.0, 48.0)),
        "12 threads, 64.0 GB RAM (48.0 free), Apple M2 Max GPU (unified memory)"
    );
}

/// The 24 GB laptop of the UI review: Q4_K_M is a few hundred MB short at 4k with the apps open.
fn laptop_short_of_memory() -> HardwareInfo {
    machine(24.0, 22.5, vec![])
}

#[test]
fn a_machine_a_little_short_is_offered_both_fallbacks_and_each_runs() {
    let (hw, cands, d) = (laptop_short_of_memory(), candidates(), draft());
    let none = plan_with(&hw, &cands, Some(&d), MemoryFallback::default());
    assert_eq!(none.mode, PlanMode::Unsupported);
    assert_eq!(none.fallbacks, MemoryFallback { short_context: true, anyway: true });
    assert!(none.reason.contains("GB short"), "{}", none.reason);

    let short = plan_with(&hw, &cands, Some(&d), MemoryFallback { short_context: true, anyway: false });
    assert_eq!((short.variant.as_deref(), short.mode, short.context), (Some(GGUF), PlanMode::Cpu, SHORT_CONTEXT));
    assert!(!short.forced && !short.draft);
    assert_eq!(short.fallbacks, MemoryFallback::default());

    let anyway = plan_with(&hw, &cands, Some(&d), MemoryFallback { short_context: false, anyway: true });
    assert_eq!((anyway.variant.as_deref(), anyway.mode), (Some(GGUF), PlanMode::Cpu));
    assert!(anyway.forced && !anyway.draft && anyway.context >= 4096);
    assert!(anyway.reason.starts_with("Trying anyway.") && anyway.reason.contains("may close programs"));
    assert!(anyway.breakdown.budget > gb(22.0), "all RAM but 1 GB: {:?}", anyway.breakdown);
}

#[test]
fn fallbacks_change_nothing_where_the_model_fits() {
    let hw = machine(64.0, 50.0, vec![nvidia("RTX 4090", 24.0, 23.1, "8.9")]);
    let both = MemoryFallback { short_context: true, anyway: true };
    let (cands, d) = (candidates(), draft());
    assert_eq!(plan_with(&hw, &cands, Some(&d), both), plan(&hw, &cands, Some(&d)));
}

#[test]
fn no_fallback_is_offered_where_none_would_help() {
    let p = plan_with(&machine(16.0, 14.0, vec![]), &candidates(), Some(&draft()), MemoryFallback::default());
    assert_eq!((p.mode, p.fallbacks), (PlanMode::Unsupported, MemoryFallback::default()));
    // Chosen and still too little: the plan says so, not forced.
    let p = plan_with(
        &machine(16.0, 14.0, vec![]),
        &candidates(),
        Some(&draft()),
        MemoryFallback { short_context: true, anyway: true },
    );
    assert_eq!((p.mode, p.forced), (PlanMode::Unsupported, false));
}
