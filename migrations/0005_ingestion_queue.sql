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
