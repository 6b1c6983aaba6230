import Foundation
import Hummingbird
import Vecd

/// `/v1/users/{user_id}/memory`: one free-text memory per user (seed 004's `user_memories` upsert), replaced whole
/// or appended to a line at a time within the store's size bound.
///
/// A key bound to a user reaches only that user's memory; naming another user is refused with 403.
struct V1UserMemoryRoutes {
    let services: ServerServices

    func register(on router: Router<ServerContext>) {
        let v1 = router.group("v1")
        v1.get("users/:user_id/memory", use: get)
        v1.put("users/:user_id/memory", use: replace)
        v1.post("users/:user_id/memory/append", use: append)
        v1.delete("users/:user_id/memory", use: delete)
    }

    struct UserMemoryBody: Encodable {
        var userID: String
        var memory: String
        var metadata: Metadata
        var updatedAt: String

        enum CodingKeys: String, CodingKey {
            case memory, metadata
            case userID = "user_id"
            case updatedAt = "updated_at"
        }

        init(_ memory: UserMemory) {
            userID = memory.userID
            self.memory = memory.memory
            metadata = memory.metadata
            updatedAt = WireDate.format(memory.updatedAt)
        }
    }

    struct ReplaceRequest: Decodable {
        var memory: String
        /// Replaces the stored metadata when given; absent keeps it.
        var metadata: Metadata?
    }

    struct AppendRequest: Decodable {
        var text: String
        var metadata: Metadata?
    }

    @Sendable func get(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.read)
        let memory = try services.store.userMemory(userID: try user(context, caller), tenant: caller.tenant)
        return try JSONWire.response(UserMemoryBody(memory))
    }

    @Sendable func replace(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let userID = try user(context, caller)
        let body = try await JSONWire.decode(ReplaceRequest.self, from: request, limit: services.limits.maxBodyBytes)
        let memory = try services.store.upsertUserMemory(
            userID: userID, .replace(body.memory), metadata: body.metadata, tenant: caller.tenant)
        return try JSONWire.response(UserMemoryBody(memory))
    }

    @Sendable func append(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        let userID = try user(context, caller)
        let body = try await JSONWire.decode(AppendRequest.self, from: request, limit: services.limits.maxBodyBytes)
        guard !body.text.allSatisfy(\.isWhitespace) else {
            throw APIError.badRequest("empty_text", "the appended text must not be empty")
        }
        let memory = try services.store.upsertUserMemory(
            userID: userID, .append(body.text), metadata: body.metadata, tenant: caller.tenant)
        return try JSONWire.response(UserMemoryBody(memory))
    }

    @Sendable func delete(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.write)
        try services.store.deleteUserMemory(userID: try user(context, caller), tenant: caller.tenant)
        return V1Wire.noContent()
    }

    /// The user in the path, checked against a user-bound key.
    private func user(_ context: ServerContext, _ caller: Principal) throws -> String {
        let named = try V1Wire.pathParameter("user_id", in: context)
        return try caller.actingUser(requested: named) ?? named
    }
}
