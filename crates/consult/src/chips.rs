//! Follow-up questions as quick-reply chips. The system prompt asks for one "- " line per question
//! under "What I still need to know", but models drift, so this reads any list style, falls back
//! to questions anywhere in the answer, and never returns junk.

use crate::answer::SectionKind;
use crate::headings;
use crate::markdown::{self, plain_inline, Line};
use crate::sanitize::truncate_chars;

pub const MAX_CHIPS: usize = 6;
pub const MAX_CHIP_CHARS: usize = 160;

/// Up to six short, distinct questions: the list items of the "still need to know" section, or,
/// failing that, the questions in that section's text, or any question (a list item or sentence
/// ending in "?" or "？") in the answer. Text in code blocks is ignored.
pub fn follow_up_questions(markdown: &str) -> Vec<String> {
    let md = markdown::strip_think(markdown);
    let sections = headings::split(md);
    let asked: Vec<&headings::RawSection<'_>> = sections.iter().filter(|s| s.kind == SectionKind::NeedToKnow).collect();

    let mut found = Vec::new();
    for s in &asked {
        found.extend(blocks(s).into_iter().filter_map(|b| match b {
            Block::Item { top: true, text } => Some(text),
            Block::Item { top: false, text } if is_question(&text) => Some(text),
            _ => None,
        }));
    }
    if clean_all(&found).is_empty() {
        found.clear();
        for s in &asked {
            found.extend(questions_in(blocks(s)));
        }
    }
    if clean_all(&found).is_empty() {
        found = sections.iter().flat_map(|s| questions_in(blocks(s))).collect();
    }
    clean_all(&found)
}

enum Block {
    /// A list item with its continuation lines; `top` when at the section's outermost level.
    Item {
        top: bool,
        text: String,
    },
    Paragraph(String),
}

/// The section's list items and paragraphs, outside code blocks, HTML already reduced to text.
fn blocks(s: &headings::RawSection<'_>) -> Vec<Block> {
    let lines: Vec<Line<'_>> = s.lines.iter().copied().filter(|l| !l.in_code).collect();
    let min_indent = lines.iter().filter_map(|l| markdown::list_item(l.text)).map(|i| i.indent).min().unwrap_or(0);
    let mut out: Vec<Block> = Vec::new();
    let mut open = false;
    if let Some(lead) = &s.lead {
        out.push(Block::Paragraph(lead.clone()));
    }
    for line in lines {
        let text = markdown::strip_quote(line.text);
        if text.trim().is_empty() || text.trim_start().starts_with('|') {
            open = false;
            continue;
        }
        if let Some(item) = markdown::list_item(text) {
            out.push(Block::Item { top: item.indent <= min_indent, text: item.text.to_string() });
            open = true;
            continue;
        }
        // A wrapped line continues the item or paragraph above it.
        match (open, out.last_mut()) {
            (true, Some(Block::Item { text: t, .. } | Block::Paragraph(t))) => {
                t.push(' ');
                t.push_str(text.trim());
            }
            _ => {
                out.push(Block::Paragraph(text.trim().to_string()));
                open = true;
            }
        }
    }
    out
}

/// Items ending in a question mark, and the question sentences of paragraphs.
fn questions_in(blocks: Vec<Block>) -> Vec<String> {
    let mut out = Vec::new();
    for b in blocks {
        match b {
            Block::Item { text, .. } => {
                if is_question(&text) {
                    out.push(text);
                } else {
                    out.extend(question_sentences(&plain_inline(&text)));
                }
            }
            Block::Paragraph(text) => out.extend(question_sentences(&plain_inline(&text))),
        }
    }
    out
}

fn is_question(s: &str) -> bool {
    let p = plain_inline(s);
    let t = p.trim_end_matches(|c: char| c.is_whitespace() || c == '"' || c == '”' || c == ')' || c == '）');
    t.ends_with('?') || t.ends_with('？')
}

/// Sentences ending in "?" or "？". A "." ends a sentence only before a space or the end, so
/// "38.5" and "e.g.x" stay whole.
fn question_sentences(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..chars.len() {
        let c = chars[i];
        let next_is_space = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        let ends = matches!(c, '?' | '？' | '!' | '！' | '。') || (c == '.' && next_is_space);
        if ends {
            let sentence: String = chars[start..=i].iter().collect();
            if c == '?' || c == '？' {
                out.push(sentence.trim().to_string());
            }
            start = i + 1;
        }
    }
    out
}

/// Plain, trimmed, non-trivial, at most 160 characters, deduplicated, at most six.
fn clean_all(raw: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for r in raw {
        let text = plain_inline(r);
        let text =
            text.trim_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '–' | '—' | ',' | '，' | ';' | '；'));
        if !text.chars().any(char::is_alphanumeric) || is_nothing(text) {
            continue;
        }
        let text = truncate_chars(text, MAX_CHIP_CHARS);
        let key: String = text.to_lowercase().chars().filter(|c| c.is_alphanumeric()).collect();
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        out.push(text);
        if out.len() == MAX_CHIPS {
            break;
        }
    }
    out
}

/// "None", "Nothing more for now.", "暂时没有。": the model saying it has no questions.
fn is_nothing(t: &str) -> bool {
    let t = t.to_lowercase();
    let t = t.trim_end_matches(['.', '。', '!', '！']);
    [
        "none",
        "n/a",
        "nothing",
        "nothing more",
        "nothing more for now",
        "no further questions",
        "无",
        "暂无",
        "没有",
        "暂时没有",
        "暂时没有了",
    ]
    .contains(&t)
}

