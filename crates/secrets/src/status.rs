//! What the UI may know about a secret: whether it is saved and where, never its value.

use crate::{SecretKey, Secrets, SecretsError};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SecretStatus {
    pub saved: bool,
    /// The keychain in use ("secret-service", "macos-keychain", …); `null` when none answers.
    pub keychain: Option<String>,
    /// Why the keychain cannot be used, in words for the user.
    pub problem: Option<String>,
}

impl SecretStatus {
    /// The status of `key`, or the reason the keychain cannot tell.
    pub fn of(secrets: Result<&Secrets, &SecretsError>, key: SecretKey) -> Self {
        match secrets {
            Ok(s) => match s.is_set(key) {
                Ok(saved) => Self { saved, keychain: Some(s.backend().to_string()), problem: None },
                Err(e) => Self { saved: false, keychain: Some(s.backend().to_string()), problem: Some(e.to_string()) },
            },
            Err(e) => Self { saved: false, keychain: None, problem: Some(e.to_string()) },
        }
    }
}
