//! Numbers the rules need: body temperatures and an infant's age (the other readings are in
//! `vitals.rs`).

use super::text::clause_start;
use regex::Regex;
use std::sync::LazyLock;

static TEMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(\d{2,3}(?:\.\d{1,2})?)\s*(°\s*[cf]?|º\s*[cf]?|℃|℉|degrees?(?:\s+(?:celsius|fahrenheit|c|f)\b)?|deg\s*[cf]?\b",
        r"|度(\d)?|celsius|fahrenheit|c\b|f\b)?"
    ))
    .unwrap()
});

static TEMP_WORD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"temp|fever|febrile|thermometer|shiver\w*|chills|rigors|寒战|发抖|耳温|腋温|肛温|腋下|量了?|\bhot\b|\bwarm\b|reading|measured|体温|发烧|发热|烧到|高烧|低烧|温度|烫",
    )
    .unwrap()
});

static THERMOMETER_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:on\s+(?:the|an|a|my|his|her)\s+(?:\w+\s+)?thermometer|under\s+(?:the|his|her)\s+arm)").unwrap()
});

/// Body temperatures in °C. A number counts when it has a unit or follows a temperature word in
/// the same clause; Fahrenheit is recognised by its unit or its range (93–110).
pub(crate) fn temperatures_c(text: &str) -> Vec<f32> {
    let mut out = Vec::new();
    for c in TEMP.captures_iter(text) {
        let whole = c.get(0).unwrap();
        let Ok(mut v) = c[1].parse::<f32>() else { continue };
        let unit = c.get(2).map(|u| u.as_str()).unwrap_or("");
        // "39度5" is 39.5 °C.
        if let Some(d) = c.get(3) {
            v += d.as_str().parse::<f32>().unwrap_or(0.0) / 10.0;
        }
        if unit.is_empty() {
            let from = clause_start(text, whole.start()).max(whole.start().saturating_sub(40));
            let from = (0..=from).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
            // "38.0 on the ear thermometer": the word may also follow the number.
            let after_end = (whole.end() + 30).min(text.len());
            let after_end = (after_end..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
            let follows = THERMOMETER_AFTER.is_match(&text[whole.end()..after_end]);
            // A bare "now 39.4" reads as a body temperature: nothing else people report has that shape.
            let rest = text[whole.end()..].trim_start();
            let bare = c[1].contains('.')
                && (37.5..=42.5).contains(&v)
                && !rest.starts_with(|ch: char| ch.is_alphanumeric() || ch == '%' || ch == '/');
            if !TEMP_WORD.is_match(&text[from..whole.start()]) && !follows && !bare {
                continue;
            }
        }
        let fahrenheit = unit.contains('f') || unit.contains('℉');
        let celsius = unit.contains('c') || unit.contains('℃') || unit.contains('度');
        let c_value = if fahrenheit || (!celsius && (93.0..=110.0).contains(&v)) { (v - 32.0) * 5.0 / 9.0 } else { v };
        if (34.0..=44.0).contains(&c_value) {
            out.push(c_value);
        }
    }
    // "三十八度五", "thirty eight point four".
    for c in TEMP_WORDS.captures_iter(text) {
        let whole = number(c.get(1).or(c.get(3)).unwrap().as_str().replace(['-', ' '], "").as_str());
        let tenth = c.get(2).or(c.get(4)).map_or(0.0, |d| number(d.as_str()));
        let v = whole + tenth / 10.0;
        if (34.0..=44.0).contains(&v) {
            out.push(v);
        }
    }
    out
}

static TEMP_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"([三四]十[一二三四五六七八九]?)度([一二三四五六七八九])?",
        r"|\b(thirty[\s-]*(?:seven|eight|nine)|forty)(?:\s+point\s+(one|two|three|four|five|six|seven|eight|nine)\b|\s*(?:degrees|°))"
    ))
    .unwrap()
});

static INFANT_EN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\b(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?:\s+and\s+a\s+half)?[\s-]*(days?|weeks?|wks?|months?|mos?)",
        r"(?:[\s-]*old\b|\s+(?:baby|infant|newborn|son|daughter|boy|girl))",
        r"|\b(?:baby|infant|newborn|son|daughter)\s+(?:is|was|is\s+only|is\s+just)\s+(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)(?:\s+and\s+a\s+half)?\s+(days?|weeks?|months?)"
    ))
    .unwrap()
});

static INFANT_ZH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(天|周|星期|个月|月)(?:大|的(?:宝宝|婴儿|孩子|小孩|宝贝|女儿|儿子|新生儿))",
        r"|出生(?:才|刚)?(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(天|周|星期|个月|月)"
    ))
    .unwrap()
});

static NEWBORN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"newborn|new-born|neonate|新生儿|刚出生|满月").unwrap());

