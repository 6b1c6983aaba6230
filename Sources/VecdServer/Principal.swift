/// What a caller may do.
public enum Role: String, Sendable, Codable, Comparable, CaseIterable {
    /// Searches and reads.
    case read
    /// Reads, and adds, changes or deletes its tenant's data.
    case write
    /// Everything, including maintenance (compact, reindex, verify, export) and global memories.
    case admin

    private var rank: Int {
        switch self {
        case .read: 0
        case .write: 1
        case .admin: 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}

/// The authenticated caller of a request: the tenant whose data it sees, optionally a user within it, and a role.
public struct Principal: Sendable, Equatable {
    public var tenant: String
    /// The user the key is bound to; requests of a user-bound key cannot act for another user.
    public var userID: String?
    public var role: Role

    public init(tenant: String, userID: String? = nil, role: Role) {
        self.tenant = tenant
        self.userID = userID
        self.role = role
    }

    /// The user a request acts for: the key's own user, or (for keys not bound to one) the user the request names.
    /// A user-bound key naming another user is refused rather than silently narrowed.
    func actingUser(requested: String?) throws -> String? {
        if let requested, !(1...255).contains(requested.utf8.count)
            || requested.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
            throw APIError.invalidArgument("user_id must be 1…255 bytes of printable text (no control characters)")
        }
        guard let bound = userID else { return requested }
        if let requested, requested != bound {
            throw APIError.forbidden("this API key acts for user \(bound) only")
        }
        return bound
    }
}
