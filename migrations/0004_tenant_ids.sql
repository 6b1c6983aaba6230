-- vecd schema, version 4: the ids a caller chooses are unique per tenant, not per store. A document's own id, a
-- conversation id and a message id (seed 001 brings its own) were primary keys over every tenant, so one tenant's
-- POST with another tenant's id answered "exists already" (revealing the id) and one tenant could take an id before
-- another used it. Now each of these tables is keyed by (tenant_id, id), and the rows that hang off them (chunks,
-- messages) carry their tenant so that their foreign keys name the parent row exactly.
--
-- The tables are rebuilt: the old ones are renamed out of the way, the new ones created under the old names, the
-- rows copied with their ids, rowids and timestamps, and the old tables dropped. Chunk ids are kept, so chunk_fts
-- (rowid = chunks.id) and the vectors stay as they are. Every trigger on the rebuilt tables is dropped first, so
-- dropping the old tables deletes nothing else (no FTS rows, no vectors, no change-log entries).

PRAGMA defer_foreign_keys = ON;

DROP TRIGGER chunks_after_insert;
DROP TRIGGER chunks_after_delete;
DROP TRIGGER chunks_after_update_content;
DROP TRIGGER documents_after_update_title;
DROP TRIGGER export_documents_insert;
DROP TRIGGER export_documents_update;
DROP TRIGGER export_documents_delete;
DROP TRIGGER export_chunks_insert;
DROP TRIGGER export_chunks_update;
DROP TRIGGER export_chunks_delete;

ALTER TABLE messages RENAME TO messages_v3;
ALTER TABLE conversations RENAME TO conversations_v3;
ALTER TABLE chunks RENAME TO chunks_v3;
ALTER TABLE documents RENAME TO documents_v3;
DROP INDEX documents_by_tenant;
DROP INDEX documents_by_user;
DROP INDEX documents_by_scope;
DROP INDEX conversations_by_tenant;
DROP INDEX conversations_by_session;
DROP INDEX messages_by_conversation;

CREATE TABLE documents (
    id TEXT NOT NULL,
    collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL,
    user_id TEXT,
    scope TEXT NOT NULL DEFAULT 'global',
    is_global INTEGER NOT NULL DEFAULT 0 CHECK (is_global IN (0, 1)),
    title TEXT NOT NULL DEFAULT '',
    content TEXT NOT NULL,
    document_type TEXT NOT NULL DEFAULT 'text'
        CHECK (document_type IN ('text', 'markdown', 'html', 'pdf', 'code')),
    metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    job_id TEXT REFERENCES ingestion_jobs(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;
CREATE INDEX documents_by_tenant ON documents (collection_id, tenant_id, created_at DESC);
CREATE INDEX documents_by_user ON documents (tenant_id, user_id);
CREATE INDEX documents_by_scope ON documents (tenant_id, scope);

CREATE TABLE chunks (
    id INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    document_id TEXT NOT NULL,
    chunk_index INTEGER NOT NULL CHECK (chunk_index >= 0),
    content TEXT NOT NULL,
    start_offset INTEGER NOT NULL CHECK (start_offset >= 0),
    end_offset INTEGER NOT NULL CHECK (end_offset >= start_offset),
    metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    vector_id INTEGER UNIQUE REFERENCES vectors(id),
    UNIQUE (tenant_id, document_id, chunk_index),
    FOREIGN KEY (tenant_id, document_id) REFERENCES documents (tenant_id, id) ON DELETE CASCADE
) STRICT;

CREATE TABLE conversations (
    id TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    user_id TEXT,
    session_id TEXT,
    title TEXT,
    metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id)
) STRICT;
CREATE INDEX conversations_by_tenant ON conversations (tenant_id, user_id, updated_at DESC);
CREATE INDEX conversations_by_session ON conversations (tenant_id, session_id);

CREATE TABLE messages (
    id TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'system', 'tool')),
    content TEXT NOT NULL,
    language TEXT,
    intent TEXT,
    metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX messages_by_conversation ON messages (tenant_id, conversation_id, created_at);

-- rowids are kept: messages of one millisecond are ordered by rowid.
INSERT INTO documents (rowid, id, collection_id, tenant_id, user_id, scope, is_global, title, content, document_type,
    metadata, job_id, created_at, updated_at)
