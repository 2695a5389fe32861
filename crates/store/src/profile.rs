//! Saved patient profiles: patient contexts kept by name to reuse in new consultations.

use anamnesis_consult::PatientContext;
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;
use ts_rs::TS;

use crate::{json, timestamp_now, Store, StoreError};

pub type ProfileId = i64;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct PatientProfile {
    #[ts(type = "number")]
    pub id: ProfileId,
    pub name: String,
    /// The saved patient context.
    pub patient: PatientContext,
    pub created_at: String,
    pub updated_at: String,
}

const MAX_NAME_CHARS: usize = 200;

fn from_row(row: &Row<'_>) -> rusqlite::Result<PatientProfile> {
    Ok(PatientProfile {
        id: row.get(0)?,
        name: row.get(1)?,
        // NOT NULL; a context of an unknown shape reads as an empty one.
        patient: json::column(row, 2)?.unwrap_or_default(),
        created_at: row.get(3)?,
        updated_at: row.get(4)?,
    })
}

impl Store {
    pub fn create_profile(&self, name: &str, patient: &PatientContext) -> Result<PatientProfile, StoreError> {
        let name = check_name(name)?;
        let now = timestamp_now();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO patient_profiles (name, patient_json, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
                params![name, json::to_text(Some(patient)), now],
            )?;
            get(tx, tx.last_insert_rowid())
        })
    }

    pub fn profile(&self, id: ProfileId) -> Result<PatientProfile, StoreError> {
        self.read(|conn| get(conn, id))
    }

    /// Every profile, most recently changed first.
    pub fn profiles(&self) -> Result<Vec<PatientProfile>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare(
                "SELECT id, name, patient_json, created_at, updated_at FROM patient_profiles
                 ORDER BY updated_at DESC, id DESC",
            )?;
            let rows = stmt.query_map([], from_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
    }

    /// Renames and/or replaces the patient context; `None` keeps a field.
    pub fn update_profile(
        &self,
        id: ProfileId,
        name: Option<&str>,
        patient: Option<&PatientContext>,
    ) -> Result<PatientProfile, StoreError> {
        let name = name.map(check_name).transpose()?;
        self.write(|tx| {
            let current = get(tx, id)?;
            tx.execute(
                "UPDATE patient_profiles SET name = ?2, patient_json = ?3, updated_at = ?4 WHERE id = ?1",
                params![
                    id,
                    name.unwrap_or(&current.name),
                    json::to_text(Some(patient.unwrap_or(&current.patient))),
                    timestamp_now()
                ],
            )?;
            get(tx, id)
        })
    }

    /// Deletes the profile and wipes it from disk, like [`Store::delete_consultation`].
    pub fn delete_profile(&self, id: ProfileId) -> Result<(), StoreError> {
        self.delete_and_wipe(|tx| match tx.execute("DELETE FROM patient_profiles WHERE id = ?1", [id])? {
            0 => Err(StoreError::NotFound { what: "patient profile", id }),
            _ => Ok(()),
        })
    }
}

fn get(conn: &Connection, id: ProfileId) -> Result<PatientProfile, StoreError> {
    conn.query_row(
        "SELECT id, name, patient_json, created_at, updated_at FROM patient_profiles WHERE id = ?1",
        [id],
        from_row,
    )
    .optional()?
    .ok_or(StoreError::NotFound { what: "patient profile", id })
}

fn check_name(name: &str) -> Result<&str, StoreError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError::invalid("a patient profile needs a name"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(StoreError::invalid(format!("the profile name is longer than {MAX_NAME_CHARS} characters")));
    }
    Ok(name)
}
