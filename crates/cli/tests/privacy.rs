//! Proof of privacy (issue #6, CLI side): a chat with a local model and a triage open no
//! internet socket at all. Every network syscall is traced with strace; any AF_INET/AF_INET6
//! socket would show up, whether or not it ever connected.

#![cfg(target_os = "linux")]

use anamnesis_testkit::fixtures::tiny_model;
use std::process::Command;

fn network_syscalls(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.txt");
    let out = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=%network", "-o"])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_anamnesis-cli"))
        .args(args)
        .env("ANAMNESIS_CONFIG_DIR", dir.path().join("config"))
        .env("ANAMNESIS_DATA_DIR", dir.path().join("data"))
        .output()
        .expect("strace runs (scripts/setup.sh installs it)");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
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
