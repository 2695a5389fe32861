//! What the user should know about how a model was loaded. Typed, so each surface says it in its
//! own words: the window from `kind` in the user's language, the CLI through `Display`.

use crate::error::ErrorPayload;
use anamnesis_wire::GpuProblem;
use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum ModelNotice {
    /// A remote server counts the tokens; the context meter's counts are estimates.
    EstimatedTokens,
    /// The remote server is reached over plain http: questions and the key cross unencrypted.
    InsecureRemote { host: String },
    /// The context cap asked for is larger than the remote server's, whose limit applies.
    RemoteContextCapped,
    /// The draft model could not be used: answers are decoded without speculation.
    DraftNotUsed { error: ErrorPayload },
    /// The CUDA build cannot use the GPU here (no driver, too old, …): the model runs on the CPU.
    GpuUnavailable { problem: GpuProblem },
}

impl ModelNotice {
    /// Something the user must act on, not just know.
    pub fn is_warning(&self) -> bool {
        matches!(self, Self::InsecureRemote { .. } | Self::GpuUnavailable { .. })
    }
}

impl fmt::Display for ModelNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EstimatedTokens => {
                f.write_str("Token counts for the context meter are estimates: the remote server does the real count.")
            }
            Self::InsecureRemote { host } => write!(
                f,
                "{host} is reached over plain http: consultations and the API key cross the network unencrypted. Use https."
            ),
            Self::RemoteContextCapped => {
                f.write_str("The context cap is larger than the server's; the server's limit applies.")
            }
            Self::DraftNotUsed { error } => {
                write!(f, "Draft model not used ({}); decoding without speculation.", error.message)
            }
            Self::GpuUnavailable { problem } => {
                write!(f, "The GPU cannot be used: {problem}. The model runs on the CPU, much slower.")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anamnesis_wire::ErrorCode;

    #[test]
    fn a_notice_crosses_as_its_kind_and_reads_as_a_sentence() {
        let n = ModelNotice::InsecureRemote { host: "gpu.lan".into() };
        assert_eq!(
            serde_json::to_value(&n).unwrap(),
            serde_json::json!({"kind": "insecure_remote", "host": "gpu.lan"})
        );
        assert!(n.is_warning());
        assert!(n.to_string().starts_with("gpu.lan is reached over plain http"));
        let d = ModelNotice::DraftNotUsed { error: ErrorPayload::new(ErrorCode::ModelNotFound, "no /d") };
        assert_eq!(
            serde_json::to_value(&d).unwrap(),
            serde_json::json!({"kind": "draft_not_used", "error": {"code": "MODEL_NOT_FOUND", "message": "no /d"}})
        );
        assert_eq!(d.to_string(), "Draft model not used (no /d); decoding without speculation.");
        assert_eq!(
            serde_json::from_value::<ModelNotice>(serde_json::json!({"kind": "estimated_tokens"})).unwrap(),
            ModelNotice::EstimatedTokens
        );
    }
}
