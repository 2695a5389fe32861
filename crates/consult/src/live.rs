//! An answer's red-flag sections while it is still being written, so the window styles them as
//! the parsed answer will (a red card) before the answer ends and nothing jumps. The same rules
//! as `parse_answer` (headings.rs, markdown.rs, answer.rs), plus two for unfinished text: its
//! last line is a heading only when it is an ATX one ("## Red flags" before its newline), and a
//! red-flag section that could still turn out to say "none" is no card yet.

use crate::answer::{says_none, section_body};
use crate::headings::heading;
use crate::SectionKind;
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;
use ts_rs::TS;

/// A stretch of the streamed answer, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum LivePart {
    /// The answer's text from `start` to `end`, in UTF-16 code units (how the UI indexes its
    /// copy of the same text); `end` is null for the last part: to the end of the text so far.
    Markdown { start: u32, end: Option<u32> },
    /// A red-flag section, shown as a card.
    RedFlags { title: String, body: String },
}

static MENTIONS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)red|flag|warning|danger|emergency|信号|红旗|危险|预警").unwrap());
static ATX: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^#{1,4}(?:[ \t]+|[^#\s])").unwrap());

struct Raw<'a> {
    kind: SectionKind,
    title: String,
    lead: Option<String>,
    /// Byte range of the section in the text, its heading line included.
    start: usize,
    end: usize,
    body: Vec<&'a str>,
}

