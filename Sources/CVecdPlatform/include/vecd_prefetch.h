#ifndef VECD_PREFETCH_H
#define VECD_PREFETCH_H

// Swift has no prefetch intrinsic. The graph walk reads vectors at random addresses, so it asks the CPU to start
// loading the next neighbours' rows while it measures the current one (memory-level parallelism). This is the
// compiler builtin (x86 prefetcht0, aarch64 prfm), not inline assembly; on other targets it compiles to nothing.
static inline void vecd_prefetch(const void *address) {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(address, 0, 3);
#else
    (void)address;
#endif
}

/// Prefetches `byte_count` bytes from `address`, one cache line at a time.
static inline void vecd_prefetch_range(const void *address, long byte_count) {
    const char *p = (const char *)address;
    for (long offset = 0; offset < byte_count; offset += 64) {
        vecd_prefetch(p + offset);
    }
}

#endif
