//! The JSON of the OpenAI chat API as vLLM, SGLang and OpenAI use it. Reading ignores fields
//! it does not know; writing leaves out fields that are `None`.

mod request;
mod response;

pub use request::{ChatRequest, ContentPart, Message, MessageContent, Role, Stop, StreamOptions};
pub use response::{AssistantMessage, ChatCompletion, Choice, Chunk, ChunkChoice, Delta, Usage};

use serde::{Deserialize, Deserializer, Serialize};

/// `GET /v1/models`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelList {
    #[serde(default = "list")]
    pub object: String,
    pub data: Vec<ModelCard>,
}

impl ModelList {
    pub fn new(data: Vec<ModelCard>) -> Self {
        Self { object: list(), data }
    }
}

fn list() -> String {
    "list".into()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelCard {
    pub id: String,
    #[serde(default = "model")]
    pub object: String,
    #[serde(default)]
    pub created: u64,
    #[serde(default)]
    pub owned_by: String,
    /// vLLM's context length for the model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_model_len: Option<u64>,
}

impl ModelCard {
    pub fn new(id: impl Into<String>, owned_by: impl Into<String>) -> Self {
        Self { id: id.into(), object: model(), created: 0, owned_by: owned_by.into(), max_model_len: None }
    }
}

fn model() -> String {
    "model".into()
}

/// `{"error": {"message", "type", "code"}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub message: String,
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub param: Option<String>,
    /// A string in OpenAI's API; vLLM sends the HTTP status as a number.
    #[serde(default, deserialize_with = "string_or_number")]
    pub code: Option<String>,
}

impl ErrorBody {
    pub fn new(message: impl Into<String>, kind: &str, code: &str) -> Self {
        Self { error: ErrorDetail { message: message.into(), kind: kind.into(), param: None, code: Some(code.into()) } }
    }
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vllm_error_codes_may_be_numbers() {
        let e: ErrorBody =
            serde_json::from_str(r#"{"error":{"message":"bad","type":"BadRequestError","param":null,"code":400}}"#)
                .unwrap();
        assert_eq!(e.error.code.as_deref(), Some("400"));
    }

    #[test]
    fn model_list_reads_vllm() {
        let raw = r#"{"object":"list","data":[{"id":"baichuan-m2","object":"model","created":1,"owned_by":"vllm",
            "root":"/models/m2","parent":null,"max_model_len":32768,"permission":[{"id":"x"}]}]}"#;
        let l: ModelList = serde_json::from_str(raw).unwrap();
        assert_eq!(l.data[0].id, "baichuan-m2");
        assert_eq!(l.data[0].max_model_len, Some(32768));
    }
}
