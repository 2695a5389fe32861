//! A consultation turn against a real SQLite file and the tiny scripted Qwen3: triage comes
//! first, the answer is saved as it streams, and edit / regenerate rewrite the right rows.

use anamnesis_app::session::{new_consultation, run_turn, view, ConsultEvent, Turn};
use anamnesis_engine::{ChatEvent, LoadOptions, ModelHost, ThinkingMode};
use anamnesis_store::{DbKey, MessageRole, MessageStatus, NewConsultation, Store};

async fn host() -> ModelHost {
    host_of(anamnesis_testkit::fixtures::tiny_model(2)).await
}

async fn host_of(path: std::path::PathBuf) -> ModelHost {
    let host = ModelHost::default();
    let opts = LoadOptions { path, ..LoadOptions::default() };
    host.load(opts).await.expect("tiny model loads");
    host
}

fn kinds(events: &[ConsultEvent]) -> Vec<String> {
    events
        .iter()
        .map(|e| match e {
            ConsultEvent::Triage { .. } => "triage".to_string(),
            ConsultEvent::Saved { .. } => "saved".to_string(),
            ConsultEvent::Titled { .. } => "titled".to_string(),
            ConsultEvent::Context { .. } => "context".to_string(),
            ConsultEvent::Parsed { .. } => "parsed".to_string(),
            ConsultEvent::Live { .. } => "live".to_string(),
            ConsultEvent::Finished => "finished".to_string(),
            ConsultEvent::Chat { event } => serde_json::to_value(event).unwrap()["type"].as_str().unwrap().to_string(),
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_red_flag_turn_triages_first_streams_and_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("anamnesis.db"), &DbKey::Raw([7; 32])).unwrap();
    let patient: anamnesis_consult::PatientContext = serde_json::from_value(
        serde_json::json!({"age_years": 58.0, "sex": "male", "jurisdiction": "US", "allergies": ["penicillin"]}),
    )
    .unwrap();
    let c =
        store.create_consultation(NewConsultation { patient: Some(patient), ..NewConsultation::default() }).unwrap();
    let host = host().await;
    let mut events = Vec::new();
    let text = "Crushing chest pain going to my left arm since an hour".to_string();
    run_turn(&store, &host, c.id, Turn::New(text, Vec::new()), ThinkingMode::On, |e| {
        events.push(e);
        events.len() < 40 // the tiny model never ends on its own: stop after a while
    })
    .await
    .unwrap();
    let k = kinds(&events);
    assert_eq!(&k[..4], ["triage", "titled", "saved", "context"], "{k:?}");
    assert!(matches!(&events[1], ConsultEvent::Titled { title } if title.starts_with("Crushing chest pain")));
    match &events[0] {
        ConsultEvent::Triage { triage } => {
            assert_eq!(serde_json::to_value(triage.level).unwrap(), "emergency");
            assert!(triage.advice.contains("911"), "{}", triage.advice);
        }
        e => panic!("{e:?}"),
    }
    let v = view(&store, c.id).unwrap();
    assert_eq!(v.messages.len(), 2);
    let (user, answer) = (&v.messages[0], &v.messages[1]);
    assert_eq!(user.triage.as_ref().unwrap().level, anamnesis_consult::TriageLevel::Emergency);
    assert_eq!(answer.role, MessageRole::Assistant);
    assert!(answer.reasoning.contains("Let me think first"), "{answer:?}");
    assert!(!answer.reasoning.contains("<think>"));
    assert!(answer.reasoning_started_at.is_some() && answer.reasoning_ended_at.is_some());
    let streamed: String = events
        .iter()
        .filter_map(|e| match e {
            ConsultEvent::Chat { event: ChatEvent::Content { text } } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(answer.content, streamed, "the saved answer is exactly what was streamed");
    assert_ne!(answer.status, MessageStatus::Streaming);
    // Stamped: which model, and under which instructions.
    let stats = answer.stats.as_ref().expect("the answer's stats");
    assert_eq!(stats.prompt_version, anamnesis_consult::SYSTEM_PROMPT_VERSION);
    assert_eq!(Some(stats.model.as_str()), host.status_info().map(|i| i.name).as_deref());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auto_thinking_starts_off_for_a_model_on_the_cpu() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("anamnesis.db"), &DbKey::Raw([7; 32])).unwrap();
    let host = host().await;
    let info = host.status_info().expect("loaded");
    assert!(info.on_cpu);
    let mut settings = anamnesis_settings::Settings { country: Some("GB".into()), ..Default::default() };
    let v = new_consultation(&store, &settings, Some(&info)).unwrap();
    assert_eq!(v.consultation.thinking, ThinkingMode::Off);
    assert_eq!(v.patient.jurisdiction.as_deref(), Some("GB"));
    // No model yet, a GPU model, or a mode the user chose: as set.
    assert_eq!(new_consultation(&store, &settings, None).unwrap().consultation.thinking, ThinkingMode::Auto);
    let gpu = anamnesis_engine::ModelInfo { on_cpu: false, device: "cuda:0".into(), layers: None, ..info.clone() };
    assert_eq!(new_consultation(&store, &settings, Some(&gpu)).unwrap().consultation.thinking, ThinkingMode::Auto);
    settings.thinking = ThinkingMode::On;
    assert_eq!(new_consultation(&store, &settings, Some(&info)).unwrap().consultation.thinking, ThinkingMode::On);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edit_replaces_later_turns_and_regenerate_keeps_the_row() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("anamnesis.db"), &DbKey::Raw([7; 32])).unwrap();
    let c = store.create_consultation(NewConsultation::default()).unwrap();
    let host = host().await;
    let short = |n: usize| {
        let mut seen = 0;
        move |_e: ConsultEvent| {
            seen += 1;
            seen < n
        }
    };
    run_turn(&store, &host, c.id, Turn::New("I have a mild cough".into(), Vec::new()), ThinkingMode::Off, short(12))
        .await
        .unwrap();
    run_turn(
        &store,
        &host,
        c.id,
        Turn::New("It started two days ago".into(), Vec::new()),
        ThinkingMode::Off,
        short(12),
    )
    .await
    .unwrap();
    let before = view(&store, c.id).unwrap().messages;
    assert_eq!(before.len(), 4);
    assert_eq!(before[0].triage.as_ref().unwrap().level, anamnesis_consult::TriageLevel::Routine);

    run_turn(&store, &host, c.id, Turn::Regenerate, ThinkingMode::Off, short(12)).await.unwrap();
    let after = view(&store, c.id).unwrap().messages;
    assert_eq!(after.len(), 4);
    assert_eq!(after[3].id, before[3].id, "regenerate rewrites the last answer in place");

    run_turn(
        &store,
        &host,
        c.id,
        Turn::Edit(before[0].id, "I have a mild cough and a sore throat".into()),
        ThinkingMode::Off,
        short(12),
    )
    .await
    .unwrap();
    let edited = view(&store, c.id).unwrap().messages;
    assert_eq!(edited.len(), 2, "the later turns are replaced");
    assert_eq!(edited[0].content, "I have a mild cough and a sore throat");
    assert_eq!(edited[1].role, MessageRole::Assistant);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_of_another_consultation_cannot_be_edited_through_this_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("anamnesis.db"), &DbKey::Raw([7; 32])).unwrap();
    let a = store.create_consultation(NewConsultation::default()).unwrap();
    let b = store.create_consultation(NewConsultation::default()).unwrap();
    let msg = store.append_user_message(a.id, "mine").unwrap();
    let host = ModelHost::default(); // never reached
    let err = run_turn(&store, &host, b.id, Turn::Edit(msg.id, "hijack".into()), ThinkingMode::Off, |_| true)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "INVALID_INPUT");
    assert_eq!(store.message(msg.id).unwrap().content, "mine");
}

