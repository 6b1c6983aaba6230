import Hummingbird

/// The /v1 routes of the learning store's per-tenant state: memories and the per-user memory, preferences,
/// conversations, feedback, training data and the response cache. One registration point, so the composition root
/// lists the area once.
struct V1LearningRoutes {
    let services: ServerServices

    func register(on router: Router<ServerContext>) {
        V1MemoryRoutes(services: services).register(on: router)
        V1UserMemoryRoutes(services: services).register(on: router)
        V1PreferenceRoutes(services: services).register(on: router)
        V1ConversationRoutes(services: services).register(on: router)
        V1FeedbackRoutes(services: services).register(on: router)
        V1TrainingRoutes(services: services).register(on: router)
        V1CacheRoutes(services: services).register(on: router)
    }
}
