public import Foundation
import VecdSQLite

/// A stored preference (seed 002): a JSON value under a key, optionally categorised.
public struct Preference: Sendable, Equatable {
    public var key: String
    public var value: JSONValue
    public var category: String?
    /// The user it belongs to; nil for the tenant-wide value.
    public var userID: String?
    public var createdAt: Date
    public var updatedAt: Date
}

extension VecdStore {
    /// Sets `key` to `value` for `tenant` (and `userID`, when given), replacing any earlier value.
    @discardableResult
    public func setPreference(
        key: String, value: JSONValue, category: String? = nil, tenant: String = defaultTenant, userID: String? = nil
    ) throws(VecdError) -> Preference {
        try checkTenant(tenant)
        try checkIdentifier(key, what: "preference key")
        if let userID { try checkIdentifier(userID, what: "user id") }
        guard value.isFinite else { throw VecdError(.invalidArgument, "preference values must hold finite numbers") }
        let text = value.jsonText
        guard text.utf8.count <= configuration.maxTextByteCount else {
            throw VecdError(
                .tooLarge,
                "preference value has \(text.utf8.count) bytes; the limit is \(configuration.maxTextByteCount)")
        }
        let stamp = milliseconds(now)
        return try write { state, _ in
            try state.connection.run(
                """
                INSERT INTO preferences (tenant_id, user_id, key, value, category, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (tenant_id, user_id, key) DO UPDATE SET
                    value = excluded.value, category = excluded.category, updated_at = excluded.updated_at
                """, [tenant, userID ?? "", key, text, category, stamp, stamp])
            return try Self.readPreference(key: key, tenant: tenant, userID: userID, connection: state.connection)!
        }
    }

    /// The value of `key`; with `userID`, the user's own value, else the tenant-wide one. `notFound` when unset.
    public func preference(key: String, tenant: String = defaultTenant, userID: String? = nil) throws(VecdError)
        -> Preference
    {
        let found = try read { state -> Preference? in
            if let userID,
                let own = try Self.readPreference(
                    key: key, tenant: tenant, userID: userID, connection: state.connection)
            {
                return own
            }
            return try Self.readPreference(key: key, tenant: tenant, userID: nil, connection: state.connection)
        }
        guard let found else { throw VecdError(.notFound, "no preference \(key)") }
        return found
    }

    /// The preferences of `tenant` (and `userID`'s own, when given), optionally of one category, by key.
    public func preferences(
        tenant: String = defaultTenant, userID: String? = nil, category: String? = nil
    ) throws(VecdError) -> [Preference] {
        try read { state in
            try state.connection.query(
                """
                SELECT key, value, category, user_id, created_at, updated_at FROM preferences
                WHERE tenant_id = ? AND user_id IN ('', ?) AND (? IS NULL OR category = ?) ORDER BY key, user_id
                """, [tenant, userID ?? "", category, category]
            ) { Self.readPreference($0) }
        }
    }

    /// Removes `key`; `notFound` when it was not set.
    public func deletePreference(key: String, tenant: String = defaultTenant, userID: String? = nil) throws(VecdError) {
        try write { state, _ in
            try state.connection.run(
                "DELETE FROM preferences WHERE tenant_id = ? AND user_id = ? AND key = ?", [tenant, userID ?? "", key])
            guard state.connection.changeCount > 0 else { throw VecdError(.notFound, "no preference \(key)") }
        }
    }

    private static func readPreference(key: String, tenant: String, userID: String?, connection: Connection) throws
        -> Preference?
    {
        try connection.queryFirst(
            "SELECT key, value, category, user_id, created_at, updated_at FROM preferences "
                + "WHERE tenant_id = ? AND user_id = ? AND key = ?", [tenant, userID ?? "", key]
        ) { readPreference($0) }
    }

    private static func readPreference(_ row: Statement) -> Preference {
        let user = row.string(3)
        return Preference(
            key: row.string(0), value: JSONValue(jsonText: row.string(1)) ?? .null, category: row.optionalString(2),
            userID: user.isEmpty ? nil : user, createdAt: date(milliseconds: row.int64(4)),
            updatedAt: date(milliseconds: row.int64(5)))
    }
}
