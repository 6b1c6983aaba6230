/// Strips common English inflections so "proxies", "proxy" and "locked", "lock" share a feature.
///
/// Deliberately small (plural and verb endings only): a wrong cut on a name or a foreign word costs little because
/// character n-grams of the unstemmed word carry most of the spelling anyway. Keeps at least three letters.
enum SuffixStemmer {
    private static let rules: [(suffix: [Unicode.Scalar], replacement: [Unicode.Scalar])] = [
        ("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""),
    ].map { (Array($0.0.unicodeScalars), Array($0.1.unicodeScalars)) }

    /// Stems `word` (lowercase scalars) in place.
    static func stem(_ word: inout [Unicode.Scalar]) {
        for rule in rules where word.count - rule.suffix.count >= 3 && word.ends(with: rule.suffix) {
            if rule.suffix == ["s"] && word.count >= 2 && word[word.count - 2] == "s" { return }  // "class", "less"
            word.removeLast(rule.suffix.count)
            word.append(contentsOf: rule.replacement)
            return
        }
    }
}

extension Array where Element == Unicode.Scalar {
    fileprivate func ends(with suffix: [Unicode.Scalar]) -> Bool {
        count >= suffix.count && self[(count - suffix.count)...].elementsEqual(suffix)
    }
}
