//! A process killed (SIGKILL) mid-answer: the database must be intact, the answer marked
//! interrupted, and its saved text a prefix of what was streamed, missing at most about the
//! last flush interval.
//!
//! The child is this test binary run again with `CHILD_ENV` set, so its `crash_child` test
//! becomes the streaming process; in a normal run that test does nothing.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use anamnesis_store::{MessageStatus, NewConsultation, Store};

const CHILD_ENV: &str = "ANAMNESIS_STORE_CRASH_CHILD";
/// One delta every this often, each numbered so the saved text shows where it stopped.
const DELTA_EVERY: Duration = Duration::from_millis(10);
/// How long the child streams before the kill: a few flush intervals.
const STREAM_FOR: Duration = Duration::from_millis(6500);
/// Deltas reported this long before the kill must be in the database. The writer saves every
/// second; the rest is slack for a loaded machine (CI runs this on 2 busy cores).
const MUST_BE_SAVED_BEFORE: Duration = Duration::from_secs(4);

fn delta(i: usize) -> String {
    format!("[{i:05}胸]")
}

#[test]
fn crash_child() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let store = Store::open(path, &common::key()).unwrap();
    let c = store.create_consultation(NewConsultation { title: "crash".into(), ..Default::default() }).unwrap();
    store.append_user_message(c.id, "question").unwrap();
    let id = store.begin_assistant(c.id).unwrap();
    let mut writer = store.stream_writer(id).unwrap();
    let mut out = std::io::stdout().lock();
    writeln!(out, "BEGIN {id}").unwrap();
    out.flush().unwrap();
    // Bounded, so a child whose parent died does not run forever.
    for i in 0..6000 {
        writer.push_content(&delta(i)).unwrap();
        // Reported only after the push returned: the delta is in the writer.
        writeln!(out, "DELTA {i}").unwrap();
        out.flush().unwrap();
        thread::sleep(DELTA_EVERY);
    }
    std::process::exit(3);
}

/// Kills the child if the test fails before it does.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_killed_process_leaves_an_interrupted_prefix() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("anamnesis.db");
    let mut child = KillOnDrop(
        Command::new(std::env::current_exe().unwrap())
            .args(["crash_child", "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap(),
    );

    // Each report line with the time it arrived (never earlier than the child wrote it).
    let (tx, rx) = mpsc::channel::<(String, Instant)>();
    let stdout = child.0.stdout.take().unwrap();
    thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send((line, Instant::now())).is_err() {
                break;
            }
        }
    });

    let recv = |timeout| rx.recv_timeout(timeout).expect("the child stopped reporting");
    let message_id: i64 = loop {
        let (line, _) = recv(Duration::from_secs(60));
        // libtest may print "test crash_child ... " on the same line first.
        if let Some((_, id)) = line.split_once("BEGIN ") {
            break id.trim().parse().unwrap();
        }
    };
    let mut reports: Vec<(usize, Instant)> = Vec::new();
    let started = Instant::now();
    while started.elapsed() < STREAM_FOR {
        let (line, at) = recv(Duration::from_secs(30));
        if let Some((_, i)) = line.split_once("DELTA ") {
            reports.push((i.trim().parse().unwrap(), at));
        }
    }
    let killed_at = Instant::now();
    child.0.kill().unwrap(); // SIGKILL on Unix
    child.0.wait().unwrap();
    let last_reported = reports.last().unwrap().0;
    // The newest delta reported at least MUST_BE_SAVED_BEFORE before the kill.
    let must_have = reports.iter().rev().find(|(_, at)| *at + MUST_BE_SAVED_BEFORE <= killed_at).map(|(i, _)| *i);

    let store = Store::open(&path, &common::key()).unwrap();
    store.check_integrity().unwrap();
    let m = store.message(message_id).unwrap();
    assert_eq!(m.status, MessageStatus::Interrupted);

    // The saved text is exactly deltas 0..n.
    let n = m.content.matches('[').count();
    let expected: String = (0..n).map(delta).collect();
    assert_eq!(m.content, expected, "the saved text is not a prefix of the stream");
    assert!(n <= last_reported + 2, "saved {n} deltas but only {last_reported} were reported");
    if let Some(must) = must_have {
        assert!(
            n > must,
            "saved {n} deltas, but delta {must} was pushed more than {MUST_BE_SAVED_BEFORE:?} before the kill \
             (last reported: {last_reported})"
        );
    } else {
        panic!("the child reported nothing in the first {:?}", STREAM_FOR - MUST_BE_SAVED_BEFORE);
    }
    eprintln!("streamed {} deltas, saved {n}, must have had {must_have:?}", last_reported + 1);
}
