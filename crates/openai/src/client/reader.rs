//! The response body → `StreamEvent`s: SSE framing, then decoding, with an idle timeout on
//! every read. Whatever text arrived before a failure is yielded before the error.

use super::decode::Decoder;
use super::sse::SseParser;
use crate::error::OpenAiError;
use crate::event::{EventStream, StreamEvent};
use bytes::Bytes;
use futures::stream::BoxStream;
use futures::StreamExt;
use std::collections::VecDeque;
use std::time::Duration;

pub(super) fn events(resp: reqwest::Response, idle: Duration) -> EventStream {
    let reader = Reader {
        body: resp.bytes_stream().boxed(),
        sse: SseParser::default(),
        decoder: Decoder::default(),
        out: VecDeque::new(),
        ended: false,
        idle,
    };
    futures::stream::unfold(reader, Reader::next).boxed()
}

struct Reader {
    body: BoxStream<'static, reqwest::Result<Bytes>>,
    sse: SseParser,
    decoder: Decoder,
    out: VecDeque<Result<StreamEvent, OpenAiError>>,
    ended: bool,
    idle: Duration,
}

impl Reader {
    async fn next(mut self) -> Option<(Result<StreamEvent, OpenAiError>, Self)> {
        loop {
            if let Some(item) = self.out.pop_front() {
                return Some((item, self));
            }
            if self.ended {
                return None;
            }
            let mut events = Vec::new();
            let result = match tokio::time::timeout(self.idle, self.body.next()).await {
                Err(_) => {
                    self.decoder.flush(&mut events);
                    Err(OpenAiError::Timeout {
                        what: "waiting for the next part of the answer",
                        secs: self.idle.as_secs_f64(),
                    })
                }
                // A reset connection is a disconnect like a clean close.
                Ok(None) | Ok(Some(Err(_))) => self.decoder.on_end(&mut events).map(|()| true),
                Ok(Some(Ok(bytes))) => self.feed(&bytes, &mut events),
            };
            self.out.extend(events.into_iter().map(Ok));
            match result {
                Ok(false) => {}
                Ok(true) => self.end(),
                Err(e) => {
                    self.out.push_back(Err(e));
                    self.end();
                }
            }
        }
    }

    /// Ok(true) once the answer is complete.
    fn feed(&mut self, bytes: &[u8], events: &mut Vec<StreamEvent>) -> Result<bool, OpenAiError> {
        let parsed = self.sse.push(bytes).inspect_err(|_| self.decoder.flush(events))?;
        for ev in &parsed {
            if let Err(e) = self.decoder.on_event(ev, events) {
                self.decoder.flush(events);
                return Err(e);
            }
            if self.decoder.done {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Closes the connection now: nothing more is read after the end or an error.
    fn end(&mut self) {
        self.ended = true;
        self.body = futures::stream::empty().boxed();
    }
}
