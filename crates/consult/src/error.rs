//! The crate's one error type. Codes are stable SCREAMING_SNAKE strings, like the other crates',
//! so the UI can branch on them and show the message.

use anamnesis_wire::ErrorCode;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConsultError {
    #[error("invalid patient context: {field} {reason}")]
    InvalidPatientContext { field: &'static str, reason: String },
}

impl ConsultError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::InvalidPatientContext { .. } => ErrorCode::InvalidPatientContext,
        }
    }

    pub(crate) fn patient(field: &'static str, reason: impl Into<String>) -> Self {
        Self::InvalidPatientContext { field, reason: reason.into() }
    }
}

#[cfg(test)]
mod tests {
    use super::ConsultError;

    #[test]
    fn code_and_message() {
        let e = ConsultError::patient("age_years", "must be between 0 and 130 (got 150)");
        assert_eq!(e.code(), "INVALID_PATIENT_CONTEXT");
        assert_eq!(e.to_string(), "invalid patient context: age_years must be between 0 and 130 (got 150)");
    }
}