/// The second net: the rules see nothing, the model's answer opens with "## Red flags" and "Call
/// emergency services now.", and the banner is raised to an emergency with the local number
/// while the answer streams, recorded as the model's net.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_models_own_red_flags_raise_the_emergency_banner() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("anamnesis.db"), &DbKey::Raw([7; 32])).unwrap();
    let patient = anamnesis_consult::PatientContext { jurisdiction: Some("GB".into()), ..Default::default() };
    let c =
        store.create_consultation(NewConsultation { patient: Some(patient), ..NewConsultation::default() }).unwrap();
    let host = host_of(anamnesis_testkit::fixtures::tiny_alarm_model(2)).await;
    let mut events = Vec::new();
    run_turn(
        &store,
        &host,
        c.id,
        Turn::New("I have had a headache since this morning".into(), Vec::new()),
        ThinkingMode::Auto,
        |e| {
            events.push(e);
            events.len() < 40
        },
    )
    .await
    .unwrap();
    let triages: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            ConsultEvent::Triage { triage } => Some(triage.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(triages.len(), 2, "the rules' triage, then the model's: {:?}", kinds(&events));
    assert_eq!(serde_json::to_value(triages[0].level).unwrap(), "routine");
    assert_eq!(serde_json::to_value(triages[1].level).unwrap(), "emergency");
    assert_eq!(triages[1].rules, [anamnesis_consult::MODEL_RULE_ID]);
    assert_eq!(triages[1].emergency_number.as_deref(), Some("999"));
    // It comes while the answer streams, not after it.
    let raised_at = events.iter().position(|e| matches!(e, ConsultEvent::Triage { triage } if triage.rules.len() == 1 && triage.rules[0] == anamnesis_consult::MODEL_RULE_ID)).unwrap();
    let last_content =
        events.iter().rposition(|e| matches!(e, ConsultEvent::Chat { event: ChatEvent::Content { .. } })).unwrap();
    assert!(raised_at < last_content, "{:?}", kinds(&events));
    let stored = view(&store, c.id).unwrap().messages;
    assert_eq!(stored[0].triage.as_ref().unwrap().level, anamnesis_consult::TriageLevel::Emergency);
    assert_eq!(stored[0].triage.as_ref().unwrap().rules[0], anamnesis_consult::MODEL_RULE_ID);
}

