import VecdEmbed
import VecdSQLite

extension VecdStore {
    /// Checks an ingestion the way ``ingest(_:into:tenant:chunking:)`` checks each document, without storing
    /// anything, so a server can refuse a whole batch with one clear error instead of storing part of it.
    ///
    /// Covers everything that does not need the embedder or a PDF converter: the chunking options, the tenant, the
    /// batch size, that the collection exists, each document's id (well-formed, not stored yet, not repeated in the
    /// batch), metadata, text (not blank, within ``Configuration/maxDocumentByteCount``) and given vectors (one per
    /// chunk, of the collection's dimension). Documents without vectors need an embedder of that dimension.
    /// What passes here can still fail in the job only when the embedder or `pdftotext` fails.
    public func checkIngestion(
        _ documents: [DocumentInput], into collection: String, tenant: String = defaultTenant,
        chunking: ChunkingOptions = ChunkingOptions()
    ) throws(VecdError) {
        try chunking.validate()
        try checkTenant(tenant)
        guard documents.count <= Self.maxDocumentsPerIngestion else {
            throw VecdError(
                .tooLarge,
                "an ingestion takes at most \(Self.maxDocumentsPerIngestion) documents, got \(documents.count)")
        }
        let dimension = try read { state in try state.collection(collection).info.dimension }
        var batchIDs = Set<String>()
        for (position, input) in documents.enumerated() {
            let name = input.title.isEmpty ? "document \(position)" : "document \(position) (\(input.title.prefix(60)))"
            do throws(VecdError) {
                try checkDocument(input, dimension: dimension, chunking: chunking)
                if let id = input.id {
                    guard batchIDs.insert(id).inserted else {
                        throw VecdError(.conflict, "the id \(id) is given to more than one document")
                    }
                }
            } catch {
                throw VecdError(error.code, "\(name): \(error.message)")
            }
        }
        let given = Array(batchIDs)
        guard !given.isEmpty else { return }
        let taken = try read { state in
            try state.connection.query(
                "SELECT id FROM documents WHERE tenant_id = ? AND id IN (SELECT value FROM json_each(?)) LIMIT 1",
                [tenant, JSONValue.array(given.map { .string($0) }).jsonText]
            ) { $0.string(0) }
        }
        if let id = taken.first { throw VecdError(.conflict, "a document with id \(id) exists already") }
    }

    private func checkDocument(_ input: DocumentInput, dimension: Int, chunking: ChunkingOptions) throws(VecdError) {
        if let id = input.id { try checkIdentifier(id, what: "document id") }
        try checkMetadata(input.metadata)
        if let vectors = input.vectors {
            for vector in vectors { try checkVector(vector, dimension: dimension, what: "chunk vector") }
        } else if let embedder {
            guard embedder.dimension == dimension else {
                throw VecdError(
                    .dimensionMismatch,
                    "the collection holds vectors of \(dimension) dimensions but the embedder makes "
                        + "\(embedder.dimension); send vectors instead of text")
            }
        } else {
            throw VecdError(.noEmbedder, "the document has no vectors, and the store has no embedder to make them")
        }
        // A PDF's text exists only after extraction in the job; its vectors are checked there.
        guard input.pdf == nil else { return }
        let text = TextExtractor.text(of: input.content, type: input.documentType)
        try checkText(text, limit: configuration.maxDocumentByteCount, what: "document content")
        if let vectors = input.vectors {
            let chunkCount = TextChunker.chunks(text, options: chunking).count
            guard vectors.count == chunkCount else {
                throw VecdError(
                    .invalidArgument,
                    "the document is cut into \(chunkCount) chunks but \(vectors.count) vectors were given")
            }
        }
    }
}
