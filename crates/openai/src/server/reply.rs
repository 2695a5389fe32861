//! Errors as OpenAI error bodies with the matching HTTP status.

use crate::error::OpenAiError;
use crate::wire::ErrorBody;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// (HTTP status, OpenAI `type`, OpenAI `code`) for an error.
pub(super) fn classify(e: &OpenAiError) -> (StatusCode, &'static str, &'static str) {
    match e {
        OpenAiError::InvalidRequest(_) => (StatusCode::BAD_REQUEST, "invalid_request_error", "invalid_request"),
        OpenAiError::Unauthorized { .. } => (StatusCode::UNAUTHORIZED, "invalid_request_error", "invalid_api_key"),
        OpenAiError::Busy => (StatusCode::TOO_MANY_REQUESTS, "rate_limit_error", "rate_limit_exceeded"),
        OpenAiError::NotLoaded => (StatusCode::SERVICE_UNAVAILABLE, "service_unavailable", "model_not_loaded"),
        _ => (StatusCode::INTERNAL_SERVER_ERROR, "server_error", "internal_error"),
    }
}

/// The message a client sees. For a 401 it is the bare reason, not our wrapping sentence.
fn message(e: &OpenAiError) -> String {
    match e {
        OpenAiError::Unauthorized { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

pub(super) fn error_body(e: &OpenAiError) -> ErrorBody {
    let (_, kind, code) = classify(e);
    ErrorBody::new(message(e), kind, code)
}

pub(super) fn error_response(e: &OpenAiError) -> Response {
    let (status, _, _) = classify(e);
    json_response(status, &error_body(e))
}

pub(super) fn json_response<T: serde::Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

pub(super) fn status_error(status: StatusCode, message: String) -> Response {
    let kind = if status.is_client_error() { "invalid_request_error" } else { "server_error" };
    let code = match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::PAYLOAD_TOO_LARGE => "request_too_large",
        _ => "invalid_request",
    };
    json_response(status, &ErrorBody::new(message, kind, code))
}
