import Hummingbird
import Vecd
import VecdEmbed
import VecdIndex
import VecdKernels

/// `/v1/collections`: list, create, read and delete document collections.
///
/// Collections are shared by every tenant (a tenant's documents inside one are its own), so creating one needs
/// the write role and is idempotent, while deleting one, which drops every tenant's documents in it, needs admin.
/// The store's own collections (names starting with `_`) are not listed.
struct V1CollectionRoutes {
    let services: ServerServices

    func register(on router: Router<ServerContext>) {
        let v1 = router.group("v1")
        v1.get("collections", use: list)
        v1.post("collections", use: create)
        v1.get("collections/:name", use: get)
        v1.delete("collections/:name", use: delete)
    }

    struct CreateRequest: Decodable {
        var name: String
        /// Defaults to the embedder's dimension.
        var dimension: Int?
        var metric: DistanceMetric?
        var storage: VectorStorageMode?
    }

    struct CollectionsResponse: Encodable {
        var collections: [CollectionWire]
    }

    @Sendable func list(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try context.require(.read)
        let visible = try services.store.collections().filter { !$0.name.hasPrefix("_") }
        return try JSONWire.response(CollectionsResponse(collections: visible.map(CollectionWire.init)))
    }

    /// 201 with the new collection, or 200 when one with the same settings exists (409 `conflict` when its
    /// settings differ).
    @Sendable func create(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try context.require(.write)
        let body = try await JSONWire.decode(CreateRequest.self, from: request, limit: services.limits.maxBodyBytes)
        let embedder = services.store.embedder
        guard let dimension = body.dimension ?? embedder?.dimension else {
            throw APIError.invalidArgument("dimension is required: the server has no embedder to take it from")
        }
        // Vectors of the embedder's dimension are taken to come from it; other dimensions are raw vectors only.
        let modelID = embedder.map { $0.dimension == dimension ? $0.modelID : "" } ?? ""
        let info = CollectionInfo(
            name: body.name, dimension: dimension, metric: body.metric ?? .cosine, modelID: modelID,
            storage: body.storage ?? .float32)
        let existed = try services.store.collections().contains { $0.name == body.name }
        let stored = try services.store.createCollection(info)
        return try JSONWire.response(CollectionWire(stored), status: existed ? .ok : .created)
    }

    @Sendable func get(_ request: Request, context: ServerContext) async throws -> Response {
        _ = try context.require(.read)
        let name = try V1Wire.pathParameter("name", in: context)
        guard !name.hasPrefix("_"), let info = try services.store.collections().first(where: { $0.name == name })
        else { throw APIError.notFound("no collection named \(name)") }
        return try JSONWire.response(CollectionWire(info))
    }

    /// Collections are shared by name across tenants: an admin's delete removes its own tenant's documents, and
    /// the collection itself only when no other tenant has documents in it. 204 either way.
    @Sendable func delete(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.require(.admin)
        _ = try services.store.deleteCollection(
            named: try V1Wire.pathParameter("name", in: context), tenant: caller.tenant)
        return V1Wire.noContent()
    }
}
