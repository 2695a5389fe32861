//! The shell's error: whatever a domain crate returned, sent to the UI as `{code, message}`.

use anamnesis_engine::EngineError;
use anamnesis_settings::SettingsError;
use serde::ser::{Serialize, SerializeStruct, Serializer};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error("no model chosen yet: choose a model folder or .gguf file in Settings")]
    NoModelChosen,
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            Self::Engine(e) => e.code(),
            Self::Settings(e) => e.code(),
            Self::NoModelChosen => "NO_MODEL_CHOSEN",
        }
    }
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ErrorPayload", 2)?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("message", &self.to_string())?;
        st.end()
    }
}

pub type AppResult<T> = Result<T, AppError>;
