//! Recognising the answer's section headings in English and Chinese, however the model wrote
//! them ("## Red flags", "**Summary:**", "Most likely causes:", "### 危险信号：", "2. Next steps"),
//! and splitting an answer into sections at them.

use crate::answer::SectionKind;
use crate::markdown::{self, plain_inline, Line};
use regex::Regex;
use std::sync::LazyLock;

/// Title prefixes per kind, lower-case, after numbering and symbols are stripped. Checked in this
/// order; "when to seek care" comes before "next steps" so "what to do if…" lands there.
const TITLES: &[(SectionKind, &[&str])] = &[
    (
        SectionKind::RedFlags,
        &[
            "red flags",
            "red flag",
            "red-flag",
            "warning signs",
            "danger signs",
            "emergency signs",
            "urgent warning signs",
            "危险信号",
            "警示信号",
            "警告信号",
            "红旗征",
            "危险征象",
            "危险征兆",
            "预警信号",
        ],
    ),
    (
        SectionKind::Summary,
        &["summary", "in summary", "brief summary", "overview", "要点概述", "概要", "总结", "摘要", "概述", "小结"],
    ),
    (
        SectionKind::Causes,
        &[
            "most likely causes",
            "most likely cause",
            "most likely diagnoses",
            "likely causes",
            "possible causes",
            "probable causes",
            "differential diagnosis",
            "differential diagnoses",
            "differential",
            "causes",
            "最可能的原因",
            "最可能原因",
            "可能的原因",
            "可能原因",
            "鉴别诊断",
            "可能的诊断",
        ],
    ),
    (
        SectionKind::NeedToKnow,
        &[
            "what i still need to know",
            "what i need to know",
            "what else i need to know",
            "still need to know",
            "questions for you",
            "follow-up questions",
            "follow up questions",
            "followup questions",
            "more information needed",
            "additional information needed",
            "information needed",
            "还需要了解的信息",
            "还需要了解",
            "需要了解的信息",
            "需要进一步了解",
            "还需了解",
            "需要补充的信息",
            "补充信息",
            "追问",
        ],
    ),
    (
        SectionKind::SeekCare,
        &[
            "when to seek care",
            "when to seek medical care",
            "when to seek medical attention",
            "when to seek help",
            "when to see a doctor",
            "when to get help",
            "when to worry",
            "what to do if",
            "seek care",
            "safety net",
            "safety-net",
            "何时就医",
            "什么时候就医",
            "何时需要就医",
            "何时应就医",
            "就医时机",
            "什么时候需要就医",
        ],
    ),
    (
        SectionKind::NextSteps,
        &[
            "next steps",
            "next step",
            "recommended next steps",
            "what to do",
            "recommendations",
            "plan",
            "下一步",
            "建议的下一步",
            "建议",
            "处理建议",
            "后续步骤",
        ],
    ),
];

static NUMBERING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{1,2}\s*[.)、:：．]|[（(]\s*\d{1,2}\s*[)）]|[一二三四五六七八九十]{1,3}\s*[、.．]|[（(][一二三四五六七八九十]{1,3}[)）]|step\s*\d+\s*[:.)-]?)\s*").unwrap()
});

/// The kind of section a title names, and whether it names it exactly (no extra words).
pub(crate) fn classify(title: &str) -> (SectionKind, bool) {
    let lower = plain_inline(title).to_lowercase().replace('’', "'");
    let lower = NUMBERING.replace(lower.trim(), "");
    let norm: String =
        lower.chars().map(|c| if c.is_alphanumeric() || c == '\'' || c == '-' { c } else { ' ' }).collect();
    let norm = crate::sanitize::collapse_ws(&norm);
    for (kind, keys) in TITLES {
        for key in *keys {
            if let Some(rest) = norm.strip_prefix(key) {
                // "causes" must not match "causesx"; Chinese has no spaces, so any rest is fine there.
                if rest.is_empty() || rest.starts_with(' ') || !key.is_ascii() {
                    return (*kind, rest.is_empty());
                }
            }
        }
    }
    (SectionKind::Other, false)
}

/// A heading line: its kind, its display title, and text that followed it on the same line
/// ("**Summary:** Probably viral.").
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Heading {
    pub kind: SectionKind,
    pub title: String,
    pub rest: Option<String>,
}

static ATX: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^#{1,4}(?:[ \t]+|[^#\s])").unwrap());

