// The system SQLite (Debian: libsqlite3-dev). Variadic C functions are not callable from Swift,
// so any needed wrappers are declared here as static inline functions.
#include <sqlite3.h>

// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot import: these wrappers make
// SQLite copy the bound text or blob before the call returns, so Swift's temporary buffers may go away.
static inline int vecd_sqlite3_bind_text_copy(sqlite3_stmt *statement, int index, const char *text, int byteCount) {
    return sqlite3_bind_text(statement, index, text, byteCount, SQLITE_TRANSIENT);
}

static inline int vecd_sqlite3_bind_blob_copy(sqlite3_stmt *statement, int index, const void *bytes, int byteCount) {
    return sqlite3_bind_blob(statement, index, bytes, byteCount, SQLITE_TRANSIENT);
}
