// The system SQLite (Debian: libsqlite3-dev). Variadic C functions are not callable from Swift,
// so any needed wrappers are declared here as static inline functions.
#include <sqlite3.h>
