//! JSON columns: the caller's values (patient context, stats, errors, notices, triage) are
//! stored as text, so this crate needs none of their types.

use rusqlite::types::Type;
use rusqlite::Row;
use serde_json::Value;

pub(crate) fn to_text(value: Option<&Value>) -> Option<String> {
    value.map(Value::to_string)
}

/// Reads a nullable JSON column; text that is not JSON fails like any other bad column value.
pub(crate) fn column(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<Value>> {
    let Some(text) = row.get::<_, Option<String>>(idx)? else {
        return Ok(None);
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}
