//! Full-text search over consultation titles, chief complaints and message text.
//!
//! The indexes use FTS5's trigram tokenizer (see migrations/003_search.sql), which matches any
//! substring of 3 or more characters, in English or Chinese alike. Shorter terms ("胸痛" is
//! two characters) cannot use the index, so they are matched with LIKE on the stored text: a
//! scan, but a desktop history is small. User text never reaches FTS5's query syntax: every
//! term is quoted, and LIKE wildcards are escaped.

use rusqlite::types::Value as SqlValue;
use rusqlite::{params_from_iter, Connection};
use serde::Serialize;
use ts_rs::TS;

use crate::consultation::ConsultationId;
use crate::message::MessageId;
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SearchHit {
    #[ts(type = "number")]
    pub consultation_id: ConsultationId,
    /// The matching message; `null` when the consultation's title or chief complaint matched.
    #[ts(type = "number | null")]
    pub message_id: Option<MessageId>,
    /// The consultation's title.
    pub title: String,
    /// The text around the first match, on one line, with every match marked «like this».
    pub snippet: String,
    /// Relevance, higher is better (FTS5's bm25, negated). 0 when every term was shorter than
    /// 3 characters: those are matched without the index, and such hits come newest first.
    pub rank: f64,
}

/// Terms beyond this are ignored, to bound the cost of one query.
const MAX_TERMS: usize = 16;
const MAX_LIMIT: usize = 200;
/// Characters of context shown before the first match, and the snippet's length.
const SNIPPET_LEAD: usize = 30;
const SNIPPET_CHARS: usize = 140;
/// The trigram tokenizer cannot match anything shorter.
const MIN_INDEXED_CHARS: usize = 3;

