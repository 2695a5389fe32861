//! Unit tests against keyring-core's in-memory mock store.

use crate::database_key::encode;
use crate::{InvalidReason, Secret, SecretKey, Secrets, SecretsError, MAX_SECRET_BYTES};
use keyring_core::{mock, CredentialStore, Entry, Error};
use std::sync::Arc;

const SERVICE: &str = "anamnesis-test";
const TOKEN: &str = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";

fn mock_secrets() -> (Secrets, Arc<CredentialStore>) {
    let store: Arc<CredentialStore> = mock::Store::new().unwrap();
    (Secrets::with_store(SERVICE, store.clone(), "mock"), store)
}

/// Makes the next store call on `key` fail with `err` (the mock hands out one credential per
/// service and account, so this reaches the one `Secrets` uses).
fn fail_next(store: &Arc<CredentialStore>, key: SecretKey, err: Error) {
    let entry = Entry::new_in_store(store, SERVICE, key.account()).unwrap();
    let cred: &mock::Cred = entry.as_any().downcast_ref().unwrap();
    cred.set_error(err);
}

fn assert_invalid(result: Result<(), SecretsError>, expected: InvalidReason) {
    match result {
        Err(SecretsError::InvalidSecret { reason, .. }) => assert_eq!(reason, expected),
        other => panic!("expected INVALID_SECRET {expected:?}, got {other:?}"),
    }
}

#[test]
fn secrets_can_be_shared_between_threads() {
    // The app keeps one `Secrets` in shared state and uses it from blocking tasks.
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Secrets>();
}

#[test]
fn account_names_are_stable() {
    assert_eq!(SecretKey::HfToken.account(), "hf-token");
    assert_eq!(SecretKey::DatabaseKey.account(), "database-key");
    assert_eq!(SecretKey::DatabaseKey.to_string(), "consultation database key");
    assert_eq!(SecretKey::LocalApiKey.account(), "local-api-key");
    assert_eq!(SecretKey::RemoteApiKey.account(), "remote-api-key");
    assert_eq!(
        SecretKey::ALL,
        &[SecretKey::HfToken, SecretKey::DatabaseKey, SecretKey::LocalApiKey, SecretKey::RemoteApiKey]
    );
}

#[test]
fn set_then_get_returns_the_value() {
    let (secrets, _) = mock_secrets();
    secrets.set(SecretKey::HfToken, TOKEN).unwrap();
    assert_eq!(secrets.get(SecretKey::HfToken).unwrap().unwrap().expose(), TOKEN);
    assert_eq!(secrets.backend(), "mock");
    assert_eq!(secrets.service(), SERVICE);
}

#[test]
fn get_of_a_missing_value_is_none() {
    let (secrets, _) = mock_secrets();
    assert!(secrets.get(SecretKey::HfToken).unwrap().is_none());
    assert!(!secrets.is_set(SecretKey::HfToken).unwrap());
}

#[test]
fn set_overwrites() {
    let (secrets, _) = mock_secrets();
    secrets.set(SecretKey::HfToken, "hf_first").unwrap();
    secrets.set(SecretKey::HfToken, "hf_second").unwrap();
    assert_eq!(secrets.get(SecretKey::HfToken).unwrap().unwrap().expose(), "hf_second");
}

#[test]
fn delete_removes_and_deleting_again_is_ok() {
    let (secrets, _) = mock_secrets();
    secrets.set(SecretKey::HfToken, TOKEN).unwrap();
    assert!(secrets.is_set(SecretKey::HfToken).unwrap());
    secrets.delete(SecretKey::HfToken).unwrap();
    assert!(!secrets.is_set(SecretKey::HfToken).unwrap());
    assert!(secrets.get(SecretKey::HfToken).unwrap().is_none());
    secrets.delete(SecretKey::HfToken).unwrap();
}

#[test]
fn services_are_kept_apart() {
    let (secrets, store) = mock_secrets();
    let other = Secrets::with_store("another-app", store, "mock");
    secrets.set(SecretKey::HfToken, TOKEN).unwrap();
    assert!(!other.is_set(SecretKey::HfToken).unwrap());
}

#[test]
fn empty_blank_and_over_long_values_are_refused() {
    let (secrets, _) = mock_secrets();
    assert_invalid(secrets.set(SecretKey::HfToken, ""), InvalidReason::Empty);
    assert_invalid(secrets.set(SecretKey::HfToken, "   "), InvalidReason::Blank);
    assert_invalid(secrets.set(SecretKey::HfToken, "\u{3000}"), InvalidReason::Blank);
    let long = "a".repeat(MAX_SECRET_BYTES + 1);
    assert_invalid(secrets.set(SecretKey::HfToken, &long), InvalidReason::TooLong { bytes: MAX_SECRET_BYTES + 1 });
    // The limit counts bytes: 1366 three-byte characters are 4098 bytes.
    assert_invalid(secrets.set(SecretKey::HfToken, &"€".repeat(1366)), InvalidReason::TooLong { bytes: 4098 });
    assert!(secrets.get(SecretKey::HfToken).unwrap().is_none(), "a refused value must not be stored");
}

