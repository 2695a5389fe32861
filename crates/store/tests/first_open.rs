//! The first histories a process opens, opened by several threads at once, all open. SQLite
//! runs SQLCipher's one-time set-up after it lets other threads past its own, so without the
//! store's guard a thread that keyed its connection meanwhile failed with "An error occurred
//! with PRAGMA key or rekey" (it failed CI once, in a test binary whose tests each open a
//! store). The race exists only once per process, so each try is a fresh child process: this
//! test binary run again with `CHILD_ENV` set.

mod common;

use std::process::Command;
use std::sync::{Arc, Barrier};
use std::thread;

use anamnesis_store::Store;

const CHILD_ENV: &str = "ANAMNESIS_STORE_FIRST_OPEN_CHILD";
const PROCESSES: usize = 60;
const THREADS: usize = 16;

#[test]
fn first_open_child() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let start = Arc::new(Barrier::new(THREADS));
    let threads: Vec<_> = (0..THREADS)
        .map(|i| {
            let (start, path) = (start.clone(), std::path::Path::new(&dir).join(format!("h{i}.db")));
            thread::spawn(move || {
                start.wait();
                Store::open(&path, &common::key()).map(drop)
            })
        })
        .collect();
    let failed: Vec<String> =
        threads.into_iter().filter_map(|t| t.join().unwrap().err()).map(|e| e.to_string()).collect();
    assert!(failed.is_empty(), "{} of {THREADS} first opens failed: {failed:?}", failed.len());
}

#[test]
fn histories_opened_at_once_by_a_fresh_process_all_open() {
    if std::env::var_os(CHILD_ENV).is_some() {
        return;
    }
    for round in 0..PROCESSES {
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new(std::env::current_exe().unwrap())
            .args(["first_open_child", "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "process {round}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