pub(crate) fn heading(line: &str) -> Option<Heading> {
    let t = line.trim();
    // "# Title", "##Title", "### Title ###"; any title starts a section, known or not.
    if ATX.is_match(t) {
        let inner = t.trim_start_matches('#').trim().trim_end_matches('#').trim();
        let title = display_title(inner);
        if title.is_empty() {
            return None;
        }
        return Some(Heading { kind: classify(&title).0, title, rest: None });
    }
    // "**Summary**", "**Summary:** text", "__Red flags__"; bold text is a heading only when it
    // names a known section, since models bold plenty of other things.
    for mark in ["**", "__"] {
        if let Some(after) = t.strip_prefix(mark) {
            let (inner, rest) = match after.find(mark) {
                Some(i) => (&after[..i], &after[i + mark.len()..]),
                None => (after, ""),
            };
            let (kind, exact) = classify(inner);
            let rest = rest.trim_start_matches(['*', '_', ':', '：']).trim();
            if kind != SectionKind::Other && (exact || rest.is_empty()) {
                let rest = (!rest.is_empty()).then(|| rest.to_string());
                return Some(Heading { kind, title: display_title(inner), rest });
            }
            return None;
        }
    }
    // A bare "Most likely causes:" or "危险信号：" line.
    let plain = plain_inline(t);
    let stripped = plain.trim_end_matches([':', '：']).trim();
    if stripped.chars().count() <= 40 && markdown::list_item(t).is_none() {
        if let (kind, true) = classify(stripped) {
            if kind != SectionKind::Other {
                return Some(Heading { kind, title: display_title(stripped), rest: None });
            }
        }
    }
    None
}

/// A title as shown: plain text without a trailing colon.
fn display_title(s: &str) -> String {
    plain_inline(s).trim().trim_end_matches([':', '：']).trim().to_string()
}

/// A stretch of the answer under one heading (or before the first one).
pub(crate) struct RawSection<'a> {
    pub kind: SectionKind,
    pub title: String,
    /// Text that followed the heading on its line.
    pub lead: Option<String>,
    pub lines: Vec<Line<'a>>,
}

/// The answer split at headings outside code blocks; the first section holds any text before the
/// first heading.
pub(crate) fn split(md: &str) -> Vec<RawSection<'_>> {
    let mut out = vec![RawSection { kind: SectionKind::Other, title: String::new(), lead: None, lines: Vec::new() }];
    for line in markdown::lines(md) {
        match (!line.in_code).then(|| heading(line.text)).flatten() {
            Some(h) => out.push(RawSection { kind: h.kind, title: h.title, lead: h.rest, lines: Vec::new() }),
            None => out.last_mut().unwrap().lines.push(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use SectionKind::*;

    #[test]
    fn classifies_variants_in_both_languages() {
        for (title, kind) in [
            ("Red flags", RedFlags),
            ("Red Flags", RedFlags),
            ("🚩 RED FLAGS", RedFlags),
            ("Most likely causes:", Causes),
            ("Most likely causes (ranked)", Causes),
            ("1. Summary", Summary),
            ("What I still need to know", NeedToKnow),
            ("What I Still Need To Know:", NeedToKnow),
            ("Next steps", NextSteps),
            ("When to seek care", SeekCare),
            ("When to Seek Medical Care", SeekCare),
            ("危险信号：", RedFlags),
            ("一、概要", Summary),
            ("最可能的原因（按可能性排序）", Causes),
            ("还需要了解的信息", NeedToKnow),
            ("下一步", NextSteps),
            ("何时就医", SeekCare),
            ("Causesx", Other),
            ("Background", Other),
        ] {
            assert_eq!(classify(title).0, kind, "{title}");
        }
    }

    #[test]
    fn recognises_heading_forms() {
        let h = |l: &str| heading(l).map(|h| (h.kind, h.title, h.rest));
        assert_eq!(h("## Summary"), Some((Summary, "Summary".into(), None)));
        assert_eq!(h("##危险信号"), Some((RedFlags, "危险信号".into(), None)));
        assert_eq!(h("#### Next steps ####"), Some((NextSteps, "Next steps".into(), None)));
        assert_eq!(h("## Background"), Some((Other, "Background".into(), None)));
        assert_eq!(h("**Summary**"), Some((Summary, "Summary".into(), None)));
        assert_eq!(
            h("**Summary:** Probably viral."),
            Some((Summary, "Summary".into(), Some("Probably viral.".into())))
        );
        assert_eq!(
            h("**Summary**: Probably viral."),
            Some((Summary, "Summary".into(), Some("Probably viral.".into())))
        );
        assert_eq!(h("__Red flags__"), Some((RedFlags, "Red flags".into(), None)));
        assert_eq!(h("Most likely causes:"), Some((Causes, "Most likely causes".into(), None)));
        assert_eq!(h("危险信号："), Some((RedFlags, "危险信号".into(), None)));
        assert_eq!(h("**Important** please read"), None);
        assert_eq!(h("Summary of what you said is below and it is long"), None);
        assert_eq!(h("- Summary:"), None);
        assert_eq!(h("##### Deep"), None);
        assert_eq!(h("#hashtag"), Some((Other, "hashtag".into(), None)));
    }
}
