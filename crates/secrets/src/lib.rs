//! OS keychain access for the app's secrets (the Hugging Face token; API keys later).
//!
//! Values live only in the keychain: never in files or logs. [`Secret`] redacts itself in Debug
//! and errors never carry a value.

mod backend;
mod database_key;
mod error;
mod key;
mod secret;
mod secrets;
mod status;

pub use backend::{LINUX_KEYUTILS, MACOS_KEYCHAIN, SECRET_SERVICE, WINDOWS_CREDENTIAL_MANAGER};
pub use database_key::DATABASE_KEY_BYTES;
pub use error::SecretsError;
pub use key::SecretKey;
/// Re-exported so callers can hand [`Secrets::with_store`] a store (e.g. `keyring_core::mock`).
pub use keyring_core;
pub use secret::{InvalidReason, Secret, MAX_SECRET_BYTES};
pub use secrets::Secrets;
pub use status::SecretStatus;

#[cfg(test)]
mod tests;
