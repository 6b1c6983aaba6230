import Testing
import VecdEmbed

@Suite("QueryGuard refuses requests that differ in meaning")
struct QueryGuardTests {
    let guardian = QueryGuard()

    @Test("negation words and contractions", arguments: [
        ("turn on the lights", "don't turn on the lights"),
        ("do I have meetings today", "do I have no meetings today"),
        ("coffee with sugar", "coffee without sugar"),
        ("is it going to rain", "is it never going to rain"),
    ])
    func negation(first: String, second: String) {
        #expect(guardian.difference(first, second) == .negation)
    }

    @Test("opposite actions on one axis", arguments: [
        ("turn on the lights", "turn off the lights", "on/off"),
        ("start the dishwasher", "stop the dishwasher", "on/off"),
        ("open the gate", "close the gate", "open/close"),
        ("increase the volume", "decrease the volume", "up/down"),
        ("buy 10 shares", "sell 10 shares", "buy/sell"),
    ])
    func polarity(first: String, second: String, axis: String) {
        #expect(guardian.difference(first, second) == .polarity(axis: axis))
    }

    @Test("a un-/dis- prefix the lists do not name")
    func prefixNegation() {
        #expect(guardian.difference("pin the note", "unpin the note") == .polarity(axis: "pin/unpin"))
    }

    @Test("numbers, number words and units", arguments: [
        ("set a timer for 10 minutes", "set a timer for 10 seconds"),
        ("dim to 50%", "dim to 20%"),
        ("sell 1,000 shares", "sell 100 shares"),
        ("how many calories in an apple", "how many calories in two apples"),
        ("remind me at 6pm", "remind me at 6am"),
        ("the second door", "the third door"),
        ("temperature 2.5 degrees", "temperature 25 degrees"),
    ])
    func numbers(first: String, second: String) {
        guard case .number = guardian.difference(first, second) else {
            Issue.record("expected a number difference for \(first) / \(second)")
            return
        }
    }

    @Test("equal numbers in other spellings agree", arguments: [
        ("sell 1,000 shares", "sell 1000 shares"),
        ("calories in an apple", "calories in one apple"),
        ("wake me at 6 pm", "wake me at 6pm"),
        ("set it to 2.50", "set it to 2.5"),
    ])
    func sameNumbers(first: String, second: String) {
        #expect(guardian.allowsMatch(first, second))
    }

    @Test("names, quoted strings and identifiers", arguments: [
        ("what is Apple's stock price", "what is Microsoft's stock price", "apple"),
        ("call Anna", "call Hannah", "anna"),
        ("play \"Yellow Submarine\"", "play \"Yellow\"", "yellow submarine"),
        ("turn on light.kitchen_main", "turn on light.kitchen_aux", "light.kitchen_main"),
        ("price of MSFT", "price of AAPL", "msft"),
    ])
    func entities(first: String, second: String, entity: String) {
        #expect(guardian.difference(first, second) == .entity(entity))
    }

    @Test("a name is the same name in any case")
    func entityCase() {
        #expect(guardian.allowsMatch("weather in Berlin", "weather in berlin"))
        #expect(guardian.allowsMatch("Berlin weather", "weather in Berlin"))
    }

    @Test("time words and tense")
    func time() {
        let difference = guardian.difference("my calendar today", "my calendar tomorrow")
        #expect(difference == .time(first: ["today"], second: ["tomorrow"]))
        guard case .time = guardian.difference("what was my balance", "what is my balance") else {
            Issue.record("past and present should differ")
            return
        }
    }

    @Test("a content word replaced by another", arguments: [
        ("turn on the kitchen lights", "turn on the bedroom lights"),
        ("how old is the Eiffel Tower", "how tall is the Eiffel Tower"),
        ("explain beta for a stock", "explain alpha for a stock"),
    ])
    func substitution(first: String, second: String) {
        guard case .content = guardian.difference(first, second) else {
            Issue.record("expected a content difference for \(first) / \(second)")
            return
        }
    }

    @Test("paraphrases pass", arguments: [
        ("turn on the kitchen lights", "switch the kitchen lights on"),
        ("close the garage door", "shut the garage door"),
        ("what time is sunset today", "when does the sun set today"),
        ("show my largest position", "which position is my biggest"),
        ("what is my portfolio's volatility", "how volatile is my portfolio"),
        ("lock the front door", "Please lock the front door."),
    ])
    func paraphrases(first: String, second: String) {
        #expect(guardian.allowsMatch(first, second), "\(guardian.difference(first, second).map { "\($0)" } ?? "")")
    }

    @Test("one added content word is allowed, two are not")
    func addedWords() {
        #expect(guardian.allowsMatch("weather in Berlin", "weather forecast in Berlin"))
        #expect(!guardian.allowsMatch("weather in Berlin", "detailed weather forecast in Berlin"))
        #expect(!QueryGuard(maxAddedContentWords: 0).allowsMatch("weather in Berlin", "weather forecast in Berlin"))
    }

    @Test("identical and empty texts")
    func identical() {
        #expect(guardian.allowsMatch("", ""))
        #expect(guardian.allowsMatch("Turn OFF the lights in Room 2", "Turn OFF the lights in Room 2"))
        #expect(!guardian.allowsMatch("", "turn off the lights"))
    }
}
