import VecdSQLite

/// Server-wide response-cache counters: the sum over every tenant.
public struct CacheTotals: Sendable, Equatable {
    public var hits: Int
    public var misses: Int
    public var entries: Int
    public var bytes: Int

    /// Hits over lookups; 0 before the first lookup.
    public var hitRate: Double { hits + misses == 0 ? 0 : Double(hits) / Double(hits + misses) }
}

extension VecdStore {
    /// The response cache's counters summed over all tenants, for the operator's `/metrics`.
    public func cacheTotals() throws(VecdError) -> CacheTotals {
        try read { state in
            let counters =
                try state.connection.queryFirst(
                    "SELECT coalesce(sum(hits), 0), coalesce(sum(misses), 0) FROM cache_counters"
                ) { ($0.int(0), $0.int(1)) } ?? (0, 0)
            let size =
                try state.connection.queryFirst(
                    "SELECT count(*), coalesce(sum(byte_count), 0) FROM response_cache"
                ) { ($0.int(0), $0.int(1)) } ?? (0, 0)
            return CacheTotals(hits: counters.0, misses: counters.1, entries: size.0, bytes: size.1)
        }
    }

    /// How many rows `tenant` owns in each of its tables (global memories are nobody's and not counted), keyed by
    /// table name: the tenant-scoped part of the admin `stats` operation.
    public func rowCounts(tenant: String) throws(VecdError) -> [String: Int] {
        let tenantTables = [
            "documents", "ingestion_jobs", "memories", "user_memories", "preferences", "conversations", "feedback",
            "training_data", "response_cache", "knowledge_items", "sessions", "chunks", "messages",
        ]
        return try read { state in
            var counts: [String: Int] = [:]
            for table in tenantTables {
                // Table names come from the fixed list above, never from input.
                counts[table] = try state.connection.scalarInt(
                    "SELECT count(*) FROM \(table) WHERE tenant_id = ?", [tenant]) ?? 0
            }
            return counts
        }
    }
}
