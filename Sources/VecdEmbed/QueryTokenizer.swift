/// Splits a request into tokens that keep what ``QueryGuard`` needs and a bag of words loses: case (names),
/// quotes, identifiers (`light.office_main`, `B2`), numbers with their sign and decimals ("-2.5", "1,000", "50%"),
/// and contractions ("don't" → "do" "n't").
enum QueryTokenizer {
    struct Token {
        /// Lowercased text of the token; a number's canonical digits; a quoted string's content.
        var folded: String
        /// Canonical decimal value when the token is a number ("1,000" → "1000", "2.50" → "2.5").
        var number: String?
        var isQuoted = false
        /// Contains digits and letters, or `_`/`.` between letters (`MSFT2`, `light.office_main`).
        var isIdentifier = false
        /// Capitalized but not the first word of a sentence, or all capitals ("Berlin", "MSFT"), and not "I".
        var isName = false
        var isNumeric: Bool { number != nil }
    }

    static func tokens(of text: String) -> [Token] {
        var tokens: [Token] = []
        var current = ""
        var sentenceStart = true
        var index = text.startIndex

        func finishWord() {
            defer { current = "" }
            guard !current.isEmpty else { return }
            var word = current
            // Possessives and contractions: "Apple's" → "Apple", "don't" → "do" + "n't", "we'll" → "we".
            var extra: [Token] = []
            let lower = word.lowercased()
            if lower.hasSuffix("n't") {
                word.removeLast(3)
                extra.append(Token(folded: "n't"))
                if lower == "can't" { word = "can" } else if lower == "won't" { word = "will" }
            } else if let apostrophe = word.lastIndex(where: { $0 == "'" || $0 == "’" }) {
                let suffix = word[word.index(after: apostrophe)...].lowercased()
                if ["s", "re", "ve", "d", "m", "ll", ""].contains(suffix) { word = String(word[..<apostrophe]) }
            }
            if !word.isEmpty { tokens.append(classify(word, sentenceStart: sentenceStart)) }
            tokens.append(contentsOf: extra)
            sentenceStart = false
        }

        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            let following: Character? = next < text.endIndex ? text[next] : nil
            if character == "\"" || character == "“" || character == "”" || character == "«" {
                finishWord()
                let closers: Set<Character> = ["\"", "”", "“", "»"]
                if let end = text[next...].firstIndex(where: { closers.contains($0) }) {
                    let quoted = text[next..<end].lowercased().trimmingCharacters()
                    if !quoted.isEmpty { tokens.append(Token(folded: quoted, isQuoted: true)) }
                    index = text.index(after: end)
                    sentenceStart = false
                    continue
                }
            } else if character.isLetter || character.isNumber {
                current.append(character)
            } else if "_'’".contains(character) && !current.isEmpty && (following?.isLetter ?? false) {
                current.append(character)
            } else if ".,".contains(character) && !current.isEmpty
                && (following?.isLetter ?? false || following?.isNumber ?? false)
                && (current.last!.isNumber == (following!.isNumber)) {
                current.append(character)  // "2.5", "1,000", "light.office_main"; not "end. Next"
            } else if character == "%" || character == "°" || character == "$" || character == "€" || character == "£" {
                finishWord()
                tokens.append(Token(folded: String(character)))
            } else if character == "-" && current.isEmpty && (following?.isNumber ?? false) {
                current.append(character)
            } else {
                finishWord()
                if ".!?".contains(character) { sentenceStart = true }
            }
            index = next
        }
        finishWord()
        return splitNumberUnits(tokens)
    }

    private static func classify(_ word: String, sentenceStart: Bool) -> Token {
        let lower = word.lowercased()
        var token = Token(folded: lower)
        let digits = word.filter(\.isNumber)
        if !digits.isEmpty, word.allSatisfy({ $0.isNumber || ".,-".contains($0) }) {
            token.number = canonicalNumber(word)
            return token
        }
        let hasLetters = word.contains(where: \.isLetter)
        token.isIdentifier = hasLetters && (!digits.isEmpty || word.contains("_") || word.contains("."))
        let letters = word.filter(\.isLetter)
        let isAllCapitals = letters.count >= 2 && letters.allSatisfy(\.isUppercase)
        let isCapitalized = word.first?.isUppercase ?? false
        token.isName = word != "I" && (isAllCapitals || (isCapitalized && !sentenceStart))
        return token
    }

    /// "6pm" → "6" "pm", "10min" → "10" "min", so the unit rules see them.
    private static func splitNumberUnits(_ tokens: [Token]) -> [Token] {
        var result: [Token] = []
        for token in tokens {
            let word = token.folded
            if token.number == nil, !token.isQuoted, let first = word.first, first.isNumber,
                let split = word.firstIndex(where: \.isLetter), word[split...].allSatisfy(\.isLetter),
                word[..<split].allSatisfy({ $0.isNumber || $0 == "." })
            {
                result.append(Token(folded: String(word[..<split]), number: canonicalNumber(String(word[..<split]))))
                result.append(Token(folded: String(word[split...])))
            } else {
                result.append(token)
            }
        }
        return result
    }

    /// Digits without grouping commas and without trailing fractional zeros ("1,000.50" → "1000.5").
    static func canonicalNumber(_ text: String) -> String {
        var digits = text.filter { $0 != "," }
        if digits.contains(".") {
            while digits.hasSuffix("0") { digits.removeLast() }
            if digits.hasSuffix(".") { digits.removeLast() }
        }
        return digits
    }
}

extension String {
    fileprivate func trimmingCharacters() -> String {
        var view = Substring(self)
        while view.first?.isWhitespace ?? false { view.removeFirst() }
        while view.last?.isWhitespace ?? false { view.removeLast() }
        return String(view)
    }
}
