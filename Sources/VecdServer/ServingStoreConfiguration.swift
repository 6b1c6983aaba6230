public import Vecd
public import VecdEmbed

/// ``QueryGuard`` as the store's ``NearDuplicateGuard``: the check a semantic cache hit (and a memory merge) passes
/// after the embeddings said "similar".
///
/// The store's built-in ``BasicNearDuplicateGuard`` compares negation, polarity words, numbers and names, but not
/// content words, so "turn on the kitchen lights" / "turn on the bedroom lights" and "the old tower" / "the tall tower"
/// pass it; it is safe only behind the store's 0.95 cosine threshold, where the offline embedder hardly ever calls
/// two paraphrases similar. QueryGuard also refuses replaced content words, tense and time words, identifiers and
/// un-/dis- prefixes, which makes the offline embedder's measured threshold (0.30) safe and lets paraphrases hit.
public struct QueryNearDuplicateGuard: NearDuplicateGuard {
    public var queryGuard: QueryGuard

    public init(_ queryGuard: QueryGuard = QueryGuard()) { self.queryGuard = queryGuard }

    public func allowsMatch(_ incoming: String, _ candidate: String) -> Bool {
        queryGuard.allowsMatch(incoming, candidate)
    }
}

extension VecdStore.Configuration {
    /// The store settings `vecd serve` opens its store with for `embedder`: ``QueryNearDuplicateGuard`` for
    /// semantic cache hits and memory merges, and with the offline ``HashingEmbedder`` the cache threshold measured
    /// for it (``QueryGuard/hashingEmbedderThreshold``). Other embedders keep the store's default threshold until one
    /// is measured for them.
    public static func serving(embedder: (any Embedder)?) -> VecdStore.Configuration {
        var configuration = VecdStore.Configuration()
        configuration.nearDuplicateGuard = QueryNearDuplicateGuard()
        if embedder is HashingEmbedder {
            configuration.cacheSemanticThreshold = Double(QueryGuard.hashingEmbedderThreshold)
        }
        return configuration
    }
}
