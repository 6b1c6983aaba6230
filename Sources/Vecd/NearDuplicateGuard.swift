import Foundation

/// Decides whether two texts that embed close together may be treated as the same: a memory merged into an
/// existing one, or a cached answer returned for a new query.
///
/// Embeddings place "turn on the lights" next to "turn off the lights" and "set it to 20" next to "set it to 25";
/// a guard refuses those. The full guard (`QueryGuard`) is being written in VecdEmbed; ``BasicNearDuplicateGuard``
/// is the store's small built-in one until it is plugged in here.
public protocol NearDuplicateGuard: Sendable {
    /// Whether `candidate` may stand for `incoming` (same meaning, possibly different wording).
    func allowsMatch(_ incoming: String, _ candidate: String) -> Bool
}

/// A conservative word-level guard: two texts match only when they agree on negation, on polarity words
/// (on/off, open/close, …), on every number, and on every capitalised name that is not the first word.
public struct BasicNearDuplicateGuard: NearDuplicateGuard {
    public init() {}

    public func allowsMatch(_ incoming: String, _ candidate: String) -> Bool {
        Signature(incoming) == Signature(candidate)
    }

    /// The parts of a text whose difference changes its meaning.
    struct Signature: Equatable {
        var negated = false
        var polarity: Set<String> = []
        var numbers: Set<String> = []
        var names: Set<String> = []

        static let negations: Set<String> = [
            "not", "no", "never", "none", "nothing", "nobody", "neither", "nor", "without", "dont", "doesnt", "didnt",
            "isnt", "arent", "wasnt", "werent", "cant", "cannot", "wont", "wouldnt", "shouldnt", "couldnt", "mustnt",
            "hasnt", "havent", "hadnt",
        ]
        /// Words whose opposite embeds almost identically; each maps to the side of its pair it stands for.
        static let polarityWords: [String: String] = [
            "on": "on", "off": "off", "open": "open", "close": "close", "closed": "close", "opened": "open",
            "shut": "close", "start": "on", "stop": "off", "enable": "on", "disable": "off", "disabled": "off",
            "lock": "lock", "locked": "lock", "unlock": "unlock", "unlocked": "unlock", "mute": "mute",
            "unmute": "unmute", "up": "up", "down": "down", "increase": "up", "decrease": "down", "raise": "up",
            "lower": "down", "brighter": "up", "dimmer": "down", "warmer": "up", "cooler": "down", "more": "more",
            "less": "less", "before": "before", "after": "after", "yes": "yes", "add": "add", "remove": "remove",
            "true": "true", "false": "false", "min": "min", "max": "max", "minimum": "min", "maximum": "max",
            // Times and units change the answer as much as numbers do.
            "today": "today", "tonight": "tonight", "tomorrow": "tomorrow", "yesterday": "yesterday",
            "morning": "morning", "evening": "evening", "weekend": "weekend", "second": "second",
            "seconds": "second", "minute": "minute", "minutes": "minute", "hour": "hour", "hours": "hour",
            "day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month", "months": "month",
            "year": "year", "years": "year", "celsius": "celsius", "fahrenheit": "fahrenheit",
        ]
        static let pronounI: Set<String> = ["i", "im", "id", "ive", "ill"]
        /// Number words count as numbers ("two apples" is not "an apple").
        static let numberWords: [String: String] = [
            "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
            "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20", "hundred": "100",
            "thousand": "1000", "million": "1000000", "half": "0.5", "dozen": "12", "first": "#1", "second": "#2",
            "third": "#3", "last": "#last",
        ]
        /// Lower-case words that name a place or thing as surely as a capitalised name: rooms of a home (seed 002's
        /// assistant) and the usual finance measures (seed 001's).
        static let nameWords: Set<String> = [
            "kitchen", "bedroom", "bathroom", "living", "dining", "garage", "garden", "hallway", "office", "basement",
            "attic", "porch", "nursery", "alpha", "beta", "gamma", "delta", "theta", "vega", "sharpe",
            "drawdown", "dividend",
        ]

        init(_ text: String) {
            let words = Self.words(text)
            for (position, word) in words.enumerated() {
                // "tomorrow's" is "tomorrow": drop a possessive, then the apostrophes of contractions.
                var lower = word.lowercased()
                if lower.hasSuffix("'s") || lower.hasSuffix("\u{2019}s") { lower.removeLast(2) }
                lower = lower.replacingOccurrences(of: "'", with: "").replacingOccurrences(of: "\u{2019}", with: "")
                // Any "n't" contraction negates, listed or not ("needn't", "ain't").
                let contraction = word.contains(where: { $0 == "'" || $0 == "\u{2019}" }) && lower.hasSuffix("nt")
                if Self.negations.contains(lower) || contraction { negated.toggle() }
                if let side = Self.polarityWords[lower] { polarity.insert(side) }
                if word.contains(where: \.isNumber) { numbers.insert(Self.normalizedNumber(lower)) }
                if let number = Self.numberWords[lower] { numbers.insert(number) }
                if Self.nameWords.contains(lower) { names.insert(lower) }
                // A capital after the first word marks a name, except the pronoun "I" and its contractions.
                if position > 0, let first = word.first, first.isUppercase, !Self.pronounI.contains(lower) {
                    names.insert(lower)
                }
            }
        }

        /// Words: letters, digits and apostrophes; a decimal point or comma between digits stays in the number.
        static func words(_ text: String) -> [String] {
            var words: [String] = []
            var current = ""
            let characters = Array(text)
            for (index, character) in characters.enumerated() {
                let betweenDigits =
                    (character == "." || character == ",") && index > 0
                    && index + 1 < characters.count && characters[index - 1].isNumber && characters[index + 1].isNumber
                if character.isLetter || character.isNumber || character == "'" || character == "\u{2019}"
                    || betweenDigits
                {
                    current.append(character)
                } else if !current.isEmpty {
                    words.append(current)
                    current = ""
                }
            }
            if !current.isEmpty { words.append(current) }
            return words
        }

        /// "20.0" and "20" are the same number; "1,000" and "1000" too.
        static func normalizedNumber(_ word: String) -> String {
            let plain = word.replacingOccurrences(of: ",", with: "")
            if let value = Double(plain) { return String(value) }
            return plain
        }
    }
}
