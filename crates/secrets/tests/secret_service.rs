//! The real Secret Service: a private D-Bus session (`dbus-run-session`) with GNOME Keyring
//! unlocked in it, so the test never touches the user's own keychain. The test re-runs itself
//! inside that session; `Secrets::open` must pick the Secret Service over the kernel keyring.

#![cfg(target_os = "linux")]

use anamnesis_secrets::{SecretKey, Secrets, SECRET_SERVICE};
use std::process::Command;

const INSIDE: &str = "ANAMNESIS_SECRET_SERVICE_SESSION";
/// Starts the daemon and waits until it owns the bus name (see the script for the race).
const KEYRING_UP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/keyring-up.sh");

#[test]
fn saves_reads_and_deletes_in_a_real_secret_service() {
    if std::env::var_os(INSIDE).is_none() {
        let exe = std::env::current_exe().unwrap();
        let script = "printf 'test-password' | \"$1\" --unlock \
                      && exec \"$0\" --exact saves_reads_and_deletes_in_a_real_secret_service --nocapture";
        let out = Command::new("dbus-run-session")
            .args(["--", "sh", "-c", script])
            .arg(&exe)
            .arg(KEYRING_UP)
            .env(INSIDE, "1")
            .output()
            .expect("dbus-run-session runs (scripts/setup.sh installs dbus and gnome-keyring)");
        let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "the test inside the D-Bus session failed:\n{log}");
        assert!(log.contains("1 passed"), "the inner test did not run:\n{log}");
        return;
    }
    let service = format!("anamnesis-test-{}", std::process::id());
    let secrets = Secrets::open(&service).unwrap();
    assert_eq!(secrets.backend(), SECRET_SERVICE);
    assert!(!secrets.is_set(SecretKey::HfToken).unwrap());
    secrets.set(SecretKey::HfToken, "hf_secret_service_value").unwrap();
    assert_eq!(secrets.get(SecretKey::HfToken).unwrap().unwrap().expose(), "hf_secret_service_value");
    secrets.delete(SecretKey::HfToken).unwrap();
    assert!(secrets.get(SecretKey::HfToken).unwrap().is_none());

    assert!(secrets.persists_across_reboots());
    let key = secrets.database_key().unwrap();
    assert_eq!(*secrets.database_key().unwrap(), *key);
    secrets.delete(SecretKey::DatabaseKey).unwrap();
}

/// A desktop session whose GNOME Keyring runs with its login keyring locked (auto-login: no
/// password was typed to unlock it). The keyring is made first in another session, unlocked
/// with a password, then the daemon starts again without it.
#[test]
fn a_locked_login_keyring_is_a_locked_keychain_not_a_hang() {
    const PHASE: &str = "ANAMNESIS_LOCKED_PHASE";
    const SERVICE: &str = "anamnesis-locked-test";
    match std::env::var(PHASE).as_deref() {
        Ok("make") => {
            Secrets::open(SERVICE).unwrap().set(SecretKey::HfToken, "hf_made_while_unlocked").unwrap();
            return;
        }
        Ok("locked") => {
            let secrets = Secrets::open(SERVICE).unwrap();
            assert_eq!(secrets.backend(), SECRET_SERVICE);
            let err = secrets.database_key().unwrap_err();
            println!("locked: {err:?} / {err}");
            assert!(err.is_locked(), "{err:?}");
            return;
        }
        _ => {}
    }
    let home = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let session = |phase: &str, daemon: &str| {
        let script = format!(
            "{daemon} && exec timeout 60 \"$0\" --exact a_locked_login_keyring_is_a_locked_keychain_not_a_hang --nocapture"
        );
        let out = Command::new("dbus-run-session")
            .args(["--", "sh", "-c", &script])
            .arg(&exe)
            .arg(KEYRING_UP)
            .env(PHASE, phase)
            .env("HOME", home.path())
            .env_remove("DISPLAY")
            .output()
            .unwrap();
        let log = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "the {phase} session failed:\n{log}");
        assert!(log.contains("1 passed"), "the {phase} test did not run:\n{log}");
        log
    };
    session("make", "printf login-password | \"$1\" --unlock");
    let log = session("locked", "\"$1\" --start");
    println!("{log}");
}
