import Foundation
import Testing
import Vecd

@Suite("Near-duplicate guard")
struct NearDuplicateGuardTests {
    let guardrail = BasicNearDuplicateGuard()

    @Test(
        "paraphrases that keep negation, numbers, times and names pass",
        arguments: [
            ("switch on the hallway lamp", "turn the hallway lamp on"),
            ("set the oven to 180 degrees", "make the oven 180 degrees"),
            ("what's the forecast for Paris tomorrow", "tomorrow's weather in Paris"),
            ("shut the blinds", "close the blinds"),
            ("turn on the dishwasher", "start the dishwasher please"),
            ("how risky is my portfolio", "what is the risk of my portfolio"),
        ])
    func paraphrases(a: String, b: String) {
        #expect(guardrail.allowsMatch(a, b))
    }

    @Test(
        "pairs that differ in meaning are refused",
        arguments: [
            ("switch on the hallway lamp", "switch off the hallway lamp"),
            ("open the blinds", "close the blinds"),
            ("is the window locked", "is the window unlocked"),
            ("I want the heating on", "I don't want the heating on"),
            ("set the oven to 180 degrees", "set the oven to 200 degrees"),
            ("wake me at 7:30", "wake me at 7:45"),
            ("transfer 1,000 dollars", "transfer 100 dollars"),
            ("pause for 5 minutes", "pause for 5 hours"),
            ("buy one ticket", "buy three tickets"),
            ("what's the forecast for Paris tomorrow", "what's the forecast for Rome tomorrow"),
            ("heat the bathroom", "heat the kitchen"),
            ("what is the delta of this option", "what is the gamma of this option"),
            ("what happened yesterday", "what happens today"),
            ("raise the blinds", "lower the blinds"),
            ("start the washing machine", "stop the washing machine"),
            ("unmute the speaker", "mute the speaker"),
        ])
    func differences(a: String, b: String) {
        #expect(!guardrail.allowsMatch(a, b))
        #expect(!guardrail.allowsMatch(b, a))
    }
}

/// The guard alone over a labelled pair file (the issue's `cache-pairs.jsonl`), run on demand:
/// `VECD_CACHE_PAIRS=path/to/cache-pairs.jsonl swift test --disable-xctest --filter GuardOnLabelledPairs`.
@Suite("Guard on labelled pairs", .enabled(if: ProcessInfo.processInfo.environment["VECD_CACHE_PAIRS"] != nil))
struct GuardOnLabelledPairs {
    struct Pair: Decodable {
        var cached: String
        var query: String
        var should_hit: Bool
        var kind: String
    }

    @Test("report how many paraphrases pass and which different-meaning pairs slip through")
    func report() throws {
        let path = ProcessInfo.processInfo.environment["VECD_CACHE_PAIRS"]!
        let pairs = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(Pair.self, from: Data($0.utf8))
        }
        #expect(!pairs.isEmpty)
        let guardrail = BasicNearDuplicateGuard()
        let paraphrases = pairs.filter(\.should_hit)
        let passed = paraphrases.filter { guardrail.allowsMatch($0.query, $0.cached) }
        let leaks = pairs.filter { !$0.should_hit && guardrail.allowsMatch($0.query, $0.cached) }
        print(
            "figure guard paraphrases_passed=\(passed.count)/\(paraphrases.count) "
                + "different_meaning_passed=\(leaks.count)/\(pairs.count - paraphrases.count)")
        for pair in paraphrases where !guardrail.allowsMatch(pair.query, pair.cached) {
            print("figure guard blocked paraphrase: \(pair.cached) | \(pair.query)")
        }
        for pair in leaks { print("figure guard passed \(pair.kind): \(pair.cached) | \(pair.query)") }
    }
}
