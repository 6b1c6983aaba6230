import Foundation
import Testing
import Vecd
import VecdServer

/// `/v1/feedback` and `/v1/training` over real HTTP.
@Suite("/v1 feedback and training")
struct V1FeedbackRouteTests {
    @Test("feedback with a rating or a score is recorded, listed by rating and counted")
    func recordListStats() async throws {
        let server = try await TestServer.start()
        let up = try await server.request(
            "POST", "/v1/feedback", json: ["message_id": "m1", "rating": "up", "edited_text": "better answer"])
        #expect(up.status == 201)
        let body = try up.object()
        #expect(UUID(uuidString: body["id"] as? String ?? "") != nil)
        #expect(body["rating"] as? String == "up")
        #expect(body["score"] is NSNull)
        #expect(body["edited_text"] as? String == "better answer")
        _ = try await server.request("POST", "/v1/feedback", json: ["message_id": "m2", "rating": "down"])
        _ = try await server.request("POST", "/v1/feedback", json: ["interaction_id": "c1", "score": 4])

        let downs = try await server.request("GET", "/v1/feedback?rating=down")
        let listed = try #require(try downs.object()["feedback"] as? [[String: Any]])
        #expect(listed.map { $0["message_id"] as? String } == ["m2"])
        let forMessage = try await server.request("GET", "/v1/feedback?message_id=m1")
        #expect((try forMessage.object()["feedback"] as? [[String: Any]])?.count == 1)

        let stats = try await server.request("GET", "/v1/feedback/stats")
        let counts = try stats.object()
        #expect(counts["total"] as? Int == 3)
        #expect(counts["up"] as? Int == 1)
        #expect(counts["down"] as? Int == 1)
        #expect(counts["average_score"] as? Double == 4)
        #expect(counts["score_counts"] as? [Int] == [0, 0, 0, 1, 0])
        await server.stop()
    }

    @Test("feedback without an id, without a rating or score, with score 9 or rating sideways stores nothing")
    func refusals() async throws {
        let server = try await TestServer.start()
        let cases: [[String: Any]] = [
            ["rating": "up"], ["message_id": "m1"], ["message_id": "m1", "score": 9],
            ["message_id": "m1", "rating": "sideways"], ["message_id": "m1", "score": "five"],
        ]
        for body in cases {
            let reply = try await server.request("POST", "/v1/feedback", json: body)
            #expect(reply.status == 400, "\(body)")
        }
        #expect(try await server.request("GET", "/v1/feedback?rating=sideways").status == 400)
        #expect(try server.store.feedbackStats().total == 0)
        await server.stop()
    }

    @Test("down-rated questions come back grouped as topics")
    func topics() async throws {
        let server = try await TestServer.start()
        for (index, question) in [
            "How do I reset my password?", "I forgot my password, how to reset it?",
            "What is the dividend yield of ACME?",
        ].enumerated() {
            let reply = try await server.request(
                "POST", "/v1/feedback", json: ["message_id": "m\(index)", "rating": "down", "question_text": question])
            #expect(reply.status == 201)
        }
        let found = try await server.request("GET", "/v1/feedback/topics?max_topics=2")
        #expect(found.status == 200)
        let topics = try #require(try found.object()["topics"] as? [[String: Any]])
        #expect(topics.count == 2)
        #expect(topics.compactMap { $0["count"] as? Int }.reduce(0, +) == 3)
        #expect(topics.first?["representative_question"] is String)
        #expect(try found.object()["skipped_questions"] as? Int == 0)
        #expect(try await server.request("GET", "/v1/feedback/topics?max_topics=0").status == 400)
        await server.stop()
    }

