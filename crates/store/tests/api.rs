//! Consultations, profiles and messages through the public API.

mod common;

use std::sync::Arc;
use std::thread;

use anamnesis_consult::{Lang, PatientContext, Triage};
use anamnesis_store::{ConsultationPatch, MessageRole, MessageStatus, NewConsultation, Store, StoreError};
use anamnesis_wire::{ContextBudget, ContextNotice, ErrorPayload, Stats, ThinkingMode};
use common::{consultation, key, temp_store};
use serde_json::json;

/// A typed value from its JSON, as the app would have stored it.
fn of<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).unwrap()
}

#[test]
fn consultations_round_trip_and_list_newest_first() {
    let (_dir, store) = temp_store();
    let first = store
        .create_consultation(NewConsultation {
            title: "Headache".into(),
            chief_complaint: "Headache for 2 days".into(),
            patient: Some(of(json!({"age_years": 30}))),
            lang: Lang::En,
            ..NewConsultation::default()
        })
        .unwrap();
    assert_eq!(store.consultation(first.id).unwrap(), first);
    let second = consultation(&store, "胸痛");
    assert_eq!(second.lang, Lang::En);
    assert_eq!(second.patient, None);

    let ids: Vec<_> = store.list_consultations().unwrap().iter().map(|s| s.id).collect();
    assert_eq!(ids, [second.id, first.id]);
    // Activity moves a consultation to the top.
    store.append_user_message(first.id, "Still   hurts\nbadly").unwrap();
    let list = store.list_consultations().unwrap();
    assert_eq!(list[0].id, first.id);
    assert_eq!((list[0].message_count, list[0].last_snippet.as_str()), (1, "Still hurts badly"));
    assert_eq!((list[1].message_count, list[1].last_snippet.as_str()), (0, ""));

    let updated = store
        .update_consultation(first.id, ConsultationPatch { title: Some("Migraine?".into()), ..Default::default() })
        .unwrap();
    assert_eq!((updated.title.as_str(), updated.chief_complaint.as_str()), ("Migraine?", "Headache for 2 days"));
    assert_eq!(updated.patient, Some(of(json!({"age_years": 30}))));
    assert!(updated.updated_at >= first.updated_at);

    let c = store.set_patient(first.id, Some(&of(json!({"age_years": 31, "allergies": ["penicillin"]})))).unwrap();
    assert_eq!(c.patient.unwrap().allergies, ["penicillin"]);
    let c = store.set_chief_complaint(first.id, "Worst headache of my life").unwrap();
    assert_eq!(c.chief_complaint, "Worst headache of my life");
    assert_eq!(store.set_patient(first.id, None).unwrap().patient, None);

    store.delete_consultation(second.id).unwrap();
    assert_eq!(store.list_consultations().unwrap().len(), 1);
    assert_eq!(store.consultation(second.id).unwrap_err().code(), "NOT_FOUND");
    assert_eq!(store.delete_consultation(second.id).unwrap_err().code(), "NOT_FOUND");
}

#[test]
fn invalid_input_is_refused() {
    let (_dir, store) = temp_store();
    let long_title = NewConsultation { title: "x".repeat(301), ..Default::default() };
    assert_eq!(store.create_consultation(long_title).unwrap_err().code(), "INVALID_INPUT");
    assert_eq!(store.create_profile("  ", &PatientContext::default()).unwrap_err().code(), "INVALID_INPUT");
    let c = consultation(&store, "t");
    let m = store.append_user_message(c.id, "hi").unwrap();
    let err = store.set_reasoning_times(m.id, Some("yesterday"), None).unwrap_err();
    assert_eq!(err.code(), "INVALID_INPUT");
    assert_eq!(store.append_user_message(999, "hi").unwrap_err().code(), "NOT_FOUND");
    assert_eq!(store.messages(999).unwrap_err().code(), "NOT_FOUND");
    assert_eq!(store.set_triage(999, None).unwrap_err().code(), "NOT_FOUND");
}

