//! A loopback fake hub, a config that points at it, and a recorder for download events.
#![allow(dead_code)]

use anamnesis_hub::{parse_endpoint, Catalog, DownloadEvent, HubConfig, Variant};
use anamnesis_testkit::fake_hub::FakeHub;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const REPO: &str = "org/model";

pub use anamnesis_testkit::fake_hub::pseudo_random_bytes as bytes;

/// A repo with a config (git file), a tokenizer (git file) and two weight shards (LFS).
pub fn hub_with_model() -> (FakeHub, Vec<(String, Vec<u8>)>) {
    let hub = FakeHub::start();
    let files = vec![
        ("config.json".to_string(), br#"{"architectures":["Qwen3ForCausalLM"]}"#.to_vec()),
        ("tokenizer.json".to_string(), bytes(3_000, 1)),
        ("model-00001-of-00002.safetensors".to_string(), bytes(3 << 20, 2)),
        ("sub/model-00002-of-00002.safetensors".to_string(), bytes((2 << 20) + 12345, 3)),
    ];
    for (p, d) in &files {
        hub.add_file(REPO, p, d.clone(), p.ends_with(".safetensors"));
    }
    (hub, files)
}

pub fn config(endpoint: &str) -> HubConfig {
    let mut cfg = HubConfig::from_env();
    cfg.endpoint = parse_endpoint(endpoint).unwrap();
    cfg.modelscope = None;
    cfg.part_size = 1 << 20;
    cfg.connections = 4;
    // Long enough that a loaded CI machine sees no false stall (a retry would break the tests'
    // served-bytes bounds), short of the 3 s stall that faults.rs makes.
    cfg.stall_timeout = Duration::from_millis(2_000);
    cfg.backoff_base = Duration::from_millis(5);
    cfg.retries = 3;
    cfg
}

pub fn variant(repo: &str) -> Variant {
    Catalog::ad_hoc(repo, "main").unwrap()
}

#[derive(Clone, Default)]
pub struct Events(pub Arc<Mutex<Vec<DownloadEvent>>>);

impl Events {
    pub fn sink(&self) -> impl Fn(DownloadEvent) + Send + Sync + 'static {
        let store = self.0.clone();
        move |e| store.lock().unwrap().push(e)
    }
    pub fn all(&self) -> Vec<DownloadEvent> {
        self.0.lock().unwrap().clone()
    }
    pub fn count(&self, pred: impl Fn(&DownloadEvent) -> bool) -> usize {
        self.all().iter().filter(|e| pred(e)).count()
    }
}

/// Every listed file is in place with the hub's bytes.
pub fn assert_model(dir: &std::path::Path, files: &[(String, Vec<u8>)]) {
    for (p, d) in files {
        let got = std::fs::read(dir.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
        assert!(got == *d, "{p} differs from the hub's bytes");
    }
    assert!(!dir.join(anamnesis_hub::PARTIAL_DIR).exists(), "partial data is cleaned up after success");
}
