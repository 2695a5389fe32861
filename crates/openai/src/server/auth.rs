//! Bearer-key check on every route, in constant time so the key cannot be guessed byte by byte
//! from response timings.

use super::reply::error_response;
use super::State;
use crate::error::OpenAiError;
use axum::extract::Request;
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::Response;
use subtle::ConstantTimeEq;

pub(super) async fn require_key(
    axum::extract::State(st): axum::extract::State<State>,
    req: Request,
    next: Next,
) -> Response {
    let given = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim);
    let ok = given.is_some_and(|g| bool::from(g.as_bytes().ct_eq(st.key.reveal().as_bytes())));
    if !ok {
        let message = if given.is_none() {
            "missing API key: send it as \"Authorization: Bearer <key>\""
        } else {
            "incorrect API key"
        };
        return error_response(&OpenAiError::Unauthorized { status: 401, message: message.into() });
    }
    next.run(req).await
}
