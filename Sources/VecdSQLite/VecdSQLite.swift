// The SQLite layer: connection, statements, transactions, migrations.
