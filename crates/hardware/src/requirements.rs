//! What a model variant needs, as the catalog (TOML, read by the hub crate) states it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Backend {
    Cuda,
    Metal,
    Cpu,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Self::Cuda => "CUDA",
            Self::Metal => "Metal",
            Self::Cpu => "CPU",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Requirements {
    /// Where the variant runs, e.g. ["cuda"] for GPTQ, ["cuda", "metal", "cpu"] for GGUF.
    pub backends: Vec<Backend>,
    /// "8.0" for GPTQ: the Marlin kernels need Ampere or newer.
    #[serde(default)]
    pub min_compute_capability: Option<String>,
    /// Resident size of the weights.
    #[ts(type = "number")]
    pub weights_bytes: u64,
    /// KV cache per token of context, all layers (layers × kv heads × head dim × 2 × bytes).
    #[ts(type = "number")]
    pub kv_bytes_per_token: u64,
    /// Transformer layers; a hybrid plan puts some of them on the GPU and the rest in RAM.
    pub layers: u32,
    pub min_context: u32,
    pub max_context: u32,
}

/// A variant the planner may choose, in the caller's preference order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Candidate {
    pub id: String,
    pub label: String,
    pub requirements: Requirements,
}
