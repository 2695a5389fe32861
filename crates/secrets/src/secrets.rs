//! `Secrets`: reads and writes the app's secrets in one keychain store.

use crate::backend;
use crate::error::{from_store, SecretsError, UNAVAILABLE_HINT};
use crate::key::SecretKey;
use crate::secret::{validate, Secret};
use keyring_core::{CredentialStore, Entry, Error};
use std::fmt;
use std::sync::Arc;

/// The app's secrets in one keychain, under one service name.
///
/// Every call is blocking (D-Bus, Keychain or kernel calls); from async code, run it on a
/// blocking thread (`tokio::task::spawn_blocking`).
pub struct Secrets {
    service: String,
    store: Arc<CredentialStore>,
    backend: &'static str,
}

impl Secrets {
    /// Opens the platform keychain: the macOS Keychain, the Windows Credential Manager, or on
    /// Linux the Secret Service, falling back to the kernel keyring when none answers.
    ///
    /// `service` names the app in the keychain (e.g. "Anamnesis"). On Linux the two stores do
    /// not share values: a token saved in the kernel keyring is not seen once a Secret Service
    /// runs, and vice versa.
    pub fn open(service: &str) -> Result<Self, SecretsError> {
        let (store, name) = backend::platform_store(service)
            .map_err(|detail| SecretsError::KeychainUnavailable { hint: UNAVAILABLE_HINT, detail })?;
        Ok(Self::with_store(service, store, name))
    }

    /// Opens the Linux kernel keyring directly, whether or not a Secret Service runs. Values
    /// there last until reboot.
    #[cfg(target_os = "linux")]
    pub fn open_kernel_keyring(service: &str) -> Result<Self, SecretsError> {
        let store = backend::kernel_keyring(service)
            .map_err(|detail| SecretsError::KeychainUnavailable { hint: UNAVAILABLE_HINT, detail })?;
        Ok(Self::with_store(service, store, backend::LINUX_KEYUTILS))
    }

    /// Uses the given store, reported as `backend`. For tests: pass
    /// `keyring_core::mock::Store::new()`. (The mock's Debug prints stored values, so it is for
    /// tests only.)
    pub fn with_store(service: &str, store: Arc<CredentialStore>, backend: &'static str) -> Self {
        Self { service: service.to_string(), store, backend }
    }

    /// Which store is in use: "macos-keychain", "windows-credential-manager", "secret-service",
    /// "linux-keyutils", or what `with_store` was given.
    pub fn backend(&self) -> &'static str {
        self.backend
    }

    /// Whether saved values survive a reboot. The Linux kernel keyring keeps them only until
    /// then, which is fine for a token but would lose a database key (and so the history).
    pub fn persists_across_reboots(&self) -> bool {
        self.backend != backend::LINUX_KEYUTILS
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// The saved value, or `None` when there is none.
    pub fn get(&self, key: SecretKey) -> Result<Option<Secret>, SecretsError> {
        let entry = self.entry(key, "read")?;
        match entry.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(Error::NoEntry) => Ok(None),
            Err(e) => Err(from_store(e, "read", key)),
        }
    }

    /// Saves `value`, replacing any earlier one. Empty, blank, over-long values and values with
    /// control characters are refused with `INVALID_SECRET`.
    pub fn set(&self, key: SecretKey, value: &str) -> Result<(), SecretsError> {
        validate(value).map_err(|reason| SecretsError::InvalidSecret { key, reason })?;
        self.entry(key, "save")?.set_password(value).map_err(|e| from_store(e, "save", key))
    }

    /// Removes the value; removing one that is not there is not an error.
    pub fn delete(&self, key: SecretKey) -> Result<(), SecretsError> {
        match self.entry(key, "delete")?.delete_credential() {
            Ok(()) | Err(Error::NoEntry) => Ok(()),
            Err(e) => Err(from_store(e, "delete", key)),
        }
    }

    /// Whether a value is saved, for "token saved" in the UI. Looks the entry up without
    /// returning its value.
    pub fn is_set(&self, key: SecretKey) -> Result<bool, SecretsError> {
        match self.entry(key, "read")?.get_credential() {
            Ok(_) => Ok(true),
            Err(Error::NoEntry) => Ok(false),
            Err(e) => Err(from_store(e, "read", key)),
        }
    }

    fn entry(&self, key: SecretKey, action: &'static str) -> Result<Entry, SecretsError> {
        Entry::new_in_store(&self.store, &self.service, key.account()).map_err(|e| from_store(e, action, key))
    }
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Secrets").field("service", &self.service).field("backend", &self.backend).finish()
    }
}
