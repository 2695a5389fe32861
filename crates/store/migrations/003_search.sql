-- Version 3: full-text search over consultation titles, chief complaints and message text.
--
-- The trigram tokenizer indexes every 3-character substring, so it finds Chinese (which has no
-- spaces between words; unicode61 would make a whole Chinese sentence one token) as well as
-- English. Terms shorter than 3 characters cannot use it: the search code matches those with
-- LIKE instead. The indexes are external-content tables: the text is stored once, in the
-- tables above, and the triggers keep the index in step with it.

CREATE VIRTUAL TABLE consultations_fts USING fts5 (
    title, chief_complaint,
    content = 'consultations', content_rowid = 'id', tokenize = 'trigram'
);

CREATE VIRTUAL TABLE messages_fts USING fts5 (
    content,
    content = 'messages', content_rowid = 'id', tokenize = 'trigram'
);

CREATE TRIGGER consultations_fts_insert AFTER INSERT ON consultations BEGIN
    INSERT INTO consultations_fts (rowid, title, chief_complaint)
    VALUES (new.id, new.title, new.chief_complaint);
END;

CREATE TRIGGER consultations_fts_delete AFTER DELETE ON consultations BEGIN
    INSERT INTO consultations_fts (consultations_fts, rowid, title, chief_complaint)
    VALUES ('delete', old.id, old.title, old.chief_complaint);
END;

CREATE TRIGGER consultations_fts_update AFTER UPDATE OF title, chief_complaint ON consultations BEGIN
    INSERT INTO consultations_fts (consultations_fts, rowid, title, chief_complaint)
    VALUES ('delete', old.id, old.title, old.chief_complaint);
    INSERT INTO consultations_fts (rowid, title, chief_complaint)
    VALUES (new.id, new.title, new.chief_complaint);
END;

-- Deleting a consultation cascades to its messages, and cascaded deletes fire this trigger too.
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;

CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
END;

CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
    INSERT INTO messages_fts (rowid, content) VALUES (new.id, new.content);
END;

-- Index what earlier versions stored.
INSERT INTO consultations_fts (consultations_fts) VALUES ('rebuild');
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
