//! Triage each line of standard input and print the level and rule ids (for writing vignettes):
//! `cargo run -p anamnesis-consult --example triage_lines < lines.txt`.
use anamnesis_consult::triage::triage;
use anamnesis_consult::PatientContext;
use std::io::BufRead;

fn main() {
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("stdin is UTF-8");
        let t = triage(&line, &PatientContext::default());
        println!("{}\t{:?}\t{}", serde_json::to_string(&t.level).unwrap(), t.rules, line);
    }
}
