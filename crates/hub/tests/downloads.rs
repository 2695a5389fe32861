//! Downloads against a real HTTP server on loopback: listing with pagination, redirects, Range
//! parts, the stamp, resume, mirrors and ModelScope, pause/resume/cancel, space, verify.

mod common;

use anamnesis_hub::{
    download, parse_endpoint, quick_check, verify, DownloadControl, DownloadEvent, HubClient, HubKind, Source, Token,
};
use common::*;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn downloads_verifies_stamps_and_skips_on_the_second_run() {
    let (hub, files) = hub_with_model();
    hub.set_page_size(2); // the 4 files come on 2 pages, linked by `Link: rel="next"`
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(&hub.url());
    cfg.token = Some(Token::new("hf_test_token"));
    let client = HubClient::new(cfg).unwrap();
    let events = Events::default();
    let report = download(&client, &variant(REPO), dir.path(), &DownloadControl::new(), &events.sink()).await.unwrap();
    assert_eq!(report.files, 4);
    assert_eq!(report.fetched, files.iter().map(|f| f.1.len() as u64).sum::<u64>());
    assert_model(dir.path(), &files);
    assert!(hub.log().iter().any(|l| l.contains("cursor=2")), "the second page was fetched: {:?}", hub.log());
    assert!(hub.log().iter().all(|l| l.ends_with("auth=yes")), "the token goes to the primary endpoint");
    // Events: planned first, a verify and a done per file, done last.
    let all = events.all();
    assert!(matches!(all.first(), Some(DownloadEvent::Planned { total, .. }) if *total == report.total));
    assert!(matches!(all.last(), Some(DownloadEvent::Done { .. })));
    assert_eq!(events.count(|e| matches!(e, DownloadEvent::FileDone { skipped: false, .. })), 4);
    quick_check(dir.path()).unwrap();

    let served: u64 = files.iter().map(|f| hub.served(&f.0)).sum();
    let again = Events::default();
    let r2 = download(&client, &variant(REPO), dir.path(), &DownloadControl::new(), &again.sink()).await.unwrap();
    assert_eq!(r2.fetched, 0);
    assert_eq!(files.iter().map(|f| hub.served(&f.0)).sum::<u64>(), served, "nothing is fetched again");
    assert_eq!(again.count(|e| matches!(e, DownloadEvent::FileDone { skipped: true, .. })), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_finds_a_flipped_byte_and_quick_check_a_touched_file() {
    let (hub, files) = hub_with_model();
    let dir = tempfile::tempdir().unwrap();
    let client = HubClient::new(config(&hub.url())).unwrap();
    download(&client, &variant(REPO), dir.path(), &DownloadControl::new(), &|_| {}).await.unwrap();
    let report = verify(dir.path(), &|_| {}).unwrap();
    assert!(report.ok && report.files.len() == 4);
    assert_eq!(report.bytes, files.iter().map(|f| f.1.len() as u64).sum::<u64>());

    let shard = dir.path().join(&files[2].0);
    let mut data = std::fs::read(&shard).unwrap();
    data[1000] ^= 0x01;
    std::thread::sleep(Duration::from_millis(20)); // a distinct mtime
    std::fs::write(&shard, &data).unwrap();
    assert!(quick_check(dir.path()).is_err(), "a rewritten file is not trusted at load");
    let report = verify(dir.path(), &|_| {}).unwrap();
    assert!(!report.ok);
    let bad: Vec<_> = report.files.iter().filter(|f| !f.ok).collect();
    assert_eq!(bad.len(), 1);
    assert!(bad[0].problem.as_deref().unwrap().contains("hash"), "{:?}", bad[0]);
    assert!(shard.exists(), "verify reports, it never deletes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_primary_falls_back_to_the_mirror_without_the_token() {
    let (hub, files) = hub_with_model();
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap(); // closed at once
    let mut cfg = config(&format!("http://{dead}"));
    cfg.mirrors = vec![parse_endpoint(&hub.url()).unwrap()];
    cfg.token = Some(Token::new("hf_secret"));
    let client = HubClient::new(cfg).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let events = Events::default();
    download(&client, &variant(REPO), dir.path(), &DownloadControl::new(), &events.sink()).await.unwrap();
    assert_model(dir.path(), &files);
    assert!(
        events.count(|e| matches!(e, DownloadEvent::SourceFailed { next: Some(n), .. } if n.contains(&hub.url()))) >= 1
    );
    assert!(hub.log().iter().all(|l| l.ends_with("auth=no")), "a mirror never gets the token");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repo_missing_on_hugging_face_comes_from_modelscope() {
    let (hub, files) = hub_with_model();
    let mut cfg = config(&hub.url());
    cfg.modelscope = Some(parse_endpoint(&hub.url()).unwrap());
    let client = HubClient::new(cfg).unwrap();
    let mut v = variant("org/not-on-hf");
    v.sources.push(Source {
        hub: HubKind::Modelscope,
        repo: REPO.into(),
        revision: "master".into(),
        include: vec![],
        exclude: vec![],
    });
    let dir = tempfile::tempdir().unwrap();
    let report = download(&client, &v, dir.path(), &DownloadControl::new(), &|_| {}).await.unwrap();
    assert!(report.source.contains("org/model@master"), "{}", report.source);
    assert_model(dir.path(), &files);
    assert!(hub.log().iter().any(|l| l.contains("/api/v1/models/org/model/repo/files")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pause_keeps_data_resume_finishes_cancel_deletes() {
    let (hub, files) = hub_with_model();
    hub.faults().rate = Some(2 << 20);
    let client = HubClient::new(config(&hub.url())).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let control = DownloadControl::new();
    let c2 = control.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(900)).await;
        c2.pause();
    });
    let err = download(&client, &variant(REPO), dir.path(), &control, &|_| {}).await.unwrap_err();
    assert_eq!(err.code(), "PAUSED");
    assert!(dir.path().join(".partial").exists(), "pause keeps the partial data");

    hub.faults().rate = None;
    let events = Events::default();
    let report = download(&client, &variant(REPO), dir.path(), &DownloadControl::new(), &events.sink()).await.unwrap();
    assert!(report.fetched < report.total, "resume did not start over: {} of {}", report.fetched, report.total);
    assert_model(dir.path(), &files);
    let total: u64 = files.iter().map(|f| f.1.len() as u64).sum();
    let served: u64 = files.iter().map(|f| hub.served(&f.0)).sum();
    assert!(served <= total + 2 * (1 << 20), "served {served} for {total}: at most one part per big file again");

    let other = tempfile::tempdir().unwrap();
    hub.faults().rate = Some(1 << 20);
    let control = DownloadControl::new();
    let c3 = control.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(600)).await;
        c3.cancel();
    });
    let err = download(&client, &variant(REPO), other.path(), &control, &|_| {}).await.unwrap_err();
    assert_eq!(err.code(), "CANCELLED");
    assert!(!other.path().join(".partial").exists(), "cancel deletes the partial data");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_little_space_is_refused_before_writing() {
    let hub = anamnesis_testkit::fake_hub::FakeHub::start();
    hub.add_file(REPO, "small.json", b"{}".to_vec(), false);
    let mut listing = hub.listing(REPO);
    listing.as_array_mut().unwrap().push(serde_json::json!({
        "type": "file", "oid": "0".repeat(40), "size": 900u64 << 30, "path": "huge.safetensors",
        "lfs": {"oid": "a".repeat(64), "size": 900u64 << 30, "pointerSize": 134}
    }));
    hub.set_listing(REPO, listing);
    let client = HubClient::new(config(&hub.url())).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let err = download(&client, &variant(REPO), dir.path(), &DownloadControl::new(), &|_| {}).await.unwrap_err();
    assert_eq!(err.code(), "INSUFFICIENT_SPACE", "{err}");
    assert!(err.to_string().contains("free"), "{err}");
    assert!(!dir.path().join("small.json").exists(), "nothing is downloaded when the whole cannot fit");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_without_endpoints_is_skipped_and_each_source_keeps_its_own_globs() {
    let (hub, _) = hub_with_model();
    let client = HubClient::new(config(&hub.url())).unwrap(); // ModelScope off
    let mut v = variant("org/missing");
    let src = |hub, repo: &str, include: &[&str]| Source {
        hub,
        repo: repo.into(),
        revision: "main".into(),
        include: include.iter().map(|s| s.to_string()).collect(),
        exclude: vec![],
    };
    v.sources = vec![
        src(HubKind::Huggingface, "org/missing", &["*.json"]),
        src(HubKind::Modelscope, REPO, &[]),
        src(HubKind::Huggingface, REPO, &["*.safetensors"]),
    ];
    let dir = tempfile::tempdir().unwrap();
    let report = download(&client, &v, dir.path(), &DownloadControl::new(), &|_| {}).await.unwrap();
    assert_eq!(report.files, 2, "only the third source's *.safetensors");
    assert!(!dir.path().join("config.json").exists());
}
