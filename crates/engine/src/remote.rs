//! The remote engine: the same answers, events and budget over a vLLM or SGLang server (or any
//! OpenAI-compatible one), for clinics that serve Baichuan-M2 from one big machine.

use crate::budget::ContextBudget;
use crate::chat::{ChatMessage, ChatRequest, ChatStream, Role, Stopper};
use crate::error::{EngineError, Result};
use crate::load::ModelInfo;
use crate::notice::ModelNotice;
use crate::pump::{Pump, Usage};
use crate::sampling::ThinkingMode;
use crate::source::ModelFormat;
use anamnesis_openai::wire::{self, Message};
use anamnesis_openai::{ApiKey, ChatOptions, EventStream, RemoteClient, RemoteConfig, StreamEvent};
use anamnesis_wire::FinishReason;
use futures::StreamExt;
use std::time::Instant;

/// Where the remote server is. The key comes from the OS keychain, never from settings.
#[derive(Debug, Clone, Default)]
pub struct RemoteOptions {
    /// The API base, e.g. `https://gpu.clinic.example/v1`.
    pub base_url: String,
    /// The served model's id; `None` takes the first the server lists.
    pub model: Option<String>,
    pub api_key: Option<ApiKey>,
}

/// vLLM lists `max_model_len`; a server that does not is assumed to hold Baichuan-M2's 32k.
const DEFAULT_REMOTE_CONTEXT: u64 = 32_768;

pub(crate) async fn connect(opts: &RemoteOptions, max_context: Option<u32>) -> Result<(RemoteClient, ModelInfo)> {
    let started = Instant::now();
    let cfg =
        RemoteConfig { model: opts.model.clone(), api_key: opts.api_key.clone(), ..RemoteConfig::new(&opts.base_url) };
    let client = RemoteClient::new(cfg)?;
    // Listing the models checks the address, the TLS certificate and the key before the first
    // question, so a mistake shows at "load", not halfway through a consultation.
    let models = client.models().await?;
    let id = client.model().await?;
    let context = models.iter().find(|m| m.id == id).and_then(|m| m.max_model_len);
    let host = client.endpoint().url.host_str().unwrap_or("remote").to_string();
    let mut notices = vec![ModelNotice::EstimatedTokens];
    if client.endpoint().insecure {
        notices.push(ModelNotice::InsecureRemote { host: host.clone() });
    }
    if max_context.is_some_and(|m| context.is_some_and(|c| u64::from(m) > c)) {
        notices.push(ModelNotice::RemoteContextCapped);
    }
    let info = ModelInfo {
        path: client.endpoint().url.to_string(),
        name: id,
        format: ModelFormat::Remote,
        architecture: "remote".into(),
        device: format!("remote:{host}"),
        on_cpu: false,
        context_length: Some(context.unwrap_or(DEFAULT_REMOTE_CONTEXT)),
        load_s: started.elapsed().as_secs_f64(),
        draft: None,
        notices,
        isq: None,
        layers: None,
    };
    Ok((client, info))
}

/// A conservative token estimate for the budget: a CJK character is about one Qwen token,
/// other text about four bytes per token; each message adds its role markers.
pub(crate) fn estimate_tokens(messages: &[ChatMessage]) -> usize {
    let text: usize = messages
        .iter()
        .map(|m| {
            let cjk = m
                .content
                .chars()
                .filter(|c| ('\u{2E80}'..='\u{9FFF}').contains(c) || ('\u{F900}'..='\u{FAFF}').contains(c))
                .count();
            let other = m.content.len().saturating_sub(cjk * 3);
            cjk + other.div_ceil(3) + 5
        })
        .sum();
    text + 3
}

fn template_kwargs(mode: ThinkingMode) -> serde_json::Map<String, serde_json::Value> {
    // Baichuan-M2's stock template reads `thinking_mode`; the corrected one in models/ reads
    // `enable_thinking` and `reasoning_effort`, as the local engine sends them.
    let effort = if mode == ThinkingMode::On { "high" } else { "medium" };
    serde_json::Map::from_iter([
        ("thinking_mode".to_string(), serde_json::Value::from(mode.name())),
        ("reasoning_effort".to_string(), serde_json::Value::from(effort)),
    ])
}

pub(crate) async fn start(
    client: &RemoteClient,
    device: String,
    budget: ContextBudget,
    req: ChatRequest,
) -> Result<ChatStream> {
    let messages = req
        .messages
        .iter()
        .map(|m| {
            let role = match m.role {
                Role::System => wire::Role::System,
                Role::User => wire::Role::User,
                Role::Assistant => wire::Role::Assistant,
            };
            Message::new(role, m.content.clone())
        })
        .collect();
    let s = &req.sampling;
    let opts = ChatOptions {
        thinking: Some(req.thinking != ThinkingMode::Off),
        temperature: Some(s.temperature as f32),
        top_p: (!s.is_greedy()).then_some(s.top_p as f32),
        top_k: (!s.is_greedy()).then_some(s.top_k as i32),
        max_tokens: Some(s.max_tokens),
        seed: s.seed,
        template_kwargs: template_kwargs(req.thinking),
        ..ChatOptions::default()
    };
    let (pump, rx) = Pump::new(budget, device, None);
    let stopper = Stopper(pump.cancel.clone());
    let events = client.chat_stream(messages, &opts).await?;
    tokio::spawn(pump.run_remote(events));
    Ok(ChatStream::new(rx, stopper))
}

impl Pump {
    async fn run_remote(mut self, mut events: EventStream) {
        let (mut chunks, mut usage) = (0u32, None);
        let finish = loop {
            let ev = tokio::select! {
                biased;
                _ = self.cancel.cancelled() => break FinishReason::Cancelled,
                ev = events.next() => ev,
            };
            match ev {
                Some(Ok(StreamEvent::Reasoning(t))) => {
                    chunks += 1;
                    self.push_channel(true, &t).await;
                }
                Some(Ok(StreamEvent::Content(t))) => {
                    chunks += 1;
                    self.push_channel(false, &t).await;
                }
                // A safety notice from another Anamnesis server: the app triages on its own.
                Some(Ok(StreamEvent::Triage(_))) => {}
                Some(Ok(StreamEvent::Done { finish_reason, usage: u })) => {
                    usage = u.map(|u: wire::Usage| Usage {
                        prompt_tokens: u.prompt_tokens,
                        completion_tokens: u.completion_tokens,
                        prefill_tok_s: None,
                    });
                    break match finish_reason {
                        anamnesis_openai::FinishReason::Length => FinishReason::Length,
                        anamnesis_openai::FinishReason::Cancelled => FinishReason::Cancelled,
                        _ => FinishReason::Stop,
                    };
                }
                Some(Err(e)) => break self.fail(EngineError::Remote(e)).await,
                None => break self.fail(EngineError::Remote(anamnesis_openai::OpenAiError::Disconnected)).await,
            }
        };
        // Dropping the stream closes the connection: vLLM and SGLang abort the generation.
        drop(events);
        self.finish(finish, chunks, usage, None).await;
    }
}
