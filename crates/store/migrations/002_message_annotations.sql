-- Version 2: what the consultation layer attaches to an answer.
-- context_notice_json: the notice shown when older turns were dropped to fit the context window.
-- triage_json: the red-flag triage result for the answer.
ALTER TABLE messages ADD COLUMN context_notice_json TEXT;
ALTER TABLE messages ADD COLUMN triage_json TEXT;