SELECT rowid, id, collection_id, tenant_id, user_id, scope, is_global, title, content, document_type, metadata, job_id,
    created_at, updated_at
FROM documents_v3;
INSERT INTO chunks (id, tenant_id, document_id, chunk_index, content, start_offset, end_offset, metadata, vector_id)
SELECT k.id, d.tenant_id, k.document_id, k.chunk_index, k.content, k.start_offset, k.end_offset, k.metadata,
    k.vector_id
FROM chunks_v3 k JOIN documents_v3 d ON d.id = k.document_id;
INSERT INTO conversations (rowid, id, tenant_id, user_id, session_id, title, metadata, created_at, updated_at)
SELECT rowid, id, tenant_id, user_id, session_id, title, metadata, created_at, updated_at FROM conversations_v3;
INSERT INTO messages (rowid, id, tenant_id, conversation_id, role, content, language, intent, metadata, created_at)
SELECT m.rowid, m.id, c.tenant_id, m.conversation_id, m.role, m.content, m.language, m.intent, m.metadata,
    m.created_at
FROM messages_v3 m JOIN conversations_v3 c ON c.id = m.conversation_id;

DROP TABLE messages_v3;
DROP TABLE conversations_v3;
DROP TABLE chunks_v3;
DROP TABLE documents_v3;

-- The same triggers as versions 1 and 2, naming a document by (tenant_id, id).
CREATE TRIGGER chunks_after_insert AFTER INSERT ON chunks BEGIN
    INSERT INTO chunk_fts (rowid, title, content)
    VALUES (new.id, (SELECT title FROM documents WHERE tenant_id = new.tenant_id AND id = new.document_id),
        new.content);
END;
CREATE TRIGGER chunks_after_delete AFTER DELETE ON chunks BEGIN
    DELETE FROM chunk_fts WHERE rowid = old.id;
    DELETE FROM vectors WHERE id = old.vector_id;
END;
CREATE TRIGGER chunks_after_update_content AFTER UPDATE OF content ON chunks BEGIN
    UPDATE chunk_fts SET content = new.content WHERE rowid = new.id;
END;
CREATE TRIGGER documents_after_update_title AFTER UPDATE OF title ON documents BEGIN
    UPDATE chunk_fts SET title = new.title
    WHERE rowid IN (SELECT id FROM chunks WHERE tenant_id = new.tenant_id AND document_id = new.id);
END;

-- A document's export key is now (tenant_id, id).
CREATE TRIGGER export_documents_insert AFTER INSERT ON documents BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('documents', json_array(new.tenant_id, new.id));
END;
CREATE TRIGGER export_documents_update AFTER UPDATE ON documents BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('documents', json_array(old.tenant_id, old.id));
    INSERT INTO export_changes (table_name, row_key) SELECT 'documents', json_array(new.tenant_id, new.id)
    WHERE new.tenant_id IS NOT old.tenant_id OR new.id IS NOT old.id;
END;
CREATE TRIGGER export_documents_delete AFTER DELETE ON documents BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('documents', json_array(old.tenant_id, old.id));
END;
CREATE TRIGGER export_chunks_insert AFTER INSERT ON chunks BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('chunks', json_array(new.id));
END;
CREATE TRIGGER export_chunks_update AFTER UPDATE ON chunks BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('chunks', json_array(old.id));
    INSERT INTO export_changes (table_name, row_key) SELECT 'chunks', json_array(new.id) WHERE new.id IS NOT old.id;
END;
CREATE TRIGGER export_chunks_delete AFTER DELETE ON chunks BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('chunks', json_array(old.id));
END;

-- Logged document keys of the old form [id] become [tenant_id, id] where the document still exists. Keys of
-- documents deleted before this version cannot be given a tenant and are dropped: an export target written before
-- this version has the old layout (documents keyed by id alone), so its next export is a full one, which needs no
-- log entries; every target exported from now on is incremental from entries of the new form only.
UPDATE export_changes
SET row_key = json_array(
    (SELECT tenant_id FROM documents WHERE id = json_extract(row_key, '$[0]')), json_extract(row_key, '$[0]'))
WHERE table_name = 'documents' AND json_array_length(row_key) = 1
    AND (SELECT count(*) FROM documents WHERE id = json_extract(row_key, '$[0]')) = 1;
DELETE FROM export_changes WHERE table_name = 'documents' AND json_array_length(row_key) = 1;
