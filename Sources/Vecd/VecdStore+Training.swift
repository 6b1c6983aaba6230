import Foundation
import VecdSQLite

extension VecdStore {
    /// Rows read per page while exporting; the lock is released between pages.
    static let exportPageSize = 500

    /// Stores an interaction for fine-tuning.
    @discardableResult
    public func addTrainingExample(
        input: String, output: String, feedbackScore: Int? = nil, interactionType: String? = nil,
        language: String? = nil, metadata: Metadata = [:], tenant: String = defaultTenant
    ) throws(VecdError) -> TrainingExample {
        try checkTenant(tenant)
        try checkText(input, limit: configuration.maxTextByteCount, what: "training input")
        try checkText(output, limit: configuration.maxTextByteCount, what: "training output")
        if let score = feedbackScore, !(1...5).contains(score) {
            throw VecdError(.invalidArgument, "feedback score must be in 1...5, got \(score)")
        }
        try checkMetadata(metadata)
        let id = newID()
        let stamp = milliseconds(now)
        try write { state, _ in
            try state.connection.run(
                """
                INSERT INTO training_data (id, tenant_id, input_text, output_text, feedback_score, interaction_type,
                    language, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [id, tenant, input, output, feedbackScore, interactionType, language, metadata.jsonText, stamp])
        }
        return TrainingExample(
            id: id, input: input, output: output, feedbackScore: feedbackScore, interactionType: interactionType,
            language: language, metadata: metadata, exported: false, createdAt: date(milliseconds: stamp))
    }

    /// Which training examples a query or export covers.
    public struct TrainingSelection: Sendable {
        public var since: Date?
        public var minimumScore: Int?
        /// Only examples not exported yet.
        public var onlyUnexported: Bool

        public init(since: Date? = nil, minimumScore: Int? = nil, onlyUnexported: Bool = false) {
            self.since = since
            self.minimumScore = minimumScore
            self.onlyUnexported = onlyUnexported
        }
    }

    /// `tenant`'s training examples in creation order.
    public func trainingExamples(
        _ selection: TrainingSelection = TrainingSelection(), tenant: String = defaultTenant, limit: Int = 1_000
    ) throws(VecdError) -> [TrainingExample] {
        guard (1...100_000).contains(limit) else { throw VecdError(.invalidArgument, "limit must be in 1...100000") }
        return try read { state in
            try Self.trainingPage(selection, tenant: tenant, after: nil, limit: limit, connection: state.connection)
        }
    }

    /// Streams `tenant`'s examples as JSONL (one JSON object and a newline per example) to `sink`, a page at a time,
    /// never holding the whole export in memory. With `markExported`, each page is marked once `sink` accepted it,
    /// so an export that fails half-way marks only what was delivered. Returns the number of examples written.
    @discardableResult
    public func exportTrainingData(
        _ selection: TrainingSelection = TrainingSelection(), tenant: String = defaultTenant,
        markExported: Bool = false,
        to sink: (Data) throws -> Void
    ) throws(VecdError) -> Int {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        var cursor: (Int64, String)?
        var written = 0
        while true {
            let page = try read { state in
                try Self.trainingPage(
                    selection, tenant: tenant, after: cursor, limit: Self.exportPageSize, connection: state.connection)
            }
            guard let last = page.last else { return written }
            do {
                var lines = Data()
                for example in page {
                    lines.append(try encoder.encode(example))
                    lines.append(0x0A)
                }
                try sink(lines)
            } catch {
                throw VecdError(.storage, "export stopped after \(written) examples: \(error)")
            }
            written += page.count
            if markExported {
                let ids = JSONValue.array(page.map { .string($0.id) }).jsonText
                let stamp = milliseconds(now)
                try write { state, _ in
                    try state.connection.run(
                        "UPDATE training_data SET exported = 1, exported_at = ? WHERE tenant_id = ? "
                            + "AND id IN (SELECT value FROM json_each(?))", [stamp, tenant, ids])
                }
            }
            cursor = (milliseconds(last.createdAt), last.id)
        }
    }

    /// ``exportTrainingData(_:tenant:markExported:to:)`` into a file handle.
    @discardableResult
    public func exportTrainingData(
        _ selection: TrainingSelection = TrainingSelection(), tenant: String = defaultTenant,
        markExported: Bool = false,
        to handle: FileHandle
    ) throws(VecdError) -> Int {
        try exportTrainingData(selection, tenant: tenant, markExported: markExported) {
            try handle.write(contentsOf: $0)
        }
    }

    /// Marks examples exported; returns how many of `ids` belonged to `tenant`.
    @discardableResult
    public func markTrainingExported(ids: [String], tenant: String = defaultTenant) throws(VecdError) -> Int {
        let list = JSONValue.array(ids.map { .string($0) }).jsonText
        let stamp = milliseconds(now)
        return try write { state, _ in
            try state.connection.run(
                "UPDATE training_data SET exported = 1, exported_at = ? WHERE tenant_id = ? "
                    + "AND id IN (SELECT value FROM json_each(?))", [stamp, tenant, list])
            return state.connection.changeCount
        }
    }

    private static func trainingPage(
        _ selection: TrainingSelection, tenant: String, after cursor: (Int64, String)?, limit: Int,
        connection: Connection
    ) throws -> [TrainingExample] {
        try connection.query(
            """
            SELECT id, input_text, output_text, feedback_score, interaction_type, language, metadata, exported, created_at
            FROM training_data
            WHERE tenant_id = ? AND created_at >= ? AND (? IS NULL OR feedback_score >= ?) AND (? = 0 OR exported = 0)
                AND (created_at, id) > (?, ?)
            ORDER BY created_at, id LIMIT ?
            """,
            [
                tenant, selection.since.map(milliseconds) ?? Int64.min, selection.minimumScore, selection.minimumScore,
                selection.onlyUnexported, cursor?.0 ?? Int64.min, cursor?.1 ?? "", limit,
            ]
        ) { row in
            TrainingExample(
                id: row.string(0), input: row.string(1), output: row.string(2), feedbackScore: row.optionalInt(3),
                interactionType: row.optionalString(4), language: row.optionalString(5),
                metadata: .parse(row.string(6)),
                exported: row.int(7) != 0, createdAt: date(milliseconds: row.int64(8)))
        }
    }
}
