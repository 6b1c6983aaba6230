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

extension VecdStore {
    /// Clusters the questions behind `tenant`'s negative feedback (rating `down` or score ≤ 2) by their embeddings
    /// and returns up to `maxTopics` groups, largest first.
    ///
    /// The question is the feedback's `questionText`, or else the user message that preceded the rated message in its
    /// stored conversation. Clustering is spherical k-means with farthest-point seeding, so the result is
    /// deterministic for the same feedback.
    public func downRatedTopics(
        tenant: String = defaultTenant, maxTopics: Int = 5, maxQuestions: Int = 5_000
    ) async throws(VecdError) -> [DownRatedTopic] {
        guard (1...100).contains(maxTopics), (1...100_000).contains(maxQuestions) else {
            throw VecdError(.invalidArgument, "maxTopics must be in 1...100 and maxQuestions in 1...100000")
        }
        let questions = try read { state in
            try state.connection.query(
                """
                SELECT coalesce(f.question_text, (
                    SELECT q.content FROM messages m
                    JOIN conversations c ON c.id = m.conversation_id AND c.tenant_id = f.tenant_id
                    JOIN messages q ON q.conversation_id = m.conversation_id AND q.role = 'user'
                        AND (q.created_at < m.created_at OR (q.created_at = m.created_at AND q.rowid <= m.rowid))
                    WHERE m.id = f.message_id ORDER BY q.created_at DESC, q.rowid DESC LIMIT 1))
                FROM feedback f
                WHERE f.tenant_id = ? AND (f.rating = 'down' OR f.score <= 2)
                ORDER BY f.created_at DESC LIMIT ?
                """, [tenant, maxQuestions]
            ) { $0.optionalString(0) }.compactMap { $0 }.filter { !$0.allSatisfy(\.isWhitespace) }
        }
        guard !questions.isEmpty else { return [] }
        let vectors = try await embed(questions).map(Self.unit)
        let clusters = Self.sphericalKMeans(vectors, k: min(maxTopics, questions.count))
        return clusters.map { members in
            DownRatedTopic(
                representativeQuestion: questions[members[0]], count: members.count,
                examples: members.prefix(5).map { questions[$0] })
        }
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
