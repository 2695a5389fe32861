//! Just enough Markdown for reading model answers: code-fence tracking, list items, and reducing
//! inline markup to plain text. Model output is often malformed, so nothing here fails.

use regex::Regex;
use std::sync::LazyLock;

/// One source line and whether it is inside (or is) a fenced code block.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    pub text: &'a str,
    pub in_code: bool,
}

/// The lines of `md`; an unclosed fence runs to the end, as in CommonMark.
pub(crate) fn lines(md: &str) -> Vec<Line<'_>> {
    let mut fence: Option<(char, usize)> = None;
    md.lines()
        .map(|text| {
            let t = text.trim_start();
            let marker = t.chars().next().filter(|c| *c == '`' || *c == '~');
            let run = marker.map(|c| t.chars().take_while(|x| *x == c).count()).unwrap_or(0);
            match (fence, marker) {
                (None, Some(c)) if run >= 3 => {
                    fence = Some((c, run));
                    Line { text, in_code: true }
                }
                (Some((c, n)), Some(m)) if m == c && run >= n && t[run * c.len_utf8()..].trim().is_empty() => {
                    fence = None;
                    Line { text, in_code: true }
                }
                (Some(_), _) => Line { text, in_code: true },
                (None, _) => Line { text, in_code: false },
            }
        })
        .collect()
}

/// The answer without the model's thinking: the text after the last `</think>`, or before an
/// unclosed `<think>`.
pub(crate) fn strip_think(md: &str) -> &str {
    if let Some(i) = md.rfind("</think>") {
        return &md[i + "</think>".len()..];
    }
    match md.find("<think>") {
        Some(i) => &md[..i],
        None => md,
    }
}

/// A list item: its indentation (columns) and its text after the marker.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ListItem<'a> {
    pub indent: usize,
    pub text: &'a str,
}

static LIST_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^([ \t]*)([-•·▪◦‣●○]\s*|[*+]\s+|\d{1,2}[.)]\s+|\d{1,2}[、．]\s*|[（(]\s*\d{1,2}\s*[)）]\s*",
        r"|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]\s*|[一二三四五六七八九十]{1,2}[、.．]\s*)(.*)$"
    ))
    .unwrap()
});

pub(crate) fn list_item(line: &str) -> Option<ListItem<'_>> {
    let line = strip_quote(line);
    let c = LIST_ITEM.captures(line)?;
    let marker = c.get(2).unwrap().as_str();
    let text = c.get(3).unwrap().as_str().trim();
    // "---" and "***" are rules, "-5 °C" is a number, and an item needs something to say.
    let negative_number = marker == "-" && text.starts_with(|ch: char| ch.is_ascii_digit());
    if text.is_empty()
        || !text.chars().any(char::is_alphanumeric)
        || line.trim_start().starts_with("--")
        || negative_number
    {
        return None;
    }
    let indent = c.get(1).unwrap().as_str().chars().map(|ch| if ch == '\t' { 4 } else { 1 }).sum();
    Some(ListItem { indent, text })
}

/// A line without its blockquote markers ("> ", ">> ").
pub(crate) fn strip_quote(line: &str) -> &str {
    let mut l = line;
    loop {
        let t = l.trim_start();
        match t.strip_prefix('>') {
            Some(rest) => l = rest.strip_prefix(' ').unwrap_or(rest),
            None => return l,
        }
    }
}

static HTML_COMMENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<!--.*?(?:-->|$)").unwrap());
static BR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)<br\s*/?>").unwrap());
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>").unwrap());
static IMAGE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"!\[([^\]]*)\]\([^)]*\)").unwrap());
static LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])").unwrap());
static UNDERSCORE_EM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(^|[\s(\[])_{1,2}([^_\s][^_]*?)_{1,2}($|[\s).,;:!?\]])").unwrap());

/// Inline Markdown and HTML reduced to plain text: tags and comments removed, links and images
/// replaced by their text, emphasis and code markers dropped (an unclosed `**` too), common
/// entities decoded, whitespace collapsed.
pub(crate) fn plain_inline(s: &str) -> String {
    let s = HTML_COMMENT.replace_all(s, " ");
    let s = BR.replace_all(&s, " ");
    let s = TAG.replace_all(&s, "");
    let s = IMAGE.replace_all(&s, "$1");
    let s = LINK.replace_all(&s, "$1");
    let s = s.replace("**", "").replace("~~", "").replace(['`', '*'], "");
    let s = UNDERSCORE_EM.replace_all(&s, "$1$2$3");
    let s = s
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    crate::sanitize::collapse_ws(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_open_and_close_and_an_unclosed_one_runs_to_the_end() {
        let l = lines("a\n```\n# not a heading\n```\nb\n~~~~\nc");
        let flags: Vec<bool> = l.iter().map(|l| l.in_code).collect();
        assert_eq!(flags, [false, true, true, true, false, true, true]);
        // A shorter or different fence does not close a longer one.
        let l = lines("````\n```\nx\n````\ny");
        assert_eq!(l.iter().map(|l| l.in_code).collect::<Vec<_>>(), [true, true, true, true, false]);
    }

    #[test]
    fn think_blocks_are_removed() {
        assert_eq!(strip_think("<think>\nhmm\n</think>\n\n## Summary"), "\n\n## Summary");
        assert_eq!(strip_think("## Summary\n<think>unfinished"), "## Summary\n");
        assert_eq!(strip_think("plain"), "plain");
    }

    #[test]
    fn list_items_of_every_kind() {
        for (line, text) in [
            ("- a", "a"),
            ("* b", "b"),
            ("• c", "c"),
            ("1. d", "d"),
            ("2) e", "e"),
            ("（3）f", "f"),
            ("(4) g", "g"),
            ("① h", "h"),
            ("一、i", "i"),
            ("> - j", "j"),
            ("-k", "k"),
        ] {
            assert_eq!(list_item(line).map(|i| i.text), Some(text), "{line}");
        }
        assert_eq!(list_item("    - nested").unwrap().indent, 4);
        for line in ["---", "***", "- ", "**bold** text", "plain", "-- x", "-5 °C overnight", "38.5 degrees"] {
            assert_eq!(list_item(line), None, "{line}");
        }
    }

    #[test]
    fn inline_markup_becomes_plain_text() {
        assert_eq!(plain_inline("**Bold** and *it* and __u__ and `code`"), "Bold and it and u and code");
        assert_eq!(plain_inline("see [NICE](https://nice.org.uk) ![img](x.png)"), "see NICE img");
        assert_eq!(plain_inline("a<br>b <b>c</b> <span class=\"x\">d</span>"), "a b c d");
        assert_eq!(plain_inline("**unclosed bold"), "unclosed bold");
        assert_eq!(plain_inline("snake_case_word stays"), "snake_case_word stays");
        assert_eq!(plain_inline("x &amp; y &lt;3"), "x & y <3");
        assert_eq!(plain_inline("<!-- hidden --> shown"), "shown");
    }
}
