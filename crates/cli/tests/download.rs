//! `download`, `verify` and `hw` as a user runs them, against a real HTTP server on loopback:
//! JSON lines, exit codes, `kill -9` and resume, and a disk that fills up mid-download.

use anamnesis_testkit::fake_hub::FakeHub;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const REPO: &str = "org/model";

use anamnesis_testkit::fake_hub::pseudo_random_bytes as bytes;

fn hub() -> (FakeHub, Vec<(&'static str, Vec<u8>)>) {
    let hub = FakeHub::start();
    let files = vec![
        ("config.json", br#"{"architectures":["Qwen3ForCausalLM"]}"#.to_vec()),
        ("model-1.safetensors", bytes(8 << 20, 5)),
        ("model-2.safetensors", bytes((6 << 20) + 4321, 6)),
    ];
    for (p, d) in &files {
        hub.add_file(REPO, p, d.clone(), p.ends_with(".safetensors"));
    }
    (hub, files)
}

/// The CLI with settings and data in `home`, so the user's own are never touched.
fn cli(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_anamnesis-cli"));
    c.env("ANAMNESIS_CONFIG_DIR", home.join("config")).env("ANAMNESIS_DATA_DIR", home.join("data")).env("HF_TOKEN", "");
    c
}

fn download_args<'a>(hub: &'a str, dir: &'a str) -> Vec<&'a str> {
    vec![
        "download",
        REPO,
        "--endpoint",
        hub,
        "--no-modelscope",
        "--dir",
        dir,
        "--part-mib",
        "1",
        "--connections",
        "4",
        "--json",
    ]
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
}

fn explain(out: &Output) -> String {
    format!(
        "status {:?}\nstdout: {}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn download_then_verify_with_json_and_exit_codes() {
    let (hub, files) = hub();
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("m");
    let out = cli(home.path()).args(download_args(&hub.url(), dir.to_str().unwrap())).output().unwrap();
    assert!(out.status.success(), "{}", explain(&out));
    let events = lines(&out);
    assert_eq!(events[0]["type"], "planned");
    assert!(events.iter().any(|e| e["type"] == "total"));
    let last = events.last().unwrap();
    assert_eq!(last["type"], "report");
    assert_eq!(last["report"]["files"], 3);
    for (p, d) in &files {
        assert!(std::fs::read(dir.join(p)).unwrap() == *d, "{p}");
    }

    let out = cli(home.path()).args(["verify", dir.to_str().unwrap(), "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", explain(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], true);

    let shard = dir.join("model-1.safetensors");
    let mut data = std::fs::read(&shard).unwrap();
    data[4096] ^= 0xff;
    std::fs::write(&shard, data).unwrap();
    let out = cli(home.path()).args(["verify", dir.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", explain(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("✗ model-1.safetensors"), "{}", explain(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("CHECKSUM_MISMATCH"));

    let out = cli(home.path()).args(["verify", home.path().to_str().unwrap()]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("NOT_DOWNLOADED"), "{}", explain(&out));
}

#[test]
fn unknown_variants_and_bad_endpoints_are_clear_errors() {
    let home = tempfile::tempdir().unwrap();
    let out = cli(home.path()).args(["download", "no-such-variant", "--json"]).output().unwrap();
    assert!(!out.status.success());
    let err = &lines(&out)[0];
    assert_eq!(err["code"], "UNKNOWN_VARIANT");
    let out = cli(home.path()).args(["download", REPO, "--endpoint", "http://example.com", "--json"]).output().unwrap();
    assert_eq!(lines(&out)[0]["code"], "INVALID_ENDPOINT", "{}", explain(&out));
}

#[test]
fn hw_json_has_the_machine_and_a_plan() {
    let home = tempfile::tempdir().unwrap();
    let out = cli(home.path()).args(["hw", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", explain(&out));
    let o: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(o["hardware"]["ram_total"].as_u64().unwrap() > 0);
    assert!(o["hardware"]["cpu"]["threads"].as_u64().unwrap() >= 1);
    assert!(o["plan"]["reason"].as_str().unwrap().len() > 10);
    assert!(["gpu", "hybrid", "cpu", "unsupported"].contains(&o["plan"]["mode"].as_str().unwrap()));
    assert_eq!(o["catalog"].as_array().unwrap().len(), 3);
    let text = cli(home.path()).arg("hw").output().unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("RAM"));
}

#[test]
fn kill_9_mid_download_then_resume_fetches_only_what_was_not_saved() {
    let (hub, files) = hub();
    hub.faults().rate = Some(3 << 20);
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("m");
    let mut child =
        cli(home.path()).args(download_args(&hub.url(), dir.to_str().unwrap())).stdout(Stdio::null()).spawn().unwrap();
    let started = Instant::now();
    // Kill it in the middle of the first big file, with parts in flight and some progress saved.
    let part_saved = |(p, d): &(&str, Vec<u8>)| (1..d.len() as u64).contains(&saved_bytes(&dir, p, d.len() as u64));
    let saved_any = || files.iter().any(part_saved);
    while hub.served("model-2.safetensors") + hub.served("model-1.safetensors") < 3 << 20 || !saved_any() {
        assert!(started.elapsed() < Duration::from_secs(60), "the download never got going");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL: no chance to save anything
    child.wait().unwrap();
    // The server counts a chunk once its socket took it: each connection may count one more
    // after the kill, until a write fails. Wait until the counts settle.
    let served = || files.iter().map(|(p, _)| hub.served(p)).collect::<Vec<u64>>();
    let mut before = served();
    loop {
        std::thread::sleep(Duration::from_secs(1));
        let now = served();
        if now == before {
            break;
        }
        before = now;
    }
    assert!(dir.join(".partial").exists(), "partial state was on disk when killed");
    // What the killed run had recorded as written, per file. Served bytes are no measure of it:
    // on a loaded machine the server's sends pile up in socket buffers the killed client never read.
    let saved: Vec<u64> = files.iter().map(|(p, d)| saved_bytes(&dir, p, d.len() as u64)).collect();
    assert!(files.iter().any(part_saved), "a big file was killed part-way, with progress saved: {saved:?}");

    hub.faults().rate = None;
    let out = cli(home.path()).args(download_args(&hub.url(), dir.to_str().unwrap())).output().unwrap();
    assert!(out.status.success(), "{}", explain(&out));
    for (i, (p, d)) in files.iter().enumerate() {
        assert!(std::fs::read(dir.join(p)).unwrap() == *d, "{p}");
        let again = hub.served(p) - before[i];
        assert_eq!(again, d.len() as u64 - saved[i], "{p}: the resume fetched exactly what was not saved");
    }
}

/// Bytes of `path` the killed download recorded as written: all of it once the file is in
/// place, else the parts' done counts in `.partial/<path>.state.json` (none without one).
fn saved_bytes(dir: &Path, path: &str, len: u64) -> u64 {
    if dir.join(path).exists() {
        return len;
    }
    let Ok(state) = std::fs::read(dir.join(".partial").join(format!("{path}.state.json"))) else { return 0 };
    let state: Value = serde_json::from_slice(&state).expect("the saved state is JSON");
    state["done"].as_array().expect("done per part").iter().map(|d| d.as_u64().unwrap()).sum()
}

/// A 6 MiB tmpfs for a 14 MiB model: the disk fills mid-download. The error says so, the data
/// is kept, and after space is freed (the tmpfs grows) the same command finishes the job.
/// Needs a mount: as root (CI) or in a user namespace (`unshare -r`).
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_pauses_with_a_clear_error_and_keeps_the_data() {
    let (hub, files) = hub();
    let home = tempfile::tempdir().unwrap();
    let mnt = home.path().join("small-disk");
    std::fs::create_dir(&mnt).unwrap();
    let model = mnt.join("m");
    let bin = env!("CARGO_BIN_EXE_anamnesis-cli");
    let args = download_args(&hub.url(), model.to_str().unwrap()).join(" ");
    let script = format!(
        "set -u; mount -t tmpfs -o size=6m tmpfs {mnt} || exit 97
         {bin} {args} --no-space-check > {out1}; echo \"first=$?\"
         find {model}/.partial -name '*.state.json' | wc -l
         mount -o remount,size=64m {mnt} || exit 98
         {bin} {args} > {out2}; echo \"second=$?\"",
        mnt = mnt.display(),
        model = model.display(),
        out1 = home.path().join("out1").display(),
        out2 = home.path().join("out2").display(),
    );
    let out = Command::new("unshare")
        .args(["--user", "--map-root-user", "--mount", "sh", "-c", &script])
        .env("ANAMNESIS_CONFIG_DIR", home.path().join("config"))
        .env("HF_TOKEN", "")
        .output()
        .expect("unshare (util-linux) runs");
    let log = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.code() != Some(97),
        "cannot mount a tmpfs in a user namespace here: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(log.contains("first=1"), "the first run fails: {log}\n{}", String::from_utf8_lossy(&out.stderr));
    let first = std::fs::read_to_string(home.path().join("out1")).unwrap();
    let err: Value = first.lines().filter_map(|l| serde_json::from_str::<Value>(l).ok()).next_back().unwrap();
    assert_eq!(err["code"], "DISK_FULL", "{first}");
    assert!(err["message"].as_str().unwrap().contains("kept"), "{err}");
    let kept: u32 = log.lines().nth(1).unwrap_or("0").trim().parse().unwrap_or(0);
    assert!(kept >= 1, "part state was kept: {log}");
    assert!(log.contains("second=0"), "after freeing space the same command finishes: {log}");
    let second = std::fs::read_to_string(home.path().join("out2")).unwrap();
    let report: Value = second.lines().filter_map(|l| serde_json::from_str::<Value>(l).ok()).next_back().unwrap();
    assert_eq!(report["type"], "report", "{second}");
    let total: u64 = files.iter().map(|f| f.1.len() as u64).sum();
    assert!(report["report"]["fetched"].as_u64().unwrap() < total, "the second run resumed, not restarted: {report}");
}

/// A run that used the token leaves it nowhere: not in stdout, not in trace-level logs, not in any
/// file under the app's folders (settings, models, partial state, stamp).
#[test]
fn the_hf_token_never_reaches_logs_or_files() {
    let (hub, _) = hub();
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("m");
    let marker = "hf_SeCrEt_marker_5b1e9c";
    let out = cli(home.path())
        .args(download_args(&hub.url(), dir.to_str().unwrap()))
        .env("HF_TOKEN", marker)
        .env("RUST_LOG", "trace")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", explain(&out));
    assert!(hub.log().iter().any(|l| l.ends_with("auth=yes")), "the token was used");
    for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        assert!(!String::from_utf8_lossy(bytes).contains(marker), "the token leaked into {name}");
    }
    let mut stack = vec![home.path().to_path_buf()];
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        } else {
            let data = std::fs::read(&p).unwrap();
            assert!(
                !data.windows(marker.len()).any(|w| w == marker.as_bytes()),
                "the token leaked into {}",
                p.display()
            );
        }
    }
}
