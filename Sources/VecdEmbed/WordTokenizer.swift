import Foundation

/// Splits text into lowercase words without diacritics: runs of letters and digits, as Python's `[^\W_]+` over
/// NFKD-folded text (the rarity table was counted that way).
///
/// ASCII, the common case, is folded scalar by scalar with no allocation; a word with other scalars goes through
/// Foundation's compatibility decomposition once, and its combining marks are dropped ("Café" → "cafe").
enum WordTokenizer {
    /// Calls `body` with each folded word of `text`, in order; the buffer is reused between calls.
    static func forEachWord(in text: String, _ body: (inout [Unicode.Scalar]) -> Void) {
        var word: [Unicode.Scalar] = []
        word.reserveCapacity(32)
        var needsFolding = false
        func flush() {
            guard !word.isEmpty else { return }
            if needsFolding { foldNonASCII(&word) }
            if !word.isEmpty { body(&word) }
            word.removeAll(keepingCapacity: true)
            needsFolding = false
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                switch value {
                case 0x30...0x39, 0x61...0x7A: word.append(scalar)
                case 0x41...0x5A: word.append(Unicode.Scalar(UInt8(value + 0x20)))
                default: flush()
                }
            } else if isWordScalar(scalar) || isMark(scalar) {
                word.append(scalar)
                needsFolding = true
            } else {
                flush()
            }
        }
        flush()
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        return (properties.isAlphabetic && !isMark(scalar)) || properties.numericType != nil
    }

    private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    private static func isFoldedWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x30...0x39, 0x61...0x7A: return true
        case 0..<0x80: return false
        default: return isWordScalar(scalar)
        }
    }

    /// Lowercases, applies compatibility decomposition (NFKD: "ﬁ" → "fi", "é" → "e" + accent) and drops the marks.
    private static func foldNonASCII(_ word: inout [Unicode.Scalar]) {
        var text = String.UnicodeScalarView()
        text.append(contentsOf: word)
        let folded = String(text).lowercased().decomposedStringWithCompatibilityMapping
        word.removeAll(keepingCapacity: true)
        for scalar in folded.unicodeScalars where isFoldedWordScalar(scalar) {
            word.append(scalar)
        }
    }
}
