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
