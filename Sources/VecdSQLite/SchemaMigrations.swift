// GENERATED from migrations/*.sql; do not edit. To regenerate after adding a migration, run:
//   VECD_UPDATE_MIGRATIONS=1 swift test --disable-xctest --filter SchemaMigrationsSyncTests
// The test fails whenever this file and migrations/ differ.

extension Migration {
    /// vecd's schema migrations, compiled into the binary so it needs no files beside it.
    public static let vecdSchema: [Migration] = [
        Migration(version: 1, name: "initial", sql: #"""
-- vecd schema, version 1: the learning-engine store (docs/schema.md maps each seed table to these).
-- Conventions: timestamps are INTEGER Unix milliseconds (UTC), JSON is TEXT checked with json_valid,
-- booleans are INTEGER 0/1, public ids are UUID strings (caller-chosen strings where a seed uses its own ids).
-- tenant_id is never NULL except for rows visible to every tenant (global memories); 'default' is the
-- tenant of a store used without tenants.

-- Vector collections: each has one dimension, metric, embedding model and storage mode.
CREATE TABLE collections (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    dimension INTEGER NOT NULL CHECK (dimension BETWEEN 1 AND 16000),
    metric TEXT NOT NULL CHECK (metric IN ('cosine', 'dot', 'l2')),
    model_id TEXT NOT NULL DEFAULT '',
    storage_mode TEXT NOT NULL DEFAULT 'f32' CHECK (storage_mode IN ('f32', 'f16', 'int8')),
    created_at INTEGER NOT NULL
) STRICT;

-- Every stored vector, and the id <-> slot map of its collection's index. SQLite is the source of truth:
-- indexes are rebuilt from these rows on open. vector is little-endian Float32, dimension * 4 bytes.
CREATE TABLE vectors (
    id INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    slot INTEGER NOT NULL CHECK (slot >= 0),
    vector BLOB NOT NULL,
    UNIQUE (collection_id, slot)
) STRICT;

-- Ingestion jobs (seed 004): progress_percent = (processed + failed) / total * 100, computed on read.
CREATE TABLE ingestion_jobs (
    id TEXT PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    tenant_id TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'processing', 'completed', 'failed', 'partial')),
    total_documents INTEGER NOT NULL DEFAULT 0 CHECK (total_documents >= 0),
    processed_documents INTEGER NOT NULL DEFAULT 0 CHECK (processed_documents >= 0),
    failed_documents INTEGER NOT NULL DEFAULT 0 CHECK (failed_documents >= 0),
    chunk_count INTEGER NOT NULL DEFAULT 0,
    errors TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(errors) AND json_type(errors) = 'array'),
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    CHECK (processed_documents + failed_documents <= total_documents)
) STRICT;
CREATE INDEX ingestion_jobs_by_tenant ON ingestion_jobs (tenant_id, created_at DESC);

-- Knowledge-base documents (seeds 001 and 004). scope is free text ('global', 'page:portfolio-overview', ...);
-- is_global makes a document visible to every user of its tenant.
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
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
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX documents_by_tenant ON documents (collection_id, tenant_id, created_at DESC);
CREATE INDEX documents_by_user ON documents (tenant_id, user_id);
CREATE INDEX documents_by_scope ON documents (tenant_id, scope);

-- Chunks: the searchable pieces of a document, each with its vector. Offsets count Unicode scalars
-- (Python string indices) into the document's content.
CREATE TABLE chunks (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    chunk_index INTEGER NOT NULL CHECK (chunk_index >= 0),
    content TEXT NOT NULL,
    start_offset INTEGER NOT NULL CHECK (start_offset >= 0),
    end_offset INTEGER NOT NULL CHECK (end_offset >= start_offset),
    metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    vector_id INTEGER UNIQUE REFERENCES vectors(id),
    UNIQUE (document_id, chunk_index)
) STRICT;

-- Full-text index over chunk text and the document title (bm25). It keeps its own copy of the text because
-- the title lives in another table; rowid = chunks.id.
CREATE VIRTUAL TABLE chunk_fts USING fts5(title, content, tokenize = 'porter unicode61');