/// `md` cut at its red-flag sections, or `None` when it has none to show (render it whole).
/// `complete`: the text is final.
pub fn live_parts(md: &str, complete: bool) -> Option<Vec<LivePart>> {
    if !MENTIONS.is_match(md) {
        return None;
    }
    // Only the answer proper, as markdown.rs `strip_think` keeps it.
    let (start, end) = match (md.rfind("</think>"), md.find("<think>")) {
        (Some(i), _) => (i + "</think>".len(), md.len()),
        (None, Some(i)) => (0, i),
        (None, None) => (0, md.len()),
    };
    let mut raws =
        vec![Raw { kind: SectionKind::Other, title: String::new(), lead: None, start, end: start, body: vec![] }];
    let mut fence: Option<(char, usize)> = None;
    let mut at = start;
    let lines: Vec<&str> = md[start..end].split('\n').collect();
    for (i, text) in lines.iter().enumerate() {
        let line_end = at + text.len();
        let t = text.trim_start();
        let marker = t.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map(|c| t.chars().take_while(|x| *x == c).count()).unwrap_or(0);
        let in_code = match (fence, marker) {
            (None, Some(c)) if run >= 3 => {
                fence = Some((c, run));
                true
            }
            (Some((c, n)), Some(m)) if m == c && run >= n && t[run..].trim().is_empty() => {
                fence = None;
                true
            }
            (f, _) => f.is_some(),
        };
        let finished = complete || i + 1 < lines.len() || end < md.len();
        let h = (!in_code && (finished || ATX.is_match(text.trim()))).then(|| heading(text)).flatten();
        match h {
            Some(h) => {
                raws.push(Raw { kind: h.kind, title: h.title, lead: h.rest, start: at, end: line_end, body: vec![] })
            }
            None => {
                let cur = raws.last_mut().expect("one section at least");
                cur.end = line_end;
                cur.body.push(text);
            }
        }
        at = line_end + 1;
    }

    // Byte ranges of Markdown, red-flag cards, in order.
    enum Part {
        Markdown(usize, usize),
        Card(String, String),
    }
    let mut parts: Vec<Part> = Vec::new();
    let markdown = |parts: &mut Vec<Part>, s: usize, e: usize| match parts.last_mut() {
        Some(Part::Markdown(_, last)) => *last = e,
        _ => parts.push(Part::Markdown(s, e)),
    };
    if start > 0 {
        markdown(&mut parts, 0, start);
    }
    let n = raws.len();
    for (i, r) in raws.into_iter().enumerate() {
        if i == 0 && r.body.is_empty() && r.end == r.start {
            continue;
        }
        if r.kind == SectionKind::RedFlags {
            let body = section_body(r.lead.as_deref(), r.body.iter().copied());
            let open = !complete && i + 1 == n && end == md.len();
            if !says_none(&body, open) {
                parts.push(Part::Card(r.title, body));
                continue;
            }
        }
        markdown(&mut parts, r.start, r.end);
    }
    if end < md.len() {
        markdown(&mut parts, end, md.len());
    }
    if !parts.iter().any(|p| matches!(p, Part::Card(..))) {
        return None;
    }
    let utf16 = |b: usize| md[..b].encode_utf16().count() as u32;
    let last = parts.len() - 1;
    Some(
        parts
            .into_iter()
            .enumerate()
            .filter(|(_, p)| !matches!(p, Part::Markdown(s, e) if md[*s..*e].trim().is_empty()))
            .map(|(i, p)| match p {
                Part::Markdown(s, e) => LivePart::Markdown { start: utf16(s), end: (i != last).then(|| utf16(e)) },
                Part::Card(title, body) => LivePart::RedFlags { title, body },
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parts as text, for reading: markdown slices, and cards.
    fn show(md: &str, complete: bool) -> Option<Vec<String>> {
        let units: Vec<u16> = md.encode_utf16().collect();
        live_parts(md, complete).map(|parts| {
            parts
                .into_iter()
                .map(|p| match p {
                    LivePart::Markdown { start, end } => {
                        let end = end.map_or(units.len(), |e| e as usize);
                        format!("md:{}", String::from_utf16(&units[start as usize..end]).unwrap())
                    }
                    LivePart::RedFlags { title, body } => format!("card:{title}|{body}"),
                })
                .collect()
        })
    }

    #[test]
    fn no_red_flag_section_is_none() {
        assert_eq!(show("## Summary\nA cold.\n", true), None);
        assert_eq!(show("Watch for warning signs.", false), None);
    }

    #[test]
    fn a_red_flag_section_is_a_card_between_markdown() {
        let md =
            "## Summary\nLikely a cold.\n\n## Red flags\n- Trouble breathing\n- Chest pain\n\n## Next steps\nRest.";
        assert_eq!(
            show(md, true).unwrap(),
            vec![
                "md:## Summary\nLikely a cold.\n".to_string(),
                "card:Red flags|- Trouble breathing\n- Chest pain".into(),
                "md:## Next steps\nRest.".into(),
            ]
        );
    }

    #[test]
    fn while_streaming_an_unfinished_bare_heading_waits_but_an_atx_one_counts() {
        assert_eq!(show("Intro\n危险信号：", false), None);
        assert_eq!(show("Intro\n危险信号：\n- 胸痛", false).unwrap(), vec!["md:Intro", "card:危险信号|- 胸痛"]);
        // "## Red flags" before its newline is a heading, but its body could still say "None".
        assert_eq!(show("Intro\n## Red flags", false), None);
        assert_eq!(show("Intro\n## Red flags\nNo", false), None);
        assert_eq!(show("Intro\n## Red flags\nNo", true).unwrap(), vec!["md:Intro", "card:Red flags|No"]);
        assert_eq!(show("Intro\n## Red flags\nNone.", true), None);
        assert_eq!(show("Intro\n## Red flags\nNosebleed that will not stop", false).unwrap().len(), 2);
    }

    #[test]
    fn bold_headings_leads_code_fences_and_thinking() {
        assert_eq!(
            show("**Red flags:** call 911 now\nMore text", true).unwrap(),
            vec!["card:Red flags|call 911 now\nMore text"]
        );
        // A heading inside a fenced block is not one.
        assert_eq!(show("```\n## Red flags\n- x\n```\n", true), None);
        // Never a heading in the thinking.
        assert_eq!(show("<think>## Red flags\n- x</think>\nFine.", true), None);
        let md = "<think>hmm</think>\n## Red flags\n- Stiff neck";
        assert_eq!(show(md, false).unwrap(), vec!["md:<think>hmm</think>", "card:Red flags|- Stiff neck"]);
    }

    #[test]
    fn offsets_are_utf16_units_and_the_last_markdown_runs_to_the_end() {
        let md = "概要 😀\n## 危险信号\n- 胸痛\n## 下一步\n休息";
        let parts = live_parts(md, false).unwrap();
        assert_eq!(parts[0], LivePart::Markdown { start: 0, end: Some(5) });
        assert!(matches!(&parts[2], LivePart::Markdown { end: None, .. }));
        assert_eq!(show(md, false).unwrap()[2], "md:## 下一步\n休息");
    }

    #[test]
    fn the_same_text_gives_the_same_parts_however_it_was_chunked() {
        let md = "## Summary\nA.\n## Red flags\n- Chest pain\n- Fainting\n## Next steps\nRest.";
        let whole = live_parts(md, true);
        assert_eq!(whole, live_parts(md, true));
        // Finished answers agree with parse_answer's red-flag section.
        let parsed = crate::parse_answer(md);
        let card = whole.unwrap().into_iter().find_map(|p| match p {
            LivePart::RedFlags { body, .. } => Some(body),
            _ => None,
        });
        assert_eq!(card.as_deref(), Some(parsed.sections[0].body.as_str()));
    }

    fn cards(md: &str, complete: bool) -> usize {
        live_parts(md, complete).map_or(0, |p| p.iter().filter(|p| matches!(p, LivePart::RedFlags { .. })).count())
    }

    #[test]
    fn a_heading_split_across_chunks_counts_once_it_is_whole() {
        let chunks =
            ["Intro.\n## Red f", "lags", "\n- Chest pain spreading", " to the arm\n## Summ", "ary\nLikely angina."];
        let mut text = String::new();
        let seen: Vec<_> = chunks
            .iter()
            .map(|c| {
                text.push_str(c);
                show(&text, false)
            })
            .collect();
        assert_eq!(seen[0], None);
        assert_eq!(seen[1], None);
        assert_eq!(seen[2].as_ref().unwrap()[1], "card:Red flags|- Chest pain spreading");
        // The next heading, not yet finished, already ends the section.
        assert_eq!(
            seen[3].clone().unwrap(),
            vec!["md:Intro.", "card:Red flags|- Chest pain spreading to the arm", "md:## Summ"]
        );
        assert_eq!(seen[4].as_ref().unwrap()[2], "md:## Summary\nLikely angina.");
    }

    #[test]
    fn once_the_card_is_up_it_stays_up_however_the_text_is_cut() {
        let text = "## Red flags\n- Crushing chest pain: call 911 now.\n\n## Summary\nLikely a heart attack.\n";
        let mut shown = false;
        for (k, _) in text.char_indices().skip(1).chain([(text.len(), ' ')]) {
            let has = cards(&text[..k], false) == 1;
            assert!(!shown || has, "{:?}", &text[..k]);
            shown |= has;
        }
        assert!(shown);
    }

    #[test]
    fn bold_and_bare_headings_count_once_their_line_is_finished() {
        assert_eq!(show("**Red flags:** Call 911 now", false), None);
        assert_eq!(show("**Red flags:** Call 911 now\n", false).unwrap(), vec!["card:Red flags|Call 911 now"]);
        assert_eq!(cards("**Red flags:** Call 911 now", true), 1);
        assert_eq!(cards("好的。\n\n危险信号：\n- 胸痛伴出汗，请立即拨打120\n", false), 1);
        assert_eq!(cards("### 警示信号：\n无法排除心肌梗死", false), 1);
    }

    #[test]
    fn fences_and_denials() {
        assert_eq!(show("```md\n## Red flags\n- chest pain\n", false), None);
        assert_eq!(show("````\n```\n## Red flags\n- x\n````\n", true), None);
        assert_eq!(cards("~~~\ncode\n~~~\n## Red flags\n- Chest pain\n", false), 1);
        assert_eq!(show("## 危险信号\n暂无。\n## 概要\n感冒。", true), None);
        assert_eq!(cards("## Red flags\nNo fever, but chest pain: call 911", false), 1);
        assert_eq!(show("## Summary\nok\n<think>## Red flags\n- x", false), None);
    }
}
