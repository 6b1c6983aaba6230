#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A readers–writer lock: searches share it, mutations take it alone.
final class ReadWriteLock: @unchecked Sendable {
    private let lock = UnsafeMutablePointer<pthread_rwlock_t>.allocate(capacity: 1)

    init() { pthread_rwlock_init(lock, nil) }

    deinit {
        pthread_rwlock_destroy(lock)
        lock.deallocate()
    }

    func withReadLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_rwlock_rdlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }

    func withWriteLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_rwlock_wrlock(lock)
        defer { pthread_rwlock_unlock(lock) }
        return try body()
    }
}

/// A fixed set of mutexes that guard per-node link lists during a parallel build; node `n` uses stripe
/// `n % count`. A thread holds at most one stripe at a time, so stripes cannot deadlock.
final class StripedLocks: @unchecked Sendable {
    private let locks: UnsafeMutablePointer<pthread_mutex_t>
    private let count: Int

    init(count: Int = 4096) {
        self.count = count
        locks = .allocate(capacity: count)
        for i in 0..<count { pthread_mutex_init(locks + i, nil) }
    }

    deinit {
        for i in 0..<count { pthread_mutex_destroy(locks + i) }
        locks.deallocate()
    }

    @inline(__always)
    func withLock<T>(_ slot: Slot, _ body: () -> T) -> T {
        let lock = locks + Int(slot) % count
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return body()
    }

    @inline(__always)
    func lock(_ slot: Slot) { pthread_mutex_lock(locks + Int(slot) % count) }

    @inline(__always)
    func unlock(_ slot: Slot) { pthread_mutex_unlock(locks + Int(slot) % count) }

    var byteCount: Int { count * MemoryLayout<pthread_mutex_t>.stride }
}
