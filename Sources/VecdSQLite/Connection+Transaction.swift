extension Connection {
    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws (the error is rethrown).
    ///
    /// The outermost call opens `BEGIN IMMEDIATE`, taking the write lock up front so that a transaction never fails
    /// half-way with a lock upgrade error. A call inside an open transaction becomes a savepoint, so an inner failure
    /// rolls back only the inner work.
    public func inTransaction<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction { return try inSavepoint(body) }
        try execute("BEGIN IMMEDIATE")
        let value: T
        do {
            value = try body()
        } catch {
            rollbackQuietly()
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            rollbackQuietly()
            throw error
        }
        return value
    }

    private func inSavepoint<T>(_ body: () throws -> T) throws -> T {
        try execute("SAVEPOINT vecd_nested")
        do {
            let value = try body()
            try execute("RELEASE vecd_nested")
            return value
        } catch {
            try? execute("ROLLBACK TO vecd_nested")
            try? execute("RELEASE vecd_nested")
            throw error
        }
    }

    /// Rolls back if a transaction is still open; SQLite may already have rolled back after some errors.
    private func rollbackQuietly() {
        if isInTransaction { try? execute("ROLLBACK") }
    }
}
