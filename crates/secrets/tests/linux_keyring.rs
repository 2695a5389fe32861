//! Against the real Linux kernel keyring (keyutils), which works headless and as root in CI
//! containers. No skipping: if the keyring is missing the test fails and says why.
#![cfg(target_os = "linux")]

use anamnesis_secrets::{SecretKey, Secrets, LINUX_KEYUTILS, SECRET_SERVICE};
use std::time::{SystemTime, UNIX_EPOCH};

const TOKEN: &str = "hf_IntegrationTest0123456789abcdefghij";

/// A service name no other run shares, so runs neither collide nor see leftovers.
fn unique_service(test: &str) -> String {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
    format!("anamnesis-secrets-test-{test}-{}-{nanos}", std::process::id())
}

/// Deletes the test's values even when an assertion fails: kernel keys outlive the process.
struct Cleanup<'a>(&'a Secrets);

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        for key in SecretKey::ALL {
            let _ = self.0.delete(*key);
        }
    }
}

fn open_kernel_keyring(service: &str) -> Secrets {
    Secrets::open_kernel_keyring(service).unwrap_or_else(|e| {
        panic!(
            "the Linux kernel keyring is not usable here, so this test cannot run: {e}. \
             It needs the keyctl syscalls (a container's seccomp profile may block them) and a \
             session or user-session keyring."
        )
    })
}

fn round_trip(secrets: &Secrets) {
    let _cleanup = Cleanup(secrets);
    let key = SecretKey::HfToken;
    assert!(!secrets.is_set(key).unwrap(), "a fresh service must start empty");
    assert!(secrets.get(key).unwrap().is_none());

    secrets.set(key, TOKEN).unwrap();
    assert!(secrets.is_set(key).unwrap());
    assert_eq!(secrets.get(key).unwrap().expect("value just saved").expose(), TOKEN);

    secrets.set(key, "hf_replaced").unwrap();
    assert_eq!(secrets.get(key).unwrap().expect("value just replaced").expose(), "hf_replaced");

    secrets.delete(key).unwrap();
    assert!(!secrets.is_set(key).unwrap());
    assert!(secrets.get(key).unwrap().is_none(), "deleted value is still readable");
    secrets.delete(key).unwrap();
}

#[test]
fn kernel_keyring_sets_reads_back_and_deletes() {
    let secrets = open_kernel_keyring(&unique_service("keyutils"));
    assert_eq!(secrets.backend(), LINUX_KEYUTILS);
    round_trip(&secrets);
}

#[test]
fn kernel_keyring_values_outlive_the_handle() {
    let service = unique_service("reopen");
    let first = open_kernel_keyring(&service);
    let _cleanup = Cleanup(&first);
    first.set(SecretKey::HfToken, TOKEN).unwrap();
    drop(open_kernel_keyring("unrelated-service-handle"));
    let second = open_kernel_keyring(&service);
    assert_eq!(second.get(SecretKey::HfToken).unwrap().expect("saved by the first handle").expose(), TOKEN);
}

/// `open` must find a keychain on headless Linux, and must not panic when called on an async
/// runtime's thread (Tauri commands run there).
#[tokio::test(flavor = "multi_thread")]
async fn open_finds_a_keychain_even_inside_an_async_runtime() {
    let secrets = Secrets::open(&unique_service("open")).unwrap_or_else(|e| panic!("no keychain: {e}"));
    assert!([SECRET_SERVICE, LINUX_KEYUTILS].contains(&secrets.backend()), "{}", secrets.backend());
    eprintln!("Secrets::open chose {}", secrets.backend());
    round_trip(&secrets);
}

#[test]
fn kernel_keyring_keeps_one_database_key() {
    let secrets = open_kernel_keyring(&unique_service("dbkey"));
    let _cleanup = Cleanup(&secrets);
    let first = secrets.database_key().unwrap();
    assert_eq!(*secrets.database_key().unwrap(), *first);
    assert_eq!(secrets.get(SecretKey::DatabaseKey).unwrap().expect("saved").expose().len(), 64);
    // The app must know this store forgets the key at reboot.
    assert!(!secrets.persists_across_reboots());
}
