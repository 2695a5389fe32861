//! The two languages of prompts, advice and exports.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The tag stored in the history and settings: "en", "zh".
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Zh => "zh",
        }
    }

    /// Reads a stored tag; a regional tag ("zh-Hans") counts as its language, and a language
    /// the app does not speak reads as English.
    pub fn from_tag(tag: &str) -> Lang {
        let base = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        if base == "zh" {
            Self::Zh
        } else {
            Self::En
        }
    }

    /// Chinese when Han characters carry at least as much of the text as Latin words do (a Han
    /// character is about a word), so an English message quoting one Chinese drug name stays
    /// English and a Chinese one with "CT" or "mg" stays Chinese.
    pub fn detect(text: &str) -> Lang {
        let han = text.chars().filter(|c| is_han(*c)).count();
        let latin_words = text.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() > 1).count();
        if han > 0 && han >= latin_words {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

pub(crate) fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn detects_by_han_characters() {
        assert_eq!(Lang::detect("I have a headache"), Lang::En);
        assert_eq!(Lang::detect("我头痛三天了"), Lang::Zh);
        assert_eq!(Lang::detect("我做了CT，头痛"), Lang::Zh);
        assert_eq!(Lang::detect("My mother takes 阿司匹林 every day for her heart"), Lang::En);
        assert_eq!(Lang::detect(""), Lang::En);
    }
}
