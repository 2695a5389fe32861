//! Reading the fixed answer structure the system prompt asks for, so the UI can show a red-flag
//! banner first and cards for the rest, and fall back to plain Markdown when the model ignored it.

use crate::chips::follow_up_questions;
use crate::headings::{self, RawSection};
use crate::markdown::{self, plain_inline};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SectionKind {
    RedFlags,
    Summary,
    Causes,
    NeedToKnow,
    NextSteps,
    SeekCare,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Section {
    pub kind: SectionKind,
    /// The heading as the model wrote it, without markup; empty for text before the first heading.
    pub title: String,
    /// The section's Markdown, unchanged apart from trimmed blank lines.
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ParsedAnswer {
    /// Red flags first, then the rest in the model's order.
    pub sections: Vec<Section>,
    pub follow_ups: Vec<String>,
    /// False when no known heading was found: show the answer as plain Markdown.
    pub structured: bool,
}

/// Splits a (possibly malformed) answer into its sections; never fails.
pub fn parse_answer(markdown: &str) -> ParsedAnswer {
    let md = markdown::strip_think(markdown);
    let mut sections: Vec<Section> = headings::split(md)
        .into_iter()
        .map(to_section)
        .filter(|s| !(s.kind == SectionKind::Other && s.title.is_empty() && s.body.is_empty()))
        .filter(|s| !(s.kind == SectionKind::RedFlags && says_none(&s.body, false)))
        .collect();
    let structured = sections.iter().any(|s| s.kind != SectionKind::Other);
    // A stable sort: red flags move to the front, everything else keeps its order.
    sections.sort_by_key(|s| s.kind != SectionKind::RedFlags);
    ParsedAnswer { sections, follow_ups: follow_up_questions(md), structured }
}

fn to_section(raw: RawSection<'_>) -> Section {
    let body = section_body(raw.lead.as_deref(), raw.lines.iter().map(|l| l.text));
    Section { kind: raw.kind, title: raw.title, body }
}

/// A section's body: the text after its heading on the same line, then its lines, blank ends
/// trimmed.
pub(crate) fn section_body<'a>(lead: Option<&'a str>, rest: impl Iterator<Item = &'a str>) -> String {
    let mut lines: Vec<&str> = lead.into_iter().chain(rest).collect();
    while lines.first().is_some_and(|l| l.trim().is_empty()) {
        lines.remove(0);
    }
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    lines.iter().map(|l| l.trim_end()).collect::<Vec<_>>().join("\n")
}

const NONE_STARTS: [&str; 6] = ["none", "no red flag", "no warning sign", "nothing urgent", "n/a", "nil"];
const NONE_EXACT: [&str; 5] = ["无", "没有", "暂无", "无明显危险信号", "未发现危险信号"];
const NONE_STARTS_ZH: [&str; 6] = ["暂无", "没有明显", "无明显", "未发现", "目前没有", "目前无"];

/// A red-flag section that only says there are none ("None.", "No red flags identified", "暂无")
/// must not become a red banner. `open`: more text may follow, so a body that could still
/// become such a denial ("No", "暂") counts as one for now.
pub(crate) fn says_none(body: &str, open: bool) -> bool {
    let t = plain_inline(body).to_lowercase();
    let t = t.trim_start_matches(['-', '*', '•', ' ']).trim_end_matches(['.', '。', '!', ' ']).trim();
    if t.chars().count() > 80 {
        return false;
    }
    let all = || NONE_STARTS.iter().chain(&NONE_EXACT).chain(&NONE_STARTS_ZH);
    t.is_empty()
        || NONE_STARTS.iter().any(|p| t.starts_with(p))
        || NONE_EXACT.contains(&t)
        || NONE_STARTS_ZH.iter().any(|p| t.starts_with(p))
        || (open && all().any(|p| p.starts_with(t)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use SectionKind::*;

    fn kinds(p: &ParsedAnswer) -> Vec<SectionKind> {
        p.sections.iter().map(|s| s.kind).collect()
    }

    const EN: &str = "## Summary\nA 34-year-old with 3 days of headache.\n\n## Most likely causes\n1. Tension-type headache (likely)\n2. Subarachnoid haemorrhage (can't miss)\n\n## What I still need to know\n- Did it start suddenly?\n- Any fever?\n\n## Next steps\nRest.\n\n## When to seek care\nIf it gets worse.\n\n## Red flags\n- Sudden onset\n";

    #[test]
    fn full_english_answer_with_red_flags_moved_first() {
        let p = parse_answer(EN);
        assert!(p.structured);
        assert_eq!(kinds(&p), [RedFlags, Summary, Causes, NeedToKnow, NextSteps, SeekCare]);
        assert_eq!(p.sections[0].body, "- Sudden onset");
        assert_eq!(p.sections[1].title, "Summary");
        assert_eq!(p.sections[2].body, "1. Tension-type headache (likely)\n2. Subarachnoid haemorrhage (can't miss)");
        assert_eq!(p.follow_ups, ["Did it start suddenly?", "Any fever?"]);
    }

    #[test]
    fn chinese_answer_with_variants() {
        let md = "好的，我来分析。\n\n### 概要：\n头痛三天。\n\n**最可能的原因**\n1. 紧张性头痛\n\n危险信号：\n- 突然剧烈头痛\n\n## 还需要了解的信息\n（1）是否发烧？\n（2）有没有呕吐？\n\n## 下一步\n休息。\n\n## 何时就医\n加重时。";
        let p = parse_answer(md);
        assert!(p.structured);
        assert_eq!(kinds(&p), [RedFlags, Other, Summary, Causes, NeedToKnow, NextSteps, SeekCare]);
        assert_eq!(p.sections[1].title, "");
        assert_eq!(p.sections[1].body, "好的，我来分析。");
        assert_eq!(p.sections[2].title, "概要");
        assert_eq!(p.follow_ups, ["是否发烧？", "有没有呕吐？"]);
    }

    #[test]
    fn unstructured_answer_is_one_other_section() {
        let p = parse_answer("It is probably a cold. Drink fluids.\n\nDo you have a fever?");
        assert!(!p.structured);
        assert_eq!(kinds(&p), [Other]);
        assert_eq!(p.follow_ups, ["Do you have a fever?"]);
    }

    #[test]
    fn unknown_headings_are_other_sections_but_not_structure() {
        let p = parse_answer("# Thoughts\nhmm\n## Background\ntext");
        assert!(!p.structured);
        assert_eq!(p.sections.iter().map(|s| s.title.as_str()).collect::<Vec<_>>(), ["Thoughts", "Background"]);
    }

    #[test]
    fn bold_headings_with_inline_text_and_case_and_colons() {
        let p = parse_answer("**SUMMARY:** Likely viral.\n**Red Flags:**\nNone.\n**Next steps**\n- Rest");
        assert_eq!(kinds(&p), [Summary, NextSteps]);
        assert_eq!(p.sections[0].body, "Likely viral.");
    }

    #[test]
    fn red_flags_that_say_none_are_dropped_in_both_languages() {
        for body in [
            "None.",
            "- None identified",
            "No red flags based on what you describe.",
            "无",
            "暂无明显危险信号。",
            "没有",
        ] {
            let p = parse_answer(&format!("## Red flags\n{body}\n## Summary\nx"));
            assert_eq!(kinds(&p), [Summary], "{body}");
        }
        let p = parse_answer("## 危险信号\n无法排除心肌梗死，请立即就医。\n## 概要\nx");
        assert_eq!(kinds(&p), [RedFlags, Summary]);
    }

    #[test]
    fn headings_inside_code_blocks_and_thinking_are_ignored() {
        let p = parse_answer("<think>## Summary\nthinking</think>\n## Summary\nok\n```\n## Red flags\n```\n");
        assert_eq!(kinds(&p), [Summary]);
        assert_eq!(p.sections[0].body, "ok\n```\n## Red flags\n```");
    }

    #[test]
    fn empty_input() {
        let p = parse_answer("");
        assert!(p.sections.is_empty() && p.follow_ups.is_empty() && !p.structured);
    }

    #[test]
    fn serialises_snake_case() {
        let v = serde_json::to_value(parse_answer("## What I still need to know\n- Any fever?")).unwrap();
        assert_eq!(v["sections"][0]["kind"], "need_to_know");
        assert_eq!(v["follow_ups"][0], "Any fever?");
    }
}
