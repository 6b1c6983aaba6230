// The pgvector path: export to and import from PostgreSQL through libpq.
