import VecdSQLite

/// A group of similar questions that got negative feedback (seed 001's offline analysis: "topics with poor feedback").
public struct DownRatedTopic: Sendable, Equatable {
    /// The question nearest the group's centre.
    public var representativeQuestion: String
    /// Number of down-rated questions in the group.
    public var count: Int
    /// Up to five of the group's questions, nearest the centre first.
    public var examples: [String]
}

/// The down-rated topics of a tenant, with the questions that could not take part.
public struct DownRatedTopicsReport: Sendable, Equatable {
    /// The groups, largest first.
    public var topics: [DownRatedTopic]
    /// Down-rated questions left out because the embedder cannot embed them (no embeddable words, or too long).
    /// One such question never breaks the report: it is skipped and counted here.
    public var skippedQuestions: Int
}

extension VecdStore {
    /// Clusters the questions behind `tenant`'s negative feedback (rating `down` or score ≤ 2) by their embeddings
    /// and returns up to `maxTopics` groups, largest first.
    ///
    /// The question is the feedback's `questionText`, or else the user message that preceded the rated message in its
    /// stored conversation. Clustering is spherical k-means with farthest-point seeding, so the result is
    /// deterministic for the same feedback. A question the embedder refuses (no embeddable words, too long) is left
    /// out and counted in ``DownRatedTopicsReport/skippedQuestions``; an embedder failure still throws.
    public func downRatedTopics(
        tenant: String = defaultTenant, maxTopics: Int = 5, maxQuestions: Int = 5_000
    ) async throws(VecdError) -> DownRatedTopicsReport {
        guard (1...100).contains(maxTopics), (1...100_000).contains(maxQuestions) else {
            throw VecdError(.invalidArgument, "maxTopics must be in 1...100 and maxQuestions in 1...100000")
        }
        let questions = try read { state in
            try state.connection.query(
                """
                SELECT coalesce(f.question_text, (
                    SELECT q.content FROM messages m
                    JOIN messages q ON q.tenant_id = m.tenant_id AND q.conversation_id = m.conversation_id
                        AND q.role = 'user'
                        AND (q.created_at < m.created_at OR (q.created_at = m.created_at AND q.rowid <= m.rowid))
                    WHERE m.tenant_id = f.tenant_id AND m.id = f.message_id
                    ORDER BY q.created_at DESC, q.rowid DESC LIMIT 1))
                FROM feedback f
                WHERE f.tenant_id = ? AND (f.rating = 'down' OR f.score <= 2)
                ORDER BY f.created_at DESC LIMIT ?
                """, [tenant, maxQuestions]
            ) { $0.optionalString(0) }.compactMap { $0 }
        }
        // A blank question has nothing to embed; it is skipped and counted like one the embedder refuses.
        let candidates = questions.filter { !$0.allSatisfy(\.isWhitespace) }
        let embedded = try await embedSkippingUnusable(candidates)
        let skipped = questions.count - embedded.count
        guard !embedded.isEmpty else { return DownRatedTopicsReport(topics: [], skippedQuestions: skipped) }
        let kept = embedded.map { candidates[$0.index] }
        let clusters = Self.sphericalKMeans(embedded.map { Self.unit($0.vector) }, k: min(maxTopics, kept.count))
        let topics = clusters.map { members in
            DownRatedTopic(
                representativeQuestion: kept[members[0]], count: members.count,
                examples: members.prefix(5).map { kept[$0] })
        }
        return DownRatedTopicsReport(topics: topics, skippedQuestions: skipped)
    }

    /// The vectors of the texts the embedder can embed, each with its index in `texts`. A batch that one unusable
    /// text (no embeddable words, too long) fails is embedded again text by text, so only that text is left out.
    func embedSkippingUnusable(_ texts: [String]) async throws(VecdError) -> [(index: Int, vector: [Float])] {
        var embedded: [(index: Int, vector: [Float])] = []
        let batchSize = max(1, configuration.embeddingBatchSize)
        for start in stride(from: 0, to: texts.count, by: batchSize) {
            let indexes = start..<min(start + batchSize, texts.count)
            do {
                let vectors = try await embed(Array(texts[indexes]))
                embedded += zip(indexes, vectors).map { (index: $0, vector: $1) }
            } catch where Self.isUnusableText(error) {
                for index in indexes {
                    do {
                        embedded.append((index: index, vector: try await embed([texts[index]])[0]))
                    } catch where Self.isUnusableText(error) {
                        continue
                    }
                }
            }
        }
        return embedded
    }

    private static func isUnusableText(_ error: VecdError) -> Bool {
        error.code == .emptyText || error.code == .tooLarge
    }

    /// Member indexes of each cluster, each list sorted nearest-the-centre first, clusters largest first.
    static func sphericalKMeans(_ vectors: [[Float]], k: Int) -> [[Int]] {
        var centres = [vectors[0]]
        while centres.count < k {
            // Farthest point from its nearest centre seeds the next cluster.
            let next = vectors.indices.max { a, b in
                nearest(vectors[a], centres).similarity > nearest(vectors[b], centres).similarity
            }!
            centres.append(vectors[next])
        }
        var assignment = [Int](repeating: 0, count: vectors.count)
        for _ in 0..<25 {
            let updated = vectors.map { nearest($0, centres).index }
            let changed = updated != assignment
            assignment = updated
            for cluster in centres.indices {
                let members = vectors.indices.filter { assignment[$0] == cluster }
                guard !members.isEmpty else { continue }
                var sum = [Float](repeating: 0, count: vectors[0].count)
                for member in members { for d in sum.indices { sum[d] += vectors[member][d] } }
                centres[cluster] = unit(sum)
            }
            if !changed { break }
        }
        return centres.indices.map { cluster in
            vectors.indices.filter { assignment[$0] == cluster }
                .sorted { dot(vectors[$0], centres[cluster]) > dot(vectors[$1], centres[cluster]) }
        }
        .filter { !$0.isEmpty }
        .sorted { $0.count != $1.count ? $0.count > $1.count : $0[0] < $1[0] }
    }

    private static func nearest(_ vector: [Float], _ centres: [[Float]]) -> (index: Int, similarity: Float) {
        var best = (index: 0, similarity: -Float.infinity)
        for (index, centre) in centres.enumerated() {
            let similarity = dot(vector, centre)
            if similarity > best.similarity { best = (index, similarity) }
        }
        return best
    }

    private static func dot(_ a: [Float], _ b: [Float]) -> Float {
        var sum: Float = 0
        for i in a.indices { sum += a[i] * b[i] }
        return sum
    }

    static func unit(_ vector: [Float]) -> [Float] {
        let norm = dot(vector, vector).squareRoot()
        return norm > 0 ? vector.map { $0 / norm } : vector
    }
}
