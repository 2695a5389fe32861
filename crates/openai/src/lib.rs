//! The OpenAI chat-completions API as vLLM, SGLang and OpenAI speak it.
//!
//! - [`wire`]: the JSON shapes (requests, responses, stream chunks, model lists, error bodies).
//! - [`think`]: splits raw model text into thinking trace and answer at `<think>` tags; the
//!   engine and the remote client share it.
//! - [`StreamEvent`]: what an answer streams, whichever side produced it.
//! - `server` (feature `server`): a loopback-only HTTP server over a [`ChatBackend`].
//! - `client` (feature `client`): [`RemoteClient`] for a vLLM/SGLang server elsewhere.

mod error;
mod event;
mod key;
pub mod think;
pub mod wire;

#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "server")]
pub mod server;

pub use anamnesis_wire::ErrorPayload;
pub use error::{OpenAiError, Result};
pub use event::{EventStream, FinishReason, StreamEvent};
pub use key::ApiKey;

#[cfg(feature = "client")]
pub use client::{ChatOptions, Endpoint, RemoteClient, RemoteConfig};
#[cfg(feature = "server")]
pub use server::{ChatBackend, RunningServer, ServerConfig};
