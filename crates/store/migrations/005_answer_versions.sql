-- Version 5: earlier answers kept when a question is answered again (Regenerate) or edited and
-- resent, so a clinician can compare them. Keyed by the question (the user message), which both
-- keep; deleting the question (a truncation, the consultation) deletes its versions.
CREATE TABLE answer_versions (
    id INTEGER PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    -- The question's text when this answer was written (it differs after an edit).
    question TEXT NOT NULL,
    content TEXT NOT NULL,
    reasoning TEXT NOT NULL DEFAULT '',
    stats_json TEXT,
    status TEXT NOT NULL CHECK (status IN ('complete', 'stopped', 'interrupted', 'error')),
    -- When the answer was written (its last update).
    created_at TEXT NOT NULL
);
CREATE INDEX answer_versions_question ON answer_versions (question_id, id);
