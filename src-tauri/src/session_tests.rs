//! A consultation turn against a real SQLite file and the tiny scripted Qwen3: triage comes
//! first, the answer is saved as it streams, and edit / regenerate rewrite the right rows.

use crate::session::{run_turn, view, ConsultEvent, Turn};
use anamnesis_engine::{ChatEvent, LoadOptions, ModelHost, ThinkingMode};
use anamnesis_store::{DbKey, MessageRole, MessageStatus, NewConsultation, Store};

async fn host() -> ModelHost {
    let host = ModelHost::default();
    let opts = LoadOptions { path: anamnesis_testkit::fixtures::tiny_model(2), ..LoadOptions::default() };
    host.load(opts).await.expect("tiny model loads");
    host
}

fn kinds(events: &[ConsultEvent]) -> Vec<String> {
    events
        .iter()
        .map(|e| match e {
            ConsultEvent::Triage { .. } => "triage".to_string(),
            ConsultEvent::Saved { .. } => "saved".to_string(),
            ConsultEvent::Chat { event } => serde_json::to_value(event).unwrap()["type"].as_str().unwrap().to_string(),
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_red_flag_turn_triages_first_streams_and_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("anamnesis.db"), &DbKey::Raw([7; 32])).unwrap();
    let patient = serde_json::json!({"age_years": 58.0, "sex": "male", "jurisdiction": "US", "allergies": ["penicillin"]});
    let c = store.create_consultation(NewConsultation { patient: Some(patient), ..NewConsultation::default() }).unwrap();
    let host = host().await;
    let mut events = Vec::new();
    let text = "Crushing chest pain going to my left arm since an hour".to_string();
    run_turn(&store, &host, c.id, Turn::New(text), ThinkingMode::On, |e| {
        events.push(e);
        events.len() < 40 // the tiny model never ends on its own: stop after a while
    })
    .await
    .unwrap();
    let k = kinds(&events);
    assert_eq!(&k[..3], ["triage", "saved", "context"], "{k:?}");
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
    assert_eq!(user.triage.as_ref().unwrap()["level"], "emergency");
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
    run_turn(&store, &host, c.id, Turn::New("I have a mild cough".into()), ThinkingMode::Off, short(12)).await.unwrap();
    run_turn(&store, &host, c.id, Turn::New("It started two days ago".into()), ThinkingMode::Off, short(12)).await.unwrap();
    let before = view(&store, c.id).unwrap().messages;
    assert_eq!(before.len(), 4);
    assert_eq!(before[0].triage.as_ref().unwrap()["level"], "routine");

    run_turn(&store, &host, c.id, Turn::Regenerate, ThinkingMode::Off, short(12)).await.unwrap();
    let after = view(&store, c.id).unwrap().messages;
    assert_eq!(after.len(), 4);
    assert_eq!(after[3].id, before[3].id, "regenerate rewrites the last answer in place");

    run_turn(&store, &host, c.id, Turn::Edit(before[0].id, "I have a mild cough and a sore throat".into()), ThinkingMode::Off, short(12))
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
    let err = run_turn(&store, &host, b.id, Turn::Edit(msg.id, "hijack".into()), ThinkingMode::Off, |_| true).await.unwrap_err();
    assert_eq!(err.code(), "INVALID_INPUT");
    assert_eq!(store.message(msg.id).unwrap().content, "mine");
}
