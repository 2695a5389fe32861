//! The shell's error: whatever a domain crate returned, sent to the UI as `{code, message}`.

use anamnesis_consult::ConsultError;
use anamnesis_engine::EngineError;
use anamnesis_hub::HubError;
use anamnesis_secrets::SecretsError;
use anamnesis_settings::SettingsError;
use anamnesis_store::StoreError;
use anamnesis_wire::ErrorCode;
use serde::ser::{Serialize, SerializeStruct, Serializer};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Hub(#[from] HubError),
    #[error(transparent)]
    Secrets(#[from] SecretsError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Consult(#[from] ConsultError),
    #[error("a background task failed: {0}")]
    Task(String),
    /// The use-cases' own failures (the history's lock, no model chosen); their domain crates'
    /// errors arrive as `Engine`, `Store`, `Hub` and so on.
    #[error(transparent)]
    App(anamnesis_app::AppError),
    #[error("the local API server: {0}")]
    Api(#[from] anamnesis_openai::OpenAiError),
}

impl AppError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Engine(e) => e.code(),
            Self::Settings(e) => e.code(),
            Self::Hub(e) => e.code(),
            Self::Secrets(e) => e.code(),
            Self::Store(e) => e.code(),
            Self::Consult(e) => e.code(),
            Self::Task(_) => ErrorCode::Internal,
            Self::App(e) => e.code(),
            Self::Api(e) => e.code(),
        }
    }
}

impl Serialize for AppError {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ErrorPayload", 2)?;
        st.serialize_field("code", &self.code())?;
        st.serialize_field("message", &self.to_string())?;
        st.end()
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// The application layer's errors: the domain crates' ones as they are, the rest as its own.
impl From<anamnesis_app::AppError> for AppError {
    fn from(e: anamnesis_app::AppError) -> Self {
        use anamnesis_app::AppError as A;
        match e {
            A::Engine(e) => Self::Engine(e),
            A::Store(e) => Self::Store(e),
            A::Settings(e) => Self::Settings(e),
            A::Secrets(e) => Self::Secrets(e),
            A::Hub(e) => Self::Hub(e),
            e => Self::App(e),
        }
    }
}

/// Runs blocking work (hashing, hardware probes, keychain calls) off the async runtime.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> AppResult<T> + Send + 'static) -> AppResult<T> {
    tauri::async_runtime::spawn_blocking(f).await.map_err(|e| AppError::Task(e.to_string()))?
}
