//! The OS keychains, one per platform, and the names `Secrets::backend` reports for them.

use keyring_core::CredentialStore;
use std::sync::Arc;

pub const MACOS_KEYCHAIN: &str = "macos-keychain";
pub const WINDOWS_CREDENTIAL_MANAGER: &str = "windows-credential-manager";
pub const SECRET_SERVICE: &str = "secret-service";
pub const LINUX_KEYUTILS: &str = "linux-keyutils";

/// The platform's keychain, or why there is none. On Linux the Secret Service comes first and
/// the kernel keyring is the fallback for headless machines.
pub(crate) fn platform_store(service: &str) -> Result<(Arc<CredentialStore>, &'static str), String> {
    #[cfg(target_os = "macos")]
    {
        let _ = service;
        let store: Arc<CredentialStore> =
            apple_native_keyring_store::keychain::Store::new().map_err(|e| e.to_string())?;
        Ok((store, MACOS_KEYCHAIN))
    }
    #[cfg(target_os = "windows")]
    {
        let _ = service;
        let store: Arc<CredentialStore> = windows_native_keyring_store::Store::new().map_err(|e| e.to_string())?;
        Ok((store, WINDOWS_CREDENTIAL_MANAGER))
    }
    #[cfg(target_os = "linux")]
    {
        let secret_service = match secret_service() {
            Ok(store) => return Ok((store, SECRET_SERVICE)),
            Err(e) => e,
        };
        kernel_keyring(service)
            .map(|store| (store, LINUX_KEYUTILS))
            .map_err(|e| format!("Secret Service: {secret_service}; kernel keyring: {e}"))
    }
    #[cfg(not(any(target_os = "macos", target_os = "windows", target_os = "linux")))]
    {
        let _ = service;
        Err("no keychain is supported on this operating system".to_string())
    }
}

/// Connects to the Secret Service on the session D-Bus; fails when none answers.
#[cfg(target_os = "linux")]
fn secret_service() -> Result<Arc<CredentialStore>, String> {
    let store: Arc<CredentialStore> = zbus_secret_service_keyring_store::Store::new().map_err(|e| e.to_string())?;
    Ok(store)
}

/// The kernel keyring (keyutils). Making the store touches no keyring, so look one entry up:
/// that fails where keyctl is blocked (e.g. a container's seccomp profile).
#[cfg(target_os = "linux")]
pub(crate) fn kernel_keyring(service: &str) -> Result<Arc<CredentialStore>, String> {
    use keyring_core::{Entry, Error};
    let store: Arc<CredentialStore> = linux_keyutils_keyring_store::Store::new().map_err(|e| e.to_string())?;
    let probe = Entry::new_in_store(&store, service, crate::SecretKey::HfToken.account())
        .and_then(|entry| entry.get_credential().map(drop));
    match probe {
        Ok(()) | Err(Error::NoEntry) => Ok(store),
        Err(e) => Err(e.to_string()),
    }
}