#[test]
fn profiles_crud() {
    let (_dir, store) = temp_store();
    let dad = store.create_profile(" Dad ", &of(json!({"age_years": 80, "conditions": ["AF"]}))).unwrap();
    assert_eq!(dad.name, "Dad");
    let me = store.create_profile("Me", &of(json!({"age_years": 40}))).unwrap();
    assert_eq!(store.profiles().unwrap().iter().map(|p| p.id).collect::<Vec<_>>(), [me.id, dad.id]);

    let dad2 = store.update_profile(dad.id, None, Some(&of(json!({"age_years": 81})))).unwrap();
    assert_eq!((dad2.name.as_str(), &dad2.patient), ("Dad", &of::<PatientContext>(json!({"age_years": 81}))));
    let renamed = store.update_profile(dad.id, Some("Father"), None).unwrap();
    assert_eq!((renamed.name.as_str(), &renamed.patient), ("Father", &of::<PatientContext>(json!({"age_years": 81}))));
    assert_eq!(store.profile(dad.id).unwrap(), renamed);

    store.delete_profile(dad.id).unwrap();
    assert_eq!(store.profile(dad.id).unwrap_err().code(), "NOT_FOUND");
    assert_eq!(store.delete_profile(dad.id).unwrap_err().code(), "NOT_FOUND");
    assert_eq!(store.profiles().unwrap(), [me]);
}

