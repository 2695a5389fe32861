//! One turn of a stored consultation, from the user's message to the saved answer: the turn of
//! `turn.rs` (triage first, the system prompt with the patient, the stream, the second net) with
//! the store's crash-safe incremental writes. The window runs this; its events go to the UI.

use crate::error::AppResult;
use crate::turn::{system_message, SecondNet};
use anamnesis_consult::{
    live_parts, parse_answer, triage, with_attachments, Lang, LivePart, ParsedAnswer, PatientContext, Triage,
};
use anamnesis_engine::{
    ChatEvent, ChatMessage, ChatRequest, ContextNotice, ErrorPayload, FinishReason, ModelHost, ModelInfo, Role,
    SamplingConfig, ThinkingMode,
};
use anamnesis_settings::Settings;
use anamnesis_store::{
    AnswerVersion, Consultation, ConsultationId, MessageId, MessageRole, MessageStatus, NewConsultation, Store,
    StoredMessage,
};
use anamnesis_wire::Attachment;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum ConsultEvent {
    /// The red-flag check of the user's message and the patient context; always first.
    Triage { triage: Triage },
    /// The user message and the answer are saved under these ids.
    Saved {
        #[ts(type = "number")]
        user_message_id: MessageId,
        #[ts(type = "number")]
        assistant_message_id: MessageId,
    },
    /// An untitled consultation was named after its first question (after the triage).
    Titled { title: String },
    /// How the prompt fits the context, with the stored ids of the messages left out; before the
    /// model's first token.
    Context { notice: ContextNotice },
    /// A model event (reasoning, content, stats, done, error; the context comes as `Context`).
    Chat { event: ChatEvent },
    /// The answer's red-flag sections as cards, with the Markdown around them as ranges of the
    /// streamed text, whenever they change (`None`: none to show); the last one after the answer
    /// ends. The window shows these until `parsed` replaces them.
    Live { parts: Option<Vec<LivePart>> },
    /// The finished answer's sections (red flags first) and follow-up questions; after the
    /// answer is saved, for an answer that ended on its own (not stopped, not failed).
    Parsed { parsed: ParsedAnswer },
    /// The last event of a turn on a channel, whether it succeeded or failed. The window's
    /// channel and the command's result travel separately, so the result can arrive before the
    /// last events: the UI closes the turn only once it has this one (`run_turn` never emits it;
    /// the shell sends it after the turn).
    Finished,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ConsultationView {
    pub consultation: Consultation,
    pub patient: PatientContext,
    pub messages: Vec<StoredMessage>,
    /// The sections of every finished answer, by message id.
    pub answers: Vec<AnswerSections>,
    /// The red-flag cards of the other answers (stopped, failed, cut off, or without sections).
    pub live: Vec<LiveAnswer>,
    /// Earlier answers, kept when a question was answered again or edited, oldest first.
    pub versions: Vec<AnswerVersion>,
}

/// A stored answer's red-flag sections among its Markdown, by the rules of a streamed one.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct LiveAnswer {
    #[ts(type = "number")]
    pub message_id: MessageId,
    pub parts: Vec<LivePart>,
}

/// A stored answer's sections, parsed by the same rules as a streamed one.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AnswerSections {
    #[ts(type = "number")]
    pub message_id: MessageId,
    pub parsed: ParsedAnswer,
}

/// Answers that ended on their own get sections; a stopped, failed or cut-off one stays plain.
fn parsed(m: &StoredMessage) -> Option<ParsedAnswer> {
    (m.role == MessageRole::Assistant && m.status == MessageStatus::Complete && !m.content.trim().is_empty())
        .then(|| parse_answer(&m.content))
}

/// What the user asked for.
pub enum Turn {
    /// A new question, with the documents attached to it (their text, extracted here).
    New(String, Vec<Attachment>),
    Edit(MessageId, String),
    Regenerate,
}

pub fn patient_of(c: &Consultation) -> PatientContext {
    c.patient.clone().unwrap_or_default()
}

/// A new consultation in the app's language, its default thinking mode and the settings' country
/// (a banner then names the number to call instead of "your local one"). "Auto" thinking starts
/// off where the model runs mostly on the CPU: a thinking trace there takes minutes before the
/// answer; the composer shows it, and one click turns it on.
pub fn new_consultation(store: &Store, settings: &Settings, model: Option<&ModelInfo>) -> AppResult<ConsultationView> {
    let patient =
        settings.country.clone().map(|c| PatientContext { jurisdiction: Some(c), ..PatientContext::default() });
    let thinking = match settings.thinking {
        ThinkingMode::Auto if model.is_some_and(mostly_on_cpu) => ThinkingMode::Off,
        mode => mode,
    };
    let new = NewConsultation { lang: settings.language, thinking, patient, ..NewConsultation::default() };
    let c = store.create_consultation(new)?;
    view(store, c.id)
}

/// On the CPU, or with most layers there (every token waits for them).
fn mostly_on_cpu(m: &ModelInfo) -> bool {
    m.on_cpu || m.layers.is_some_and(|l| l.on_gpu * 2 < l.total)
}