/// A loopback vLLM-style server: one model at GET /v1/models, and the answer as SSE chunks (with
/// `reasoning_content`, then content split mid-word) at POST /v1/chat/completions.
async fn replay_server(chunks: Vec<&'static str>) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let chunks = chunks.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut tmp = [0u8; 4096];
                // Read the head, then as much body as content-length says.
                let (head_end, len) = loop {
                    let n = sock.read(&mut tmp).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&tmp[..n]);
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..i]).to_ascii_lowercase();
                        let len = head
                            .lines()
                            .find_map(|l| {
                                l.strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        break (i + 4, len);
                    }
                };
                while buf.len() < head_end + len {
                    let n = sock.read(&mut tmp).await.unwrap_or(0);
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&tmp[..n]);
                }
                let get_models = buf.starts_with(b"GET");
                let (kind, body) = if get_models {
                    (
                        "application/json",
                        r#"{"object":"list","data":[{"id":"baichuan-m2-32b","object":"model","max_model_len":32768}]}"#
                            .to_string(),
                    )
                } else {
                    let mut sse = String::new();
                    for c in &chunks {
                        let delta = if let Some(r) = c.strip_prefix("think:") {
                            serde_json::json!({"reasoning_content": r})
                        } else {
                            serde_json::json!({"content": c})
                        };
                        let frame = serde_json::json!({"id": "x", "object": "chat.completion.chunk", "model": "baichuan-m2-32b",
                            "choices": [{"index": 0, "delta": delta, "finish_reason": null}]});
                        sse.push_str(&format!("data: {frame}\n\n"));
                    }
                    sse.push_str(r#"data: {"id":"x","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#);
                    sse.push_str("\n\ndata: [DONE]\n\n");
                    ("text/event-stream", sse)
                };
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: {kind}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                    body.len()
                );
                let _ = sock.write_all(head.as_bytes()).await;
                let _ = sock.write_all(body.as_bytes()).await;
            });
        }
    });
    format!("http://{addr}/v1")
}

