//! The crate's one error type. Every variant has a stable SCREAMING_SNAKE code for the UI.
//!
//! No variant holds a secret or a `keyring_core::Error`: that type's Debug prints the raw bytes
//! of an undecodable value, so errors are reduced to text here, at the boundary.

use crate::key::SecretKey;
use crate::secret::InvalidReason;
use anamnesis_wire::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    #[error("No keychain is available: {hint} (details: {detail})")]
    KeychainUnavailable { hint: &'static str, detail: String },
    #[error("The keychain refused access to the {key} ({detail}): unlock your keychain (log out and in again, or open your keyring app) and try again")]
    KeychainLocked { key: SecretKey, detail: String },
    #[error("The {key} was not saved: {reason}")]
    InvalidSecret { key: SecretKey, reason: InvalidReason },
    #[error("A new {key} could not be made: the operating system's random number generator failed ({detail})")]
    NoRandomness { key: SecretKey, detail: String },
    #[error("The keychain could not {action} the {key}: {detail}")]
    Keychain { action: &'static str, key: SecretKey, detail: String },
}

impl SecretsError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::KeychainUnavailable { .. } | Self::KeychainLocked { .. } => ErrorCode::KeychainUnavailable,
            Self::InvalidSecret { .. } => ErrorCode::InvalidSecret,
            Self::NoRandomness { .. } => ErrorCode::KeyGenerationFailed,
            Self::Keychain { .. } => ErrorCode::KeychainError,
        }
    }

    /// The keychain is there but refused access: locked (a login keyring not unlocked at
    /// auto-login), or its unlock prompt was dismissed or could not be shown.
    pub fn is_locked(&self) -> bool {
        matches!(self, Self::KeychainLocked { .. })
    }
}

/// What to do when no keychain answers, for this platform.
pub(crate) const UNAVAILABLE_HINT: &str = if cfg!(target_os = "linux") {
    "start a Secret Service (GNOME Keyring or KWallet) in your desktop session, or allow the Linux kernel keyring (keyctl) for this user"
} else if cfg!(target_os = "macos") {
    "the macOS Keychain could not be opened; check in Keychain Access that you have a login keychain"
} else if cfg!(target_os = "windows") {
    "the Windows Credential Manager could not be opened; check that the Credential Manager service is running"
} else {
    "this operating system has no supported keychain"
};

/// Turns a store error into ours. `action` is the verb for the message ("read", "save", "delete").
pub(crate) fn from_store(err: keyring_core::Error, action: &'static str, key: SecretKey) -> SecretsError {
    use keyring_core::Error as E;
    let keychain = |detail: String| SecretsError::Keychain { action, key, detail };
    match err {
        E::NoStorageAccess(e) => SecretsError::KeychainLocked { key, detail: e.to_string() },
        E::NoDefaultStore => SecretsError::KeychainUnavailable {
            hint: UNAVAILABLE_HINT,
            detail: "no credential store was set up".into(),
        },
        // The store's own limits on the value (Windows allows 2560 bytes) are the user's to fix.
        E::TooLong(attr, limit) if is_value(&attr) => SecretsError::InvalidSecret {
            key,
            reason: InvalidReason::RejectedByKeychain(format!(
                "it is longer than the keychain's limit of {limit} bytes"
            )),
        },
        E::Invalid(attr, why) if is_value(&attr) => {
            SecretsError::InvalidSecret { key, reason: InvalidReason::RejectedByKeychain(why) }
        }
        // The bytes these carry are the stored value: never put them in a message.
        E::BadEncoding(_) => keychain("the saved value is not text; delete it and save it again".into()),
        E::BadDataFormat(_, _) => keychain("the saved value is malformed; delete it and save it again".into()),
        E::Ambiguous(entries) => {
            keychain(format!("{} entries match it; remove the extra ones in your keychain app", entries.len()))
        }
        E::PlatformFailure(e) => keychain(e.to_string()),
        other => keychain(other.to_string()),
    }
}

/// Stores name the value "secret" or "password" when they reject it.
fn is_value(attr: &str) -> bool {
    matches!(attr, "secret" | "password")
}
