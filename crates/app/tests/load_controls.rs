//! The model picker's load controls over the shipped catalog, with downloaded variants made on
//! disk (a stamped file each): the planner's recommendation, the memory of a choice, saving a
//! valid choice and refusing an invalid one without touching the settings.

use anamnesis_app::load_controls::{controls, estimate, set_choice};
use anamnesis_app::models::{choose, choose_path};
use anamnesis_app::AppError;
use anamnesis_hardware::{Backend, CpuInfo, HardwareInfo, LoadChoice};
use anamnesis_hub::{Catalog, VariantRole};
use anamnesis_settings::SettingsStore;
use anamnesis_wire::ErrorCode;
use std::path::Path;
use std::time::UNIX_EPOCH;

const GB: u64 = 1 << 30;

fn machine(ram: u64) -> HardwareInfo {
    HardwareInfo {
        os: "test".into(),
        cpu: CpuInfo { brand: "cpu".into(), physical_cores: 8, threads: 16 },
        ram_total: ram,
        ram_available: ram,
        gpus: vec![],
        disks: vec![],
        notes: vec![],
    }
}

/// A downloaded variant: one file and the stamp the downloader writes.
fn install(models: &Path, id: &str, file: &str) {
    let dir = models.join(id);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(file), b"weights").unwrap();
    let mtime = std::fs::metadata(dir.join(file)).unwrap().modified().unwrap().duration_since(UNIX_EPOCH).unwrap();
    let stamp = serde_json::json!({
        "variant": id, "source": "test",
        "files": { file: { "size": 7, "digest": { "sha256": "00" }, "mtime_ns": mtime.as_nanos() } },
    });
    std::fs::write(dir.join(".verified.json"), stamp.to_string()).unwrap();
}

struct Setup {
    _dir: tempfile::TempDir,
    store: SettingsStore,
    catalog: Catalog,
    gguf: String,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let models = dir.path().join("models");
    let catalog = Catalog::shipped();
    let gguf = catalog.main_variants().find(|v| v.format == "gguf").expect("a GGUF variant").clone();
    let draft = catalog.variants.iter().find(|v| v.role == VariantRole::Draft).expect("a draft").clone();
    install(&models, &gguf.id, "model.gguf");
    install(&models, &draft.id, "config.json");
    let store = SettingsStore::new(dir.path().join("settings.json"));
    store.update(|s| s.models_dir = Some(models.display().to_string())).unwrap();
    Setup { _dir: dir, store, catalog, gguf: gguf.id }
}

fn code(e: AppError) -> ErrorCode {
    e.code()
}

#[test]
fn a_roomy_machine_gets_the_plan_and_a_chosen_shorter_context_is_kept() {
    let t = setup();
    let hw = machine(64 * GB);
    choose(&t.store, &t.catalog, &hw, &t.gguf).unwrap();
    let c = controls(&t.store, &t.catalog, &hw, None).unwrap();
    assert_eq!((c.variant.as_deref(), c.backend, c.layers), (Some(t.gguf.as_str()), Backend::Cpu, None));
    assert_eq!((c.context_min, c.context_max, c.context_step), (2048, 32768, 1024));
    assert_eq!(c.recommended, LoadChoice { context: 32768, gpu_layers: None, draft: true });
    assert_eq!(c.current, c.recommended, "choosing the variant takes the plan");
    assert!(c.draft_available);
    let planned = c.estimate.expect("a catalog variant is estimated");
    assert!(planned.fits);

    let shorter = LoadChoice { context: 8192, gpu_layers: None, draft: false };
    let less = estimate(&t.store, &t.catalog, &hw, &shorter).unwrap().unwrap();
    assert!(less.pools[0].used < planned.pools[0].used && less.breakdown.draft == 0);
    let s = set_choice(&t.store, &t.catalog, &hw, None, &shorter).unwrap();
    assert_eq!((s.max_context, s.gpu_layers, s.draft_path), (Some(8192), None, None));
    let c = controls(&t.store, &t.catalog, &hw, None).unwrap();
    assert_eq!(c.current, shorter);
    assert_eq!(c.estimate, Some(less));

    // Choosing the variant again goes back to the recommendation.
    choose(&t.store, &t.catalog, &hw, &t.gguf).unwrap();
    assert_eq!(controls(&t.store, &t.catalog, &hw, None).unwrap().current, c.recommended);
}

#[test]
fn a_choice_out_of_bounds_is_refused_and_changes_nothing() {
    let t = setup();
    let hw = machine(64 * GB);
    choose(&t.store, &t.catalog, &hw, &t.gguf).unwrap();
    let before = t.store.load().unwrap().settings;
    for bad in [
        LoadChoice { context: 1000, gpu_layers: None, draft: false },
        LoadChoice { context: 65536, gpu_layers: None, draft: false },
        // The CPU plan has no GPU to split with.
        LoadChoice { context: 8192, gpu_layers: Some(10), draft: false },
    ] {
        let e = set_choice(&t.store, &t.catalog, &hw, None, &bad).unwrap_err();
        assert_eq!(code(e), ErrorCode::InvalidLoadChoice, "{bad:?}");
    }
    assert_eq!(t.store.load().unwrap().settings, before);
}

#[test]
fn where_nothing_fits_the_shortest_context_is_offered_and_said_not_to_fit() {
    let t = setup();
    let hw = machine(16 * GB);
    choose(&t.store, &t.catalog, &hw, &t.gguf).unwrap();
    let c = controls(&t.store, &t.catalog, &hw, None).unwrap();
    assert_eq!(c.recommended, LoadChoice { context: 2048, gpu_layers: None, draft: false });
    assert!(!c.estimate.unwrap().fits);
}

#[test]
fn a_hand_picked_model_has_no_estimate_and_the_remote_engine_no_controls() {
    let t = setup();
    let hw = machine(64 * GB);
    assert_eq!(code(controls(&t.store, &t.catalog, &hw, None).unwrap_err()), ErrorCode::NoModelChosen);
    choose_path(&t.store, &anamnesis_testkit::fixtures::tiny_model(2)).unwrap();
    let c = controls(&t.store, &t.catalog, &hw, None).unwrap();
    assert_eq!((c.variant, c.estimate, c.draft_available), (None, None, false));
    assert_eq!((c.context_min, c.context_max, c.recommended.context), (2048, 32768, 32768));
    t.store.update(|s| s.remote.enabled = true).unwrap();
    assert_eq!(code(controls(&t.store, &t.catalog, &hw, None).unwrap_err()), ErrorCode::NotForRemote);
}
