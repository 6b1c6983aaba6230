extension VecdStore {
    /// The tenant of a store used without tenants.
    public static let defaultTenant = "default"

    func checkTenant(_ tenant: String) throws(VecdError) {
        try checkIdentifier(tenant, what: "tenant id")
    }
}

/// Ids and keys are 1…255 bytes of printable text; control characters are refused so they cannot hide in logs.
func checkIdentifier(_ id: String, what: String) throws(VecdError) {
    guard (1...255).contains(id.utf8.count),
        !id.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
    else {
        throw VecdError(.invalidArgument, "\(what) must be 1…255 bytes of printable text, got \"\(id.prefix(40))\"")
    }
}

/// Metadata must hold only finite numbers (JSON has no NaN).
func checkMetadata(_ metadata: Metadata) throws(VecdError) {
    guard JSONValue.object(metadata).isFinite else {
        throw VecdError(.invalidArgument, "metadata numbers must be finite")
    }
}