#[test]
fn a_conversation_with_a_streamed_answer() {
    let (_dir, store) = temp_store();
    let c = consultation(&store, "Cough");
    store.append_message(c.id, MessageRole::System, "You are careful.").unwrap();
    let user = store.append_user_message(c.id, "Dry cough for 3 weeks").unwrap();
    assert_eq!((user.seq, user.role, user.status), (2, MessageRole::User, MessageStatus::Complete));

    let id = store.begin_assistant(c.id).unwrap();
    store.set_context_notice(id, Some(&notice())).unwrap();
    let mut writer = store.stream_writer(id).unwrap();
    writer.push_reasoning("Think about ACE inhibitors. ").unwrap();
    writer.push_content("Are you taking ").unwrap();
    writer.push_content("any blood pressure medicine?").unwrap();
    // Nothing is saved yet: the first save waits a full interval.
    assert_eq!(store.message(id).unwrap().content, "");
    // The conversation cannot change under an answer being written.
    assert_eq!(store.append_user_message(c.id, "hello?").unwrap_err().code(), "INVALID_INPUT");
    assert_eq!(store.begin_assistant(c.id).unwrap_err().code(), "INVALID_INPUT");

    let (start, end) = ("2026-03-01T10:00:00.000Z", "2026-03-01T10:00:02.500Z");
    store.set_reasoning_times(id, Some(start), Some(end)).unwrap();
    let done = writer.finish(MessageStatus::Complete, Some(&Stats { tokens: 12, ..Default::default() })).unwrap();
    assert_eq!(done.content, "Are you taking any blood pressure medicine?");
    assert_eq!(done.reasoning, "Think about ACE inhibitors. ");
    assert_eq!(done.status, MessageStatus::Complete);
    assert_eq!(done.stats.map(|s| s.tokens), Some(12));
    assert_eq!(done.context_notice, Some(notice()));
    assert_eq!((done.reasoning_started_at.as_deref(), done.reasoning_ended_at.as_deref()), (Some(start), Some(end)));
    store.set_triage(id, Some(&routine())).unwrap();
    assert_eq!(store.message(id).unwrap().triage, Some(routine()));

    let all = store.messages(c.id).unwrap();
    assert_eq!(all.iter().map(|m| m.seq).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(all[2], store.message(id).unwrap());
    let summary = &store.list_consultations().unwrap()[0];
    assert_eq!(summary.message_count, 2, "the system message is not counted");
    assert_eq!(summary.last_snippet, "Are you taking any blood pressure medicine?");
    // A finished answer takes no more writers.
    assert_eq!(store.stream_writer(id).unwrap_err().code(), "INVALID_INPUT");
}

#[test]
fn the_writer_saves_about_once_a_second() {
    let (_dir, store) = temp_store();
    let c = consultation(&store, "t");
    let id = store.begin_assistant(c.id).unwrap();
    let mut writer = store.stream_writer(id).unwrap();
    writer.push_content("a").unwrap();
    assert!(!writer.flush_if_due().unwrap());
    thread::sleep(anamnesis_store::FLUSH_INTERVAL);
    writer.push_content("b").unwrap();
    assert_eq!(store.message(id).unwrap().content, "ab");
    writer.push_content("c").unwrap();
    assert_eq!(store.message(id).unwrap().content, "ab");
    writer.flush().unwrap();
    assert_eq!(store.message(id).unwrap().content, "abc");
    assert_eq!(store.message(id).unwrap().status, MessageStatus::Streaming);
    // Dropped without finishing: what it had is kept, marked as cut off.
    drop(writer);
    assert_eq!(store.message(id).unwrap().status, MessageStatus::Interrupted);
}

#[test]
fn finishing_stopped_errored_or_dropped() {
    let (_dir, store) = temp_store();
    let c = consultation(&store, "t");

    let id = store.begin_assistant(c.id).unwrap();
    let mut w = store.stream_writer(id).unwrap();
    w.push_content("partial").unwrap();
    assert_eq!(w.finish(MessageStatus::Stopped, None).unwrap().status, MessageStatus::Stopped);

    let id = store.begin_assistant(c.id).unwrap();
    let mut w = store.stream_writer(id).unwrap();
    w.push_content("so far").unwrap();
    let m = w
        .finish_with_error(&ErrorPayload::new(anamnesis_wire::ErrorCode::GenerationFailed, "out of memory"), None)
        .unwrap();
    assert_eq!(
        (m.status, m.content.as_str(), m.error),
        (
            MessageStatus::Error,
            "so far",
            Some(ErrorPayload::new(anamnesis_wire::ErrorCode::GenerationFailed, "out of memory"))
        )
    );

    let id = store.begin_assistant(c.id).unwrap();
    let mut w = store.stream_writer(id).unwrap();
    w.push_content("unsaved when dropped").unwrap();
    drop(w);
    let m = store.message(id).unwrap();
    assert_eq!((m.status, m.content.as_str()), (MessageStatus::Interrupted, "unsaved when dropped"));

    let id = store.begin_assistant(c.id).unwrap();
    let mut w = store.stream_writer(id).unwrap();
    w.push_content("kept ").unwrap();
    assert_eq!(w.finish(MessageStatus::Streaming, None).unwrap_err().code(), "INVALID_INPUT");
    assert_eq!(store.message(id).unwrap().status, MessageStatus::Streaming);
    // A new writer continues the saved text.
    let mut w = store.stream_writer(id).unwrap();
    w.push_content("and more").unwrap();
    assert_eq!(w.finish(MessageStatus::Complete, None).unwrap().content, "kept and more");
}

#[test]
fn deleting_the_consultation_under_a_writer_fails_its_writes() {
    let (_dir, store) = temp_store();
    let c = consultation(&store, "t");
    let id = store.begin_assistant(c.id).unwrap();
    let mut w = store.stream_writer(id).unwrap();
    store.delete_consultation(c.id).unwrap();
    let _ = w.push_content("x");
    assert_eq!(w.flush().unwrap_err().code(), "NOT_FOUND");
    assert_eq!(w.finish(MessageStatus::Complete, None).unwrap_err().code(), "NOT_FOUND");
}

#[test]
fn reopening_marks_a_streaming_answer_interrupted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("anamnesis.db");
    let store = Store::open(&path, &key()).unwrap();
    let c = consultation(&store, "t");
    let id = store.begin_assistant(c.id).unwrap();
    let mut w = store.stream_writer(id).unwrap();
    w.push_content("saved part").unwrap();
    w.flush().unwrap();
    // As if the process died: the writer never finishes or drops.
    std::mem::forget(w);
    drop(store);

    let store = Store::open(&path, &key()).unwrap();
    let m = store.message(id).unwrap();
    assert_eq!((m.status, m.content.as_str()), (MessageStatus::Interrupted, "saved part"));
}

