import Foundation
import Testing
import Vecd
import VecdEmbed

@Suite("Conversations, feedback and training data")
struct FeedbackTests {
    @Test("messages are appended to a conversation in order; other tenants cannot read them")
    func conversations() async throws {
        let store = try VecdStore.temporary()
        let conversation = try store.createConversation(userID: "u1", sessionID: "s1")
        try store.addMessage(to: conversation.id, role: .user, content: "What is my beta?", id: "msg-1")
        try store.addMessage(to: conversation.id, role: .assistant, content: "1.2", intent: "answer")
        #expect(try store.messages(in: conversation.id).map(\.content) == ["What is my beta?", "1.2"])
        #expect(try store.conversations(sessionID: "s1").map(\.id) == [conversation.id])
        #expect(await expectVecdError(.notFound) { try store.messages(in: conversation.id, tenant: "b") })
        #expect(
            await expectVecdError(.notFound) {
                try store.addMessage(to: conversation.id, role: .user, content: "x", tenant: "b")
            })
        try store.deleteConversation(id: conversation.id)
        #expect(await expectVecdError(.notFound) { try store.messages(in: conversation.id) })
    }

    @Test("feedback of both seeds is recorded, queried and counted; incomplete feedback is refused")
    func feedback() async throws {
        let store = try VecdStore.temporary()
        try store.recordFeedback(FeedbackInput(messageID: "m1", rating: .down, editedText: "better answer"))
        try store.recordFeedback(FeedbackInput(messageID: "m2", rating: .up))
        try store.recordFeedback(
            FeedbackInput(interactionID: "conv_123", score: 5, comment: "Correctly turned on all lights"))
        #expect(try store.feedback(rating: .down).map(\.editedText) == ["better answer"])
        #expect(try store.feedback(messageID: "m2").count == 1)
        let stats = try store.feedbackStats()
        #expect(stats.total == 3 && stats.up == 1 && stats.down == 1)
        #expect(stats.averageScore == 5)
        #expect(stats.scoreCounts == [0, 0, 0, 0, 1])
        #expect(await expectVecdError(.invalidArgument) { try store.recordFeedback(FeedbackInput(rating: .up)) })
        #expect(await expectVecdError(.invalidArgument) { try store.recordFeedback(FeedbackInput(messageID: "m")) })
        #expect(
            await expectVecdError(.invalidArgument) {
                try store.recordFeedback(FeedbackInput(interactionID: "i", score: 6))
            })
        #expect(try store.feedback(tenant: "other").isEmpty)
        #expect(try store.feedbackStats().total == 3)
    }

    @Test("training data exports as JSONL in pages, marks exported rows, and skips them next time")
    func export() async throws {
        let clock = ManualClock()
        var configuration = VecdStore.Configuration()
        configuration.clock = { clock.now }
        let store = try VecdStore.temporary(configuration: configuration)
        for i in 0..<1_203 {
            try store.addTrainingExample(
                input: "turn on light \(i)", output: "done \(i)", feedbackScore: i % 5 + 1, interactionType: "command",
                language: "en")
            clock.advance(seconds: 0.001)
        }
        try store.addTrainingExample(input: "other tenant", output: "x", tenant: "b")
        var chunks: [Data] = []
        let count = try store.exportTrainingData(markExported: true) { chunks.append($0) }
        #expect(count == 1_203)
        #expect(chunks.count == 3)  // pages of 500, streamed, never one buffer
        let lines = chunks.reduce(Data(), +).split(separator: 0x0A)
        #expect(lines.count == 1_203)
        let first = try JSONSerialization.jsonObject(with: Data(lines[0])) as? [String: Any]
        #expect(first?["input"] as? String == "turn on light 0")
        #expect(first?["feedback_score"] as? Int == 1)
        #expect(try store.trainingExamples(.init(onlyUnexported: true)).isEmpty)
        try store.addTrainingExample(input: "new", output: "one")
        var again = Data()
        #expect(try store.exportTrainingData(.init(onlyUnexported: true)) { again.append($0) } == 1)
        #expect(try store.trainingExamples(.init(minimumScore: 5), limit: 10_000).count == 240)
    }

    @Test("an export whose sink fails marks only the pages already delivered")
    func failingSink() async throws {
        let clock = ManualClock()
        var configuration = VecdStore.Configuration()
        configuration.clock = { clock.now }
        let store = try VecdStore.temporary(configuration: configuration)
        for i in 0..<700 {
            try store.addTrainingExample(input: "q\(i)", output: "a\(i)")
            clock.advance(seconds: 0.001)
        }
        struct DiskFull: Error {}
        var calls = 0
        #expect(
            await expectVecdError(.storage) {
                try store.exportTrainingData(markExported: true) { _ in
                    calls += 1
                    if calls == 2 { throw DiskFull() }
                }
            })
        #expect(try store.trainingExamples(.init(onlyUnexported: true)).count == 200)
    }
}

@Suite("Down-rated topics")
struct DownRatedTopicTests {
    @Test("questions behind negative feedback cluster into topics, from stored messages or carried text")
    func topics() async throws {
        let store = try VecdStore.temporary(embedder: WordHashEmbedder())
        let conversation = try store.createConversation()
        for i in 0..<4 {
            try store.addMessage(
                to: conversation.id, role: .user, content: "how is my portfolio volatility computed \(i)")
            let answer = try store.addMessage(to: conversation.id, role: .assistant, content: "answer \(i)")
            try store.recordFeedback(FeedbackInput(messageID: answer.id, rating: .down))
        }
        for i in 0..<2 {
            try store.recordFeedback(
                FeedbackInput(
                    interactionID: "x\(i)", score: 1, questionText: "why did the tax report fail again \(i)"))
        }
        try store.recordFeedback(FeedbackInput(interactionID: "good", score: 5, questionText: "thanks a lot"))
        let report = try await store.downRatedTopics(maxTopics: 2)
        #expect(report.skippedQuestions == 0)
        let topics = report.topics
        #expect(topics.map(\.count) == [4, 2])
        #expect(topics[0].examples.allSatisfy { $0.contains("volatility") })
        #expect(topics[1].examples.allSatisfy { $0.contains("tax report") })
        #expect(try await store.downRatedTopics(tenant: "other").topics.isEmpty)
    }
}
