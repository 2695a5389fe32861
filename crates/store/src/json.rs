//! JSON columns: patient context, stats, errors, context notices and triage, stored as text and
//! read back as the types that wrote them.

use rusqlite::types::Type;
use rusqlite::Row;
use serde::de::DeserializeOwned;
use serde::Serialize;

pub(crate) fn to_text<T: Serialize>(value: Option<&T>) -> Option<String> {
    value.map(|v| serde_json::to_string(v).expect("plain data serializes"))
}

/// Reads a nullable JSON column. Text that is not JSON fails like any other bad column value;
/// JSON of another shape (a row written by an older or newer version) reads as `None`, so one
/// odd value never hides a whole consultation.
pub(crate) fn column<T: DeserializeOwned>(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<T>> {
    let Some(text) = row.get::<_, Option<String>>(idx)? else {
        return Ok(None);
    };
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))?;
    Ok(serde_json::from_value(value).ok())
}
