import Hummingbird

extension VecdServer {
    /// Every route ``makeRouter()`` registers, as `"METHOD /path"` with captures as `{name}`
    /// (`"GET /v1/memories/{id}"`), sorted: what the isolation and spec tests hold their lists against.
    public var registeredRoutes: [String] {
        makeRouter().routes.map { "\($0.method.rawValue) \($0.path)" }.sorted()
    }
}
