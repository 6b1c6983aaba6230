/// English function words the offline embedder leaves out: they occur in nearly every text, so they would add
/// the same noise to every vector (the rarity table gives the remaining common words small weights).
enum StopWords {
    static let words: [String] = """
        a an the and or of to in on for with by is are be as at it its this that from which can not was were will
        into also these those such you your their there has have had than then so if but all any each more most
        other some only over under via per use used using may
        """.split(whereSeparator: \.isWhitespace).map(String.init)

    static let hashes: Set<UInt64> = Set(words.map { FeatureHash.word($0.unicodeScalars) })

    static func contains(hash: UInt64) -> Bool { hashes.contains(hash) }
}
