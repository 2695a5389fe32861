//! What a use-case can fail with, as `{code, message}` like every crate's error.

use anamnesis_engine::EngineError;
use anamnesis_store::StoreError;
use anamnesis_wire::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl AppError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Engine(e) => e.code(),
            Self::Store(e) => e.code(),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
