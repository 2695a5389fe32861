//! The consultation history: consultations, their messages and saved patient profiles in one
//! SQLite file (`<data dir>/anamnesis.db`), with full-text search in English and Chinese.
//!
//! The store knows nothing of the other crates' types: patient contexts, generation stats,
//! errors, context notices and triage results are JSON values the caller shapes.
//!
//! - The file is encrypted with SQLCipher under a [`DbKey`]; an unencrypted file from an earlier
//!   version is encrypted in place when first opened.
//! - Opening migrates the schema (see `migrations/`) and marks answers a dead process left
//!   `streaming` as `interrupted`.
//! - Answers are written while they stream through a [`StreamWriter`], at most once a second.
//! - Deleting a consultation or profile wipes its text from the file and the write-ahead log.

mod consultation;
mod encrypt;
mod error;
mod json;
mod key;
mod message;
mod migrate;
mod plain;
mod profile;
mod search;
mod store;
mod stream;
mod time;
mod versions;

pub use consultation::{Consultation, ConsultationId, ConsultationPatch, ConsultationSummary, NewConsultation};
#[doc(hidden)]
pub use encrypt::fail_next_encryption_before_rename;
pub use error::StoreError;
pub use key::{DbKey, Passphrase};
pub use message::{MessageId, MessageRole, MessageStatus, StoredMessage};
pub use migrate::SCHEMA_VERSION;
pub use profile::{PatientProfile, ProfileId};
pub use search::SearchHit;
pub use store::Store;
pub use stream::{StreamWriter, FLUSH_INTERVAL};
pub use time::timestamp_now;
pub use versions::AnswerVersion;

/// `Store` is shared across Tauri's threads.
const _: fn() = || {
    fn shareable<T: Send + Sync>() {}
    shareable::<Store>();
    shareable::<StreamWriter>();
};