pub fn view(store: &Store, id: ConsultationId) -> AppResult<ConsultationView> {
    let consultation = store.consultation(id)?;
    let messages = store.messages(id)?;
    let answers: Vec<AnswerSections> =
        messages.iter().filter_map(|m| parsed(m).map(|parsed| AnswerSections { message_id: m.id, parsed })).collect();
    let sectioned = |id: MessageId| answers.iter().any(|a| a.message_id == id && a.parsed.structured);
    let live = messages
        .iter()
        .filter(|m| m.role == MessageRole::Assistant && !sectioned(m.id))
        .filter_map(|m| live_parts(&m.content, true).map(|parts| LiveAnswer { message_id: m.id, parts }))
        .collect();
    let versions = store.answer_versions(id)?;
    Ok(ConsultationView { patient: patient_of(&consultation), messages, answers, live, versions, consultation })
}

/// Saves the user's side of the turn and returns (user message, its text, triage).
fn user_side(store: &Store, c: &Consultation, turn: Turn) -> AppResult<(StoredMessage, Triage)> {
    let user = match turn {
        Turn::New(text, attachments) => {
            if attachments.len() > anamnesis_attach::MAX_PER_MESSAGE {
                return Err(anamnesis_store::StoreError::InvalidInput(format!(
                    "at most {} documents can be attached to one message",
                    anamnesis_attach::MAX_PER_MESSAGE
                ))
                .into());
            }
            store.append_user_message_with(c.id, text.trim(), &attachments)?
        }
        Turn::Edit(id, text) => {
            if store.message(id)?.consultation_id != c.id {
                return Err(anamnesis_store::StoreError::InvalidInput(
                    "that message belongs to another consultation".into(),
                )
                .into());
            }
            store.edit_user_message(id, text.trim())?;
            store.message(id)?
        }
        Turn::Regenerate => {
            let msgs = store.messages(c.id)?;
            let last = msgs.iter().rev().find(|m| m.role == MessageRole::User).cloned();
            last.ok_or_else(|| anamnesis_store::StoreError::InvalidInput("nothing to regenerate yet".into()))?
        }
    };
    let t = triage(&user.content, &patient_of(c));
    store.set_triage(user.id, Some(&t))?;
    Ok((user, t))
}

/// The prompt: the system prompt with the patient block, then the finished turns; beside it the
/// stored id of each prompt message (none for the system prompt), to name dropped turns.
fn prompt(c: &Consultation, history: &[StoredMessage], lang: Lang) -> (Vec<ChatMessage>, Vec<Option<MessageId>>) {
    let mut out = vec![system_message(lang, &patient_of(c), Some(c.chief_complaint.as_str()))];
    let mut ids = vec![None];
    for m in history {
        let role = match m.role {
            MessageRole::User => Role::User,
            MessageRole::Assistant if m.status != MessageStatus::Streaming && !m.content.is_empty() => Role::Assistant,
            _ => continue,
        };
        out.push(ChatMessage::new(role, with_attachments(&m.content, &m.attachments)));
        ids.push(Some(m.id));
    }
    (out, ids)
}

/// How the model answers a turn: the consultation's thinking mode, and the sampling (the
/// window's defaults, or what the CLI was given).
#[derive(Debug, Clone)]
pub struct Answering {
    pub thinking: ThinkingMode,
    pub sampling: SamplingConfig,
}

impl From<ThinkingMode> for Answering {
    fn from(thinking: ThinkingMode) -> Self {
        Self { thinking, sampling: SamplingConfig::default() }
    }
}

