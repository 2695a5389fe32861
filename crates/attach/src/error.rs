//! Why a document could not be attached, naming the file (never its folder).

use anamnesis_wire::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum AttachError {
    #[error("“{name}” is not plain text or a PDF; save it as a PDF or a text file and attach that")]
    Unsupported { name: String },
    #[error("“{name}” is {} MB; attachments can be at most 20 MB", bytes.div_ceil(1024 * 1024))]
    TooLarge { name: String, bytes: u64 },
    #[error("“{name}” has no text to read{}", if *scanned { " (a scanned page is a picture of text); type the values you need instead" } else { "" })]
    Empty { name: String, scanned: bool },
    #[error("“{name}” is protected by a password; save an unprotected copy and attach that")]
    Encrypted { name: String },
    #[error("“{name}” could not be read: {detail}")]
    Malformed { name: String, detail: String },
    #[error("“{name}” needs about {tokens} tokens, more than half of the model's conversation memory ({limit}); attach only the pages you need")]
    TooLong { name: String, tokens: u32, limit: u32 },
}

impl AttachError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Unsupported { .. } => ErrorCode::AttachmentUnsupported,
            Self::TooLarge { .. } => ErrorCode::AttachmentTooLarge,
            Self::Empty { .. } => ErrorCode::AttachmentEmpty,
            Self::Encrypted { .. } => ErrorCode::AttachmentEncrypted,
            Self::Malformed { .. } => ErrorCode::AttachmentMalformed,
            Self::TooLong { .. } => ErrorCode::AttachmentTooLong,
        }
    }
}