/// The youngest age in days that the text gives for a baby ("my 6-week-old", "3个月大的宝宝",
/// "newborn").
pub(crate) fn infant_age_days(text: &str) -> Option<f32> {
    let mut ages = Vec::new();
    for c in INFANT_EN.captures_iter(text) {
        let (Some(n), Some(unit)) = (c.get(1).or(c.get(3)), c.get(2).or(c.get(4))) else { continue };
        let n = number(n.as_str());
        let unit = unit.as_str();
        let days = if unit.starts_with('d') {
            n
        } else if unit.starts_with('w') {
            n * 7.0
        } else {
            n * 30.44
        };
        ages.push(days);
    }
    for c in INFANT_ZH.captures_iter(text) {
        let (Some(n), Some(unit)) = (c.get(1).or(c.get(3)), c.get(2).or(c.get(4))) else { continue };
        let n = number(n.as_str());
        let days = match unit.as_str() {
            "天" => n,
            "周" | "星期" => n * 7.0,
            _ => n * 30.44,
        };
        ages.push(days);
    }
    if NEWBORN.is_match(text) {
        ages.push(28.0);
    }
    ages.into_iter().reduce(f32::min)
}

pub(crate) fn number(s: &str) -> f32 {
    if let Ok(n) = s.parse() {
        return n;
    }
    const EN: [&str; 12] =
        ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
    if let Some(i) = EN.iter().position(|w| *w == s) {
        return (i + 1) as f32;
    }
    for (tens, v) in [("thirty", 30.0), ("forty", 40.0)] {
        if let Some(rest) = s.strip_prefix(tens) {
            return v + EN.iter().position(|w| *w == rest).map_or(0.0, |i| (i + 1) as f32);
        }
    }
    // Chinese numerals up to 199: 三, 十, 十二, 二十, 两, 一百四 (140), 一百二十.
    if let Some(rest) = s.strip_prefix("一百") {
        let tail = match rest.chars().count() {
            0 => 0.0,
            // "一百四" is 140: a lone digit after 百 counts tens.
            1 => rest
                .chars()
                .next()
                .and_then(|c| "零一二三四五六七八九".find(c).map(|i| (i / '一'.len_utf8()) as f32 * 10.0))
                .unwrap_or(0.0),
            _ => number(rest.trim_start_matches('零')),
        };
        return 100.0 + tail;
    }
    let digit =
        |c: char| "零一二三四五六七八九".find(c).map(|i| (i / '一'.len_utf8()) as f32).or((c == '两').then_some(2.0));
    let chars: Vec<char> = s.chars().collect();
    match chars.iter().position(|c| *c == '十') {
        Some(p) => {
            let tens = if p == 0 { 1.0 } else { chars.first().and_then(|c| digit(*c)).unwrap_or(1.0) };
            let ones = chars.get(p + 1).and_then(|c| digit(*c)).unwrap_or(0.0);
            tens * 10.0 + ones
        }
        None => chars.first().and_then(|c| digit(*c)).unwrap_or(f32::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temperatures_in_both_units_and_languages() {
        assert_eq!(temperatures_c("fever of 38.5°c"), [38.5]);
        assert_eq!(temperatures_c("temp is 101.3"), [(101.3 - 32.0) * 5.0 / 9.0]);
        assert_eq!(temperatures_c("102f last night"), [(102.0f32 - 32.0) * 5.0 / 9.0]);
        assert_eq!(temperatures_c("体温39度5"), [39.5]);
        assert_eq!(temperatures_c("发烧38.2℃"), [38.2]);
        assert!(temperatures_c("i am 38 weeks pregnant").is_empty());
        assert!(temperatures_c("took 500 mg for the fever").is_empty());
        assert!(temperatures_c("she weighs 40 kg").is_empty());
        assert_eq!(temperatures_c("newborn feels very hot, 38.6"), [38.6]);
    }

    #[test]
    fn infant_ages() {
        assert_eq!(infant_age_days("my 6-week-old has a fever"), Some(42.0));
        assert_eq!(infant_age_days("my 3 week old baby"), Some(21.0));
        assert_eq!(infant_age_days("two month old son"), Some(2.0 * 30.44));
        assert_eq!(infant_age_days("10 day old"), Some(10.0));
        assert_eq!(infant_age_days("我家两个月大的宝宝"), Some(2.0 * 30.44));
        assert_eq!(infant_age_days("孩子出生十二天，20天的宝宝"), Some(12.0));
        assert_eq!(infant_age_days("宝宝出生20天"), Some(20.0));
        assert_eq!(infant_age_days("新生儿发烧"), Some(28.0));
        assert_eq!(infant_age_days("i am 30 weeks pregnant"), None);
        assert_eq!(infant_age_days("怀孕3个月了"), None);
        assert_eq!(number("十二"), 12.0);
        assert_eq!(number("二十"), 20.0);
        assert_eq!(number("三"), 3.0);
    }
}
