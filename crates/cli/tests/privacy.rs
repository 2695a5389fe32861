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
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.txt");
    let out = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=%network", "-o"])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_anamnesis-cli"))
        .args(args)
        .env("ANAMNESIS_CONFIG_DIR", dir.path().join("config"))
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
    let chat = ["chat", "--model", model.to_str().unwrap(), "--thinking", "on", "--max-tokens", "16", "--json", "I have chest pain"];
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

/// mistral.rs takes a bare file name for a hub repository: "model.gguf" in the current folder
/// once made it look up huggingface.co. Relative names, a missing file and a folder that is not
/// a model stay on this machine: they load, or fail with a clear error, without a socket.
#[test]
fn relative_missing_and_non_model_paths_never_reach_the_network() {
    let gguf = anamnesis_testkit::fixtures::smollm2();
    let gguf_dir = gguf.parent().unwrap();
    let gguf_name = gguf.file_name().unwrap().to_str().unwrap();
    let tiny = tiny_model(2);
    let (tiny_parent, tiny_name) = (tiny.parent().unwrap(), tiny.file_name().unwrap().to_str().unwrap());
    let empty = tempfile::tempdir().unwrap();
    let chat = |m: &str| vec!["chat".to_string(), "--model".into(), m.into(), "--max-tokens".into(), "4".into(), "--json".into(), "hi".into()];
    let cases: Vec<(Option<&std::path::Path>, Vec<String>, bool)> = vec![
        (Some(gguf_dir), chat(gguf_name), true),
        (Some(tiny_parent), chat(tiny_name), true),
        (Some(tiny_parent), chat(&format!("./{tiny_name}")), true),
        (Some(empty.path()), chat("missing.gguf"), false),
        (Some(empty.path().parent().unwrap()), chat(empty.path().file_name().unwrap().to_str().unwrap()), false),
    ];
    for (cwd, args, ok) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        no_inet(&args, &network_syscalls_in(cwd, &args, ok));
    }
}
