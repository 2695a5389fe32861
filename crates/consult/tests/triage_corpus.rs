//! The red-flag triage against vignettes written blind to the rules (`tests/triage_corpus/`, see
//! its CATEGORIES.md): `tune/` may be tuned on, `heldout/` was frozen before the rules changed and
//! only its figures are read. Prints recall and false alarms per set, language and category
//! (`cargo test -p anamnesis-consult --test triage_corpus -- --nocapture`), and the time per
//! message. The misses of the held-out set are printed only with TRIAGE_SHOW_HELDOUT=1, so that
//! tuning cannot lean on them.

use anamnesis_consult::triage::{triage, TriageLevel};
use anamnesis_consult::PatientContext;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Deserialize)]
struct Case {
    id: String,
    category: String,
    lang: String,
    expect: TriageLevel,
    text: String,
    #[serde(default)]
    patient: PatientContext,
}

fn load(set: &str) -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/triage_corpus").join(set);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for f in files {
        for (i, line) in std::fs::read_to_string(&f).unwrap().lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let c: Case = serde_json::from_str(line).unwrap_or_else(|e| panic!("{}:{}: {e}", f.display(), i + 1));
            cases.push(c);
        }
    }
    cases
}

/// Emergencies caught / emergencies, and emergency alarms / non-emergencies.
#[derive(Default, Clone, Copy)]
struct Score {
    emergencies: usize,
    caught: usize,
    others: usize,
    alarms: usize,
}

impl Score {
    fn add(&mut self, expect: TriageLevel, got: TriageLevel) {
        if expect == TriageLevel::Emergency {
            self.emergencies += 1;
            self.caught += usize::from(got == TriageLevel::Emergency);
        } else {
            self.others += 1;
            self.alarms += usize::from(got == TriageLevel::Emergency);
        }
    }
    fn recall(&self) -> f64 {
        self.caught as f64 / self.emergencies.max(1) as f64
    }
    fn false_alarms(&self) -> f64 {
        self.alarms as f64 / self.others.max(1) as f64
    }
    fn line(&self) -> String {
        format!(
            "recall {:>3}/{:<3} {:>5.1} %   false alarms {:>2}/{:<3} {:>5.1} %",
            self.caught,
            self.emergencies,
            100.0 * self.recall(),
            self.alarms,
            self.others,
            100.0 * self.false_alarms()
        )
    }
}

struct Report {
    total: Score,
    by_lang: BTreeMap<String, Score>,
}

fn score(set: &str, show_misses: bool) -> Report {
    let cases = load(set);
    assert!(cases.len() >= 300, "{set}: only {} vignettes", cases.len());
    let mut total = Score::default();
    let mut by_lang: BTreeMap<String, Score> = BTreeMap::new();
    let mut by_cat: BTreeMap<(String, String), Score> = BTreeMap::new();
    let mut misses = Vec::new();
    for c in &cases {
        let patient = c.patient.clone().validated().unwrap_or_else(|e| panic!("{}: {e}", c.id));
        let got = triage(&c.text, &patient);
        total.add(c.expect, got.level);
        by_lang.entry(c.lang.clone()).or_default().add(c.expect, got.level);
        by_cat.entry((c.category.clone(), c.lang.clone())).or_default().add(c.expect, got.level);
        let wrong = (c.expect == TriageLevel::Emergency) != (got.level == TriageLevel::Emergency);
        if wrong && show_misses {
            misses.push(format!("{} want {:?} got {:?} {:?}: {}", c.id, c.expect, got.level, got.rules, c.text));
        }
    }
    println!("\n== {set}: {} vignettes\nall   {}", cases.len(), total.line());
    for (lang, s) in &by_lang {
        println!("{lang:<5} {}", s.line());
    }
    println!("{:<24} {:<3} {:>9} {:>9}", "category", "", "recall", "alarms");
    for ((cat, lang), s) in &by_cat {
        println!("{cat:<24} {lang:<3} {:>4}/{:<4} {:>4}/{:<4}", s.caught, s.emergencies, s.alarms, s.others);
    }
    for m in &misses {
        println!("MISS {m}");
    }
    Report { total, by_lang }
}

/// Floors below the measured figures, so a rule change that loses ground fails here; the closing
/// note of each change reports the figures themselves.
fn check(set: &str, r: &Report, min_recall: f64, max_alarms: f64) {
    for (lang, s) in r.by_lang.iter().chain([(&"all".to_string(), &r.total)]) {
        assert!(s.recall() >= min_recall, "{set} {lang}: recall {:.3} below {min_recall}", s.recall());
        assert!(
            s.false_alarms() <= max_alarms,
            "{set} {lang}: false alarms {:.3} above {max_alarms}",
            s.false_alarms()
        );
    }
}

#[test]
fn tuning_set() {
    let r = score("tune", true);
    // Measured: 99.2 % recall, 0.6 % false alarms (1,376 vignettes).
    check("tune", &r, 0.97, 0.02);
}

#[test]
fn held_out_set() {
    let r = score("heldout", std::env::var_os("TRIAGE_SHOW_HELDOUT").is_some());
    // Measured before the concept rules: 30.2 % recall, 9.2 % false alarms; after: 80.6 % and
    // 4.2 % (English 82.0 % / 4.2 %, Chinese 79.3 % / 4.2 %). Short of the 95 % goal: see the
    // closing note of issue 13.
    check("heldout", &r, 0.78, 0.05);
}

/// CPU time of this thread, in ms: wall time on a loaded 2-core machine is mostly the
/// scheduler's.
fn thread_cpu_ms() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec we own.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 * 1e3 + ts.tv_nsec as f64 / 1e6
}

/// Triage runs on every message before anything is generated: it must stay instant. Prints the
/// CPU time per message (goal: p99 under 2 ms); not a timed assertion.
#[test]
fn time_per_message() {
    let mut cases = load("tune");
    cases.extend(load("heldout"));
    // The first call compiles the patterns; a running app has done that long before.
    let t = thread_cpu_ms();
    let _ = triage("warm-up: chest pain", &PatientContext::default());
    println!("\ntriage: first call (compiles the patterns) {:.1} ms CPU", thread_cpu_ms() - t);
    let mut times: Vec<f64> = Vec::new();
    for _ in 0..3 {
        for c in &cases {
            let t = thread_cpu_ms();
            std::hint::black_box(triage(&c.text, &c.patient));
            times.push(thread_cpu_ms() - t);
        }
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() - 1) as f64 * p) as usize];
    println!(
        "triage CPU time per message over {} runs: median {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        times.len(),
        pct(0.5),
        pct(0.99),
        pct(1.0)
    );
}
