//! Anamnesis' engine: loads a local model with mistral.rs and streams chat answers as typed
//! events, with the thinking trace kept apart from the answer.

pub mod budget;
mod chat;
mod error;
mod events;
pub mod gguf;
mod gpu;
mod host;
mod load;
mod notice;
mod pump;
mod remote;
mod sampling;
mod source;
mod speculation;
mod stamp;
pub use anamnesis_openai::think;

/// Whether this build can run models on an NVIDIA GPU (the `cuda` feature) or on Apple's
/// (`metal`); without either, models run on the CPU whatever the machine has.
pub const BUILT_WITH_CUDA: bool = cfg!(feature = "cuda");
pub const BUILT_WITH_METAL: bool = cfg!(feature = "metal");

pub use anamnesis_wire::{ContextNotice, DraftStats, DraftVerdict, FinishReason, GpuProblem, Stats};
pub use budget::ContextBudget;
pub use chat::{ChatMessage, ChatRequest, ChatStream, Role, Stopper};
pub use error::{EngineError, ErrorPayload, Result};
pub use events::ChatEvent;
pub use gpu::gpu_problem;
pub use host::{ModelHost, ModelStatus};
pub use load::{DraftInfo, DraftOptions, LayerSplit, LoadOptions, ModelInfo, DEFAULT_GAMMA};
pub use notice::ModelNotice;
pub use remote::RemoteOptions;
pub use sampling::{SamplingConfig, ThinkingMode};
pub use source::{ModelFormat, ModelSource, GGUF_ARCHITECTURES, SAFETENSORS_ARCHITECTURES};

use std::sync::Arc;

/// A loaded model. Cheap to share: clone the `Arc` it lives in.
pub struct Engine {
    backend: Backend,
    info: ModelInfo,
    max_context: Option<u32>,
}

/// Where answers come from: weights loaded here, or a remote server.
enum Backend {
    Local(Arc<mistralrs::Model>),
    // Boxed: the client is large beside an Arc.
    Remote(Box<anamnesis_openai::RemoteClient>),
}

impl Engine {
    /// Checks the path, then loads. Blocks for a long time inside: run it on a multi-thread
    /// runtime.
    pub async fn load(opts: LoadOptions) -> Result<Self> {
        if let Some(r) = &opts.remote {
            let (client, info) = remote::connect(r, opts.max_context).await?;
            return Ok(Self { backend: Backend::Remote(Box::new(client)), info, max_context: opts.max_context });
        }
        let (model, info) = load::load(&opts).await?;
        Ok(Self { backend: Backend::Local(Arc::new(model)), info, max_context: opts.max_context })
    }

    fn local(&self, what: &'static str) -> Result<&Arc<mistralrs::Model>> {
        match &self.backend {
            Backend::Local(m) => Ok(m),
            Backend::Remote(_) => Err(EngineError::NotForRemote(what)),
        }
    }

    pub fn info(&self) -> &ModelInfo {
        &self.info
    }

    /// Tokens of a chat prompt after the template is applied, as the model will see it.
    /// A remote model's count is an estimate (its server does the real count).
    pub async fn prompt_tokens(&self, messages: &[ChatMessage], thinking: ThinkingMode) -> Result<usize> {
        let model = match &self.backend {
            Backend::Local(m) => m,
            Backend::Remote(_) => return Ok(remote::estimate_tokens(messages)),
        };
        let mut tm = mistralrs::TextMessages::new();
        for m in messages {
            let role = match m.role {
                Role::System => mistralrs::TextMessageRole::System,
                Role::User => mistralrs::TextMessageRole::User,
                Role::Assistant => mistralrs::TextMessageRole::Assistant,
            };
            tm = tm.add_message(role, &m.content);
        }
        let (enable, _) = sampling::template_vars(thinking);
        let toks = model
            .tokenize(either::Either::Left(tm), None, true, true, Some(enable))
            .await
            .map_err(|e| EngineError::Generation(e.to_string()))?;
        Ok(toks.len())
    }

    /// Token ids of plain text (no template, no special tokens added).
    pub async fn tokenize(&self, text: &str) -> Result<Vec<u32>> {
        self.local("tokenizing")?
            .tokenize(either::Either::Right(text.to_string()), None, false, false, None)
            .await
            .map_err(|e| EngineError::Generation(e.to_string()))
    }

    pub async fn detokenize(&self, ids: &[u32]) -> Result<String> {
        self.local("detokenizing")?
            .detokenize(ids.to_vec(), false)
            .await
            .map_err(|e| EngineError::Generation(e.to_string()))
    }

    /// Ids of the usual end-of-turn tokens that exist in this model's vocabulary.
    pub async fn end_of_turn_tokens(&self) -> Vec<u32> {
        let mut ids = Vec::new();
        for t in ["<|im_end|>", "<|endoftext|>", "</s>", "<|eot_id|>", "<|end_of_text|>"] {
            if let Ok(v) = self.tokenize(t).await {
                if v.len() == 1 {
                    ids.push(v[0]);
                }
            }
        }
        ids
    }

    /// The context an answer must fit in: the model's own limit, capped by `max_context`.
    pub fn context_limit(&self) -> u32 {
        let model = self.info.context_length.unwrap_or(4096).min(u32::MAX as u64) as u32;
        self.max_context.map_or(model, |m| m.min(model))
    }

    /// Fits the conversation into the context (dropping the oldest turns if needed) and reports
    /// the budget, without generating.
    pub async fn fit(&self, req: &ChatRequest) -> Result<(Vec<ChatMessage>, budget::ContextBudget)> {
        let thinking = req.thinking;
        budget::fit(&req.messages, self.context_limit(), req.sampling.max_tokens, |m| async move {
            self.prompt_tokens(&m, thinking).await
        })
        .await
    }

    /// Starts an answer. The stream yields events until `Done`.
    pub async fn chat(&self, mut req: ChatRequest) -> Result<ChatStream> {
        let (messages, budget) = self.fit(&req).await?;
        req.messages = messages;
        // Never ask for more than the context has room for: the answer ends with "length"
        // instead of an error at the context's edge.
        req.sampling.max_tokens = req.sampling.max_tokens.min(budget.answer_room.max(1));
        match &self.backend {
            Backend::Local(m) => {
                chat::start(m.clone(), self.info.device.clone(), self.info.draft.is_some(), budget, req).await
            }
            Backend::Remote(c) => remote::start(c, self.info.device.clone(), budget, req).await,
        }
    }
}