impl Store {
    /// Searches consultations and messages for `query`: whitespace-separated terms (or
    /// "quoted phrases") that must all occur, case-insensitively, as substrings. Any text is a
    /// valid query; one with no terms finds nothing. At most `limit` hits, best first.
    pub fn search(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>, StoreError> {
        let terms = parse_terms(query);
        let limit = limit.min(MAX_LIMIT);
        if terms.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let query = Query::new(terms);
        self.read(|conn| {
            let mut hits = consultation_hits(conn, &query, limit)?;
            hits.extend(message_hits(conn, &query, limit)?);
            hits.sort_by(|a, b| b.0.rank.total_cmp(&a.0.rank).then_with(|| b.1.cmp(&a.1)));
            hits.truncate(limit);
            Ok(hits.into_iter().map(|(hit, _)| hit).collect())
        })
    }
}

/// A parsed query: the terms, the FTS5 expression for the long ones, LIKE patterns for the
/// short ones.
struct Query {
    terms: Vec<String>,
    fts: Option<String>,
    likes: Vec<String>,
}

impl Query {
    fn new(terms: Vec<String>) -> Self {
        let (long, short): (Vec<&String>, Vec<&String>) =
            terms.iter().partition(|t| t.chars().count() >= MIN_INDEXED_CHARS);
        // A quoted FTS5 string is literal text (a phrase); `""` is a quote inside it. Strings
        // side by side must all match (implicit AND).
        let fts = (!long.is_empty())
            .then(|| long.iter().map(|t| format!("\"{}\"", t.replace('"', "\"\""))).collect::<Vec<_>>().join(" "));
        let likes = short.iter().map(|t| format!("%{}%", escape_like(t))).collect();
        Self { terms, fts, likes }
    }
}

/// Hits with the `updated_at` that breaks rank ties.
type Ranked = (SearchHit, String);

fn consultation_hits(conn: &Connection, q: &Query, limit: usize) -> Result<Vec<Ranked>, StoreError> {
    let mut args: Vec<SqlValue> = Vec::new();
    let mut sql = String::from("SELECT c.id, c.title, c.chief_complaint, c.updated_at, ");
    if let Some(fts) = &q.fts {
        args.push(fts.clone().into());
        sql += "-bm25(consultations_fts) FROM consultations_fts
                JOIN consultations c ON c.id = consultations_fts.rowid
                WHERE consultations_fts MATCH ?1";
    } else {
        sql += "0.0 FROM consultations c WHERE 1";
    }
    for like in &q.likes {
        args.push(like.clone().into());
        let n = args.len();
        sql += &format!(" AND (c.title LIKE ?{n} ESCAPE '\\' OR c.chief_complaint LIKE ?{n} ESCAPE '\\')");
    }
    sql += if q.fts.is_some() { " ORDER BY bm25(consultations_fts)" } else { " ORDER BY c.updated_at DESC" };
    args.push((limit as i64).into());
    sql += &format!(" LIMIT ?{}", args.len());

    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), |r| {
        let (title, complaint): (String, String) = (r.get(1)?, r.get(2)?);
        let text = if complaint.is_empty() { title.clone() } else { format!("{title} — {complaint}") };
        let hit = SearchHit {
            consultation_id: r.get(0)?,
            message_id: None,
            snippet: snippet(&text, &q.terms),
            title,
            rank: r.get(4)?,
        };
        Ok((hit, r.get(3)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn message_hits(conn: &Connection, q: &Query, limit: usize) -> Result<Vec<Ranked>, StoreError> {
    let mut args: Vec<SqlValue> = Vec::new();
    let mut sql = String::from("SELECT m.id, m.consultation_id, c.title, m.content, m.updated_at, ");
    if let Some(fts) = &q.fts {
        args.push(fts.clone().into());
        sql += "-bm25(messages_fts) FROM messages_fts
                JOIN messages m ON m.id = messages_fts.rowid
                JOIN consultations c ON c.id = m.consultation_id
                WHERE messages_fts MATCH ?1";
    } else {
        sql += "0.0 FROM messages m JOIN consultations c ON c.id = m.consultation_id WHERE 1";
    }
    // The system prompt is the app's text, not the user's history.
    sql += " AND m.role <> 'system'";
    for like in &q.likes {
        args.push(like.clone().into());
        sql += &format!(" AND m.content LIKE ?{} ESCAPE '\\'", args.len());
    }
    sql += if q.fts.is_some() { " ORDER BY bm25(messages_fts)" } else { " ORDER BY m.updated_at DESC" };
    args.push((limit as i64).into());
    sql += &format!(" LIMIT ?{}", args.len());

    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), |r| {
        let hit = SearchHit {
            consultation_id: r.get(1)?,
            message_id: Some(r.get(0)?),
            title: r.get(2)?,
            snippet: snippet(&crate::plain::plain(&r.get::<_, String>(3)?), &q.terms),
            rank: r.get(5)?,
        };
        Ok((hit, r.get(4)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Splits user text into terms: whitespace separates them, double quotes group a phrase (an
/// unclosed quote runs to the end). Control characters count as spaces; duplicates go.
fn parse_terms(query: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut end_term = |current: &mut String| {
        let term = current.split_whitespace().collect::<Vec<_>>().join(" ");
        if !term.is_empty() && !terms.contains(&term) {
            terms.push(term);
        }
        current.clear();
    };
    for c in query.chars() {
        let c = if c.is_control() { ' ' } else { c };
        if c == '"' {
            end_term(&mut current);
            quoted = !quoted;
        } else if c.is_whitespace() && !quoted {
            end_term(&mut current);
        } else {
            current.push(c);
        }
    }
    end_term(&mut current);
    terms.truncate(MAX_TERMS);
    terms
}

/// Makes `%`, `_` and the escape character itself literal in a LIKE pattern (ESCAPE '\').
fn escape_like(term: &str) -> String {
    let mut out = String::with_capacity(term.len());
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The text around the first match, whitespace collapsed, matches marked «…», "…" where cut.
pub(crate) fn snippet(text: &str, terms: &[String]) -> String {
    let chars: Vec<char> = text.split_whitespace().collect::<Vec<_>>().join(" ").chars().collect();
    let folded: Vec<char> = chars.iter().map(|&c| fold(c)).collect();
    // Mark every match, then merge overlapping ones so the brackets nest properly.
    let mut marks: Vec<(usize, usize)> = Vec::new();
    for term in terms {
        let needle: Vec<char> = term.chars().map(fold).collect();
        if needle.is_empty() || needle.len() > folded.len() {
            continue;
        }
        marks.extend(
            (0..=folded.len() - needle.len())
                .filter(|&i| folded[i..].starts_with(&needle))
                .map(|i| (i, i + needle.len())),
        );
    }
    marks.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (start, end) in marks {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }

    let first = merged.first().copied().unwrap_or((0, 0));
    let from = first.0.saturating_sub(SNIPPET_LEAD);
    let to = chars.len().min((from + SNIPPET_CHARS).max(first.1));
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    for (i, &c) in chars.iter().enumerate().take(to).skip(from) {
        if merged.iter().any(|m| m.0 == i) {
            out.push('«');
        }
        out.push(c);
        // A match the window cuts is closed at the cut.
        if merged.iter().any(|m| m.1 == i + 1 || (m.0 <= i && m.1 > to && i + 1 == to)) {
            out.push('»');
        }
    }
    if to < chars.len() {
        out.push('…');
    }
    out
}

/// Case folding for matching, where a character folds to one character.
fn fold(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(q: &str) -> Vec<String> {
        parse_terms(q)
    }

    #[test]
    fn splits_terms_and_phrases() {
        assert_eq!(terms("  chest   pain "), ["chest", "pain"]);
        assert_eq!(terms("\"chest  pain\" fever"), ["chest pain", "fever"]);
        assert_eq!(terms("胸痛 发热"), ["胸痛", "发热"]);
        assert_eq!(terms("a a A"), ["a", "A"]);
        assert!(terms("\"").is_empty());
        assert!(terms("\"\"  \t").is_empty());
        assert_eq!(terms("AND ("), ["AND", "("]);
        assert_eq!(terms("\"unclosed phrase"), ["unclosed phrase"]);
        assert_eq!(terms(&"x ".repeat(100)).len(), 1);
        let many: String = (0..40).map(|i| format!("t{i} ")).collect();
        assert_eq!(terms(&many).len(), MAX_TERMS);
    }

    #[test]
    fn quotes_fts_terms_and_escapes_like() {
        let q = Query::new(vec!["pain".into(), "a\"b*c".into(), "%_".into(), "胸痛".into()]);
        assert_eq!(q.fts.as_deref(), Some("\"pain\" \"a\"\"b*c\""));
        assert_eq!(q.likes, ["%\\%\\_%", "%胸痛%"]);
        assert_eq!(escape_like("a\\b"), "a\\\\b");
    }

    #[test]
    fn snippet_marks_matches_and_cuts_around_the_first() {
        assert_eq!(snippet("Chest pain since\nmorning", &["PAIN".into()]), "Chest «pain» since morning");
        assert_eq!(snippet("患者胸痛三天，胸痛加重", &["胸痛".into()]), "患者«胸痛»三天，«胸痛»加重");
        let long = format!("{} needle {}", "a ".repeat(100), "b ".repeat(100));
        let s = snippet(&long, &["needle".into()]);
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("«needle»"), "{s}");
        assert_eq!(s.chars().filter(|&c| c != '«' && c != '»').count(), SNIPPET_CHARS + 2);
        // Overlapping terms merge into one mark.
        assert_eq!(snippet("abcdef", &["abc".into(), "cde".into()]), "«abcde»f");
        // No visible match (e.g. folding differences): the start of the text, unmarked.
        assert_eq!(snippet("hello", &["zzz".into()]), "hello");
    }

    #[test]
    fn snippet_window_keeps_the_first_match_whole_and_closes_a_cut_one() {
        let text = format!("xx{}", "y".repeat(300));
        assert_eq!(snippet(&text, &["y".repeat(300)]), format!("«{}»", &text[2..]).replacen('«', "xx«", 1));
        let text = format!("aaa{}aaa{}", "b".repeat(135), "c".repeat(50));
        let s = snippet(&text, &["aaa".into()]);
        assert!(s.starts_with("«aaa»b") && s.ends_with("b«aa»…"), "{s}");
    }
}