#[test]
fn edit_and_resend_and_regenerate() {
    let (_dir, store) = temp_store();
    let c = consultation(&store, "t");
    let q1 = store.append_user_message(c.id, "first question").unwrap();
    let a1 = store.append_message(c.id, MessageRole::Assistant, "first answer").unwrap();
    store.append_user_message(c.id, "second question").unwrap();
    store.append_message(c.id, MessageRole::Assistant, "second answer").unwrap();

    // Regenerate: the last answer is emptied and rewritten in place.
    let last = store.replace_last_assistant(c.id).unwrap();
    let m = store.message(last).unwrap();
    assert_eq!((m.seq, m.status, m.content.as_str()), (4, MessageStatus::Streaming, ""));
    let mut w = store.stream_writer(last).unwrap();
    w.push_content("better second answer").unwrap();
    w.finish(MessageStatus::Complete, None).unwrap();
    assert_eq!(store.messages(c.id).unwrap().len(), 4);

    // Edit the first question: everything after it goes.
    assert_eq!(store.edit_user_message(q1.id, "first question, clarified").unwrap(), 3);
    let msgs = store.messages(c.id).unwrap();
    assert_eq!(msgs.len(), 1);
    assert_eq!(msgs[0].content, "first question, clarified");
    assert_eq!(store.message(a1.id).unwrap_err().code(), "NOT_FOUND");
    // The last message is now a question: there is no answer to regenerate.
    assert_eq!(store.replace_last_assistant(c.id).unwrap_err().code(), "INVALID_INPUT");
    let a = store.append_message(c.id, MessageRole::Assistant, "answer").unwrap();
    assert_eq!(a.seq, 2, "seq continues after the truncation");
    assert_eq!(store.edit_user_message(a.id, "x").unwrap_err().code(), "INVALID_INPUT");
    assert_eq!(store.truncate_after(q1.id).unwrap(), 1);
    assert_eq!(store.truncate_after(q1.id).unwrap(), 0);
}

#[test]
fn regenerate_and_edit_keep_the_earlier_answers_by_question() {
    let (_dir, store) = temp_store();
    let c = consultation(&store, "t");
    let q1 = store.append_user_message(c.id, "first question").unwrap();
    store.append_message(c.id, MessageRole::Assistant, "first answer").unwrap();
    let q2 = store.append_user_message(c.id, "second question").unwrap();
    store.append_message(c.id, MessageRole::Assistant, "second answer").unwrap();
    assert!(store.answer_versions(c.id).unwrap().is_empty());

    // Regenerate: the answer there is kept, with its stats, under its question.
    let last = store.replace_last_assistant(c.id).unwrap();
    let mut w = store.stream_writer(last).unwrap();
    w.push_content("better second answer").unwrap();
    w.finish(MessageStatus::Complete, Some(&Stats { tokens: 7, ..Default::default() })).unwrap();
    let v = store.answer_versions(c.id).unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!(
        (v[0].question_id, v[0].question.as_str(), v[0].content.as_str()),
        (q2.id, "second question", "second answer")
    );
    assert_eq!(v[0].status, MessageStatus::Complete);
    // Again: both earlier answers, oldest first.
    let last = store.replace_last_assistant(c.id).unwrap();
    store.stream_writer(last).unwrap().finish(MessageStatus::Complete, None).unwrap();
    let v = store.answer_versions(c.id).unwrap();
    assert_eq!(v.iter().map(|v| v.content.as_str()).collect::<Vec<_>>(), ["second answer", "better second answer"]);
    assert_eq!(v[1].stats.as_ref().map(|s| s.tokens), Some(7));
    // An empty answer (regenerated to nothing) is not a version.
    let last = store.replace_last_assistant(c.id).unwrap();
    store.stream_writer(last).unwrap().finish(MessageStatus::Stopped, None).unwrap();
    assert_eq!(store.answer_versions(c.id).unwrap().len(), 2);

    // Edit the first question: its answer is kept with the question as it was; the second
    // question and its versions go with the turns after it.
    store.edit_user_message(q1.id, "first question, clarified").unwrap();
    let v = store.answer_versions(c.id).unwrap();
    assert_eq!(v.len(), 1);
    assert_eq!(
        (v[0].question_id, v[0].question.as_str(), v[0].content.as_str()),
        (q1.id, "first question", "first answer")
    );

    // Deleting the consultation deletes them.
    store.delete_consultation(c.id).unwrap();
    assert!(store.answer_versions(c.id).unwrap().is_empty());
}

