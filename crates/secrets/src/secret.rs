//! A secret value in memory, and the rules a value must meet before it is stored.

use std::fmt;

use zeroize::Zeroize;

/// The largest value accepted, in bytes of UTF-8. Tokens and API keys are far shorter; this
/// catches a whole file pasted by mistake.
pub const MAX_SECRET_BYTES: usize = 4096;

/// A secret read from the keychain. Debug prints `<redacted>` and there is no Display, so a
/// stray `{:?}` in a log line cannot leak it; call [`Secret::expose`] where the value is needed.
pub struct Secret(String);

impl Secret {
    pub(crate) fn new(value: String) -> Self {
        Self(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Why a value was refused. The messages describe the value's shape, never its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidReason {
    Empty,
    Blank,
    TooLong {
        bytes: usize,
    },
    /// `position` counts characters from 1, so people can find a pasted newline or tab.
    ControlChar {
        position: usize,
    },
    /// The keychain itself refused the value (e.g. Windows' 2560-byte limit).
    RejectedByKeychain(String),
}

impl fmt::Display for InvalidReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("it is empty; paste the value and try again"),
            Self::Blank => f.write_str("it is only spaces; paste the value and try again"),
            Self::TooLong { bytes } => write!(
                f,
                "it is {bytes} bytes long, more than the {MAX_SECRET_BYTES} allowed; check that only the value was pasted"
            ),
            Self::ControlChar { position } => write!(
                f,
                "it contains a control character (such as a newline or tab) at character {position}; paste it as a single line"
            ),
            Self::RejectedByKeychain(why) => write!(f, "the keychain refused it: {why}"),
        }
    }
}

/// Checks a value before it goes to the keychain.
pub(crate) fn validate(value: &str) -> Result<(), InvalidReason> {
    if value.is_empty() {
        return Err(InvalidReason::Empty);
    }
    if value.len() > MAX_SECRET_BYTES {
        return Err(InvalidReason::TooLong { bytes: value.len() });
    }
    if let Some(index) = value.chars().position(char::is_control) {
        return Err(InvalidReason::ControlChar { position: index + 1 });
    }
    // After the control-character check, so "\n" reports the newline rather than "blank".
    if value.chars().all(char::is_whitespace) {
        return Err(InvalidReason::Blank);
    }
    Ok(())
}