/// The same second net over the remote engine: a Chinese answer whose red-flags section says to
/// call the emergency number, streamed from a vLLM-style server, raises the banner.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_second_net_works_on_a_remote_engine_replay() {
    let base_url = replay_server(vec![
        "think:头痛伴呕吐，需要排除",
        "think:颅内出血。",
        "## 危险信号\n突然剧烈的头痛伴呕吐可能是急症。请立即拨",
        "打急救电话。\n\n## 概要\n",
        "需要尽快评估。",
    ])
    .await;
    let host = ModelHost::default();
    let remote = anamnesis_engine::RemoteOptions { base_url, model: None, api_key: None };
    host.load(LoadOptions { remote: Some(remote), ..LoadOptions::default() }).await.expect("remote engine connects");
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("anamnesis.db"), &DbKey::Raw([7; 32])).unwrap();
    let c = store.create_consultation(NewConsultation::default()).unwrap();
    let mut events = Vec::new();
    run_turn(
        &store,
        &host,
        c.id,
        Turn::New("我今天头有点疼，还吐了一次".into(), Vec::new()),
        ThinkingMode::On,
        |e| {
            events.push(e);
            true
        },
    )
    .await
    .unwrap();
    let levels: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            ConsultEvent::Triage { triage } => {
                Some(serde_json::to_value(triage.level).unwrap().as_str().unwrap().to_string())
            }
            _ => None,
        })
        .collect();
    assert_eq!(levels, ["routine", "emergency"], "{:?}", kinds(&events));
    let raised = events
        .iter()
        .find_map(|e| match e {
            ConsultEvent::Triage { triage }
                if triage.rules.first().map(String::as_str) == Some(anamnesis_consult::MODEL_RULE_ID) =>
            {
                Some(triage.clone())
            }
            _ => None,
        })
        .unwrap();
    assert!(raised.advice.starts_with("这些症状可能是急症的信号。请立即拨打当地急救电话"), "{}", raised.advice);
    let stored = view(&store, c.id).unwrap().messages;
    assert_eq!(stored[0].triage.as_ref().unwrap().level, anamnesis_consult::TriageLevel::Emergency);
    assert!(stored[1].content.starts_with("## 危险信号"), "{:?}", stored[1].content);
    // An answer that ended on its own comes parsed, last, and the view parses it the same way.
    let k = kinds(&events);
    assert_eq!(k.last().map(String::as_str), Some("parsed"), "{k:?}");
    let Some(ConsultEvent::Parsed { parsed }) = events.last() else { unreachable!() };
    let v = view(&store, c.id).unwrap();
    assert_eq!(v.answers.len(), 1);
    assert_eq!((v.answers[0].message_id, &v.answers[0].parsed), (stored[1].id, parsed));
    assert!(!parsed.sections.is_empty(), "{parsed:?}");

    // The red-flag card was streamed while the answer was written, and ends as the parsed one.
    let cards: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            ConsultEvent::Live { parts: Some(parts) } => parts.iter().find_map(|p| match p {
                anamnesis_consult::LivePart::RedFlags { body, .. } => Some(body.clone()),
                _ => None,
            }),
            _ => None,
        })
        .collect();
    let first = k.iter().position(|x| x == "live").expect("live parts");
    assert!(first < k.iter().position(|x| x == "done").unwrap(), "{k:?}");
    let red = parsed.sections.iter().find(|s| s.kind == anamnesis_consult::SectionKind::RedFlags).unwrap();
    assert_eq!(cards.last(), Some(&red.body), "{k:?}");
    // Not one event per token: only when the parts change.
    let chunks = k.iter().filter(|x| *x == "content").count();
    assert!(k.iter().filter(|x| *x == "live").count() <= chunks / 2 + 1, "{k:?}");
}

