//! The medical layer of Anamnesis, pure Rust: the patient context, the versioned system prompt
//! and its builder, the parser for the fixed answer structure and its follow-up questions, a
//! rule-based red-flag triage that never depends on the model, and the SOAP export.
//!
//! It knows nothing about the engine: it builds prompts and reads answers.

mod answer;
mod attachments;
mod chips;
mod error;
mod headings;
mod lang;
mod live;
mod markdown;
mod patient;
mod prompt;
mod sanitize;
mod soap;
pub mod triage;

pub use answer::{parse_answer, ParsedAnswer, Section, SectionKind};
pub use attachments::with_attachments;
pub use chips::{follow_up_questions, MAX_CHIPS, MAX_CHIP_CHARS};
pub use error::ConsultError;
pub use lang::Lang;
pub use live::{live_parts, LivePart};
pub use patient::{PatientContext, Pregnancy, Sex};
pub use prompt::{build_system_prompt, system_prompt, SYSTEM_PROMPT_VERSION};
pub use soap::{
    export_soap, AnswerStamp, ConsultationExport, ExportMessage, ExportOptions, ExportRole, DISCLAIMER_EN,
    DISCLAIMER_ZH,
};
pub use triage::{escalate, model_says_emergency, triage, Triage, TriageLevel, MODEL_RULE_ID};
