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
            "hasnt", "havent", "hadnt", "stop", "disable", "disabled",
        ]
        /// Words whose opposite embeds almost identically; each maps to the side of its pair it stands for.
        static let polarityWords: [String: String] = [
            "on": "on", "off": "off", "open": "open", "close": "close", "closed": "close", "opened": "open",
            "start": "start", "stop": "stop", "enable": "enable", "disable": "disable", "lock": "lock",
            "unlock": "unlock", "up": "up", "down": "down", "increase": "up", "decrease": "down", "raise": "up",
            "lower": "down", "brighter": "up", "dimmer": "down", "warmer": "up", "cooler": "down", "more": "more",
            "less": "less", "before": "before", "after": "after", "yes": "yes", "add": "add", "remove": "remove",
            "true": "true", "false": "false", "min": "min", "max": "max", "minimum": "min", "maximum": "max",
        ]

        init(_ text: String) {
            let words = Self.words(text)
            for (position, word) in words.enumerated() {
                let lower = word.lowercased().replacingOccurrences(of: "'", with: "")
                    .replacingOccurrences(of: "\u{2019}", with: "")
                // Any "n't" contraction negates, listed or not ("needn't", "ain't").
                let contraction = word.contains(where: { $0 == "'" || $0 == "\u{2019}" }) && lower.hasSuffix("nt")
                if Self.negations.contains(lower) || contraction { negated.toggle() }
                if let side = Self.polarityWords[lower] { polarity.insert(side) }
                if word.contains(where: \.isNumber) { numbers.insert(Self.normalizedNumber(lower)) }
                if position > 0, let first = word.first, first.isUppercase { names.insert(lower) }
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