#[test]
fn values_up_to_the_limit_and_inner_spaces_are_accepted() {
    let (secrets, _) = mock_secrets();
    let longest = "a".repeat(MAX_SECRET_BYTES);
    secrets.set(SecretKey::HfToken, &longest).unwrap();
    assert_eq!(secrets.get(SecretKey::HfToken).unwrap().unwrap().expose(), longest);
    secrets.set(SecretKey::HfToken, "pass phrase with ünïcödé").unwrap();
}

#[test]
fn control_characters_are_refused_with_their_position() {
    let (secrets, _) = mock_secrets();
    for (value, position) in [("hf_abc\n", 7), ("\thf_abc", 1), ("hf\u{7f}abc", 3), ("hf\u{85}", 3), ("\n", 1)] {
        assert_invalid(secrets.set(SecretKey::HfToken, value), InvalidReason::ControlChar { position });
    }
}

#[test]
fn secret_debug_is_redacted() {
    let (secrets, _) = mock_secrets();
    secrets.set(SecretKey::HfToken, TOKEN).unwrap();
    let secret: Secret = secrets.get(SecretKey::HfToken).unwrap().unwrap();
    assert_eq!(format!("{secret:?}"), "<redacted>");
    assert_eq!(format!("{:?}", Some(&secret)), "Some(<redacted>)");
    assert!(!format!("{secrets:?}").contains(TOKEN));
}

#[test]
fn refusal_messages_do_not_repeat_the_value() {
    let (secrets, _) = mock_secrets();
    let pasted = format!("{TOKEN}\n");
    let err = secrets.set(SecretKey::HfToken, &pasted).unwrap_err();
    assert_eq!(err.code(), "INVALID_SECRET");
    let message = err.to_string();
    assert!(message.contains("Hugging Face token") && message.contains("single line"), "{message}");
    assert!(!message.contains(TOKEN) && !format!("{err:?}").contains(TOKEN), "{message}");
}

#[test]
fn a_locked_keychain_is_unavailable() {
    let (secrets, store) = mock_secrets();
    fail_next(&store, SecretKey::HfToken, Error::NoStorageAccess("collection is locked".into()));
    let err = secrets.get(SecretKey::HfToken).unwrap_err();
    assert_eq!(err.code(), "KEYCHAIN_UNAVAILABLE");
    assert!(err.to_string().contains("unlock your keychain"), "{err}");
}

#[test]
fn platform_failures_are_keychain_errors() {
    let (secrets, store) = mock_secrets();
    fail_next(&store, SecretKey::HfToken, Error::PlatformFailure("D-Bus said no".into()));
    let err = secrets.set(SecretKey::HfToken, TOKEN).unwrap_err();
    assert_eq!(err.code(), "KEYCHAIN_ERROR");
    assert_eq!(err.to_string(), "The keychain could not save the Hugging Face token: D-Bus said no");

    fail_next(&store, SecretKey::HfToken, Error::PlatformFailure("gone".into()));
    assert_eq!(secrets.delete(SecretKey::HfToken).unwrap_err().code(), "KEYCHAIN_ERROR");
    fail_next(&store, SecretKey::HfToken, Error::PlatformFailure("gone".into()));
    assert_eq!(secrets.is_set(SecretKey::HfToken).unwrap_err().code(), "KEYCHAIN_ERROR");
}

#[test]
fn undecodable_stored_bytes_stay_out_of_messages() {
    let (secrets, store) = mock_secrets();
    fail_next(&store, SecretKey::HfToken, Error::BadEncoding(TOKEN.as_bytes().to_vec()));
    let err = secrets.get(SecretKey::HfToken).unwrap_err();
    assert_eq!(err.code(), "KEYCHAIN_ERROR");
    assert!(err.to_string().contains("delete it and save it again"), "{err}");
    let bytes = format!("{:?}", TOKEN.as_bytes());
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(TOKEN) && !shown.contains(&bytes[1..20]), "{shown}");
    }
}

