-- Version 6: documents attached to a user message (lab results, letters, medication lists), as
-- the text extracted on this computer with the file's name, kind, size and pages: a JSON array
-- of `Attachment`s; NULL for a message without any.
ALTER TABLE messages ADD COLUMN attachments_json TEXT;