#[test]
fn messages_cascade_with_their_consultation() {
    let (_dir, store) = temp_store();
    let keep = consultation(&store, "keep");
    let gone = consultation(&store, "gone");
    store.append_user_message(keep.id, "kept").unwrap();
    let m = store.append_user_message(gone.id, "dropped").unwrap();
    store.delete_consultation(gone.id).unwrap();
    assert_eq!(store.message(m.id).unwrap_err().code(), "NOT_FOUND");
    assert_eq!(store.messages(keep.id).unwrap().len(), 1);
}

#[test]
fn one_store_shared_across_threads() {
    let (_dir, store) = temp_store();
    let store = Arc::new(store);
    let c = consultation(&store, "t");
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let store = Arc::clone(&store);
            thread::spawn(move || {
                for i in 0..25 {
                    store.append_user_message(c.id, &format!("thread {t} message {i}")).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let seqs: Vec<i64> = store.messages(c.id).unwrap().iter().map(|m| m.seq).collect();
    assert_eq!(seqs, (1..=100).collect::<Vec<_>>());
}

#[test]
fn errors_have_codes() {
    let e = StoreError::TooNew { found: 9, supported: 3 };
    assert_eq!(e.code(), "STORE_TOO_NEW");
    assert!(e.to_string().contains("newer version"));
    assert_eq!(StoreError::NotFound { what: "message", id: 1 }.code(), "NOT_FOUND");
}

#[test]
fn each_consultation_keeps_its_thinking_mode() {
    let (_dir, store) = temp_store();
    let c = store
        .create_consultation(NewConsultation { thinking: ThinkingMode::Off, ..NewConsultation::default() })
        .unwrap();
    assert_eq!(c.thinking, ThinkingMode::Off);
    let other = store.create_consultation(NewConsultation::default()).unwrap();
    assert_eq!(other.thinking, ThinkingMode::Auto);
    let c = store
        .update_consultation(c.id, ConsultationPatch { thinking: Some(ThinkingMode::On), ..Default::default() })
        .unwrap();
    assert_eq!(c.thinking, ThinkingMode::On);
    assert_eq!(store.consultation(other.id).unwrap().thinking, ThinkingMode::Auto);
    // The column keeps its CHECK: a foreign write of another mode is refused by SQLite itself.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("anamnesis.db");
    let s2 = Store::open(&path, &key()).unwrap();
    let c2 = consultation(&s2, "t");
    drop(s2);
    let refused = common::keyed(&path).execute("UPDATE consultations SET thinking = 'maybe' WHERE id = ?1", [c2.id]);
    assert!(refused.is_err());
}

fn notice() -> ContextNotice {
    ContextNotice {
        budget: ContextBudget {
            limit: 4096,
            system_tokens: 300,
            history_tokens: 900,
            message_tokens: 40,
            answer_room: 2856,
            dropped: vec![1, 2],
        },
        dropped_message_ids: vec![2, 3],
    }
}

fn routine() -> Triage {
    of(json!({"level": "routine", "rules": [], "advice": "", "emergency_number": null, "crisis_line": null}))
}

#[test]
fn a_json_column_of_another_shape_reads_as_none_and_keeps_the_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("anamnesis.db");
    let store = Store::open(&path, &key()).unwrap();
    let c = consultation(&store, "t");
    let id = store.begin_assistant(c.id).unwrap();
    let w = store.stream_writer(id).unwrap();
    w.finish(MessageStatus::Complete, Some(&Stats { tokens: 3, ..Default::default() })).unwrap();
    drop(store);
    // As a newer (or broken) version might have written it.
    common::keyed(&path)
        .execute("UPDATE messages SET stats_json = '{\"tokens\": \"many\"}', triage_json = '[1]' WHERE id = ?1", [id])
        .unwrap();
    let store = Store::open(&path, &key()).unwrap();
    let m = store.message(id).unwrap();
    assert_eq!((m.stats, m.triage, m.status), (None, None, MessageStatus::Complete));
}