#[test]
fn limits_of_the_keychain_itself_are_invalid_secrets() {
    let (secrets, store) = mock_secrets();
    fail_next(&store, SecretKey::HfToken, Error::TooLong("secret".into(), 2560));
    let err = secrets.set(SecretKey::HfToken, TOKEN).unwrap_err();
    assert_eq!(err.code(), "INVALID_SECRET");
    assert!(err.to_string().contains("2560"), "{err}");

    fail_next(&store, SecretKey::HfToken, Error::Invalid("password".into(), "rejected by the platform".into()));
    assert_eq!(secrets.set(SecretKey::HfToken, TOKEN).unwrap_err().code(), "INVALID_SECRET");

    // A limit on something other than the value is the keychain's problem, not the user's.
    fail_next(&store, SecretKey::HfToken, Error::TooLong("service".into(), 16));
    assert_eq!(secrets.set(SecretKey::HfToken, TOKEN).unwrap_err().code(), "KEYCHAIN_ERROR");
}

#[test]
fn an_injected_failure_does_not_lose_the_saved_value() {
    let (secrets, store) = mock_secrets();
    secrets.set(SecretKey::HfToken, TOKEN).unwrap();
    fail_next(&store, SecretKey::HfToken, Error::PlatformFailure("transient".into()));
    assert!(secrets.get(SecretKey::HfToken).is_err());
    assert_eq!(secrets.get(SecretKey::HfToken).unwrap().unwrap().expose(), TOKEN);
}

#[test]
fn unavailable_message_says_what_to_do() {
    let err =
        SecretsError::KeychainUnavailable { hint: crate::error::UNAVAILABLE_HINT, detail: "no session bus".into() };
    assert_eq!(err.code(), "KEYCHAIN_UNAVAILABLE");
    let message = err.to_string();
    assert!(message.starts_with("No keychain is available: "), "{message}");
    #[cfg(target_os = "linux")]
    assert!(message.contains("Secret Service (GNOME Keyring or KWallet)"), "{message}");
}

#[test]
fn the_database_key_is_made_once_saved_as_hex_and_reused() {
    let (secrets, _) = mock_secrets();
    assert!(!secrets.is_set(SecretKey::DatabaseKey).unwrap());
    let first = secrets.database_key().unwrap();
    assert_ne!(*first, [0u8; 32], "the key must be random, not zeros");
    let saved = secrets.get(SecretKey::DatabaseKey).unwrap().unwrap();
    assert_eq!(saved.expose(), encode(&first).as_str());
    assert_eq!(saved.expose().len(), 64);
    assert!(saved.expose().bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(*secrets.database_key().unwrap(), *first);
    // Other services (other apps, other test runs) get their own random key.
    let (other, _) = mock_secrets();
    assert_ne!(*other.database_key().unwrap(), *first);
}

#[test]
fn a_saved_database_key_is_read_in_either_hex_case() {
    let (secrets, _) = mock_secrets();
    let hex = "00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeeff";
    secrets.set(SecretKey::DatabaseKey, hex).unwrap();
    let key = secrets.database_key().unwrap();
    assert_eq!(&key[..4], &[0x00, 0x11, 0x22, 0x33]);
    assert_eq!(&key[28..], &[0xcc, 0xdd, 0xee, 0xff]);
}

#[test]
fn a_malformed_database_key_is_an_error_and_never_replaced() {
    let (secrets, _) = mock_secrets();
    let (not_hex, too_short) = ("g".repeat(64), "a".repeat(63));
    for bad in ["not-a-key", not_hex.as_str(), too_short.as_str()] {
        secrets.set(SecretKey::DatabaseKey, bad).unwrap();
        let err = secrets.database_key().unwrap_err();
        assert_eq!(err.code(), "KEYCHAIN_ERROR", "{err}");
        assert!(err.to_string().contains("hex key"), "{err}");
        assert!(!err.to_string().contains(bad), "{err}");
        assert_eq!(
            secrets.get(SecretKey::DatabaseKey).unwrap().unwrap().expose(),
            bad,
            "a malformed key must be left for the user, not overwritten"
        );
    }
}

#[test]
fn a_locked_keychain_makes_no_database_key() {
    let (secrets, store) = mock_secrets();
    fail_next(&store, SecretKey::DatabaseKey, Error::NoStorageAccess("locked".into()));
    assert_eq!(secrets.database_key().unwrap_err().code(), "KEYCHAIN_UNAVAILABLE");
    assert!(!secrets.is_set(SecretKey::DatabaseKey).unwrap());
}

#[test]
fn only_the_kernel_keyring_forgets_values_at_reboot() {
    let (secrets, store) = mock_secrets();
    assert!(secrets.persists_across_reboots());
    let kernel = Secrets::with_store(SERVICE, store, crate::LINUX_KEYUTILS);
    assert!(!kernel.persists_across_reboots());
}
