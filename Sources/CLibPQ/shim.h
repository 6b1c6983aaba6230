// libpq, the PostgreSQL client library (Debian: libpq-dev), for the pgvector export/import path.
#include <postgresql/libpq-fe.h>
