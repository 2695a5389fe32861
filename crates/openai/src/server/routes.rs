//! The two endpoints.

use super::reply::{error_response, json_response, status_error};
use super::sse::{collect, sse_response, ChunkMeta};
use super::State;
use crate::error::OpenAiError;
use crate::wire::{ChatRequest, ModelList};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{StatusCode, Uri};
use axum::response::Response;

pub(super) async fn models(axum::extract::State(st): axum::extract::State<State>) -> Response {
    json_response(StatusCode::OK, &ModelList::new(st.backend.models()))
}

pub(super) async fn chat(
    axum::extract::State(st): axum::extract::State<State>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(e) => return status_error(e.status(), e.body_text()),
    };
    let req: ChatRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => {
            return error_response(&OpenAiError::InvalidRequest(format!("the body is not a valid chat request: {e}")))
        }
    };
    if let Err(e) = req.validate() {
        return error_response(&e);
    }
    // Taken before the backend starts, held by the answer until it is dropped.
    let Ok(permit) = st.permits.clone().try_acquire_owned() else {
        return error_response(&OpenAiError::Busy);
    };
    let model = st.backend.models().into_iter().next().map(|m| m.id).or_else(|| req.model.clone()).unwrap_or_default();
    let stream = req.is_stream();
    let include_usage = req.include_usage();
    let events = match st.backend.chat(req).await {
        Ok(events) => events,
        Err(e) => return error_response(&e),
    };
    let meta = ChunkMeta::new(model);
    if stream {
        sse_response(events, meta, include_usage, permit, st.shutdown.clone(), st.keep_alive)
    } else {
        let reply = collect(events, meta).await;
        drop(permit);
        match reply {
            Ok(done) => json_response(StatusCode::OK, &done),
            Err(e) => error_response(&e),
        }
    }
}

pub(super) async fn not_found(uri: Uri) -> Response {
    status_error(
        StatusCode::NOT_FOUND,
        format!("no route {}: this server has GET /v1/models and POST /v1/chat/completions", uri.path()),
    )
}
