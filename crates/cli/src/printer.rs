//! Prints an answer as it streams: the thinking trace dimmed (on a terminal), the answer, the
//! stats on stderr; or, with `--json`, one event per line.

use anamnesis_app::turn::TurnEvent;
use anamnesis_consult::{Triage, TriageLevel};
use anamnesis_engine::{ChatEvent, ErrorPayload};
use std::io::{IsTerminal, Stdout, Write};

pub struct Printer {
    json: bool,
    dim: bool,
    in_reasoning: bool,
    /// A triage was printed: one the model's red flags raise later is a second banner.
    triaged: bool,
    out: Stdout,
    /// The answer's error, for the exit status.
    pub failed: Option<ErrorPayload>,
}

impl Printer {
    pub fn new(json: bool) -> Self {
        let out = std::io::stdout();
        Self { json, dim: !json && out.is_terminal(), in_reasoning: false, triaged: false, out, failed: None }
    }

    /// Writes one JSON line (`--json` mode).
    pub fn line(&mut self, value: &impl serde::Serialize) {
        let mut out = self.out.lock();
        let _ = writeln!(out, "{}", serde_json::to_string(value).expect("events serialize"));
        let _ = out.flush();
    }

    /// Writes text as it is.
    pub fn text(&mut self, text: &str) {
        let mut out = self.out.lock();
        let _ = write!(out, "{text}");
        let _ = out.flush();
    }

    /// A consultation's triage: a `{"type":"triage",…}` line, or its banner; one the model's own
    /// red flags raise mid-answer starts on a line of its own.
    pub fn triage(&mut self, triage: Triage) {
        if self.json {
            self.line(&TurnEvent::Triage { triage });
        } else if let Some(b) = banner(&triage, self.triaged) {
            self.text(&if self.triaged { format!("\n\n{b}") } else { b });
        }
        self.triaged = true;
    }

    pub fn chat(&mut self, ev: ChatEvent) {
        if self.json {
            match &ev {
                ChatEvent::Done { .. } => {}
                ChatEvent::Error(e) => self.failed = Some(e.clone()),
                _ => self.line(&ev),
            }
            return;
        }
        let (dim_on, dim_off) = if self.dim { ("\x1b[2m", "\x1b[0m") } else { ("", "") };
        let mut out = self.out.lock();
        match ev {
            ChatEvent::Context(b) => {
                if !b.dropped.is_empty() {
                    eprintln!(
                        "note: {} earlier message(s) left out to fit the {}-token context",
                        b.dropped.len(),
                        b.limit
                    );
                }
            }
            ChatEvent::Reasoning { text } => {
                if !self.in_reasoning {
                    self.in_reasoning = true;
                    let _ = write!(out, "{dim_on}Thinking: ");
                }
                let _ = write!(out, "{text}");
            }
            ChatEvent::Content { text } => {
                if self.in_reasoning {
                    self.in_reasoning = false;
                    let _ = write!(out, "{dim_off}\n\n");
                }
                let _ = write!(out, "{text}");
            }
            ChatEvent::Stats(s) => {
                if self.in_reasoning {
                    let _ = write!(out, "{dim_off}");
                }
                let _ = writeln!(out);
                let acc =
                    s.draft_acceptance.map(|a| format!(" · draft acceptance {:.0}%", a * 100.0)).unwrap_or_default();
                eprintln!(
                    "[{} tokens · TTFT {:.0} ms · prefill {:.1} tok/s · decode {:.1} tok/s{acc} · {}]",
                    s.tokens, s.ttft_ms, s.prefill_tok_s, s.decode_tok_s, s.device
                );
            }
            ChatEvent::Error(e) => self.failed = Some(e),
            ChatEvent::Done { .. } => {}
        }
        let _ = out.flush();
    }
}

/// The triage as the terminal shows it: an emergency or urgent advice stands out, first.
fn banner(t: &Triage, raised: bool) -> Option<String> {
    let label = match t.level {
        TriageLevel::Routine => return None,
        TriageLevel::Urgent => "URGENT",
        TriageLevel::Emergency => "EMERGENCY",
    };
    let from = if raised { " (from the model's own red flags)" } else { "" };
    Some(format!("!! {label}{from}: {}\n\n", t.advice))
}
