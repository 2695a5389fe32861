//! A server-sent-events reader, tolerant of what real servers send: `\n`, `\r\n` or `\r` line
//! ends, multi-line `data:`, comment (keep-alive) lines, `event:` names, and chunks cut anywhere,
//! even inside a UTF-8 character.

use crate::error::OpenAiError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SseEvent {
    /// The `event:` field; `None` means the default, "message".
    pub event: Option<String>,
    pub data: String,
}

#[derive(Debug, Default)]
pub(crate) struct SseParser {
    buf: Vec<u8>,
    event: Option<String>,
    data: Option<String>,
    /// The last line ended with '\r': a '\n' opening the next chunk belongs to it.
    after_cr: bool,
}

impl SseParser {
    /// Feeds bytes; returns the events completed by them.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<SseEvent>, OpenAiError> {
        let bytes = match (self.after_cr, bytes.first()) {
            (true, Some(b'\n')) => &bytes[1..],
            _ => bytes,
        };
        if !bytes.is_empty() {
            self.after_cr = false;
        }
        self.buf.extend_from_slice(bytes);
        let mut out = Vec::new();
        let mut start = 0;
        while let Some(rel) = self.buf[start..].iter().position(|&b| b == b'\n' || b == b'\r') {
            let end = start + rel;
            let next = match self.buf.get(end..end + 2) {
                Some(b"\r\n") => end + 2,
                _ => end + 1,
            };
            self.after_cr = self.buf[end] == b'\r' && next == self.buf.len();
            let line = std::str::from_utf8(&self.buf[start..end])
                .map_err(|_| OpenAiError::Malformed("an event-stream line is not UTF-8".into()))?
                .to_string();
            start = next;
            self.line(&line, &mut out);
        }
        self.buf.drain(..start);
        Ok(out)
    }

    fn line(&mut self, line: &str, out: &mut Vec<SseEvent>) {
        if line.is_empty() {
            if let Some(data) = self.data.take() {
                out.push(SseEvent { event: self.event.take(), data });
            }
            self.event = None;
            return;
        }
        if line.starts_with(':') {
            return; // a comment: keep-alive
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "data" => match &mut self.data {
                Some(d) => {
                    d.push('\n');
                    d.push_str(value);
                }
                None => self.data = Some(value.to_string()),
            },
            "event" => self.event = Some(value.to_string()),
            _ => {} // id, retry and unknown fields mean nothing here
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_in_pieces(raw: &[u8], cut: usize) -> Vec<SseEvent> {
        let mut p = SseParser::default();
        let mut out = Vec::new();
        for piece in raw.chunks(cut) {
            out.extend(p.push(piece).unwrap());
        }
        out
    }

    #[test]
    fn line_ends_comments_multiline_data_and_any_cut() {
        let raw = ": hello\r\n\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\nevent: error\ndata: bad é\n\nid: 3\rdata:[DONE]\r\r"
            .as_bytes();
        let want = vec![
            SseEvent { event: None, data: "{\"a\":\n1}".into() },
            SseEvent { event: Some("error".into()), data: "bad é".into() },
            SseEvent { event: None, data: "[DONE]".into() },
        ];
        for cut in 1..=raw.len() {
            assert_eq!(parse_in_pieces(raw, cut), want, "cut {cut}");
        }
    }

    #[test]
    fn an_unfinished_event_is_not_dispatched() {
        assert!(parse_in_pieces(b"data: {\"partial\"", 4).is_empty());
    }
}
