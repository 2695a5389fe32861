//! One consultation turn, the same on every surface: triage the message (rules, before any
//! token) and say an emergency first; build the prompt from the versioned system prompt with the
//! patient block and the earlier turns; stream the model's answer while its opening is read for
//! red flags of its own (the second net), which raise the triage when the rules missed them.

use crate::error::AppResult;
use anamnesis_consult::{build_system_prompt, escalate, triage, Lang, PatientContext, Triage, TriageLevel};
use anamnesis_engine::{ChatEvent, ChatMessage, ChatRequest, ModelHost, Role, SamplingConfig, ThinkingMode};
use serde::Serialize;
use ts_rs::TS;

/// How much of an answer the second net reads: the system prompt puts an emergency and the red
/// flags first.
pub const MODEL_NET_CHARS: usize = 6000;

/// A turn without a history store (the CLI).
#[derive(Debug, Clone, Default)]
pub struct TurnInput {
    /// Earlier user and assistant messages, oldest first.
    pub history: Vec<ChatMessage>,
    /// The new user message.
    pub message: String,
    /// Documents attached to it (their text goes into the prompt after the message).
    pub attachments: Vec<anamnesis_wire::Attachment>,
    pub patient: PatientContext,
    pub complaint: Option<String>,
    pub thinking: ThinkingMode,
    pub sampling: SamplingConfig,
}

/// What a turn streams: the triage always first, then the model's events (and a raised triage
/// if the answer's opening names an emergency the rules missed).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum TurnEvent {
    Triage { triage: Triage },
    Chat { event: ChatEvent },
}

/// The system prompt in the message's language with the patient block.
pub fn system_message(lang: Lang, patient: &PatientContext, complaint: Option<&str>) -> ChatMessage {
    let complaint = complaint.filter(|s| !s.trim().is_empty());
    ChatMessage::new(Role::System, build_system_prompt(lang, patient, complaint))
}

/// Reads the opening of an answer for the model's own emergency (the second net).
pub struct SecondNet {
    first: Triage,
    patient: PatientContext,
    lang: Lang,
    answer: String,
    open: bool,
}

impl SecondNet {
    pub fn new(first: &Triage, patient: &PatientContext, lang: Lang) -> Self {
        Self {
            first: first.clone(),
            patient: patient.clone(),
            lang,
            answer: String::new(),
            // Already an emergency: nothing to raise.
            open: first.level != TriageLevel::Emergency,
        }
    }

    /// The next piece of the answer; the raised triage, once, when the model names an emergency.
    pub fn read(&mut self, text: &str) -> Option<Triage> {
        if !self.open {
            return None;
        }
        self.answer.push_str(text);
        let raised = escalate(&self.first, &self.answer, &self.patient, self.lang);
        self.open = raised.is_none() && self.answer.len() < MODEL_NET_CHARS;
        raised
    }
}

/// Runs a turn on the loaded model; returns the triage it ended with. `emit` returning false
/// stops the answer.
pub async fn run(host: &ModelHost, input: TurnInput, mut emit: impl FnMut(TurnEvent) -> bool) -> AppResult<Triage> {
    let first = triage(&input.message, &input.patient);
    let mut last = first.clone();
    if !emit(TurnEvent::Triage { triage: first.clone() }) {
        return Ok(first);
    }
    let lang = Lang::detect(&input.message);
    let mut messages = vec![system_message(lang, &input.patient, input.complaint.as_deref())];
    messages.extend(input.history.into_iter().filter(|m| m.role != Role::System));
    messages
        .push(ChatMessage::new(Role::User, anamnesis_consult::with_attachments(&input.message, &input.attachments)));
    let mut net = SecondNet::new(&first, &input.patient, lang);
    let req = ChatRequest { messages, sampling: input.sampling, thinking: input.thinking, banned_tokens: Vec::new() };
    host.chat(req, |event| {
        if let ChatEvent::Content { text } = &event {
            if let Some(raised) = net.read(text) {
                last = raised.clone();
                if !emit(TurnEvent::Triage { triage: raised }) {
                    return false;
                }
            }
        }
        emit(TurnEvent::Chat { event })
    })
    .await?;
    Ok(last)
}
