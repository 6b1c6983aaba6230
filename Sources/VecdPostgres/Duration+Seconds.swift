extension Duration {
    /// The duration in seconds as a Double, as the transfer reports state it.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