CREATE TRIGGER chunks_after_insert AFTER INSERT ON chunks BEGIN
    INSERT INTO chunk_fts (rowid, title, content)
    VALUES (new.id, (SELECT title FROM documents WHERE id = new.document_id), new.content);
END;
CREATE TRIGGER chunks_after_delete AFTER DELETE ON chunks BEGIN
    DELETE FROM chunk_fts WHERE rowid = old.id;
    DELETE FROM vectors WHERE id = old.vector_id;
END;
CREATE TRIGGER chunks_after_update_content AFTER UPDATE OF content ON chunks BEGIN
    UPDATE chunk_fts SET content = new.content WHERE rowid = new.id;
END;
CREATE TRIGGER documents_after_update_title AFTER UPDATE OF title ON documents BEGIN
    UPDATE chunk_fts SET title = new.title WHERE rowid IN (SELECT id FROM chunks WHERE document_id = new.id);
END;

-- Memories (seed 001 ai_memories, seed 002 knowledge): short rules or facts. scope 'user' belongs to one user
-- of a tenant, 'tenant' to all its users, 'global' to every tenant (tenant_id NULL; only admins write these).
CREATE TABLE memories (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    tenant_id TEXT,
    user_id TEXT,
    scope TEXT NOT NULL CHECK (scope IN ('user', 'tenant', 'global')),
    content TEXT NOT NULL CHECK (length(content) > 0),
    tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
    source TEXT,
    metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    vector_id INTEGER UNIQUE REFERENCES vectors(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK ((scope = 'global') = (tenant_id IS NULL)),
    CHECK ((scope = 'user') = (user_id IS NOT NULL))
) STRICT;
CREATE INDEX memories_by_owner ON memories (tenant_id, scope, user_id);

CREATE VIRTUAL TABLE memory_fts USING fts5(
    content, tags, content = 'memories', content_rowid = 'seq', tokenize = 'porter unicode61'
);
CREATE TRIGGER memories_after_insert AFTER INSERT ON memories BEGIN
    INSERT INTO memory_fts (rowid, content, tags) VALUES (new.seq, new.content, new.tags);
END;
CREATE TRIGGER memories_after_delete AFTER DELETE ON memories BEGIN
    INSERT INTO memory_fts (memory_fts, rowid, content, tags) VALUES ('delete', old.seq, old.content, old.tags);
    DELETE FROM vectors WHERE id = old.vector_id;
END;
CREATE TRIGGER memories_after_update AFTER UPDATE OF content, tags ON memories BEGIN
    INSERT INTO memory_fts (memory_fts, rowid, content, tags) VALUES ('delete', old.seq, old.content, old.tags);
    INSERT INTO memory_fts (rowid, content, tags) VALUES (new.seq, new.content, new.tags);
END;
CREATE TRIGGER memories_after_update_vector AFTER UPDATE OF vector_id ON memories
WHEN old.vector_id IS NOT new.vector_id BEGIN
    DELETE FROM vectors WHERE id = old.vector_id;
END;

-- The one-row-per-user free-text memory (seed 004 user_memories), upserted. The store bounds its size
-- (configurable); the CHECK is the hard ceiling of 1 MiB.
CREATE TABLE user_memories (
    tenant_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    memory TEXT NOT NULL DEFAULT '' CHECK (length(CAST(memory AS BLOB)) <= 1048576),
    metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
) STRICT, WITHOUT ROWID;

-- Preferences (seed 002): a JSON value per key; user_id '' holds the tenant-wide value.
CREATE TABLE preferences (
    tenant_id TEXT NOT NULL,
    user_id TEXT NOT NULL DEFAULT '',
    key TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
    value TEXT NOT NULL CHECK (json_valid(value)),
    category TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, user_id, key)
) STRICT, WITHOUT ROWID;
CREATE INDEX preferences_by_category ON preferences (tenant_id, category);

-- Conversations and messages (seed 001 agent.CONVERSATIONS/MESSAGES, seed 002 conversations).
CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    user_id TEXT,
    session_id TEXT,
    title TEXT,
    metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX conversations_by_tenant ON conversations (tenant_id, user_id, updated_at DESC);
CREATE INDEX conversations_by_session ON conversations (tenant_id, session_id);

CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('user', 'assistant', 'system', 'tool')),
    content TEXT NOT NULL,
    language TEXT,
    intent TEXT,
    metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX messages_by_conversation ON messages (conversation_id, created_at);

