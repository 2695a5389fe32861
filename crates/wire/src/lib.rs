//! Value types shared by the engine, the history, the settings and the UI (through ts-rs), kept
//! apart so that none of those needs another's heavy dependencies.

mod attachment;
mod context;
mod error;
mod error_code;
mod fallback;
mod gpu_problem;
mod stats;
mod thinking;

pub use attachment::{Attachment, AttachmentKind};
pub use context::{ContextBudget, ContextNotice};
pub use error::ErrorPayload;
pub use error_code::ErrorCode;
pub use fallback::MemoryFallback;
pub use gpu_problem::{GpuProblem, MIN_COMPUTE_CAPABILITY};
pub use stats::{DraftStats, DraftVerdict, FinishReason, Stats};
pub use thinking::ThinkingMode;
