public import Foundation
import VecdSQLite

/// One user's free-text memory (seed 004's `user_memories`, one row per user).
public struct UserMemory: Sendable, Equatable {
    public var userID: String
    public var memory: String
    public var metadata: Metadata
    public var updatedAt: Date
}

/// How an upsert combines with the stored text.
public enum UserMemoryUpdate: Sendable, Equatable {
    /// Replace the text; text over the size bound is refused.
    case replace(String)
    /// Append a line; when the result would pass the bound, the oldest lines are dropped to make room (the
    /// memory keeps its newest context instead of growing without end, seed 004's listed risk).
    case append(String)
}

extension VecdStore {
    /// Upserts `userID`'s memory (`INSERT … ON CONFLICT DO UPDATE`), bounded by ``Configuration/userMemoryByteLimit``.
    @discardableResult
    public func upsertUserMemory(
        userID: String, _ update: UserMemoryUpdate, metadata: Metadata? = nil, tenant: String = defaultTenant
    ) throws(VecdError) -> UserMemory {
        try checkTenant(tenant)
        try checkIdentifier(userID, what: "user id")
        if let metadata { try checkMetadata(metadata) }
        let limit = configuration.userMemoryByteLimit
        let stamp = milliseconds(now)
        return try write { state, _ in
            let current = try Self.readUserMemory(userID: userID, tenant: tenant, connection: state.connection)
            let text: String
            switch update {
            case .replace(let replacement):
                guard replacement.utf8.count <= limit else {
                    throw VecdError(.tooLarge, "user memory has \(replacement.utf8.count) bytes; the limit is \(limit)")
                }
                text = replacement
            case .append(let line):
                guard line.utf8.count <= limit else {
                    throw VecdError(.tooLarge, "the appended text has \(line.utf8.count) bytes; the limit is \(limit)")
                }
                text = Self.appendBounded(current?.memory ?? "", line, limit: limit)
            }
            try state.connection.run(
                """
                INSERT INTO user_memories (tenant_id, user_id, memory, metadata, updated_at) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, user_id) DO UPDATE SET memory = excluded.memory,
                    metadata = CASE WHEN ? THEN excluded.metadata ELSE metadata END, updated_at = excluded.updated_at
                """, [tenant, userID, text, (metadata ?? [:]).jsonText, stamp, metadata != nil])
            return try Self.readUserMemory(userID: userID, tenant: tenant, connection: state.connection)!
        }
    }

    /// `userID`'s memory; `notFound` before the first upsert.
    public func userMemory(userID: String, tenant: String = defaultTenant) throws(VecdError) -> UserMemory {
        let found = try read { state in
            try Self.readUserMemory(userID: userID, tenant: tenant, connection: state.connection)
        }
        guard let found else { throw VecdError(.notFound, "no memory for user \(userID)") }
        return found
    }

    /// Deletes `userID`'s memory.
    public func deleteUserMemory(userID: String, tenant: String = defaultTenant) throws(VecdError) {
        try write { state, _ in
            try state.connection.run("DELETE FROM user_memories WHERE tenant_id = ? AND user_id = ?", [tenant, userID])
            guard state.connection.changeCount > 0 else { throw VecdError(.notFound, "no memory for user \(userID)") }
        }
    }

    /// `existing` plus `line` on a new line, dropping whole lines from the start until it fits in `limit` bytes.
    static func appendBounded(_ existing: String, _ line: String, limit: Int) -> String {
        var lines =
            existing.isEmpty ? [] : existing.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.append(line)
        var byteCount = lines.reduce(-1) { $0 + $1.utf8.count + 1 }
        while byteCount > limit, lines.count > 1 {
            byteCount -= lines.removeFirst().utf8.count + 1
        }
        return lines.joined(separator: "\n")
    }

    private static func readUserMemory(userID: String, tenant: String, connection: Connection) throws -> UserMemory? {
        try connection.queryFirst(
            "SELECT user_id, memory, metadata, updated_at FROM user_memories WHERE tenant_id = ? AND user_id = ?",
            [tenant, userID]
        ) {
            UserMemory(
                userID: $0.string(0), memory: $0.string(1), metadata: .parse($0.string(2)),
                updatedAt: date(milliseconds: $0.int64(3)))
        }
    }
}
