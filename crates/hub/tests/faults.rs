//! The fault matrix: every injected fault ends in a verified file or a clear error, and a corrupt
//! file is never put in place.

mod common;

use anamnesis_hub::{download, DownloadControl, DownloadEvent, HubClient, HubError};
use anamnesis_testkit::fake_hub::FakeHub;
use common::*;
use std::path::Path;
use std::time::Duration;

const FILE: &str = "weights.safetensors";
// Four 1 MiB parts and a 300 KiB one: every fault offset below lands inside whichever part it hits.
const SIZE: usize = (4 << 20) + (300 << 10);

fn one_file_hub() -> (FakeHub, Vec<u8>) {
    let hub = FakeHub::start();
    let data = bytes(SIZE, 42);
    hub.add_file(REPO, FILE, data.clone(), true);
    (hub, data)
}

async fn run(hub: &FakeHub, dir: &Path) -> (Result<anamnesis_hub::DownloadReport, HubError>, Events) {
    let client = HubClient::new(config(&hub.url())).unwrap();
    let events = Events::default();
    let r = download(&client, &variant(REPO), dir, &DownloadControl::new(), &events.sink()).await;
    (r, events)
}

fn assert_no_model(dir: &Path) {
    assert!(!dir.join(FILE).exists(), "a file that failed verification must never be put in place");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_drops_at_24_random_offsets_all_recover() {
    let mut x: u64 = 0x9E3779B97F4A7C15;
    for case in 0..24 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let (hub, data) = one_file_hub();
        // Drops on the next 1-3 responses, each at its own offset.
        for k in 0..(1 + x % 3) {
            hub.faults().drop_after.push_back((x >> (8 * k)) % (300 << 10));
        }
        let dir = tempfile::tempdir().unwrap();
        let (r, events) = run(&hub, dir.path()).await;
        r.unwrap_or_else(|e| panic!("case {case}: {e}"));
        assert_eq!(std::fs::read(dir.path().join(FILE)).unwrap(), data, "case {case}");
        assert!(
            events.count(|e| matches!(e, DownloadEvent::Retrying { .. })) >= 1,
            "case {case}: the drop was seen and retried"
        );
        assert!(
            hub.served(FILE) <= SIZE as u64 + 3 * (300 << 10),
            "case {case}: only the broken parts were fetched again"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_a_stall_and_a_truncated_body_are_retried() {
    let (hub, data) = one_file_hub();
    {
        let mut f = hub.faults();
        f.status.extend([503, 500, 502]);
        f.stall.push_back((100_000, Duration::from_secs(3)));
        f.truncate_after.push_back(200_000);
    }
    let dir = tempfile::tempdir().unwrap();
    let (r, events) = run(&hub, dir.path()).await;
    r.unwrap();
    assert_eq!(std::fs::read(dir.path().join(FILE)).unwrap(), data);
    let reasons: Vec<String> = events
        .all()
        .into_iter()
        .filter_map(|e| match e {
            DownloadEvent::Retrying { reason, .. } => Some(reason),
            _ => None,
        })
        .collect();
    assert!(reasons.iter().any(|r| r.contains("503")), "{reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("no bytes")), "the stall was detected: {reasons:?}");
    assert!(reasons.iter().any(|r| r.contains("early") || r.contains("error")), "{reasons:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persistent_5xx_ends_in_a_clear_error() {
    let (hub, _) = one_file_hub();
    hub.faults().status.extend(std::iter::repeat_n(503, 100));
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = run(&hub, dir.path()).await;
    let e = r.unwrap_err();
    assert_eq!(e.code(), "HTTP_ERROR");
    assert!(e.to_string().contains("503"), "{e}");
    assert_no_model(dir.path());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_byte_flipped_once_is_refetched_and_verified() {
    let (hub, data) = one_file_hub();
    hub.faults().flip = Some((2_000_000, 1));
    let dir = tempfile::tempdir().unwrap();
    let (r, events) = run(&hub, dir.path()).await;
    r.unwrap();
    assert_eq!(std::fs::read(dir.path().join(FILE)).unwrap(), data);
    assert_eq!(events.count(|e| matches!(e, DownloadEvent::Retrying { reason, .. } if reason.contains("checksum"))), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_byte_flipped_every_time_is_reported_and_never_accepted() {
    let (hub, _) = one_file_hub();
    hub.faults().flip = Some((12, 100));
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = run(&hub, dir.path()).await;
    let e = r.unwrap_err();
    assert_eq!(e.code(), "CHECKSUM_MISMATCH", "{e}");
    assert_no_model(dir.path());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_listed_sha_is_never_accepted() {
    let (hub, _) = one_file_hub();
    let mut listing = hub.listing(REPO);
    listing[0]["lfs"]["oid"] = serde_json::json!("b".repeat(64));
    hub.set_listing(REPO, listing);
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = run(&hub, dir.path()).await;
    assert_eq!(r.unwrap_err().code(), "CHECKSUM_MISMATCH");
    assert_no_model(dir.path());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_listed_size_is_never_accepted() {
    let (hub, _) = one_file_hub();
    let mut listing = hub.listing(REPO);
    listing[0]["lfs"]["size"] = serde_json::json!(SIZE - 1);
    hub.set_listing(REPO, listing);
    let dir = tempfile::tempdir().unwrap();
    let (r, _) = run(&hub, dir.path()).await;
    assert_eq!(r.unwrap_err().code(), "SIZE_MISMATCH");
    assert_no_model(dir.path());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_paths_are_rejected_and_nothing_is_written() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("model");
    std::fs::create_dir(&dir).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(parent.path(), dir.join("link")).unwrap();
    for hostile in [
        "../escaped.bin",
        "/tmp/absolute.bin",
        "C:/Windows/evil.dll",
        "a/../../escaped.bin",
        "..\\escaped.bin",
        "link/escaped.bin",
    ] {
        let (hub, _) = one_file_hub();
        let mut listing = hub.listing(REPO);
        listing
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"type": "file", "oid": "1".repeat(40), "size": 3, "path": hostile}));
        hub.set_listing(REPO, listing);
        let (r, _) = run(&hub, &dir).await;
        let e = r.unwrap_err();
        assert_eq!(e.code(), "UNSAFE_PATH", "{hostile}: {e}");
        assert!(e.to_string().contains("nothing was written"), "{e}");
        assert_eq!(hub.served(FILE), 0, "{hostile}: no byte was fetched");
        assert!(!parent.path().join("escaped.bin").exists());
        assert_no_model(&dir);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_listings_get_clear_errors() {
    let cases = [
        (serde_json::json!({"not": "an array"}), "INVALID_LISTING"),
        (serde_json::json!([{"type": "file", "path": "x.bin", "size": 3, "oid": "zz"}]), "INVALID_LISTING"),
        (
            serde_json::json!([{"type": "file", "path": "x.bin", "size": 3, "lfs": {"oid": "abc", "size": 3}}]),
            "INVALID_LISTING",
        ),
        (serde_json::json!([]), "INVALID_LISTING"),
    ];
    for (listing, code) in cases {
        let (hub, _) = one_file_hub();
        let mut dup = hub.listing(REPO);
        hub.set_listing(REPO, listing.clone());
        let dir = tempfile::tempdir().unwrap();
        let (r, _) = run(&hub, dir.path()).await;
        assert_eq!(r.unwrap_err().code(), code, "{listing}");
        // The same path twice.
        let first = dup[0].clone();
        dup.as_array_mut().unwrap().push(first);
        hub.set_listing(REPO, dup);
        let (r, _) = run(&hub, dir.path()).await;
        assert_eq!(r.unwrap_err().code(), "INVALID_LISTING");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_repo_and_a_listing_error_are_clear() {
    let (hub, _) = one_file_hub();
    let dir = tempfile::tempdir().unwrap();
    let client = HubClient::new(config(&hub.url())).unwrap();
    let e = download(&client, &variant("org/missing"), dir.path(), &DownloadControl::new(), &|_| {}).await.unwrap_err();
    assert_eq!(e.code(), "NOT_FOUND", "{e}");
    hub.faults().listing_status.push_back(401);
    let e = download(&client, &variant(REPO), dir.path(), &DownloadControl::new(), &|_| {}).await.unwrap_err();
    assert_eq!(e.code(), "UNAUTHORIZED", "{e}");
    assert!(e.to_string().contains("token"), "{e}");
}
