import Foundation
import Testing
import Vecd
import VecdPostgres

/// Stores, schemas and comparisons shared by the export and import tests.
enum TransferFixture {
    /// A new empty data directory (removed by the caller's `defer`).
    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("vecd-pg-\(UUID().uuidString)")
    }

    /// A schema no other test uses, dropped after `body`.
    static func withSchema<T>(_ body: (String) throws -> T) throws -> T {
        let schema = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        defer { _ = try? TestPostgres.connect().exec("DROP SCHEMA IF EXISTS \(schema) CASCADE") }
        return try body(schema)
    }

    /// ``withSchema(_:)`` for an async body.
    static func withSchema<T>(_ body: (String) async throws -> T) async throws -> T {
        let schema = "t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        defer { _ = try? TestPostgres.connect().exec("DROP SCHEMA IF EXISTS \(schema) CASCADE") }
        return try await body(schema)
    }

    /// A seeded vector of `dimension` components in [-1, 1), including the odd bit patterns an exact path must
    /// keep: negative zero, a subnormal and a value with a long decimal expansion.
    static func vector(_ seed: Int, dimension: Int) -> [Float] {
        var state = UInt64(truncatingIfNeeded: seed) &* 0x9E37_79B9_7F4A_7C15 | 1
        var values = (0..<dimension).map { _ -> Float in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Float(Int64(state >> 40) - (1 << 23)) / Float(1 << 23)
        }
        if dimension >= 3, seed % 5 == 0 {
            values[0] = -0.0
            values[1] = Float.leastNonzeroMagnitude
            values[2] = 0.1 + 0.2
        }
        return values
    }

    /// Text that export paths get wrong: quotes, backslashes, tabs, CR/LF, `\N`, COPY's end marker and Unicode.
    static let oddTexts = [
        "plain", "it's \"quoted\"", "back\\slash \\N and \\.", "tab\there", "line\nbreak\r\nwindows",
        "\\.\nlooks like the end of COPY", "unicode: ünïcödé 日本語 🧭 e\u{301}", "   leading spaces",
    ]

    /// Fills `store` with every exported kind of row: documents with chunks and vectors, memories of each scope,
    /// feedback, preferences, user memories, training examples and cache entries — with NULLs and odd text.
    static func fill(_ store: VecdStore, documents: Int, dimension: Int) async throws {
        try store.createCollection(CollectionInfo(name: "kb", dimension: dimension))
        var inputs: [DocumentInput] = []
        for index in 0..<documents {
            let text = oddTexts[index % oddTexts.count] + " document \(index)"
            inputs.append(
                DocumentInput(
                    id: index % 3 == 0 ? "doc-\(index)" : nil, title: "title \(index) \u{2014} ✓", content: text,
                    documentType: index % 2 == 0 ? .text : .markdown, scope: index % 4 == 0 ? "page:x" : "global",
                    metadata: ["n": .number(Double(index)), "tag": .string(oddTexts[(index + 1) % oddTexts.count]),
                               "nested": .object(["ok": .bool(index % 2 == 0), "nil": .null])],
                    userID: index % 2 == 0 ? "user-\(index % 5)" : nil, isGlobal: index % 3 == 1,
                    vectors: [vector(index, dimension: dimension)]))
        }
        _ = try await store.ingest(inputs, into: "kb", chunking: .wholeDocument)
        let scopes: [MemoryScope] = [.user, .tenant, .global]
        for index in 0..<6 {
            _ = try await store.addMemory(
                MemoryInput(
                    content: "memory \(index): " + oddTexts[index % oddTexts.count], scope: scopes[index % 3],
                    userID: "user-\(index)", tags: index % 2 == 0 ? ["a", "b c"] : [],
                    source: index % 2 == 0 ? "seed" : nil, metadata: ["i": .number(Double(index))],
                    vector: vector(1000 + index, dimension: dimension)),
                tenant: "tenant-\(index % 2)", allowGlobal: true)
        }
        _ = try store.recordFeedback(FeedbackInput(messageID: "m1", rating: .down, editedText: "better\ttext"))
        _ = try store.recordFeedback(FeedbackInput(interactionID: "i1", score: 4, comment: nil, questionText: "q?"))
        _ = try store.setPreference(key: "theme", value: .string("dark"), category: "ui")
        _ = try store.setPreference(key: "limits", value: .object(["max": .number(3)]), userID: "user-1")
        _ = try store.upsertUserMemory(userID: "user-1", .replace("likes: tea\nlives: Oslo"))
        _ = try store.upsertUserMemory(userID: "user-2", .replace(""), metadata: ["k": .string("v")])
        _ = try store.addTrainingExample(input: "in \"1\"", output: "out\n1", feedbackScore: 5, language: "en")
        _ = try store.addTrainingExample(input: "in 2", output: "out 2")
        _ = try await store.cachePut(
            query: "what is vecd?", response: "an engine", modelID: "m-test", ttlSeconds: 3600,
            vector: vector(2000, dimension: dimension))
    }

    /// Every exported row of the store in `directory`, by table, keyed by the row's key.
    static func rows(of directory: URL) throws -> [String: [String: [ExportValue]]] {
        let reader = try StoreExportReader(directory: directory)
        var tables: [String: [String: [ExportValue]]] = [:]
        for table in ExportTable.all {
            var rows: [String: [ExportValue]] = [:]
            try reader.forEachRow(of: table) { values in
                rows[values.prefix(table.keyColumnCount).map { "\($0)" }.joined(separator: "|")] = values
            }
            tables[table.name] = rows
        }
        return tables
    }

    /// Expects two stores to hold the same rows: same keys, bit-identical vectors, equal JSON (as values, since
    /// PostgreSQL's jsonb normalizes spacing and key order), everything else equal.
    static func expectSameRows(
        _ expected: [String: [String: [ExportValue]]], _ actual: [String: [String: [ExportValue]]],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        for table in ExportTable.all {
            let left = expected[table.name] ?? [:]
            let right = actual[table.name] ?? [:]
            #expect(left.keys.sorted() == right.keys.sorted(), "\(table.name) keys", sourceLocation: sourceLocation)
            for (key, row) in left {
                guard let other = right[key] else { continue }
                for (index, column) in table.columns.enumerated() where !same(row[index], other[index]) {
                    Issue.record(
                        "\(table.name) \(key) \(column.name): \(row[index]) != \(other[index])",
                        sourceLocation: sourceLocation)
                }
            }
        }
    }

    static func same(_ left: ExportValue, _ right: ExportValue) -> Bool {
        switch (left, right) {
        case (.json(let a), .json(let b)): return JSONValue(jsonText: a) == JSONValue(jsonText: b)
        case (.vector(let a), .vector(let b)): return a.map(\.bitPattern) == b.map(\.bitPattern)
        default: return left == right
        }
    }

    /// The URL of the test server with an application name, so a test can find (and terminate) its backends.
    static func url(applicationName: String) -> String {
        (TestPostgres.url ?? "") + "&application_name=\(applicationName)"
    }
}
