public import Foundation
import VecdSQLite

/// A conversation (seed 001's `agent.CONVERSATIONS`, seed 002's `session_id`).
public struct Conversation: Sendable, Equatable {
    public var id: String
    public var tenantID: String
    public var userID: String?
    public var sessionID: String?
    public var title: String?
    public var metadata: Metadata
    public var createdAt: Date
    public var updatedAt: Date
}

/// Who wrote a message.
public enum MessageRole: String, Sendable, CaseIterable, Codable {
    case user, assistant, system, tool
}

/// A message of a conversation.
public struct Message: Sendable, Equatable {
    /// A UUID, or the caller's own opaque id (seed 001 gives its own message ids).
    public var id: String
    public var conversationID: String
    public var role: MessageRole
    public var content: String
    public var language: String?
    public var intent: String?
    public var metadata: Metadata
    public var createdAt: Date
}

extension VecdStore {
    /// Starts a conversation for `tenant`.
    public func createConversation(
        id: String? = nil, tenant: String = defaultTenant, userID: String? = nil, sessionID: String? = nil,
        title: String? = nil, metadata: Metadata = [:]
    ) throws(VecdError) -> Conversation {
        try checkTenant(tenant)
        if let id { try checkIdentifier(id, what: "conversation id") }
        try checkMetadata(metadata)
        let conversationID = id ?? newID()
        let stamp = milliseconds(now)
        return try write { state, _ in
            try state.connection.run(
                "INSERT INTO conversations (id, tenant_id, user_id, session_id, title, metadata, created_at, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [conversationID, tenant, userID, sessionID, title, metadata.jsonText, stamp, stamp])
            return try Self.readConversation(id: conversationID, tenant: tenant, connection: state.connection)!
        }
    }

    /// Conversation `id` of `tenant`.
    public func conversation(id: String, tenant: String = defaultTenant) throws(VecdError) -> Conversation {
        let found = try read { state in try Self.readConversation(id: id, tenant: tenant, connection: state.connection)
        }
        guard let found else { throw VecdError(.notFound, "no conversation \(id)") }
        return found
    }

    /// The conversations of `tenant` (of one user or session when given), most recently active first.
    public func conversations(
        tenant: String = defaultTenant, userID: String? = nil, sessionID: String? = nil, limit: Int = 100
    ) throws(VecdError) -> [Conversation] {
        guard (1...10_000).contains(limit) else { throw VecdError(.invalidArgument, "limit must be in 1...10000") }
        return try read { state in
            try state.connection.query(
                "SELECT \(Self.conversationColumns) FROM conversations WHERE tenant_id = ? AND (? IS NULL OR user_id = ?) "
                    + "AND (? IS NULL OR session_id = ?) ORDER BY updated_at DESC, id LIMIT ?",
                [tenant, userID, userID, sessionID, sessionID, limit], row: Self.readConversation)
        }
    }

    /// Appends a message to conversation `conversationID` of `tenant`.
    @discardableResult
    public func addMessage(
        to conversationID: String, role: MessageRole, content: String, id: String? = nil, language: String? = nil,
        intent: String? = nil, metadata: Metadata = [:], tenant: String = defaultTenant
    ) throws(VecdError) -> Message {
        guard content.utf8.count <= configuration.maxTextByteCount else {
            throw VecdError(
                .tooLarge, "message has \(content.utf8.count) bytes; the limit is \(configuration.maxTextByteCount)")
        }
        if let id { try checkIdentifier(id, what: "message id") }
        try checkMetadata(metadata)
        let messageID = id ?? newID()
        let stamp = milliseconds(now)
        return try write { state, _ in
            guard try Self.readConversation(id: conversationID, tenant: tenant, connection: state.connection) != nil
            else {
                throw VecdError(.notFound, "no conversation \(conversationID)")
            }
            try state.connection.run(
                "INSERT INTO messages (id, tenant_id, conversation_id, role, content, language, intent, metadata, "
                    + "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [messageID, tenant, conversationID, role.rawValue, content, language, intent, metadata.jsonText, stamp])
            try state.connection.run(
                "UPDATE conversations SET updated_at = max(updated_at, ?) WHERE tenant_id = ? AND id = ?",
                [stamp, tenant, conversationID])
            return Message(
                id: messageID, conversationID: conversationID, role: role, content: content, language: language,
                intent: intent, metadata: metadata, createdAt: date(milliseconds: stamp))
        }
    }

    /// The messages of a conversation, oldest first.
    public func messages(in conversationID: String, tenant: String = defaultTenant, limit: Int = 1_000)
        throws(VecdError) -> [Message]
    {
        guard (1...100_000).contains(limit) else { throw VecdError(.invalidArgument, "limit must be in 1...100000") }
        return try read { state in
            guard try Self.readConversation(id: conversationID, tenant: tenant, connection: state.connection) != nil
            else {
                throw VecdError(.notFound, "no conversation \(conversationID)")
            }
            return try state.connection.query(
                "SELECT id, conversation_id, role, content, language, intent, metadata, created_at FROM messages "
                    + "WHERE tenant_id = ? AND conversation_id = ? ORDER BY created_at, rowid LIMIT ?",
                [tenant, conversationID, limit]
            ) { row in
                Message(
                    id: row.string(0), conversationID: row.string(1),
                    role: MessageRole(rawValue: row.string(2)) ?? .user,
                    content: row.string(3), language: row.optionalString(4), intent: row.optionalString(5),
                    metadata: .parse(row.string(6)), createdAt: date(milliseconds: row.int64(7)))
            }
        }
    }

    /// Deletes a conversation and its messages.
    public func deleteConversation(id: String, tenant: String = defaultTenant) throws(VecdError) {
        try write { state, _ in
            try state.connection.run("DELETE FROM conversations WHERE id = ? AND tenant_id = ?", [id, tenant])
            guard state.connection.changeCount > 0 else { throw VecdError(.notFound, "no conversation \(id)") }
        }
    }

    static let conversationColumns = "id, tenant_id, user_id, session_id, title, metadata, created_at, updated_at"

    static func readConversation(_ row: Statement) -> Conversation {
        Conversation(
            id: row.string(0), tenantID: row.string(1), userID: row.optionalString(2), sessionID: row.optionalString(3),
            title: row.optionalString(4), metadata: .parse(row.string(5)), createdAt: date(milliseconds: row.int64(6)),
            updatedAt: date(milliseconds: row.int64(7)))
    }

    static func readConversation(id: String, tenant: String, connection: Connection) throws -> Conversation? {
        try connection.queryFirst(
            "SELECT \(conversationColumns) FROM conversations WHERE id = ? AND tenant_id = ?", [id, tenant],
            row: readConversation)
    }
}
