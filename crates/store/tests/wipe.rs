//! Deleting wipes the text from the database file and its write-ahead log, not just the rows:
//! from the decrypted pages too, so someone who later has the key cannot recover it.

mod common;

use std::fs;
use std::path::Path;

use anamnesis_consult::{Lang, PatientContext};
use anamnesis_store::{MessageStatus, NewConsultation};
use anamnesis_wire::Stats;
use common::decrypt::decrypted_bytes;
use common::{consultation, temp_store, KEY_BYTES};

/// Unlikely to occur by chance in a database file.
const MARKER: &str = "ZqxMarker7319Vw";
const MARKER_ZH: &str = "罕见标记字符串";

fn contains(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn occurs(path: &Path, needle: &str) -> bool {
    fs::read(path).is_ok_and(|bytes| contains(&bytes, needle))
}

/// In the decrypted pages of the file or the WAL.
fn in_files(db: &Path, needle: &str) -> bool {
    contains(&decrypted_bytes(db, &KEY_BYTES), needle)
}

#[test]
fn deleted_text_is_gone_from_the_file_and_the_wal() {
    let (dir, store) = temp_store();
    let db = dir.path().join("anamnesis.db");
    let keep = consultation(&store, "Kept consultation");
    store.append_user_message(keep.id, "kept text stays").unwrap();

    let c = store
        .create_consultation(NewConsultation {
            title: format!("Title {MARKER}"),
            chief_complaint: format!("{MARKER_ZH}胸痛"),
            patient: Some(PatientContext { conditions: vec![MARKER.into()], ..Default::default() }),
            lang: Lang::Zh,
            ..NewConsultation::default()
        })
        .unwrap();
    for i in 0..20 {
        let m = store.append_user_message(c.id, &format!("question {i} {MARKER} {MARKER_ZH}")).unwrap();
        store.edit_user_message(m.id, &format!("edited {i} {MARKER}")).unwrap();
    }
    let id = store.begin_assistant(c.id).unwrap();
    let mut w = store.stream_writer(id).unwrap();
    w.push_reasoning(MARKER).unwrap();
    w.push_content(&format!("answer {MARKER_ZH}")).unwrap();
    w.finish(MessageStatus::Complete, Some(&Stats { device: MARKER.into(), ..Default::default() })).unwrap();
    let profile = store
        .create_profile(MARKER, &PatientContext { medications: vec![MARKER_ZH.into()], ..Default::default() })
        .unwrap();
    assert!(in_files(&db, MARKER) && in_files(&db, MARKER_ZH), "the test must see the marker before deleting");

    store.delete_consultation(c.id).unwrap();
    store.delete_profile(profile.id).unwrap();
    for needle in [MARKER, MARKER_ZH] {
        assert!(!in_files(&db, needle), "{needle} is still in the decrypted pages");
        assert!(!occurs(&db, needle), "{needle} is still in the database file");
        assert!(!occurs(&db.with_extension("db-wal"), needle), "{needle} is still in the WAL");
    }
    assert!(store.search(MARKER, 10).unwrap().is_empty());
    assert_eq!(store.messages(keep.id).unwrap()[0].content, "kept text stays");
    store.check_integrity().unwrap();
}
