//! The use-cases every surface shares, as plain Rust: model set-up (downloads, choosing a
//! downloaded variant or a hand-picked model, the load options), the history's lock (keychain or
//! passphrase), a consultation turn — the rule-based
//! triage before any token, the versioned system prompt with the patient, the model's stream,
//! and the model's own red flags as a second net — with the history store (the window) or
//! without it (`anamnesis-cli consult`), and the local OpenAI API's backend, which runs the same
//! safety layer. `src-tauri`, `anamnesis-cli` and the API server are adapters over it.

pub mod api;
pub mod attachments;
pub mod downloads;
pub mod drafts;
mod error;
pub mod export;
pub mod history;
pub mod load_controls;
pub mod models;
pub mod session;
pub mod turn;

pub use error::{AppError, AppResult};
