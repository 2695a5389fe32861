//! What the server serves: the app implements this over its loaded engine (one copy of the
//! weights for the window and the API).

use crate::error::OpenAiError;
use crate::event::EventStream;
use crate::wire::{ChatRequest, ModelCard};
use futures::future::BoxFuture;

pub trait ChatBackend: Send + Sync + 'static {
    /// What `GET /v1/models` lists; empty while no model is loaded.
    fn models(&self) -> Vec<ModelCard>;

    /// Starts one answer for a request that already passed [`ChatRequest::validate`].
    ///
    /// Errors map to HTTP statuses: `NotLoaded` → 503, `Busy` → 429, `InvalidRequest` → 400,
    /// anything else → 500. The stream must end with `Done` (or an `Err`); the server drops it
    /// as soon as the HTTP client goes away, which is the backend's signal to stop generating.
    fn chat(&self, req: ChatRequest) -> BoxFuture<'_, Result<EventStream, OpenAiError>>;
}