-- Feedback: seed 001 (message_id, up/down, edited_text) and seed 002 (interaction_id, score 1-5, comment).
-- message_id and interaction_id are the caller's opaque ids: vecd may not hold the message, so there is no
-- foreign key, and question_text / answer_text carry the exchange for the down-rated-topic analysis.
CREATE TABLE feedback (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    message_id TEXT,
    interaction_id TEXT,
    rating TEXT CHECK (rating IN ('up', 'down')),
    score INTEGER CHECK (score BETWEEN 1 AND 5),
    edited_text TEXT,
    comment TEXT,
    question_text TEXT,
    answer_text TEXT,
    metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    created_at INTEGER NOT NULL,
    CHECK (message_id IS NOT NULL OR interaction_id IS NOT NULL),
    CHECK (rating IS NOT NULL OR score IS NOT NULL)
) STRICT;
CREATE INDEX feedback_by_tenant ON feedback (tenant_id, created_at);
CREATE INDEX feedback_by_message ON feedback (tenant_id, message_id);

-- Training data (seed 002), exported as JSONL.
CREATE TABLE training_data (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    input_text TEXT NOT NULL,
    output_text TEXT NOT NULL,
    feedback_score INTEGER CHECK (feedback_score BETWEEN 1 AND 5),
    interaction_type TEXT,
    language TEXT,
    exported INTEGER NOT NULL DEFAULT 0 CHECK (exported IN (0, 1)),
    exported_at INTEGER,
    metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX training_by_export ON training_data (tenant_id, exported, created_at);
CREATE INDEX training_by_score ON training_data (tenant_id, feedback_score);

-- Response cache (seed 002), keyed by tenant, embedding model and the hash of the normalized query.
CREATE TABLE response_cache (
    id INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    model_id TEXT NOT NULL,
    query_hash TEXT NOT NULL,
    query_text TEXT NOT NULL,
    response TEXT NOT NULL,
    metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    hit_count INTEGER NOT NULL DEFAULT 0,
    byte_count INTEGER NOT NULL CHECK (byte_count >= 0),
    created_at INTEGER NOT NULL,
    expires_at INTEGER,
    last_accessed_at INTEGER NOT NULL,
    vector_id INTEGER UNIQUE REFERENCES vectors(id),
    UNIQUE (tenant_id, model_id, query_hash)
) STRICT;
CREATE INDEX response_cache_by_access ON response_cache (last_accessed_at);
CREATE INDEX response_cache_by_expiry ON response_cache (expires_at) WHERE expires_at IS NOT NULL;
CREATE TRIGGER response_cache_after_delete AFTER DELETE ON response_cache BEGIN
    DELETE FROM vectors WHERE id = old.vector_id;
END;

-- Hit and miss counters per tenant (misses have no row of their own to count on).
CREATE TABLE cache_counters (
    tenant_id TEXT PRIMARY KEY,
    hits INTEGER NOT NULL DEFAULT 0,
    misses INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Knowledge items (seed 003): typed, categorised, weighted knowledge with retrieval triggers. Seed 003's
-- specialised tables (gotchas, command patterns, experiential insights, decisions) map to knowledge_type plus
-- context_data.
CREATE TABLE knowledge_items (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    knowledge_type TEXT NOT NULL CHECK (knowledge_type IN (
        'factual', 'procedural', 'contextual', 'relational', 'experiential', 'technical_discovery')),
    category TEXT NOT NULL,
    subcategory TEXT,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    content TEXT NOT NULL,
    context_data TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(context_data) AND json_type(context_data) = 'object'),
    importance_score INTEGER NOT NULL DEFAULT 50 CHECK (importance_score BETWEEN 1 AND 100),
    validation_status TEXT NOT NULL DEFAULT 'pending'
        CHECK (validation_status IN ('pending', 'validated', 'needs_update', 'deprecated')),
    access_count INTEGER NOT NULL DEFAULT 0,
    last_accessed_at INTEGER,
    created_by TEXT,
    vector_id INTEGER UNIQUE REFERENCES vectors(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX knowledge_by_type ON knowledge_items (tenant_id, knowledge_type, importance_score DESC);
CREATE INDEX knowledge_by_category ON knowledge_items (tenant_id, category);
CREATE TRIGGER knowledge_items_after_delete AFTER DELETE ON knowledge_items BEGIN
    DELETE FROM vectors WHERE id = old.vector_id;
END;

-- Retrieval triggers: lower-cased keywords that pull an item in when they appear in the situation text.
CREATE TABLE knowledge_triggers (
    knowledge_id TEXT NOT NULL REFERENCES knowledge_items(id) ON DELETE CASCADE,
    keyword TEXT NOT NULL CHECK (length(keyword) > 0 AND keyword = lower(keyword)),
    PRIMARY KEY (keyword, knowledge_id)
) STRICT, WITHOUT ROWID;

-- Sessions (seed 003 ai_sessions) and the knowledge each accessed or created.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    session_identifier TEXT NOT NULL,
    project_context TEXT,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    quality_score INTEGER CHECK (quality_score BETWEEN 1 AND 100),
    user_feedback TEXT,
    metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    UNIQUE (tenant_id, session_identifier)
) STRICT;

CREATE TABLE session_knowledge_links (
    id INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    knowledge_id TEXT NOT NULL REFERENCES knowledge_items(id) ON DELETE CASCADE,
    interaction_type TEXT NOT NULL CHECK (interaction_type IN (
        'accessed', 'created', 'updated', 'validated', 'breakthrough', 'applied')),
    effectiveness_rating INTEGER CHECK (effectiveness_rating BETWEEN 1 AND 10),
    notes TEXT,
    created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX session_links_by_session ON session_knowledge_links (session_id, created_at DESC);
CREATE INDEX session_links_by_knowledge ON session_knowledge_links (knowledge_id);

-- Typed, weighted edges between knowledge items (seed 003 knowledge_relationships).
CREATE TABLE knowledge_relationships (
    id TEXT PRIMARY KEY,
    source_id TEXT NOT NULL REFERENCES knowledge_items(id) ON DELETE CASCADE,
    target_id TEXT NOT NULL REFERENCES knowledge_items(id) ON DELETE CASCADE,
    relationship_type TEXT NOT NULL CHECK (relationship_type IN (
        'depends_on', 'enhances', 'contradicts', 'builds_upon', 'required_for', 'similar_to')),
    strength REAL NOT NULL CHECK (strength BETWEEN 0.0 AND 1.0),
    session_id TEXT REFERENCES sessions(id) ON DELETE SET NULL,
    context TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (source_id, target_id, relationship_type),
    CHECK (source_id <> target_id)
) STRICT;
CREATE INDEX knowledge_relationships_by_target ON knowledge_relationships (target_id);

"""#),
        Migration(version: 2, name: "export_changes", sql: #"""
-- vecd schema, version 2: the change log behind incremental exports (`vecd export postgres`, docs/pgvector.md).
-- Every insert, update and delete of an exported row appends (table, key) here by trigger, in the same transaction
-- as the change itself, so a log entry exists exactly when its change committed. An export remembers (in the
-- target database) the last seq it sent and, next time, re-sends the current state of every key logged after it:
-- a key whose row is gone is deleted there. row_key is a JSON array of the row's key columns.

-- Identifies this store to export targets, so a target written by another store is never updated incrementally.
CREATE TABLE export_source (
    id TEXT NOT NULL PRIMARY KEY
) STRICT;
INSERT INTO export_source (id) VALUES (lower(hex(randomblob(16))));

-- AUTOINCREMENT: seq must never be reused, or an export could skip a change logged after its last run.
CREATE TABLE export_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    table_name TEXT NOT NULL,
    row_key TEXT NOT NULL
) STRICT;

CREATE TRIGGER export_documents_insert AFTER INSERT ON documents BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('documents', json_array(new.id));
END;
CREATE TRIGGER export_documents_update AFTER UPDATE ON documents BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('documents', json_array(old.id));
    INSERT INTO export_changes (table_name, row_key) SELECT 'documents', json_array(new.id) WHERE new.id IS NOT old.id;
END;
CREATE TRIGGER export_documents_delete AFTER DELETE ON documents BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('documents', json_array(old.id));
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

CREATE TRIGGER export_memories_insert AFTER INSERT ON memories BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('memories', json_array(new.id));
END;
CREATE TRIGGER export_memories_update AFTER UPDATE ON memories BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('memories', json_array(old.id));
    INSERT INTO export_changes (table_name, row_key) SELECT 'memories', json_array(new.id) WHERE new.id IS NOT old.id;
END;
CREATE TRIGGER export_memories_delete AFTER DELETE ON memories BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('memories', json_array(old.id));
END;

CREATE TRIGGER export_user_memories_insert AFTER INSERT ON user_memories BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('user_memories', json_array(new.tenant_id, new.user_id));
END;
CREATE TRIGGER export_user_memories_update AFTER UPDATE ON user_memories BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('user_memories', json_array(old.tenant_id, old.user_id));
    INSERT INTO export_changes (table_name, row_key) SELECT 'user_memories', json_array(new.tenant_id, new.user_id)
    WHERE new.tenant_id IS NOT old.tenant_id OR new.user_id IS NOT old.user_id;
END;
CREATE TRIGGER export_user_memories_delete AFTER DELETE ON user_memories BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('user_memories', json_array(old.tenant_id, old.user_id));
END;

CREATE TRIGGER export_preferences_insert AFTER INSERT ON preferences BEGIN
    INSERT INTO export_changes (table_name, row_key)
    VALUES ('preferences', json_array(new.tenant_id, new.user_id, new.key));
END;
CREATE TRIGGER export_preferences_update AFTER UPDATE ON preferences BEGIN
    INSERT INTO export_changes (table_name, row_key)
    VALUES ('preferences', json_array(old.tenant_id, old.user_id, old.key));
    INSERT INTO export_changes (table_name, row_key)
    SELECT 'preferences', json_array(new.tenant_id, new.user_id, new.key)
    WHERE new.tenant_id IS NOT old.tenant_id OR new.user_id IS NOT old.user_id OR new.key IS NOT old.key;
END;
CREATE TRIGGER export_preferences_delete AFTER DELETE ON preferences BEGIN
    INSERT INTO export_changes (table_name, row_key)
    VALUES ('preferences', json_array(old.tenant_id, old.user_id, old.key));
END;

CREATE TRIGGER export_feedback_insert AFTER INSERT ON feedback BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('feedback', json_array(new.id));
END;
CREATE TRIGGER export_feedback_update AFTER UPDATE ON feedback BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('feedback', json_array(old.id));
    INSERT INTO export_changes (table_name, row_key) SELECT 'feedback', json_array(new.id) WHERE new.id IS NOT old.id;
END;
CREATE TRIGGER export_feedback_delete AFTER DELETE ON feedback BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('feedback', json_array(old.id));
END;

CREATE TRIGGER export_training_data_insert AFTER INSERT ON training_data BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('training_data', json_array(new.id));
END;
CREATE TRIGGER export_training_data_update AFTER UPDATE ON training_data BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('training_data', json_array(old.id));
    INSERT INTO export_changes (table_name, row_key)
    SELECT 'training_data', json_array(new.id) WHERE new.id IS NOT old.id;
END;
CREATE TRIGGER export_training_data_delete AFTER DELETE ON training_data BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('training_data', json_array(old.id));
END;

CREATE TRIGGER export_response_cache_insert AFTER INSERT ON response_cache BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('response_cache', json_array(new.id));
END;
CREATE TRIGGER export_response_cache_update AFTER UPDATE ON response_cache BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('response_cache', json_array(old.id));
    INSERT INTO export_changes (table_name, row_key)
    SELECT 'response_cache', json_array(new.id) WHERE new.id IS NOT old.id;
END;
CREATE TRIGGER export_response_cache_delete AFTER DELETE ON response_cache BEGIN
    INSERT INTO export_changes (table_name, row_key) VALUES ('response_cache', json_array(old.id));
END;

"""#),
        Migration(version: 3, name: "vector_changes", sql: #"""
-- vecd schema, version 3: the change log that ties each collection's index files (DIR/collections/<id>/, segment
-- files + manifest + WAL, formats/*.md) to the vectors table, which stays the source of truth.
-- Every insert, update and delete of a vectors row appends (collection, slot) here by trigger, in the same
-- transaction, so a log entry exists exactly when its change committed. The index files record the last seq they
-- hold (the manifest's externalSequence); opening a store re-applies only the entries after it, so an open costs
-- the changes since the last flush, not a rebuild. Entries at or before what the files cover are pruned.

-- AUTOINCREMENT: a seq must never be reused, or an index could believe it holds a change it never saw.
CREATE TABLE vector_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    collection_id INTEGER NOT NULL,
    slot INTEGER NOT NULL
) STRICT;
CREATE INDEX vector_changes_by_collection ON vector_changes (collection_id, seq);

CREATE TRIGGER vector_changes_insert AFTER INSERT ON vectors BEGIN
    INSERT INTO vector_changes (collection_id, slot) VALUES (new.collection_id, new.slot);
END;
CREATE TRIGGER vector_changes_update AFTER UPDATE ON vectors BEGIN
    INSERT INTO vector_changes (collection_id, slot) VALUES (old.collection_id, old.slot);
    INSERT INTO vector_changes (collection_id, slot) SELECT new.collection_id, new.slot
    WHERE new.collection_id IS NOT old.collection_id OR new.slot IS NOT old.slot;
END;
CREATE TRIGGER vector_changes_delete AFTER DELETE ON vectors BEGIN
    INSERT INTO vector_changes (collection_id, slot) VALUES (old.collection_id, old.slot);
END;

-- Per collection, the last seq pruned from the log: index files that cover less than this (restored from an old
-- copy, or lost) cannot be brought up to date from the log and are rebuilt from the vectors table.
CREATE TABLE vector_index_state (
    collection_id INTEGER PRIMARY KEY REFERENCES collections(id) ON DELETE CASCADE,
    pruned_through INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Vectors stored before this version had their indexes rebuilt at every open: log them, so the first open builds
-- their index files from the log.
INSERT INTO vector_changes (collection_id, slot) SELECT collection_id, slot FROM vectors ORDER BY collection_id, slot;

"""#),
        Migration(version: 4, name: "tenant_ids", sql: #"""
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

"""#),
        Migration(version: 5, name: "ingestion_queue", sql: #"""
-- vecd schema, version 5: durable asynchronous ingestion. An accepted job's documents are written here in the
-- transaction that creates the job, before the server answers 202, so a crash or restart loses none of them. A
-- document leaves the queue in the same transaction that stores it (or records its failure in the job's errors),
-- so a job taken up again after an interruption stores each document exactly once: no duplicate, no gap.

CREATE TABLE ingestion_queue (
    job_id TEXT NOT NULL REFERENCES ingestion_jobs(id) ON DELETE CASCADE,
    -- The document's place in the request (from 0); the queue is worked in this order.
    position INTEGER NOT NULL CHECK (position >= 0),
    -- Fixed when the job is accepted, so the 202 can name it and a resumed job stores it under the same id.
    document_id TEXT NOT NULL,
    -- The document as the request gave it (title, content or pdf_base64, type, scope, metadata, owner), JSON.
    input TEXT NOT NULL CHECK (json_valid(input) AND json_type(input) = 'object'),
    -- Given vectors, little-endian Float32 one after another (their lengths are in input.vector_lengths); NULL when
    -- the chunks are to be embedded.
    vectors BLOB,
    PRIMARY KEY (job_id, position)
) STRICT;

-- How the job cuts its documents, so that a resumed job chunks them as its request asked.
ALTER TABLE ingestion_jobs ADD COLUMN chunk_size INTEGER NOT NULL DEFAULT 1000;
ALTER TABLE ingestion_jobs ADD COLUMN chunk_overlap INTEGER NOT NULL DEFAULT 200;
-- How often the job stopped before it finished and was queued again, and why the last time: 'shutdown' (the
-- server was stopped and drained its running group) or 'crash' (the process died with the job running).
ALTER TABLE ingestion_jobs ADD COLUMN interruptions INTEGER NOT NULL DEFAULT 0 CHECK (interruptions >= 0);
ALTER TABLE ingestion_jobs ADD COLUMN last_interruption TEXT CHECK (last_interruption IN ('shutdown', 'crash'));
CREATE INDEX ingestion_jobs_unfinished ON ingestion_jobs (status, created_at)
    WHERE status IN ('queued', 'processing');

"""#),
    ]
}
