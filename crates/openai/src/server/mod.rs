//! The OpenAI-compatible API over the app's loaded model. Off unless the caller starts it;
//! listens on loopback only, and every route needs the bearer key.
//!
//! Concurrency: `max_concurrent` answers at a time (default 1, the engine runs one sequence);
//! a request beyond that gets 429 `rate_limit_exceeded` at once instead of waiting, so nothing
//! queues behind a long answer and nothing deadlocks.

mod auth;
mod backend;
mod reply;
mod routes;
mod sse;

pub use backend::ChatBackend;

use crate::error::OpenAiError;
use crate::key::ApiKey;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinHandle;

#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Must be a loopback address; port 0 picks a free port.
    pub addr: SocketAddr,
    /// The bearer key every request must carry. An empty key is refused.
    pub api_key: ApiKey,
    /// Largest request body accepted (413 beyond).
    pub body_limit: usize,
    /// Answers generated at once; more get 429.
    pub max_concurrent: usize,
    /// An SSE comment is sent after this long without output (a long prefill), so proxies and
    /// clients with idle timeouts keep the connection.
    pub keep_alive: Duration,
}

impl ServerConfig {
    /// 127.0.0.1:`port` with the defaults: 4 MiB bodies, one answer at a time, 10 s keep-alive.
    pub fn new(port: u16, api_key: ApiKey) -> Self {
        Self {
            addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port),
            api_key,
            body_limit: 4 << 20,
            max_concurrent: 1,
            keep_alive: Duration::from_secs(10),
        }
    }
}

#[derive(Clone)]
pub(crate) struct State {
    backend: Arc<dyn ChatBackend>,
    key: ApiKey,
    permits: Arc<Semaphore>,
    shutdown: watch::Receiver<bool>,
    keep_alive: Duration,
}

/// A started server. Dropping it stops the server too (open answers end and their backend
/// streams are dropped); [`RunningServer::shutdown`] also waits for that to finish.
pub struct RunningServer {
    addr: SocketAddr,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl RunningServer {
    /// The address actually bound (the real port when 0 was asked).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/v1`, what OpenAI clients take as their base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// Stops accepting, ends open answers, and waits (at most 5 s) for connections to close.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), task).await.is_err() {
                abort.abort();
            }
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Binds and starts serving in the background on the current tokio runtime.
pub async fn start(cfg: ServerConfig, backend: Arc<dyn ChatBackend>) -> Result<RunningServer, OpenAiError> {
    if !cfg.addr.ip().is_loopback() {
        return Err(OpenAiError::NotLoopback(cfg.addr));
    }
    if cfg.api_key.is_empty() {
        return Err(OpenAiError::InvalidRequest("the API server needs a non-empty API key".into()));
    }
    let listener = tokio::net::TcpListener::bind(cfg.addr)
        .await
        .map_err(|e| OpenAiError::Bind { addr: cfg.addr, reason: e.to_string() })?;
    let addr = listener.local_addr().map_err(|e| OpenAiError::Bind { addr: cfg.addr, reason: e.to_string() })?;
    let (stop, shutdown) = watch::channel(false);
    let state = State {
        backend,
        key: cfg.api_key,
        permits: Arc::new(Semaphore::new(cfg.max_concurrent.max(1))),
        shutdown: shutdown.clone(),
        keep_alive: cfg.keep_alive,
    };
    let app = Router::new()
        .route("/v1/models", get(routes::models))
        .route("/v1/chat/completions", post(routes::chat))
        .fallback(routes::not_found)
        .layer(DefaultBodyLimit::max(cfg.body_limit))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::require_key))
        .with_state(state);
    let mut stopped = shutdown;
    let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
        // A dropped sender (the handle dropped) counts as a stop too.
        let _ = stopped.wait_for(|s| *s).await;
    });
    let task = tokio::spawn(async move {
        if let Err(e) = serve.await {
            tracing::warn!("OpenAI API server stopped with an error: {e}");
        }
    });
    tracing::info!("OpenAI API server listening on http://{addr}/v1");
    Ok(RunningServer { addr, stop, task: Some(task) })
}
