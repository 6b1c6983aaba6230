public import Foundation
import VecdSQLite

/// Which chunks a search may return. Every condition is turned into SQL with bound values, then into the set of
/// allowed index slots, so the index filters during its walk instead of after it.
public struct DocumentFilter: Sendable {
    /// Only this tenant's documents, always.
    public var tenantID: String
    /// When set: documents of this user, documents with no user, and `is_global` documents (seed 004's
    /// hybrid_search rule). When nil: every document of the tenant.
    public var userID: String?
    /// Exact scopes to keep (seed 001's `scope=`); nil keeps every scope.
    public var scopes: [String]?
    /// With ``scopes``: also keep scope `global` and `is_global` documents (`include_global=true`).
    public var includeGlobal: Bool
    public var documentTypes: [DocumentType]?
    public var documentIDs: [String]?
    /// Equality on metadata fields; keys are names or dotted paths of `A-Z a-z 0-9 _ -`. Values must be strings,
    /// numbers or booleans.
    public var metadata: Metadata
    /// Documents created at or after this time.
    public var createdAfter: Date?
    /// Documents created before this time.
    public var createdBefore: Date?

    public init(
        tenantID: String = VecdStore.defaultTenant, userID: String? = nil, scopes: [String]? = nil,
        includeGlobal: Bool = false, documentTypes: [DocumentType]? = nil, documentIDs: [String]? = nil,
        metadata: Metadata = [:], createdAfter: Date? = nil, createdBefore: Date? = nil
    ) {
        self.tenantID = tenantID
        self.userID = userID
        self.scopes = scopes
        self.includeGlobal = includeGlobal
        self.documentTypes = documentTypes
        self.documentIDs = documentIDs
        self.metadata = metadata
        self.createdAfter = createdAfter
        self.createdBefore = createdBefore
    }

    /// Whether the filter only names the tenant.
    var isTenantOnly: Bool {
        userID == nil && scopes == nil && documentTypes == nil && documentIDs == nil && metadata.isEmpty
            && createdAfter == nil && createdBefore == nil
    }

    /// Most metadata conditions in one filter.
    public static let maxMetadataConditions = 32

    /// A SQL condition on the documents alias `d`, and the values bound to its parameters in order.
    func sqlCondition() throws(VecdError) -> (sql: String, values: [any SQLiteBindable]) {
        var clauses = ["d.tenant_id = ?"]
        var values: [any SQLiteBindable] = [tenantID]
        if let userID {
            clauses.append("(d.user_id IS NULL OR d.user_id = ? OR d.is_global = 1)")
            values.append(userID)
        }
        if let scopes {
            let list = JSONValue.array(scopes.map { .string($0) }).jsonText
            clauses.append(
                includeGlobal
                    ? "(d.scope IN (SELECT value FROM json_each(?)) OR d.scope = 'global' OR d.is_global = 1)"
                    : "d.scope IN (SELECT value FROM json_each(?))")
            values.append(list)
        }
        if let documentTypes {
            clauses.append("d.document_type IN (SELECT value FROM json_each(?))")
            values.append(JSONValue.array(documentTypes.map { .string($0.rawValue) }).jsonText)
        }
        if let documentIDs {
            clauses.append("d.id IN (SELECT value FROM json_each(?))")
            values.append(JSONValue.array(documentIDs.map { .string($0) }).jsonText)
        }
        guard metadata.count <= Self.maxMetadataConditions else {
            throw VecdError(
                .invalidFilter, "at most \(Self.maxMetadataConditions) metadata conditions, got \(metadata.count)")
        }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            let path = try Self.jsonPath(key)
            switch value {
            case .string(let text):
                clauses.append("json_extract(d.metadata, ?) = ?")
                values += [path, text]
            case .number(let number) where number.isFinite:
                clauses.append("json_extract(d.metadata, ?) = ?")
                values += [path, number]
            case .bool(let flag):
                clauses.append("json_type(d.metadata, ?) = ?")
                values += [path, flag ? "true" : "false"]
            default:
                throw VecdError(.invalidFilter, "metadata filter \(key) must be a string, a finite number or a boolean")
            }
        }
        if let createdAfter {
            clauses.append("d.created_at >= ?")
            values.append(milliseconds(createdAfter))
        }
        if let createdBefore {
            clauses.append("d.created_at < ?")
            values.append(milliseconds(createdBefore))
        }
        return (clauses.joined(separator: " AND "), values)
    }

    /// `$.a.b` for the key `a.b`; anything but letters, digits, `_`, `-` and inner dots is refused, so a key can
    /// never carry SQL or JSON-path syntax.
    static func jsonPath(_ key: String) throws(VecdError) -> String {
        let parts = key.split(separator: ".", omittingEmptySubsequences: false)
        let valid =
            !key.isEmpty && key.count <= 200
            && parts.allSatisfy { part in
                !part.isEmpty
                    && part.unicodeScalars.allSatisfy {
                        ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
                            || $0 == "-"
                    }
            }
        guard valid else {
            throw VecdError(
                .invalidFilter, "metadata key \"\(key.prefix(60))\" must be names of A-Z a-z 0-9 _ - joined by dots")
        }
        return "$" + parts.map { ".\"\($0)\"" }.joined()
    }
}
