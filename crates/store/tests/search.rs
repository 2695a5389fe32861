//! Full-text search in English and Chinese, with user text that is not FTS5 syntax.

mod common;

use anamnesis_store::{ConsultationPatch, MessageRole, MessageStatus, NewConsultation, Store};
use common::{consultation, temp_store};

fn hit_ids(store: &Store, query: &str) -> Vec<(i64, Option<i64>)> {
    store.search(query, 50).unwrap().iter().map(|h| (h.consultation_id, h.message_id)).collect()
}

#[test]
fn finds_english_words_case_insensitively() {
    let (_dir, store) = temp_store();
    let c = consultation(&store, "Cough");
    let m = store.append_user_message(c.id, "Crushing chest pain radiating to the left arm").unwrap();
    store.append_user_message(c.id, "No fever").unwrap();

    assert_eq!(hit_ids(&store, "chest"), [(c.id, Some(m.id))]);
    assert_eq!(hit_ids(&store, "CHEST Pain"), [(c.id, Some(m.id))]);
    assert_eq!(hit_ids(&store, "\"left arm\""), [(c.id, Some(m.id))]);
    // All terms must occur.
    assert!(hit_ids(&store, "chest fever").is_empty());
    let hit = &store.search("radiating", 5).unwrap()[0];
    assert_eq!(hit.title, "Cough");
    assert!(hit.snippet.contains("«radiating»"), "{}", hit.snippet);
    assert!(hit.rank > 0.0);
}

#[test]
fn finds_chinese_of_any_length() {
    let (_dir, store) = temp_store();
    let c = store
        .create_consultation(NewConsultation {
            title: "胸痛伴出汗".into(),
            chief_complaint: "胸痛三天".into(),
            lang: anamnesis_consult::Lang::Zh,
            ..Default::default()
        })
        .unwrap();
    let m = store.append_user_message(c.id, "患者男，54岁，胸痛三天，活动后加重。").unwrap();
    let other = consultation(&store, "发热");
    store.append_user_message(other.id, "发热咳嗽两天").unwrap();

    // Two characters: shorter than a trigram, matched without the index.
    let hits = store.search("胸痛", 10).unwrap();
    let mut found: Vec<_> = hits.iter().map(|h| h.message_id).collect();
    found.sort();
    assert_eq!(found, [None, Some(m.id)], "{hits:?}");
    let message_hit = hits.iter().find(|h| h.message_id.is_some()).unwrap();
    assert_eq!(message_hit.snippet, "患者男，54岁，«胸痛»三天，活动后加重。");
    assert_eq!(message_hit.rank, 0.0);
    // Three or more: through the trigram index, ranked.
    let hits = store.search("胸痛三天", 10).unwrap();
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert!(hits.iter().all(|h| h.rank > 0.0 && h.snippet.contains("«胸痛三天»")), "{hits:?}");
    // One character, and a mix of short and long terms.
    assert_eq!(hit_ids(&store, "咳").len(), 1);
    assert_eq!(hit_ids(&store, "54岁 加重"), [(c.id, Some(m.id))]);
    assert!(hit_ids(&store, "胸痛 咳嗽").is_empty());
}

#[test]
fn user_text_never_breaks_the_query() {
    let (_dir, store) = temp_store();
    let c = consultation(&store, "Odd text");
    store.append_user_message(c.id, "100% sure it_is NEAR \"quoted\" (AND) OR * x^2 a\\b -- ;").unwrap();
    for q in [
        "\"",
        "\"\"",
        "AND (",
        "*",
        "OR",
        "NOT",
        "NEAR(",
        "a*",
        "(",
        ")",
        "-",
        "^",
        ":",
        "col:x",
        "'",
        "';DROP TABLE messages;--",
        "%",
        "_",
        "\\",
        "\u{0}",
        "\"unclosed",
        "😀",
        "🩺 pain",
        "",
        "   ",
        "{x y}",
        "x + y",
    ] {
        store.search(q, 10).unwrap_or_else(|e| panic!("query {q:?}: {e}"));
    }
    // Wildcards are literal.
    assert_eq!(hit_ids(&store, "%").len(), 1);
    assert_eq!(hit_ids(&store, "100%").len(), 1);
    assert!(hit_ids(&store, "1%0").is_empty());
    assert_eq!(hit_ids(&store, "it_is").len(), 1);
    assert!(hit_ids(&store, "i__s").is_empty());
    assert_eq!(hit_ids(&store, "(AND)").len(), 1);
    assert_eq!(hit_ids(&store, "*").len(), 1);
    assert_eq!(hit_ids(&store, "a\\b").len(), 1);
    assert!(store.search("\"", 10).unwrap().is_empty());
    assert!(store.search("Odd", 0).unwrap().is_empty());
}

#[test]
fn the_index_follows_edits_and_deletions() {
    let (_dir, store) = temp_store();
    let c = consultation(&store, "Palpitations");
    let q = store.append_user_message(c.id, "Heart racing after coffee").unwrap();
    store.append_message(c.id, MessageRole::Assistant, "How much caffeine?").unwrap();
    assert_eq!(hit_ids(&store, "caffeine").len(), 1);
    assert_eq!(hit_ids(&store, "palpitations"), [(c.id, None)]);

    store.edit_user_message(q.id, "Heart racing after tea").unwrap();
    assert!(hit_ids(&store, "coffee").is_empty());
    assert!(hit_ids(&store, "caffeine").is_empty(), "the truncated answer left the index");
    assert_eq!(hit_ids(&store, "tea"), [(c.id, Some(q.id))]);

    store
        .update_consultation(c.id, ConsultationPatch { title: Some("Tachycardia".into()), ..Default::default() })
        .unwrap();
    assert!(hit_ids(&store, "palpitations").is_empty());
    assert_eq!(hit_ids(&store, "tachycardia"), [(c.id, None)]);

    // Streamed text is searchable once saved.
    let id = store.begin_assistant(c.id).unwrap();
    let mut w = store.stream_writer(id).unwrap();
    w.push_content("Consider thyrotoxicosis").unwrap();
    w.finish(MessageStatus::Complete, None).unwrap();
    assert_eq!(hit_ids(&store, "thyrotox"), [(c.id, Some(id))]);

    store.delete_consultation(c.id).unwrap();
    for q in ["tea", "tachycardia", "thyrotox", "racing"] {
        assert!(hit_ids(&store, q).is_empty(), "{q}");
    }
    store.check_integrity().unwrap();
}

#[test]
fn system_messages_are_not_searched_and_limit_holds() {
    let (_dir, store) = temp_store();
    let c = consultation(&store, "t");
    store.append_message(c.id, MessageRole::System, "You are a cautious clinician.").unwrap();
    assert!(hit_ids(&store, "clinician").is_empty());
    for i in 0..30 {
        store.append_user_message(c.id, &format!("dizziness episode {i}")).unwrap();
    }
    assert_eq!(store.search("dizziness", 7).unwrap().len(), 7);
    assert_eq!(store.search("dizziness", 1000).unwrap().len(), 30);
}
