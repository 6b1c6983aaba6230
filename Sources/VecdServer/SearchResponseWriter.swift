import NIOCore

/// The answer of `POST /v1/collections/{name}/search` written without Codable, byte for byte what
/// `JSONWire.encode(SearchResponse)` gives (the keys below are in that sorted order).
enum SearchResponseWriter {
    /// The encoded answer; nil when a number has no JSON form, so the caller can let JSONEncoder fail as before.
    static func encode(_ response: V1SearchRoutes.SearchResponse) -> ByteBuffer? {
        // About 700 bytes per hit with a short chunk and little metadata; the buffer grows when needed.
        var writer = JSONByteWriter(capacity: 256 + 768 * response.results.count)
        writer.raw("{\"mode\":")
        writer.string(response.mode)
        writer.raw(",\"report\":")
        if let report = response.report { write(report, to: &writer) } else { writer.null() }
        writer.raw(",\"results\":[")
        for (index, hit) in response.results.enumerated() {
            if index > 0 { writer.raw(",") }
            write(hit, to: &writer)
        }
        writer.raw("]}")
        return writer.failed ? nil : writer.buffer
    }

    private static func write(_ hit: HitWire, to writer: inout JSONByteWriter) {
        writer.raw("{\"chunk_id\":")
        writer.integer(hit.chunkID)
        writer.raw(",\"chunk_index\":")
        writer.integer(hit.chunkIndex)
        writer.raw(",\"content\":")
        writer.string(hit.content)
        writer.raw(",\"document\":")
        write(hit.document, to: &writer)
        writer.raw(",\"document_id\":")
        writer.string(hit.documentID)
        writer.raw(",\"end_offset\":")
        writer.integer(hit.endOffset)
        writer.raw(",\"score\":")
        writer.number(hit.score)
        writer.raw(",\"start_offset\":")
        writer.integer(hit.startOffset)
        writer.raw(",\"text_score\":")
        writer.optionalNumber(hit.textScore)
        writer.raw(",\"vector_score\":")
        writer.optionalNumber(hit.vectorScore)
        writer.raw("}")
    }

    private static func write(_ document: HitWire.DocumentSummaryWire, to writer: inout JSONByteWriter) {
        writer.raw("{\"created_at\":")
        writer.string(document.createdAt)
        writer.raw(",\"document_type\":")
        writer.string(document.documentType)
        writer.raw(",\"id\":")
        writer.string(document.id)
        writer.raw(",\"is_global\":")
        writer.bool(document.isGlobal)
        writer.raw(",\"metadata\":")
        writer.object(document.metadata)
        writer.raw(",\"scope\":")
        writer.string(document.scope)
        writer.raw(",\"title\":")
        writer.string(document.title)
        writer.raw(",\"user_id\":")
        writer.optionalString(document.userID)
        writer.raw("}")
    }

    private static func write(_ report: SearchReportWire, to writer: inout JSONByteWriter) {
        writer.raw("{\"distance_count\":")
        writer.integer(report.distanceCount)
        writer.raw(",\"fell_back_to_exact_scan\":")
        writer.bool(report.fellBackToExactScan)
        writer.raw(",\"hop_count\":")
        writer.integer(report.hopCount)
        writer.raw(",\"is_complete\":")
        writer.bool(report.isComplete)
        writer.raw(",\"is_exhaustive\":")
        writer.bool(report.isExhaustive)
        writer.raw(",\"matching_count\":")
        if let matchingCount = report.matchingCount { writer.integer(matchingCount) } else { writer.null() }
        writer.raw(",\"plan\":")
        writer.string(report.plan)
        writer.raw("}")
    }
}
