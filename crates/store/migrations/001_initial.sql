-- Version 1: consultations, their messages, and saved patient profiles.
-- Never edit a migration that has shipped: add a new file instead (tests/schema.rs checks this).

CREATE TABLE consultations (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    chief_complaint TEXT NOT NULL DEFAULT '',
    -- The patient context as JSON, shaped by the caller; NULL until one is set.
    patient_json TEXT,
    lang TEXT NOT NULL DEFAULT 'en',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The history list is ordered by last activity.
CREATE INDEX consultations_by_updated ON consultations (updated_at DESC, id DESC);

CREATE TABLE patient_profiles (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    patient_json TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    -- Position in the conversation, from 1; the UNIQUE constraint doubles as the lookup index.
    seq INTEGER NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant')),
    content TEXT NOT NULL DEFAULT '',
    reasoning TEXT NOT NULL DEFAULT '',
    reasoning_started_at TEXT,
    reasoning_ended_at TEXT,
    stats_json TEXT,
    status TEXT NOT NULL CHECK (status IN ('streaming', 'complete', 'stopped', 'interrupted', 'error')),
    error_json TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (consultation_id, seq)
);

-- Opening the store looks for answers a dead process left half-written.
CREATE INDEX messages_streaming ON messages (status) WHERE status = 'streaming';
