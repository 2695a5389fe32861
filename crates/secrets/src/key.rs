//! Which secrets the app keeps. Each has a fixed account name in the keychain: renaming one would
//! orphan what users already saved.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretKey {
    /// The Hugging Face access token, for gated model downloads.
    HfToken,
    /// The random key that encrypts the consultation history (hex). Losing it loses the
    /// history, so nothing in the app deletes it.
    DatabaseKey,
    /// The bearer key clients must send to the local OpenAI-compatible API.
    LocalApiKey,
    /// The API key of a remote vLLM/SGLang server.
    RemoteApiKey,
}

impl SecretKey {
    pub const ALL: &'static [SecretKey] =
        &[SecretKey::HfToken, SecretKey::DatabaseKey, SecretKey::LocalApiKey, SecretKey::RemoteApiKey];

    /// The keychain account (user) name. Stable: it is how saved values are found again.
    pub fn account(self) -> &'static str {
        match self {
            Self::HfToken => "hf-token",
            Self::DatabaseKey => "database-key",
            Self::LocalApiKey => "local-api-key",
            Self::RemoteApiKey => "remote-api-key",
        }
    }

    /// What people call it, for messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::HfToken => "Hugging Face token",
            Self::DatabaseKey => "consultation database key",
            Self::LocalApiKey => "local API key",
            Self::RemoteApiKey => "remote server API key",
        }
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}
