//! Proof of privacy (issue #6, CLI side): a chat with a local model and a triage open no
//! internet socket at all. Every network syscall is traced with strace; any AF_INET/AF_INET6
//! socket would show up, whether or not it ever connected.

#![cfg(target_os = "linux")]

use anamnesis_testkit::fixtures::tiny_model;
use std::process::Command;

fn network_syscalls(args: &[&str]) -> String {
    network_syscalls_in(None, args, true)
}

/// Runs the CLI under strace (in `cwd`, when given) and returns the trace; `ok` is whether it
/// must succeed.
fn network_syscalls_in(cwd: Option<&std::path::Path>, args: &[&str], ok: bool) -> String {
    traced(cwd, None, args, ok)
}

/// As `network_syscalls_in`, with the app's settings file holding `settings`, when given.
fn traced(cwd: Option<&std::path::Path>, settings: Option<&str>, args: &[&str], ok: bool) -> String {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.txt");
    if let Some(settings) = settings {
        std::fs::create_dir_all(dir.path().join("config")).unwrap();
        std::fs::write(dir.path().join("config/settings.json"), settings).unwrap();
    }
    // --seccomp-bpf: only the traced (network) syscalls stop the process; without it every
    // syscall of every thread does, and a model load took minutes under strace.
    let out = Command::new("strace")
        .args(["-f", "--seccomp-bpf", "-qq", "-e", "trace=%network", "-o"])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_anamnesis-cli"))
        .args(args)
        .env("ANAMNESIS_CONFIG_DIR", dir.path().join("config"))
        .env("ANAMNESIS_API_KEY", "sk-anamnesis-privacy-test")
        .env("ANAMNESIS_DATA_DIR", dir.path().join("data"))
        .current_dir(cwd.unwrap_or(dir.path()))
        .output()
        .expect("strace runs (scripts/setup.sh installs it)");
    assert_eq!(out.status.success(), ok, "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    std::fs::read_to_string(trace).unwrap()
}

#[test]
fn a_local_chat_and_a_triage_open_no_internet_socket() {
    let model = tiny_model(2);
    let chat = [
        "chat",
        "--model",
        model.to_str().unwrap(),
        "--thinking",
        "on",
        "--max-tokens",
        "16",
        "--json",
        "I have chest pain",
    ];
    let triage = ["triage", "--json", "Crushing chest pain radiating to my left arm"];
    for args in [&chat[..], &triage[..]] {
        let trace = network_syscalls(args);
        let inet: Vec<&str> = trace.lines().filter(|l| l.contains("AF_INET")).collect();
        assert!(inet.is_empty(), "{:?} opened internet sockets:\n{}", args[0], inet.join("\n"));
    }
}

fn no_inet(args: &[&str], trace: &str) {
    let inet: Vec<&str> = trace.lines().filter(|l| l.contains("AF_INET")).collect();
    assert!(inet.is_empty(), "{args:?} opened internet sockets:\n{}", inet.join("\n"));
}

/// Only loopback: `serve` binds 127.0.0.1, nothing may connect or send anywhere else (a DNS
/// lookup would be a connect or sendto to a nameserver).
fn only_loopback(args: &[&str], trace: &str) {
    let out: Vec<&str> = trace
        .lines()
        .filter(|l| {
            l.contains("AF_INET") && (l.contains("connect(") || l.contains("sendto(") || l.contains("sendmsg("))
        })
        .filter(|l| !l.contains("127.0.0.1"))
        .collect();
    assert!(out.is_empty(), "{args:?} reached beyond this machine:\n{}", out.join("\n"));
}

/// mistral.rs takes a bare file name for a hub repository: "model.gguf" in the current folder
/// once made it look up huggingface.co. Relative names, a missing file and a folder that is not
/// a model stay on this machine: they load, or fail with a clear error, without a socket; for
/// `chat`, `consult` and `serve` alike.
#[test]
fn relative_missing_and_non_model_paths_never_reach_the_network() {
    let gguf = anamnesis_testkit::fixtures::smollm2();
    let gguf_dir = gguf.parent().unwrap();
    let gguf_name = gguf.file_name().unwrap().to_str().unwrap();
    let tiny = tiny_model(2);
    let (tiny_parent, tiny_name) = (tiny.parent().unwrap(), tiny.file_name().unwrap().to_str().unwrap());
    let empty = tempfile::tempdir().unwrap();
    let chat = |m: &str| {
        vec![
            "chat".to_string(),
            "--model".into(),
            m.into(),
            "--max-tokens".into(),
            "4".into(),
            "--json".into(),
            "hi".into(),
        ]
    };
    let cases: Vec<(Option<&std::path::Path>, Vec<String>, bool)> = vec![
        (Some(gguf_dir), chat(gguf_name), true),
        (Some(tiny_parent), chat(tiny_name), true),
        (Some(tiny_parent), chat(&format!("./{tiny_name}")), true),
        (Some(empty.path()), chat("missing.gguf"), false),
        (Some(empty.path().parent().unwrap()), chat(empty.path().file_name().unwrap().to_str().unwrap()), false),
    ];
    let consult = |m: &str| {
        [
            "consult",
            "--model",
            m,
            "--max-tokens",
            "4",
            "--thinking",
            "off",
            "--jurisdiction",
            "US",
            "--json",
            "chest pain",
        ]
        .map(String::from)
        .to_vec()
    };
    let cases: Vec<_> = cases
        .into_iter()
        .chain([
            (Some(gguf_dir), consult(gguf_name), true),
            (Some(tiny_parent), consult(tiny_name), true),
            (Some(empty.path()), consult("missing.gguf"), false),
            (Some(empty.path().parent().unwrap()), consult(empty.path().file_name().unwrap().to_str().unwrap()), false),
        ])
        .collect();
    for (cwd, args, ok) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        no_inet(&args, &network_syscalls_in(cwd, &args, ok));
    }
    // `serve` loads, then fails to bind a port that is taken: the load ran in full and exited.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let serve = |m: &str| ["serve", "--model", m, "--port", &port, "--json"].map(String::from).to_vec();
    for (cwd, args) in [
        (gguf_dir, serve(gguf_name)),
        (tiny_parent, serve(tiny_name)),
        (empty.path(), serve("missing.gguf")),
        (empty.path().parent().unwrap(), serve(empty.path().file_name().unwrap().to_str().unwrap())),
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        only_loopback(&args, &network_syscalls_in(Some(cwd), &args, false));
    }
}

/// The app's own load: `consult` without `--model` runs what the window's `load_model` runs
/// (`anamnesis_app::models::load_options`, then the engine), from the settings file. A model
/// path saved relative (an older settings file, or one edited by hand) loads from the folder the
/// app starts in or fails clearly; neither opens a socket.
#[test]
fn the_apps_load_from_its_settings_never_reaches_the_network() {
    let gguf = anamnesis_testkit::fixtures::smollm2();
    let (gguf_dir, gguf_name) = (gguf.parent().unwrap(), gguf.file_name().unwrap().to_str().unwrap());
    let args = ["consult", "--max-tokens", "4", "--thinking", "off", "--jurisdiction", "US", "--json", "chest pain"];
    for (model, ok) in [(gguf_name, true), ("missing.gguf", false), (gguf.to_str().unwrap(), true)] {
        let settings = serde_json::json!({ "model_path": model }).to_string();
        no_inet(&args, &traced(Some(gguf_dir), Some(&settings), &args, ok));
    }
}
