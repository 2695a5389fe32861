//! HTTP failures as errors: statuses, error bodies in their various shapes, and transport errors.

use crate::error::OpenAiError;
use std::time::Duration;

/// The message in an error body: OpenAI's `{"error":{"message"}}`, older vLLM's top-level
/// `{"message"}`, FastAPI's `{"detail"}`, `{"error":"…"}`, or else the text itself.
pub(crate) fn error_message(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    let from_json = serde_json::from_str::<serde_json::Value>(text).ok().and_then(|v| {
        let pick = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Null => None,
            other => Some(other.to_string()),
        };
        v.pointer("/error/message")
            .and_then(pick)
            .or_else(|| v.get("error").filter(|e| e.is_string()).and_then(pick))
            .or_else(|| v.get("message").and_then(pick))
            .or_else(|| v.get("detail").and_then(pick))
    });
    let msg = from_json.unwrap_or_else(|| text.to_string());
    let msg = if msg.is_empty() { "no details given".to_string() } else { msg };
    if msg.chars().count() > 1000 {
        format!("{}…", msg.chars().take(1000).collect::<String>())
    } else {
        msg
    }
}

pub(crate) fn status_error(status: u16, body: &[u8], location: Option<&str>) -> OpenAiError {
    let message = error_message(body);
    match status {
        401 | 403 => OpenAiError::Unauthorized { status, message },
        429 => OpenAiError::Busy,
        300..=399 => OpenAiError::Rejected {
            status,
            message: format!(
                "the server redirects to {}; use that address as the base URL",
                location.unwrap_or("another address")
            ),
        },
        500..=599 => OpenAiError::ServerError { status: Some(status), message },
        _ => OpenAiError::Rejected { status, message },
    }
}

/// A transport error. The innermost cause says the most ("connection refused", "invalid
/// peer certificate"). URLs here never carry the key: it travels only in a header.
pub(crate) fn network(url: &str, e: &reqwest::Error, connect_timeout: Duration) -> OpenAiError {
    let mut reason = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        reason = s.to_string();
        source = s.source();
    }
    if e.is_timeout() || (e.is_connect() && reason.contains("timed out")) {
        return OpenAiError::Timeout { what: "connecting to the server", secs: connect_timeout.as_secs_f64() };
    }
    OpenAiError::Unreachable { url: url.to_string(), reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_from_every_error_shape() {
        assert_eq!(error_message(br#"{"error":{"message":"CUDA OOM","type":"x","code":500}}"#), "CUDA OOM");
        assert_eq!(error_message(br#"{"object":"error","message":"bad model","code":404}"#), "bad model");
        assert_eq!(error_message(br#"{"detail":"Not Found"}"#), "Not Found");
        assert_eq!(error_message(br#"{"error":"nope"}"#), "nope");
        assert_eq!(error_message(b"Bad Gateway"), "Bad Gateway");
        assert_eq!(error_message(b""), "no details given");
    }
}
