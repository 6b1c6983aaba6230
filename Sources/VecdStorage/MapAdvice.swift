#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The access pattern vecd announces to the kernel for a mapped segment file.
///
/// A search walks the HNSW graph and reads rows and link lists at random, one or two pages per node. With the
/// kernel's default (`normal`), every page fault on a file mapping also reads ahead and maps the neighbouring pages
/// (`read_ahead_kb`, `fault_around_bytes`), so a single search makes most of the compact-row block resident even
/// though it touches a few thousand rows. `random` (`MADV_RANDOM`) turns that off for the mapping: a fault brings in
/// the page it needs and nothing else. That keeps a lightly searched segment small and makes a cold first search
/// faster, but once searches have touched most of the block the resident set is the same, and under a memory limit
/// just below the working set read-ahead's larger reads served more searches per second (BENCHMARKS.md §9), so the
/// default stays `normal`. Linux only; elsewhere the advice is not given.
///
/// Chosen with the `VECD_MAP_ADVICE` environment variable (`normal`, the default, or `random`), read once per process.
public enum MapAdvice: String, Sendable, CaseIterable {
    /// `MADV_RANDOM`: no read-ahead and no fault-around on the segment mappings.
    case random
    /// The kernel's default read-ahead and fault-around (no advice given).
    case normal

    /// The advice used when `VECD_MAP_ADVICE` is unset.
    public static let defaultAdvice = MapAdvice.normal

    /// The value of `VECD_MAP_ADVICE` (case-insensitive, surrounding spaces ignored), or `nil` if it names no advice.
    public init?(environmentValue: String) {
        let trimmed = environmentValue.trimmingSpaces().lowercased()
        guard let advice = MapAdvice(rawValue: trimmed) else { return nil }
        self = advice
    }

    /// The advice for this process: `VECD_MAP_ADVICE` if it names one, otherwise ``defaultAdvice``. An unknown value
    /// falls back to the default rather than failing every open, since the advice never changes what a search returns.
    public static let current: MapAdvice = {
        guard let raw = getenv("VECD_MAP_ADVICE") else { return defaultAdvice }
        return MapAdvice(environmentValue: String(cString: raw)) ?? defaultAdvice
    }()

    /// Gives this advice for `byteCount` bytes at `address` (a page-aligned mapping). A kernel that refuses it
    /// leaves the mapping as it was: the advice changes only what is read ahead, never what the memory holds.
    func apply(to address: UnsafeRawPointer, byteCount: Int) {
        #if os(Linux)
            guard self == .random, byteCount > 0 else { return }
            _ = madvise(UnsafeMutableRawPointer(mutating: address), byteCount, MADV_RANDOM)
        #endif
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
