//! The remote engine: a vLLM or SGLang server (`--reasoning-parser qwen3`) or any OpenAI-style
//! endpoint, streamed as the same `StreamEvent`s the local engine gives.
//!
//! TLS is verified against the OS trust store (rustls); redirects are not followed, so the key
//! is sent only to the configured base URL, and only in the `Authorization` header.

mod decode;
mod endpoint;
mod http;
mod reader;
mod sse;

pub use endpoint::Endpoint;

use crate::error::OpenAiError;
use crate::event::EventStream;
use crate::key::ApiKey;
use crate::wire::{ChatRequest, Message, ModelCard, ModelList, Stop, StreamOptions};
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, LOCATION};
use std::time::Duration;
use tokio::sync::OnceCell;

#[derive(Debug, Clone)]
pub struct RemoteConfig {
    /// e.g. `https://gpu.clinic.example/v1` or `http://192.168.1.20:8000` (`/v1` is added to a
    /// bare host).
    pub base_url: String,
    pub api_key: Option<ApiKey>,
    /// The served model's id; `None` uses the first one `GET /v1/models` lists.
    pub model: Option<String>,
    pub connect_timeout: Duration,
    /// Longest wait for the response headers and then for each next piece of the stream. A
    /// large prompt on a busy server can take long before the first token: be generous.
    pub idle_timeout: Duration,
}

impl RemoteConfig {
    /// 10 s to connect, 5 minutes of silence at most.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            api_key: None,
            model: None,
            connect_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(300),
        }
    }
}

/// Sampling and thinking for one answer; `None` leaves the server's default.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChatOptions {
    /// Sent as `chat_template_kwargs.enable_thinking`.
    pub thinking: Option<bool>,
    pub temperature: Option<f32>,
    pub top_p: Option<f32>,
    /// vLLM/SGLang only; plain OpenAI refuses it.
    pub top_k: Option<i32>,
    pub max_tokens: Option<u32>,
    pub seed: Option<u64>,
    pub stop: Vec<String>,
    /// More `chat_template_kwargs` for templates that read other names (Baichuan-M2's own
    /// template reads `thinking_mode`: "on" / "off" / "auto").
    pub template_kwargs: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug)]
pub struct RemoteClient {
    http: reqwest::Client,
    endpoint: Endpoint,
    cfg: RemoteConfig,
    model: OnceCell<String>,
}

/// Makes ring rustls' crypto provider for this process, as reqwest needs one before it builds a
/// client (the workspace builds it without its aws-lc default). One already installed stays.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl RemoteClient {
    pub fn new(cfg: RemoteConfig) -> Result<Self, OpenAiError> {
        let endpoint = Endpoint::parse(&cfg.base_url)?;
        install_tls_provider();
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("anamnesis/", env!("CARGO_PKG_VERSION")))
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(cfg.connect_timeout)
            .https_only(false); // Endpoint::parse already allows http only locally
        if endpoint.is_local_http() {
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|e| http::network(endpoint.url.as_str(), &e, cfg.connect_timeout))?;
        let model = OnceCell::new_with(cfg.model.clone().filter(|m| !m.trim().is_empty()));
        Ok(Self { http, endpoint, cfg, model })
    }

    /// The checked base URL, and whether traffic to it is unencrypted (`insecure`).
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// `GET /v1/models`.
    pub async fn models(&self) -> Result<Vec<ModelCard>, OpenAiError> {
        let resp = self.send(self.http.get(self.endpoint.join("models"))).await?;
        let body = self.read_body(resp).await?;
        let list: ModelList =
            serde_json::from_slice(&body).map_err(|e| OpenAiError::Malformed(format!("model list: {e}")))?;
        Ok(list.data)
    }

    /// The model answers are asked of: the configured one, else the server's first.
    pub async fn model(&self) -> Result<String, OpenAiError> {
        self.model
            .get_or_try_init(|| async {
                let models = self.models().await?;
                models.into_iter().next().map(|m| m.id).ok_or_else(|| OpenAiError::ServerError {
                    status: None,
                    message: "the server lists no model".into(),
                })
            })
            .await
            .cloned()
    }

    /// The request `chat_stream` sends.
    pub fn request(&self, model: String, messages: Vec<Message>, opts: &ChatOptions) -> ChatRequest {
        let mut req = ChatRequest {
            model: Some(model),
            messages,
            stream: Some(true),
            stream_options: Some(StreamOptions { include_usage: Some(true) }),
            temperature: opts.temperature,
            top_p: opts.top_p,
            top_k: opts.top_k,
            max_tokens: opts.max_tokens,
            seed: opts.seed,
            stop: (!opts.stop.is_empty()).then(|| Stop::Many(opts.stop.clone())),
            ..Default::default()
        };
        if let Some(on) = opts.thinking {
            req.set_enable_thinking(on);
        }
        if !opts.template_kwargs.is_empty() {
            let kwargs = req.chat_template_kwargs.get_or_insert_with(Default::default);
            kwargs.extend(opts.template_kwargs.clone());
        }
        req
    }

    /// Starts an answer. HTTP and connection failures come back here; failures while streaming
    /// come as the stream's last item, after all the text received so far. Dropping the stream
    /// closes the connection, which makes vLLM and SGLang abort the generation.
    pub async fn chat_stream(&self, messages: Vec<Message>, opts: &ChatOptions) -> Result<EventStream, OpenAiError> {
        let model = self.model().await?;
        let body = serde_json::to_vec(&self.request(model, messages, opts))
            .map_err(|e| OpenAiError::InvalidRequest(e.to_string()))?;
        let req = self
            .http
            .post(self.endpoint.join("chat/completions"))
            .header(CONTENT_TYPE, "application/json")
            .header(ACCEPT, "text/event-stream")
            .body(body);
        let resp = self.send(req).await?;
        Ok(reader::events(resp, self.cfg.idle_timeout))
    }

    /// Sends with the key, within the idle timeout; a non-2xx status becomes an error.
    async fn send(&self, req: reqwest::RequestBuilder) -> Result<reqwest::Response, OpenAiError> {
        let req = match self.cfg.api_key.as_ref().filter(|k| !k.is_empty()) {
            Some(key) => req.header(AUTHORIZATION, format!("Bearer {}", key.reveal())),
            None => req,
        };
        let url = self.endpoint.url.as_str();
        let resp = tokio::time::timeout(self.cfg.idle_timeout, req.send())
            .await
            .map_err(|_| OpenAiError::Timeout {
                what: "waiting for the server to answer",
                secs: self.cfg.idle_timeout.as_secs_f64(),
            })?
            .map_err(|e| http::network(url, &e, self.cfg.connect_timeout))?;
        let status = resp.status().as_u16();
        if (200..300).contains(&status) {
            return Ok(resp);
        }
        let location = resp.headers().get(LOCATION).and_then(|v| v.to_str().ok()).map(str::to_string);
        // The error body is best effort: a server that fails may not send one.
        let body = tokio::time::timeout(Duration::from_secs(10), resp.bytes())
            .await
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default();
        Err(http::status_error(status, &body, location.as_deref()))
    }

    async fn read_body(&self, resp: reqwest::Response) -> Result<Vec<u8>, OpenAiError> {
        let url = self.endpoint.url.as_str();
        let bytes = tokio::time::timeout(self.cfg.idle_timeout, resp.bytes())
            .await
            .map_err(|_| OpenAiError::Timeout {
                what: "reading the server's answer",
                secs: self.cfg.idle_timeout.as_secs_f64(),
            })?
            .map_err(|e| http::network(url, &e, self.cfg.connect_timeout))?;
        Ok(bytes.to_vec())
    }
}
