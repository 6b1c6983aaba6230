#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel to back `byteCount` bytes at `address` (aligned to 2 MiB) with transparent huge pages.
///
/// Linux only, and only where transparent huge pages are enabled in `madvise` or `always` mode; elsewhere, and when
/// the kernel declines, the memory keeps its ordinary pages — the advice never changes what the memory holds.
/// Setting `VECD_HUGE_PAGES=0` in the environment turns it off (for hosts where huge-page compaction stalls hurt
/// more than TLB misses).
func adviseHugePages(_ address: UnsafeMutableRawPointer, byteCount: Int) {
    #if os(Linux)
    guard hugePagesEnabled else { return }
    _ = madvise(address, byteCount, MADV_HUGEPAGE)
    #endif
}

private let hugePagesEnabled: Bool = {
    guard let value = getenv("VECD_HUGE_PAGES") else { return true }
    return String(cString: value) != "0"
}()
