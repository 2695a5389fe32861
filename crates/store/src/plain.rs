//! Markdown reduced to its words, for the one-line previews and search snippets of the history
//! list: it shows what an answer says, not its `##`, `**`, bullets and `[links](…)`.

/// The words of `markdown` without its syntax, on one line, one space apart.
pub(crate) fn plain(markdown: &str) -> String {
    let lines: Vec<String> = markdown.lines().map(plain_line).collect();
    lines.iter().flat_map(|l| l.split_whitespace()).collect::<Vec<_>>().join(" ")
}

fn plain_line(line: &str) -> String {
    let line = line.trim();
    // Rules, a table's rule, a setext heading's underline, a code fence's marks.
    if is_rule(line) || is_table_separator(line) || is_underline(line) || line.starts_with("```") {
        return String::new();
    }
    let mut rest = line;
    // Block markers, nested ones too ("> - ## x"): quotes, headings, bullets, numbered items.
    loop {
        let before = rest;
        rest = rest.strip_prefix('>').unwrap_or(rest).trim_start();
        let hashes = rest.len() - rest.trim_start_matches('#').len();
        if (1..=6).contains(&hashes) && rest[hashes..].chars().next().is_none_or(char::is_whitespace) {
            rest = rest[hashes..].trim_start();
        }
        for bullet in ["- ", "* ", "+ "] {
            rest = rest.strip_prefix(bullet).unwrap_or(rest);
        }
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 && (rest[digits..].starts_with(". ") || rest[digits..].starts_with(") ")) {
            rest = rest[digits + 2..].trim_start();
        }
        if rest == before {
            break;
        }
    }
    let cells = if rest.starts_with('|') { rest.trim_matches('|').replace('|', " ") } else { rest.to_string() };
    inline(&cells)
}

/// `---`, `***`, `___` (three or more, spaces allowed).
fn is_rule(line: &str) -> bool {
    let marks: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    marks.len() >= 3 && ['-', '*', '_'].iter().any(|&m| marks.chars().all(|c| c == m))
}

/// `===` under a heading.
fn is_underline(line: &str) -> bool {
    line.len() >= 3 && line.chars().all(|c| c == '=')
}

/// A table's `|---|:--:|` line.
fn is_table_separator(line: &str) -> bool {
    line.contains('-') && line.contains('|') && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// Emphasis, code and strike marks go; a link or image leaves its text.
fn inline(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let (prev, next) = (i.checked_sub(1).map(|p| chars[p]), chars.get(i + 1).copied());
        match c {
            // An escaped mark is the mark itself.
            '\\' if next.is_some_and(|n| n.is_ascii_punctuation()) => {
                out.push(chars[i + 1]);
                i += 1;
            }
            // 2*3 and 5 * 3 are arithmetic; elsewhere * is emphasis.
            '*' if prev.zip(next).is_some_and(|(p, n)| {
                (p.is_ascii_digit() && n.is_ascii_digit()) || (p.is_whitespace() && n.is_whitespace())
            }) =>
            {
                out.push(c)
            }
            '*' | '`' => {}
            '~' if chars.get(i + 1) == Some(&'~') => i += 1,
            // snake_case keeps its underscores; _emphasis_ loses them.
            '_' if !(i > 0
                && chars[i - 1].is_alphanumeric()
                && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric())) => {}
            '!' if chars.get(i + 1) == Some(&'[') => {}
            '[' => {
                if let Some((label, end)) = link(&chars, i) {
                    out.push_str(&inline(&label));
                    i = end;
                } else {
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// At `[` in `[label](target)`: the label and the index of the closing `)`.
fn link(chars: &[char], open: usize) -> Option<(String, usize)> {
    let close = open + chars[open..].iter().position(|&c| c == ']')?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = close + 1 + chars[close + 1..].iter().position(|&c| c == ')')?;
    Some((chars[open + 1..close].iter().collect(), end))
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn markdown_syntax_goes_and_the_words_stay() {
        let answer = "## Red flags\n\n- **Chest pain** with `sweating`: call [911](tel:911) now.\n\
                      1. Rest\n2) Take _one_ aspirin ~~twice~~\n> ### Quoted heading\n---\n\
                      ![scan](x.png) shows it.";
        assert_eq!(
            plain(answer),
            "Red flags Chest pain with sweating: call 911 now. Rest Take one aspirin twice Quoted heading scan shows it."
        );
    }

    #[test]
    fn fences_underlines_and_escapes() {
        assert_eq!(plain("Dose\n===\n```text\n400 mg\n```\nnot \\*bold\\*"), "Dose 400 mg not *bold*");
    }

    #[test]
    fn tables_keep_their_cells_and_lose_their_rules() {
        assert_eq!(plain("| Drug | Dose |\n|---|:--:|\n| ibuprofen | 400 mg |"), "Drug Dose ibuprofen 400 mg");
    }

    #[test]
    fn plain_text_chinese_and_snake_case_are_left_alone() {
        let texts = [
            "胸痛三天，伴有出汗。",
            "see file_name_here and #hashtag",
            "5 - 3 is 2",
            "[not a link] (here)",
            "2*3 = 6, 5 * 3 = 15",
        ];
        for text in texts {
            assert_eq!(plain(text), text);
        }
    }
}
