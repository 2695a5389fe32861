//! `POST /v1/chat/completions` request body.

use crate::error::OpenAiError;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChatRequest {
    /// Required by OpenAI; vLLM and this crate's server fall back to the served model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    pub messages: Vec<Message>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_options: Option<StreamOptions>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_p: Option<f32>,
    /// Not in OpenAI's API; vLLM and SGLang take it (-1 = off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top_k: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_completion_tokens: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop: Option<Stop>,
    /// Passed to the chat template by vLLM/SGLang, e.g. `{"enable_thinking": false}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_template_kwargs: Option<Map<String, Value>>,
    /// Anamnesis' server: `true` sends the messages to the model as they are, without the red-flag
    /// triage and without the medical system prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<bool>,
    /// Anamnesis' server: the patient context (age, sex, pregnancy, conditions, medications,
    /// allergies, jurisdiction), as the app stores it; it informs the triage and the system prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patient: Option<Value>,
}

impl ChatRequest {
    pub fn is_stream(&self) -> bool {
        self.stream.unwrap_or(false)
    }

    pub fn include_usage(&self) -> bool {
        self.stream_options.as_ref().and_then(|o| o.include_usage).unwrap_or(false)
    }

    /// The answer's token limit: `max_completion_tokens` (newer name) wins over `max_tokens`.
    pub fn max_new_tokens(&self) -> Option<u32> {
        self.max_completion_tokens.or(self.max_tokens)
    }

    /// `chat_template_kwargs.enable_thinking`, when given as a boolean.
    pub fn enable_thinking(&self) -> Option<bool> {
        self.chat_template_kwargs.as_ref()?.get("enable_thinking")?.as_bool()
    }

    pub fn set_enable_thinking(&mut self, on: bool) {
        self.chat_template_kwargs.get_or_insert_with(Map::new).insert("enable_thinking".into(), Value::Bool(on));
    }

    pub fn stop_sequences(&self) -> Vec<String> {
        match &self.stop {
            None => Vec::new(),
            Some(Stop::One(s)) => vec![s.clone()],
            Some(Stop::Many(v)) => v.clone(),
        }
    }

    /// Checks what serde cannot: at least one message, text-only content.
    pub fn validate(&self) -> Result<(), OpenAiError> {
        if self.messages.is_empty() {
            return Err(OpenAiError::InvalidRequest("`messages` must not be empty".into()));
        }
        for (i, m) in self.messages.iter().enumerate() {
            if let Err(OpenAiError::InvalidRequest(why)) = m.text() {
                return Err(OpenAiError::InvalidRequest(format!("messages[{i}]: {why}")));
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub role: Role,
    /// `null` is allowed for assistant turns and reads as empty text.
    #[serde(default)]
    pub content: MessageContent,
}

impl Message {
    pub fn new(role: Role, text: impl Into<String>) -> Self {
        Self { role, content: MessageContent::Text(text.into()) }
    }

    /// The message as plain text: text parts joined; any other part (an image) is refused.
    pub fn text(&self) -> Result<String, OpenAiError> {
        let refuse = |why: String| Err(OpenAiError::InvalidRequest(why));
        match &self.content {
            MessageContent::Text(t) => Ok(t.clone()),
            MessageContent::Null => Ok(String::new()),
            MessageContent::Parts(parts) => {
                let mut out = String::new();
                for p in parts {
                    match (p.kind.as_str(), &p.text) {
                        ("text", Some(t)) => out.push_str(t),
                        ("text", None) => return refuse("a text part has no `text`".into()),
                        (other, _) => {
                            return refuse(format!("content parts of type \"{other}\" are not supported (text only)"))
                        }
                    }
                }
                Ok(out)
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MessageContent {
    Text(String),
    Parts(Vec<ContentPart>),
    #[default]
    Null,
}

/// `{"type": "text", "text": "…"}`; other types are read so that they can be refused clearly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentPart {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Stop {
    One(String),
    Many(Vec<String>),
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StreamOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_usage: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_string_and_part_content_and_ignores_unknown_fields() {
        let raw = r#"{"model":"m","messages":[
            {"role":"system","content":"be brief"},
            {"role":"user","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}],"name":"x"},
            {"role":"assistant","content":null}],
            "stream":true,"stream_options":{"include_usage":true},"max_completion_tokens":9,"max_tokens":5,
            "stop":"END","chat_template_kwargs":{"enable_thinking":false},"logprobs":false,"n":1}"#;
        let r: ChatRequest = serde_json::from_str(raw).unwrap();
        r.validate().unwrap();
        assert_eq!(r.messages[1].text().unwrap(), "ab");
        assert_eq!(r.messages[2].text().unwrap(), "");
        assert!(r.is_stream() && r.include_usage());
        assert_eq!(r.max_new_tokens(), Some(9));
        assert_eq!(r.enable_thinking(), Some(false));
        assert_eq!(r.stop_sequences(), vec!["END".to_string()]);
    }

    #[test]
    fn refuses_unknown_roles_images_and_empty_messages() {
        let tool = r#"{"messages":[{"role":"tool","content":"x"}]}"#;
        assert!(serde_json::from_str::<ChatRequest>(tool).is_err());
        let image = r#"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}"#;
        let r: ChatRequest = serde_json::from_str(image).unwrap();
        assert_eq!(r.validate().unwrap_err().code(), "INVALID_REQUEST");
        let empty: ChatRequest = serde_json::from_str(r#"{"messages":[]}"#).unwrap();
        assert_eq!(empty.validate().unwrap_err().code(), "INVALID_REQUEST");
    }

    #[test]
    fn writes_only_what_is_set() {
        let mut r = ChatRequest {
            model: Some("m".into()),
            messages: vec![Message::new(Role::User, "hi")],
            ..Default::default()
        };
        r.set_enable_thinking(false);
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"model":"m","messages":[{"role":"user","content":"hi"}],"chat_template_kwargs":{"enable_thinking":false}})
        );
    }
}
