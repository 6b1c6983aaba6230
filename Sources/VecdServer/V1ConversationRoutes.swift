import Foundation
import Hummingbird
import Vecd

/// `/v1/conversations`: conversations (seed 001's `agent.CONVERSATIONS`, seed 002's sessions) and their messages.
///
/// A key bound to a user sees only that user's conversations; another user's conversation answers 404, as one of
/// another tenant does.
struct V1ConversationRoutes {
    let services: ServerServices

    func register(on router: Router<ServerContext>) {
        let v1 = router.group("v1")
        v1.post("conversations", use: create)
        v1.get("conversations", use: list)
        v1.get("conversations/:id", use: get)
        v1.delete("conversations/:id", use: delete)
        v1.post("conversations/:id/messages", use: addMessage)
        v1.get("conversations/:id/messages", use: listMessages)
    }

    // MARK: - Wire shapes

    struct ConversationBody: Encodable {
        var id: String
        @NullEncoded var userID: String?
        @NullEncoded var sessionID: String?
        @NullEncoded var title: String?
        var metadata: Metadata
        var createdAt: String
        var updatedAt: String

        enum CodingKeys: String, CodingKey {
            case id, title, metadata
            case userID = "user_id"
            case sessionID = "session_id"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
        }

        init(_ conversation: Conversation) {
            id = conversation.id
            userID = conversation.userID
            sessionID = conversation.sessionID
            title = conversation.title
            metadata = conversation.metadata
            createdAt = WireDate.format(conversation.createdAt)
            updatedAt = WireDate.format(conversation.updatedAt)
        }
    }

    struct MessageBody: Encodable {
        var id: String
        var conversationID: String
        var role: String
        var content: String
        @NullEncoded var language: String?
        @NullEncoded var intent: String?
        var metadata: Metadata
        var createdAt: String

        enum CodingKeys: String, CodingKey {
            case id, role, content, language, intent, metadata
            case conversationID = "conversation_id"
            case createdAt = "created_at"
        }

        init(_ message: Message) {
            id = message.id
            conversationID = message.conversationID
            role = message.role.rawValue
            content = message.content
            language = message.language
            intent = message.intent
            metadata = message.metadata
            createdAt = WireDate.format(message.createdAt)
        }
    }

    struct CreateRequest: Decodable {
        /// The caller's own id for the conversation; a UUID is made when absent.
        var id: String?
        var userID: String?
        var sessionID: String?
        var title: String?
        var metadata: Metadata?

        enum CodingKeys: String, CodingKey {
            case id, title, metadata
            case userID = "user_id"
            case sessionID = "session_id"
        }
    }

    struct MessageRequest: Decodable {
        var role: String
        var content: String
        /// The caller's own message id (seed 001 rates messages by its own ids); a UUID is made when absent.
        var id: String?
        var language: String?
        var intent: String?
        var metadata: Metadata?
    }

    struct ListResponse: Encodable {
        var conversations: [ConversationBody]
    }

    struct MessagesResponse: Encodable {
        var messages: [MessageBody]
    }

    // MARK: - Handlers

    @Sendable func create(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let body = try await JSONWire.decode(CreateRequest.self, from: request, limit: services.limits.maxBodyBytes)
        let conversation = try services.store.createConversation(
            id: body.id, tenant: caller.tenant, userID: try caller.actingUser(requested: body.userID),
            sessionID: body.sessionID, title: body.title, metadata: body.metadata ?? [:])
        return try JSONWire.response(ConversationBody(conversation), status: .created)
    }

    @Sendable func list(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let query = QueryParameters(request)
        let conversations = try services.store.conversations(
            tenant: caller.tenant, userID: try caller.actingUser(requested: query.string("user_id")),
            sessionID: query.string("session_id"),
            limit: try query.int("limit", default: 100, in: 1...services.limits.maxK))
        return try JSONWire.response(ListResponse(conversations: conversations.map(ConversationBody.init)))
    }

    @Sendable func get(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        return try JSONWire.response(ConversationBody(try visibleConversation(context, caller)))
    }

    @Sendable func delete(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let conversation = try visibleConversation(context, caller)
        try services.store.deleteConversation(id: conversation.id, tenant: caller.tenant)
        return V1Wire.noContent()
    }

    @Sendable func addMessage(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let body = try await JSONWire.decode(MessageRequest.self, from: request, limit: services.limits.maxBodyBytes)
        guard let role = MessageRole(rawValue: body.role) else {
            throw APIError.invalidArgument(
                "role must be one of \(MessageRole.allCases.map(\.rawValue).joined(separator: ", ")), got \(body.role)")
        }
        let conversation = try visibleConversation(context, caller)
        let message = try services.store.addMessage(
            to: conversation.id, role: role, content: body.content, id: body.id, language: body.language,
            intent: body.intent, metadata: body.metadata ?? [:], tenant: caller.tenant)
        return try JSONWire.response(MessageBody(message), status: .created)
    }

    @Sendable func listMessages(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let limit = try QueryParameters(request).int(
            "limit", default: services.limits.maxK, in: 1...services.limits.maxK)
        let conversation = try visibleConversation(context, caller)
        let messages = try services.store.messages(in: conversation.id, tenant: caller.tenant, limit: limit)
        return try JSONWire.response(MessagesResponse(messages: messages.map(MessageBody.init)))
    }

    /// The conversation in the path, if it belongs to the caller's tenant and (for a user-bound key) its user.
    private func visibleConversation(_ context: ServerContext, _ caller: Principal) throws -> Conversation {
        let id = try V1Wire.pathParameter("id", in: context)
        let conversation = try services.store.conversation(id: id, tenant: caller.tenant)
        if let bound = caller.userID, conversation.userID != bound {
            throw APIError.notFound("no conversation \(id)")
        }
        return conversation
    }
}