/// A prompt over the context leaves the oldest turns out: the event names them by stored id, the
/// same ids the saved notice keeps (the UI marks them without redoing the prompt's layout).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_turns_are_named_by_stored_id() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("anamnesis.db"), &DbKey::Raw([7; 32])).unwrap();
    let c = store.create_consultation(NewConsultation::default()).unwrap();
    let long = "My knee has been swollen and warm for three days after a long hike in the hills. ".repeat(4);
    // Two turns with room to spare, measuring the system prompt and a long question.
    let roomy = host().await;
    let (mut ids, mut budget) = (Vec::new(), None);
    for _ in 0..2 {
        let mut seen = 0;
        run_turn(&store, &roomy, c.id, Turn::New(long.clone(), Vec::new()), ThinkingMode::Off, |e| {
            match e {
                ConsultEvent::Saved { user_message_id, assistant_message_id } => {
                    ids.extend([user_message_id, assistant_message_id])
                }
                ConsultEvent::Context { notice } => budget = Some(notice.budget),
                _ => {}
            }
            seen += 1;
            seen < 8
        })
        .await
        .unwrap();
    }
    let b = budget.unwrap();
    // The prompt may take half the context: room for one long turn and the new question, not two.
    let half = b.system_tokens + b.message_tokens + 48;
    let tight = ModelHost::default();
    let opts = LoadOptions {
        path: anamnesis_testkit::fixtures::tiny_model(2),
        max_context: Some(2 * half),
        ..LoadOptions::default()
    };
    tight.load(opts).await.expect("tiny model loads");
    let mut notice = None;
    run_turn(&store, &tight, c.id, Turn::New("Is it worse at night?".into(), Vec::new()), ThinkingMode::Off, |e| {
        if let ConsultEvent::Context { notice: n } = &e {
            notice = Some(n.clone());
        }
        notice.is_none()
    })
    .await
    .unwrap();
    let notice = notice.expect("a context event");
    assert_eq!(notice.dropped_message_ids, ids[..2], "the oldest question and its answer: {notice:?} {b:?}");
    let answer = view(&store, c.id).unwrap().messages.last().unwrap().clone();
    assert_eq!(answer.context_notice, Some(notice));
}

/// A PDF's text reaches the prompt and stays with the question (and its edits); one too long for
/// the context is refused when it is read, before anything is sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attached_document_goes_into_the_prompt_and_stays_with_its_question() {
    use base64::Engine as _;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("anamnesis.db"), &DbKey::Raw([7; 32])).unwrap();
    let host = host().await;
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let pdf = anamnesis_testkit::pdf::text_pdf(&["Potassium 5.9 mmol/L (high)", "eGFR 48 (low)"]);
    let preview = anamnesis_app::attachments::read(&host, "/home/me/labs.pdf".into(), b64(&pdf)).await.unwrap();
    assert_eq!((preview.attachment.name.as_str(), preview.attachment.pages), ("labs.pdf", Some(2)));
    let tokens = preview.tokens.expect("a local model counts tokens");
    assert!(tokens > 5 && preview.limit == Some(4096), "{preview:?}");

    let question = "What do these results mean?";
    let mut budgets = Vec::new();
    for attachments in [vec![], vec![preview.attachment.clone()]] {
        let c = store.create_consultation(NewConsultation::default()).unwrap();
        run_turn(&store, &host, c.id, Turn::New(question.into(), attachments), ThinkingMode::Off, |e| {
            if let ConsultEvent::Context { notice } = &e {
                budgets.push(notice.budget.message_tokens);
            }
            budgets.is_empty()
        })
        .await
        .unwrap();
        let user = &view(&store, c.id).unwrap().messages[0];
        assert_eq!(user.content, question, "the typed text is kept apart from the documents");
        if let Some(a) = user.attachments.first() {
            assert_eq!(a, &preview.attachment);
            // An edited question keeps its documents.
            run_turn(&store, &host, c.id, Turn::Edit(user.id, "And the eGFR?".into()), ThinkingMode::Off, |_| false)
                .await
                .unwrap();
            assert_eq!(view(&store, c.id).unwrap().messages[0].attachments, std::slice::from_ref(&preview.attachment));
        }
    }
    assert!(budgets[1] >= budgets[0] + tokens, "the document is in the prompt: {budgets:?}");

    let long = format!("{}\n", "Haemoglobin 9.1 g/dL low; ferritin 8 ng/mL low. ".repeat(300));
    let e = anamnesis_app::attachments::read(&host, "notes.txt".into(), b64(long.as_bytes())).await.unwrap_err();
    assert_eq!(e.code(), anamnesis_wire::ErrorCode::AttachmentTooLong, "{e}");
}
