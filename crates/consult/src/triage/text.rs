//! Text preparation and the sentence and clause boundaries that limit negation scope.

use crate::lang::is_han;
use regex::Regex;
use std::sync::LazyLock;

/// Lower case, straight apostrophes, and ASCII for full-width digits, letters and the full-width
/// full stop, so "３８．５度" reads as "38.5度". Chinese punctuation stays: it marks clauses.
pub(crate) fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '’' | '‘' | '`' | '´' => '\'',
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '．' | '／' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_sentence_end(text: &str, i: usize, c: char) -> bool {
    match c {
        '!' | '?' | ';' | '\n' | '。' | '！' | '？' | '；' => true,
        // "38.5" and "e.g.x" are not ends; "pain. Then" is.
        '.' => text[i + 1..].chars().next().is_none_or(char::is_whitespace),
        _ => false,
    }
}

/// Byte index where the sentence holding `pos` starts.
pub(crate) fn sentence_start(text: &str, pos: usize) -> usize {
    text[..pos]
        .char_indices()
        .rev()
        .find(|&(i, c)| is_sentence_end(text, i, c))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0)
}

/// Byte index where the sentence holding `pos` ends (exclusive).
pub(crate) fn sentence_end(text: &str, pos: usize) -> usize {
    text[pos..]
        .char_indices()
        .find(|&(i, c)| is_sentence_end(text, pos + i, c))
        .map(|(i, _)| pos + i)
        .unwrap_or(text.len())
}

static EN_TERMINATOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\b(?:but|however|although|though|yet|except|apart\s+from|aside\s+from|other\s+than|besides|whereas|now|then|still",
        r"|and\s+(?:i|i'm|im|i've|my|now|then|it|it's|the|he|she|they|we|his|her|their|also|still))\b"
    ))
    .unwrap()
});

const ZH_TERMINATORS: &[&str] = &[
    "，", "但是", "但", "可是", "不过", "然而", "却", "只是", "而是", "现在", "目前", "后来", "突然", "今天", "昨天",
    "刚才", "又",
];

/// Byte index where the clause holding `pos` starts: after the last "but", "however", "但是",
/// "，" (and so on) between the sentence start and `pos`. An English comma is not a boundary here;
/// the negation check decides whether a list continues across it.
pub(crate) fn clause_start(text: &str, pos: usize) -> usize {
    let s = sentence_start(text, pos);
    let window = &text[s..pos];
    let mut start = s;
    if let Some(m) = EN_TERMINATOR.find_iter(window).last() {
        start = start.max(s + m.end());
    }
    for t in ZH_TERMINATORS {
        if let Some(i) = window.rfind(t) {
            start = start.max(s + i + t.len());
        }
    }
    // An ASCII comma next to Chinese text works like "，".
    for (i, _) in window.match_indices(',') {
        let before = window[..i].trim_end().chars().next_back();
        let after = window[i + 1..].trim_start().chars().next();
        if before.is_some_and(is_han) || after.is_some_and(is_han) {
            start = start.max(s + i + 1);
        }
    }
    start
}

/// Words (letters, digits, apostrophes) in `s`.
pub(crate) fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'')).filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_quotes_and_full_width() {
        assert_eq!(normalize("I Can’t Breathe"), "i can't breathe");
        assert_eq!(normalize("体温３８．５度"), "体温38.5度");
    }

    #[test]
    fn sentences_and_clauses() {
        let t = "temp 38.5 today. no fever but chest pain";
        let pos = t.find("chest").unwrap();
        assert_eq!(&t[sentence_start(t, pos)..], " no fever but chest pain");
        assert_eq!(&t[clause_start(t, pos)..pos], " ");
        let t = "没有发烧，胸痛";
        let pos = t.find("胸痛").unwrap();
        assert_eq!(clause_start(t, pos), pos);
        assert_eq!(sentence_end("a b. c", 0), 3);
    }
}
