//! Splits a token stream into thinking trace and answer at `<think>`/`</think>` tags.
//!
//! mistral.rs already splits when the chat template knows the tags; this splitter is the
//! guarantee that no raw tag ever reaches the UI, whatever the template, the model or the
//! chunking (a tag can arrive cut across any number of chunks).

const OPEN: &str = "<think>";
const CLOSE: &str = "</think>";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Reasoning(String),
    Content(String),
}

#[derive(Debug, Default)]
pub struct ThinkSplitter {
    in_reasoning: bool,
    /// Text held back because it may be the start of a tag.
    pending: String,
    /// Drop the blank lines a model puts between `</think>` and its answer.
    trim_content_start: bool,
}

impl ThinkSplitter {
    /// `starts_in_reasoning` is true when the prompt itself opened a think block.
    pub fn new(starts_in_reasoning: bool) -> Self {
        Self { in_reasoning: starts_in_reasoning, pending: String::new(), trim_content_start: false }
    }

    pub fn in_reasoning(&self) -> bool {
        self.in_reasoning
    }

    /// Feeds one chunk of raw content; returns the pieces that are certain so far.
    pub fn push(&mut self, chunk: &str) -> Vec<Piece> {
        self.pending.push_str(chunk);
        let mut out = Vec::new();
        loop {
            let open = self.pending.find(OPEN).map(|i| (i, OPEN));
            let close = self.pending.find(CLOSE).map(|i| (i, CLOSE));
            let first = match (open, close) {
                (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
                (a, b) => a.or(b),
            };
            let Some((at, tag)) = first else { break };
            let before: String = self.pending[..at].to_string();
            self.emit(&before, &mut out);
            self.pending.drain(..at + tag.len());
            // A stray tag of the state we are already in is dropped, never shown.
            if tag == OPEN && !self.in_reasoning {
                self.in_reasoning = true;
            } else if tag == CLOSE && self.in_reasoning {
                self.in_reasoning = false;
                self.trim_content_start = true;
            }
        }
        let keep = partial_tag_suffix(&self.pending);
        let certain = self.pending[..self.pending.len() - keep].to_string();
        self.emit(&certain, &mut out);
        self.pending.drain(..self.pending.len() - keep);
        out
    }

    /// Ends the stream: a held-back partial tag was text after all, and an unclosed think
    /// block stays reasoning.
    pub fn finish(&mut self) -> Vec<Piece> {
        let rest = std::mem::take(&mut self.pending);
        let mut out = Vec::new();
        self.emit(&rest, &mut out);
        out
    }

    fn emit(&mut self, text: &str, out: &mut Vec<Piece>) {
        let mut text = text;
        if !self.in_reasoning && self.trim_content_start {
            text = text.trim_start();
            if text.is_empty() {
                return;
            }
            self.trim_content_start = false;
        }
        if text.is_empty() {
            return;
        }
        let piece =
            if self.in_reasoning { Piece::Reasoning(text.to_string()) } else { Piece::Content(text.to_string()) };
        // Merge with the previous piece of the same kind to keep events few.
        match (out.last_mut(), piece) {
            (Some(Piece::Reasoning(a)), Piece::Reasoning(b)) => a.push_str(&b),
            (Some(Piece::Content(a)), Piece::Content(b)) => a.push_str(&b),
            (_, p) => out.push(p),
        }
    }
}

/// Length in bytes of the longest suffix of `s` that is a proper prefix of a tag.
fn partial_tag_suffix(s: &str) -> usize {
    let mut best = 0;
    for tag in [OPEN, CLOSE] {
        for n in 1..tag.len() {
            if n > s.len() || !s.is_char_boundary(s.len() - n) {
                continue;
            }
            if tag.starts_with(&s[s.len() - n..]) {
                best = best.max(n);
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(chunks: &[&str], starts_in_reasoning: bool) -> (String, String, Vec<Piece>) {
        let mut s = ThinkSplitter::new(starts_in_reasoning);
        let mut pieces = Vec::new();
        for c in chunks {
            pieces.extend(s.push(c));
        }
        pieces.extend(s.finish());
        let (mut r, mut c) = (String::new(), String::new());
        for p in &pieces {
            match p {
                Piece::Reasoning(t) => r.push_str(t),
                Piece::Content(t) => c.push_str(t),
            }
        }
        (r, c, pieces)
    }

    fn assert_no_tags(pieces: &[Piece]) {
        for p in pieces {
            let t = match p {
                Piece::Reasoning(t) | Piece::Content(t) => t,
            };
            assert!(!t.contains(OPEN) && !t.contains(CLOSE), "tag leaked in {p:?}");
        }
    }

    /// Every way of cutting the text into three chunks gives the same split and no tags.
    fn check_all_splits(text: &str, start: bool, want_r: &str, want_c: &str) {
        let idx: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        for (n, &i) in idx.iter().enumerate() {
            for &j in &idx[n..] {
                let chunks = [&text[..i], &text[i..j], &text[j..]];
                let (r, c, pieces) = run(&chunks, start);
                assert_eq!((r.as_str(), c.as_str()), (want_r, want_c), "cuts at {i},{j}");
                assert_no_tags(&pieces);
            }
        }
    }

    #[test]
    fn splits_reasoning_and_answer_at_every_chunk_boundary() {
        check_all_splits("<think>why é</think>\n\nAnswer 答", false, "why é", "Answer 答");
    }

    #[test]
    fn forced_thinking_has_no_opening_tag() {
        check_all_splits("step one</think>\n\nDone.", true, "step one", "Done.");
    }

    #[test]
    fn unclosed_think_block_stays_reasoning() {
        check_all_splits("<think>still thinking <", false, "still thinking <", "");
    }

    #[test]
    fn stray_tags_are_dropped() {
        check_all_splits("a</think>b<think>c<think>d</think>e", false, "cd", "abe");
    }

    #[test]
    fn text_that_only_looks_like_a_tag_is_kept() {
        check_all_splits("x < y and <thinking> is fine", false, "", "x < y and <thinking> is fine");
    }

    #[test]
    fn plain_answer_without_tags() {
        let (r, c, _) = run(&["Paris is ", "the capital."], false);
        assert_eq!((r.as_str(), c.as_str()), ("", "Paris is the capital."));
    }
}