pub async fn run_turn(
    store: &Store,
    host: &ModelHost,
    id: ConsultationId,
    turn: Turn,
    answering: impl Into<Answering>,
    mut emit: impl FnMut(ConsultEvent) -> bool,
) -> AppResult<()> {
    let Answering { thinking, sampling } = answering.into();
    let regenerate = matches!(turn, Turn::Regenerate);
    let c = store.consultation(id)?;
    let (user, t) = user_side(store, &c, turn)?;
    emit(ConsultEvent::Triage { triage: t.clone() });
    if c.title.trim().is_empty() {
        // Until the user names it, the consultation is called after its first message.
        let title: String = user.content.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(60).collect();
        store.update_consultation(
            id,
            anamnesis_store::ConsultationPatch { title: Some(title.clone()), ..Default::default() },
        )?;
        emit(ConsultEvent::Titled { title });
    }
    let assistant = if regenerate { store.replace_last_assistant(id)? } else { store.begin_assistant(id)? };
    emit(ConsultEvent::Saved { user_message_id: user.id, assistant_message_id: assistant });
    let history: Vec<StoredMessage> = store.messages(id)?.into_iter().filter(|m| m.id != assistant).collect();
    let lang = Lang::detect(&user.content);
    let (messages, ids) = prompt(&c, &history, lang);
    // The second net: the answer's opening and red-flags section come first, so they are read
    // while the answer is short; once the model has raised an emergency the banner says so.
    let mut net = SecondNet::new(&t, &patient_of(&c), lang);
    let req = ChatRequest { messages, sampling, thinking, banned_tokens: Vec::new() };
    let mut writer = store.stream_writer(assistant)?;
    let mut reasoning_started: Option<String> = None;
    let mut reasoning_ended: Option<String> = None;
    let mut stats = None;
    let mut finish = MessageStatus::Complete;
    let mut error = None;
    let mut save_error = None;
    let mut live = LiveCards::default();
    let result = host
        .chat(req, |mut ev| {
            if let ChatEvent::Stats(s) = &mut ev {
                s.prompt_version = anamnesis_consult::SYSTEM_PROMPT_VERSION.into();
            }
            let saved = match &ev {
                ChatEvent::Context(budget) => {
                    // The prompt's indices become stored ids here, once, for the store and the UI.
                    let dropped: Vec<MessageId> =
                        budget.dropped.iter().filter_map(|&i| ids.get(i as usize).copied().flatten()).collect();
                    let notice = ContextNotice { budget: budget.clone(), dropped_message_ids: dropped };
                    let saved = if notice.dropped_message_ids.is_empty() {
                        Ok(())
                    } else {
                        store.set_context_notice(assistant, Some(&notice))
                    };
                    if let Err(e) = saved {
                        save_error.get_or_insert(e);
                    }
                    return emit(ConsultEvent::Context { notice });
                }
                ChatEvent::Reasoning { text } => {
                    reasoning_started.get_or_insert_with(anamnesis_store::timestamp_now);
                    writer.push_reasoning(text)
                }
                ChatEvent::Content { text } => {
                    if reasoning_started.is_some() && reasoning_ended.is_none() {
                        reasoning_ended = Some(anamnesis_store::timestamp_now());
                    }
                    if let Some(raised) = net.read(text) {
                        if let Err(e) = store.set_triage(user.id, Some(&raised)) {
                            save_error.get_or_insert(e);
                        }
                        emit(ConsultEvent::Triage { triage: raised });
                    }
                    live.push(text);
                    writer.push_content(text)
                }
                ChatEvent::Stats(s) => {
                    stats = Some(s.clone());
                    Ok(())
                }
                ChatEvent::Done { finish_reason } => {
                    finish = match finish_reason {
                        FinishReason::Cancelled => MessageStatus::Stopped,
                        FinishReason::Error => MessageStatus::Error,
                        FinishReason::Stop | FinishReason::Length => MessageStatus::Complete,
                    };
                    Ok(())
                }
                ChatEvent::Error(e) => {
                    error = Some(e.clone());
                    Ok(())
                }
            };
            if let Err(e) = saved {
                save_error.get_or_insert(e);
            }
            // After the chunk: the parts may name the text it brought.
            let more = emit(ConsultEvent::Chat { event: ev });
            match live.changed(false) {
                Some(parts) => emit(ConsultEvent::Live { parts }) && more,
                None => more,
            }
        })
        .await;
    if let Some(parts) = live.changed(true) {
        emit(ConsultEvent::Live { parts });
    }
    if reasoning_started.is_some() {
        let ended = reasoning_ended.clone().or_else(|| Some(anamnesis_store::timestamp_now()));
        store.set_reasoning_times(assistant, reasoning_started.as_deref(), ended.as_deref())?;
    }
    match (&result, error) {
        (Err(e), _) => {
            let payload = ErrorPayload::new(e.code(), e.to_string());
            writer.finish_with_error(&payload, stats.as_ref())?;
        }
        (Ok(()), Some(err)) => {
            writer.finish_with_error(&err, stats.as_ref())?;
        }
        (Ok(()), None) => {
            let saved = writer.finish(finish, stats.as_ref())?;
            if let Some(parsed) = parsed(&saved) {
                emit(ConsultEvent::Parsed { parsed });
            }
        }
    }
    if let Some(e) = save_error {
        return Err(e.into());
    }
    Ok(result?)
}

/// The streamed answer and the red-flag parts last sent for it.
#[derive(Default)]
struct LiveCards {
    text: String,
    sent: Option<Vec<LivePart>>,
    /// Text arrived since the parts were last worked out.
    dirty: bool,
    /// Whether a chunk could have changed the parts: a new line, an ATX heading being written,
    /// or a card's body growing. (Working them out reads the whole answer.)
    due: bool,
}

impl LiveCards {
    fn push(&mut self, chunk: &str) {
        self.text.push_str(chunk);
        self.dirty = true;
        let last_line = self.text.rsplit('\n').next().unwrap_or("");
        let growing_card = matches!(self.sent.as_deref(), Some([.., LivePart::RedFlags { .. }]));
        self.due = chunk.contains('\n') || last_line.trim_start().starts_with('#') || growing_card;
    }

    /// The parts when they differ from the last ones sent (`Some(None)`: none any more).
    fn changed(&mut self, complete: bool) -> Option<Option<Vec<LivePart>>> {
        if !complete && (!self.dirty || !self.due) {
            return None;
        }
        self.dirty = false;
        let parts = live_parts(&self.text, complete);
        (parts != self.sent).then(|| {
            self.sent = parts.clone();
            parts
        })
    }
}
