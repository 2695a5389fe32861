//! Which secrets the app keeps. Each has a fixed account name in the keychain: renaming one would
//! orphan what users already saved.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretKey {
    /// The Hugging Face access token, for gated model downloads.
    HfToken,
}

impl SecretKey {
    pub const ALL: &'static [SecretKey] = &[SecretKey::HfToken];

    /// The keychain account (user) name. Stable: it is how saved values are found again.
    pub fn account(self) -> &'static str {
        match self {
            Self::HfToken => "hf-token",
        }
    }

    /// What people call it, for messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::HfToken => "Hugging Face token",
        }
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}
