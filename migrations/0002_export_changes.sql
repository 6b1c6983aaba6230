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
