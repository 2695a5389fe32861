//! Every error code the app sends, written once: the UI words each in the user's language
//! (ui/src/lib/i18n/errors.ts must name them all, which TypeScript checks), and a code from a
//! newer or older version reads as `Unknown` instead of failing.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

macro_rules! error_codes {
    ($($v:ident = $s:literal,)*) => {
        /// A stable error code (SCREAMING_SNAKE on the wire).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        #[ts(export)]
        pub enum ErrorCode {
            $(#[serde(rename = $s)] $v,)*
            /// A code this version does not know (stored by another version).
            #[serde(rename = "UNKNOWN", other)]
            Unknown,
        }

        impl ErrorCode {
            pub const ALL: &[ErrorCode] = &[$(ErrorCode::$v,)* ErrorCode::Unknown];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$v => $s,)*
                    ErrorCode::Unknown => "UNKNOWN",
                }
            }
        }
    };
}

error_codes! {
    AttachmentEmpty = "ATTACHMENT_EMPTY",
    AttachmentEncrypted = "ATTACHMENT_ENCRYPTED",
    AttachmentMalformed = "ATTACHMENT_MALFORMED",
    AttachmentTooLarge = "ATTACHMENT_TOO_LARGE",
    AttachmentTooLong = "ATTACHMENT_TOO_LONG",
    AttachmentUnsupported = "ATTACHMENT_UNSUPPORTED",
    BackendError = "BACKEND_ERROR",
    BindFailed = "BIND_FAILED",
    Busy = "BUSY",
    Cancelled = "CANCELLED",
    ChecksumMismatch = "CHECKSUM_MISMATCH",
    Disconnected = "DISCONNECTED",
    DiskFull = "DISK_FULL",
    DraftRejected = "DRAFT_REJECTED",
    GenerationFailed = "GENERATION_FAILED",
    HistoryLocked = "HISTORY_LOCKED",
    HistoryUnsaved = "HISTORY_UNSAVED",
    HttpError = "HTTP_ERROR",
    InsufficientSpace = "INSUFFICIENT_SPACE",
    Internal = "INTERNAL",
    InvalidArgument = "INVALID_ARGUMENT",
    InvalidCatalog = "INVALID_CATALOG",
    InvalidConfig = "INVALID_CONFIG",
    InvalidEndpoint = "INVALID_ENDPOINT",
    InvalidGguf = "INVALID_GGUF",
    InvalidInput = "INVALID_INPUT",
    InvalidListing = "INVALID_LISTING",
    InvalidLoadChoice = "INVALID_LOAD_CHOICE",
    InvalidPatientContext = "INVALID_PATIENT_CONTEXT",
    InvalidRequest = "INVALID_REQUEST",
    InvalidSecret = "INVALID_SECRET",
    IoError = "IO_ERROR",
    KeychainError = "KEYCHAIN_ERROR",
    KeychainLocked = "KEYCHAIN_LOCKED",
    KeychainUnavailable = "KEYCHAIN_UNAVAILABLE",
    KeyGenerationFailed = "KEY_GENERATION_FAILED",
    LoadFailed = "LOAD_FAILED",
    Malformed = "MALFORMED",
    ModelNotFound = "MODEL_NOT_FOUND",
    NetworkError = "NETWORK_ERROR",
    NotAModel = "NOT_A_MODEL",
    NotDownloaded = "NOT_DOWNLOADED",
    NotForRemote = "NOT_FOR_REMOTE",
    NotFound = "NOT_FOUND",
    NotLoaded = "NOT_LOADED",
    NotLoopback = "NOT_LOOPBACK",
    NoDownload = "NO_DOWNLOAD",
    NoKeychain = "NO_KEYCHAIN",
    NoModelChosen = "NO_MODEL_CHOSEN",
    Paused = "PAUSED",
    PromptTooLong = "PROMPT_TOO_LONG",
    RemoteDisconnected = "REMOTE_DISCONNECTED",
    RemoteFailed = "REMOTE_FAILED",
    RemoteInvalidEndpoint = "REMOTE_INVALID_ENDPOINT",
    RemoteMalformed = "REMOTE_MALFORMED",
    RemoteServerError = "REMOTE_SERVER_ERROR",
    RemoteTimeout = "REMOTE_TIMEOUT",
    RemoteUnauthorized = "REMOTE_UNAUTHORIZED",
    RemoteUnreachable = "REMOTE_UNREACHABLE",
    RequestRejected = "REQUEST_REJECTED",
    ServerError = "SERVER_ERROR",
    SettingsIo = "SETTINGS_IO",
    SizeMismatch = "SIZE_MISMATCH",
    Stalled = "STALLED",
    StoreBusy = "STORE_BUSY",
    StoreCorrupt = "STORE_CORRUPT",
    StoreEncryptionFailed = "STORE_ENCRYPTION_FAILED",
    StoreFailed = "STORE_FAILED",
    StoreIo = "STORE_IO",
    StoreTooNew = "STORE_TOO_NEW",
    Timeout = "TIMEOUT",
    Unauthorized = "UNAUTHORIZED",
    UnknownArchitecture = "UNKNOWN_ARCHITECTURE",
    UnknownVariant = "UNKNOWN_VARIANT",
    Unreachable = "UNREACHABLE",
    UnsafePath = "UNSAFE_PATH",
    UnsupportedOnThisBuild = "UNSUPPORTED_ON_THIS_BUILD",
    WrongKey = "WRONG_KEY",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for ErrorCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl From<ErrorCode> for String {
    fn from(c: ErrorCode) -> Self {
        c.as_str().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn the_wire_form_is_the_written_one_and_unknown_codes_are_unknown() {
        for &c in ErrorCode::ALL {
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{}\"", c.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&format!("\"{c}\"")).unwrap(), c);
        }
        assert_eq!(serde_json::from_str::<ErrorCode>("\"FROM_A_NEWER_VERSION\"").unwrap(), ErrorCode::Unknown);
    }
}
