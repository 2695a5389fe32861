//! Schema migrations: numbered SQL files applied in order, with `PRAGMA user_version` as the
//! version. A shipped migration is never edited; a change adds the next file (and updates the
//! snapshot in tests/schema.sql, which the tests compare with the migrated schema).

use rusqlite::{Connection, TransactionBehavior};

use crate::StoreError;

/// Migration `i` (from 0) takes the schema from version `i` to `i + 1`.
const MIGRATIONS: &[(&str, &str)] = &[
    ("001_initial", include_str!("../migrations/001_initial.sql")),
    ("002_message_annotations", include_str!("../migrations/002_message_annotations.sql")),
    ("003_search", include_str!("../migrations/003_search.sql")),
    ("004_thinking_mode", include_str!("../migrations/004_thinking_mode.sql")),
    ("005_answer_versions", include_str!("../migrations/005_answer_versions.sql")),
    ("006_attachments", include_str!("../migrations/006_attachments.sql")),
];

/// The schema version this build writes and reads.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(crate) fn user_version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// Brings the schema up to `SCHEMA_VERSION` in one transaction: a failed migration leaves the
/// file at its old version, never half-migrated.
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    if user_version(conn)? == SCHEMA_VERSION {
        return Ok(());
    }
    // IMMEDIATE takes the write lock before reading the version, so two processes opening the
    // file at once cannot both migrate it.
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let found = user_version(&tx)?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew { found, supported: SCHEMA_VERSION });
    }
    for (name, sql) in &MIGRATIONS[found as usize..] {
        tx.execute_batch(sql).map_err(|e| match StoreError::from(e) {
            StoreError::Sqlite(detail) => StoreError::Sqlite(format!("migration {name}: {detail}")),
            other => other,
        })?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
}
