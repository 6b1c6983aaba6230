import VecdSQLite

extension VecdStore {
    /// What ``deleteCollection(named:tenant:)`` did.
    public enum CollectionDeletion: Sendable, Equatable {
        /// No other tenant had documents in it: the collection is gone, index files included.
        case removedCollection
        /// Other tenants still have documents in it: only `tenant`'s documents (and their chunks, vectors and jobs'
        /// rows) were deleted, and the collection stays for the others.
        case removedTenantDocuments(count: Int)
    }

    /// Deletes `tenant`'s part of a collection shared by tenants: all of it when no other tenant has documents
    /// there, else only `tenant`'s documents. Collections are shared by name across tenants, so a tenant's
    /// delete must never reach another tenant's rows; the check and the delete run in one transaction.
    public func deleteCollection(named name: String, tenant: String) throws(VecdError) -> CollectionDeletion {
        try checkTenant(tenant)
        try Self.checkCollectionName(name, reserved: false)
        let outcome = try write { state, _ -> (deletion: CollectionDeletion, removedID: Int64?) in
            let collection = try state.collection(name)
            let othersHaveDocuments =
                try state.connection.queryFirst(
                    "SELECT 1 FROM documents WHERE collection_id = ? AND tenant_id <> ? LIMIT 1",
                    [collection.id, tenant], row: { $0.int(0) }) != nil
            if othersHaveDocuments {
                try state.connection.run(
                    "DELETE FROM documents WHERE collection_id = ? AND tenant_id = ?", [collection.id, tenant])
                return (.removedTenantDocuments(count: state.connection.changeCount), nil)
            }
            try Self.deleteCollectionRows(collection, connection: state.connection)
            return (.removedCollection, collection.id)
        }
        if let removedID = outcome.removedID { try dropIndexFiles(of: name, id: removedID) }
        return outcome.deletion
    }
}
