import Hummingbird

/// The /v1 routes of the knowledge base: collections, documents and ingestion jobs, chunk search and knowledge
/// items. One registration point, so the composition root lists the area once.
struct V1KnowledgeBaseRoutes {
    let services: ServerServices

    func register(on router: Router<ServerContext>) {
        V1CollectionRoutes(services: services).register(on: router)
        V1DocumentRoutes(services: services).register(on: router)
        V1SearchRoutes(services: services).register(on: router)
        V1KnowledgeRoutes(services: services).register(on: router)
    }
}