    @Test("a down-rated question with no embeddable words is skipped and counted, and the report still answers")
    func topicsSkipUnembeddableQuestions() async throws {
        let server = try await TestServer.start()
        // Punctuation and emoji carry no word the embedder can use; one came as question_text, one from a
        // stored conversation (the user message before the rated answer).
        let conversation = try await server.request("POST", "/v1/conversations", json: [:])
        let conversationID = try #require(try conversation.object()["id"] as? String)
        _ = try await server.request(
            "POST", "/v1/conversations/\(conversationID)/messages", json: ["role": "user", "content": "?!? 🙂"])
        let answer = try await server.request(
            "POST", "/v1/conversations/\(conversationID)/messages", json: ["role": "assistant", "content": "Sorry."])
        let answerID = try #require(try answer.object()["id"] as? String)
        let bodies: [[String: Any]] = [
            ["message_id": "m1", "rating": "down", "question_text": "How do I reset my password?"],
            ["message_id": "m2", "rating": "down", "question_text": "???"],
            ["message_id": answerID, "rating": "down"],
            ["message_id": "m3", "rating": "down", "question_text": "I forgot my password, how to reset it?"],
        ]
        for body in bodies {
            #expect(try await server.request("POST", "/v1/feedback", json: body).status == 201)
        }
        let found = try await server.request("GET", "/v1/feedback/topics?max_topics=3")
        #expect(found.status == 200)
        let report = try found.object()
        #expect(report["skipped_questions"] as? Int == 2)
        let topics = try #require(report["topics"] as? [[String: Any]])
        #expect(topics.compactMap { $0["count"] as? Int }.reduce(0, +) == 2)
        let examples = topics.flatMap { $0["examples"] as? [String] ?? [] }
        #expect(Set(examples) == ["How do I reset my password?", "I forgot my password, how to reset it?"])
        await server.stop()
    }

    @Test("training: add, list by score, export JSONL marking rows exported, then mark by ids")
    func training() async throws {
        let server = try await TestServer.start()
        var ids: [String] = []
        for (index, score) in [5, 2, 4].enumerated() {
            let added = try await server.request(
                "POST", "/v1/training/examples",
                json: ["input": "turn on light \(index)", "output": "ok", "feedback_score": score, "language": "en"])
            #expect(added.status == 201)
            #expect(try added.object()["exported"] as? Bool == false)
            ids.append(try #require(try added.object()["id"] as? String))
        }
        let good = try await server.request("GET", "/v1/training/examples?min_score=4")
        #expect((try good.object()["examples"] as? [[String: Any]])?.count == 2)

        let export = try await server.request("GET", "/v1/training/export?min_score=4&mark_exported=true")
        #expect(export.status == 200)
        #expect(export.headers["content-type"] == "application/x-ndjson")
        let lines = export.text.split(separator: "\n")
        #expect(lines.count == 2)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
        #expect(first?["input"] as? String == "turn on light 0")
        let rest = try await server.request("GET", "/v1/training/examples?only_unexported=true")
        #expect((try rest.object()["examples"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[1]])

        let marked = try await server.request("POST", "/v1/training/exported", json: ["ids": [ids[1], "unknown"]])
        #expect(try marked.object()["marked"] as? Int == 1)
        #expect(try server.store.trainingExamples(.init(onlyUnexported: true)).isEmpty)
        await server.stop()
    }

    @Test("training refusals: score 6, missing output, min_score 0, a batch over max_batch")
    func trainingRefusals() async throws {
        let server = try await TestServer.start { $0.limits.maxBatch = 2 }
        let badScore = try await server.request(
            "POST", "/v1/training/examples", json: ["input": "a", "output": "b", "feedback_score": 6])
        #expect(badScore.status == 400)
        let missing = try await server.request("POST", "/v1/training/examples", json: ["input": "a"])
        #expect(missing.status == 400)
        #expect(try await server.request("GET", "/v1/training/examples?min_score=0").status == 400)
        let example = try server.store.addTrainingExample(input: "a", output: "b")
        let tooMany = try await server.request(
            "POST", "/v1/training/exported", json: ["ids": [example.id, "x", "y"]])
        #expect(tooMany.status == 413)
        #expect(tooMany.errorCode == "too_large")
        #expect(tooMany.text.contains("2"))
        #expect(try server.store.trainingExamples().map(\.id) == [example.id])
        #expect(try server.store.trainingExamples(.init(onlyUnexported: true)).count == 1)
        await server.stop()
    }
}
