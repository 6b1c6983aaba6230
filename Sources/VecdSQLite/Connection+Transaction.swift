extension Connection {
    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws (the error is rethrown).
    ///
    /// The outermost call opens `BEGIN IMMEDIATE`, taking the write lock up front so that a transaction never fails
    /// half-way with a lock upgrade error. A call inside an open transaction becomes a savepoint, so an inner failure
    /// rolls back only the inner work.
    ///
    /// All or nothing, even when SQLite itself rolls the transaction back after an error (a full disk, an I/O
    /// error): from then on every statement, savepoint and the commit throw that error again, so no statement of
    /// `body` runs outside the transaction and commits on its own, whatever `body` catches.
    public func inTransaction<T>(_ body: () throws -> T) throws -> T {
        if transactionDepth > 0 { return try inSavepoint(body) }
        try execute("BEGIN IMMEDIATE")
        transactionDepth = 1
        lostTransactionError = nil
        defer {
            transactionDepth = 0
            lostTransactionError = nil
        }
        let value: T
        do {
            value = try body()
            try checkTransactionIntact()
        } catch {
            rollbackQuietly()
            throw lostTransactionError ?? error
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
        try checkTransactionIntact()
        try execute("SAVEPOINT vecd_nested")
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        do {
            let value = try body()
            try checkTransactionIntact()
            try execute("RELEASE vecd_nested")
            return value
        } catch {
            if lostTransactionError == nil, isInTransaction {
                try? execute("ROLLBACK TO vecd_nested")
                try? execute("RELEASE vecd_nested")
            }
            // SQLite may have rolled the whole transaction back: then the outer work is gone too, and the caller
            // must not carry on as if only this savepoint failed.
            try checkTransactionIntact()
            throw error
        }
    }

    /// Rolls back if a transaction is still open; SQLite may already have rolled back after some errors.
    private func rollbackQuietly() {
        if isInTransaction { try? execute("ROLLBACK") }
    }
}