#[cfg(test)]
mod tests {
    use super::follow_up_questions as f;

    fn q(md: &str) -> Vec<String> {
        f(md)
    }

    #[test]
    fn well_formed_section() {
        let md = "## Summary\nx\n\n## What I still need to know\n- How long has it lasted?\n- Any fever?\n\n## Next steps\n- Is a rhetorical question here?";
        assert_eq!(q(md), ["How long has it lasted?", "Any fever?"]);
    }

    #[test]
    fn malformed_and_odd_outputs() {
        let cases: &[(&str, &[&str])] = &[
            // 1. star bullets, bold, unclosed bold
            ("## What I still need to know\n* **Duration:** how long?\n* **Fever** too?\n* **unclosed bold?", &["Duration: how long?", "Fever too?", "unclosed bold?"]),
            // 2. numbered with dot and paren
            ("### What I still need to know:\n1. Age?\n2) Sex?", &["Age?", "Sex?"]),
            // 3. Chinese full-width numbering and question marks
            ("## 还需要了解的信息\n（1）发烧多久了？\n（2）有没有呕吐？", &["发烧多久了？", "有没有呕吐？"]),
            // 4. bullets with •
            ("**What I still need to know**\n• Any rash?\n• Any travel?", &["Any rash?", "Any travel?"]),
            // 5. nested lists: answer options under a question are not chips, nested questions are
            ("## What I still need to know\n- Do you smoke?\n  - Yes\n  - No\n- Any cough?\n    - With blood?", &["Do you smoke?", "Any cough?", "With blood?"]),
            // 6. questions inside a code block are ignored
            ("## What I still need to know\n```\n- Inside code?\n```\n- Outside code?", &["Outside code?"]),
            // 7. HTML tags are stripped
            ("## What I still need to know\n- <b>Any</b> fever?<br>\n- <span style=\"x\">Weight?</span>", &["Any fever?", "Weight?"]),
            // 8. links reduced to their text
            ("## What I still need to know\n- Have you read [this leaflet](http://x)?", &["Have you read this leaflet?"]),
            // 9. duplicates, differing only in case and punctuation
            ("## What I still need to know\n- Any fever?\n- any fever ?\n- ANY FEVER?", &["Any fever?"]),
            // 10. more than six
            ("## What I still need to know\n- a?\n- b?\n- c?\n- d?\n- e?\n- f?\n- g?", &["a?", "b?", "c?", "d?", "e?", "f?"]),
            // 11. empty and markup-only items are dropped
            ("## What I still need to know\n- \n- **\n- ?\n- Real one?", &["Real one?"]),
            // 12. no section: questions anywhere, items and sentences
            ("It may be a cold. How long have you had it? Do you have a fever?\n\n- Any cough?\n- Rest well.", &["How long have you had it?", "Do you have a fever?", "Any cough?"]),
            // 13. section with prose instead of a list
            ("## What I still need to know\nI would like to know more. How old are you? And are you pregnant?\n## Next steps\nRest.", &["How old are you?", "And are you pregnant?"]),
            // 14. no questions at all
            ("## Summary\nJust a cold.\n## Next steps\nRest.", &[]),
            // 15. the model says there is nothing to ask; fall back finds nothing either
            ("## What I still need to know\nNothing more for now.\n## Next steps\nRest.", &[]),
            // 16. an unclosed code fence swallows the rest
            ("Is this seen?\n```python\nprint('Is this hidden?')\n## What I still need to know\n- Hidden?", &["Is this seen?"]),
            // 17. a wrapped item continues on the next line
            ("## What I still need to know\n- When did the pain\n  start, and was it sudden?\n- Fever?", &["When did the pain start, and was it sudden?", "Fever?"]),
            // 18. items without question marks in the section still count (they ask for information)
            ("## What I still need to know\n- Your temperature\n- Your medications", &["Your temperature", "Your medications"]),
            // 19. blockquoted list
            ("## What I still need to know\n> - Quoted question?", &["Quoted question?"]),
            // 20. thinking is not mined for questions
            ("<think>Should I ask about fever?</think>\nIt is a cold.", &[]),
            // 21. a decimal does not split a sentence
            ("Your temperature was 38.5 today. Was it higher at night?", &["Was it higher at night?"]),
            // 22. tables are skipped
            ("## What I still need to know\n| Question | Why |\n|---|---|\n| Fever? | x |\n- Cough?", &["Cough?"]),
            // 23. Chinese bullets without a heading, mixed with statements
            ("可能是感冒。\n- 体温多少？\n- 多喝水。\n* 有没有咳嗽？", &["体温多少？", "有没有咳嗽？"]),
        ];
        for (i, (md, want)) in cases.iter().enumerate() {
            assert_eq!(q(md), *want, "case {}: {md:?}", i + 1);
        }
    }

    #[test]
    fn long_questions_are_capped_and_never_empty() {
        let long = format!("## What I still need to know\n- {}?", "word ".repeat(60));
        let out = q(&long);
        assert_eq!(out.len(), 1);
        assert!(out[0].chars().count() <= super::MAX_CHIP_CHARS && out[0].ends_with('…'));
        for md in ["", "\n\n", "```\n?\n```", "- ?\n- ？", "<br><br>"] {
            assert!(q(md).iter().all(|c| !c.trim().is_empty()), "{md:?}");
        }
    }
}
