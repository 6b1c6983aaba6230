import Synchronization
import VecdSQLite

/// Read-only SQLite connections for the search path, checked out one per call.
///
/// The store's own connection sits behind its mutex, which a write holds for its whole transaction (an ingested
/// document with its chunks, FTS rows and index update). Searches only read, so they take a connection of their
/// own: in WAL mode each sees the last committed transaction, searches run side by side on every core, and none
/// waits for a write. A reader may see a row the index does not hold yet (it is found after the index catches up)
/// or miss a row the index already returns (the hit is dropped, never returned without its row) — the same answers
/// the writer connection gives between a commit and the index update.
final class ReadConnectionPool: Sendable {
    /// A connection is used by one thread at a time: the pool hands each to one caller until it comes back.
    private final class Entry: @unchecked Sendable {
        let connection: Connection
        init(_ connection: Connection) { self.connection = connection }
    }

    private let path: String
    private let idle = Mutex<[Entry]>([])
    /// Connections kept open between calls; more are opened under a burst and closed as they come back. Each holds
    /// SQLite's page cache (about 2 MB), so the pool stays a small multiple of the cores.
    let maxIdleCount: Int

    init(path: String, maxIdleCount: Int) {
        self.path = path
        self.maxIdleCount = maxIdleCount
    }

    /// Runs `body` with a read-only connection that no other caller uses meanwhile.
    func withConnection<T>(_ body: (Connection) throws -> T) throws(VecdError) -> T {
        let entry: Entry
        do {
            entry = try idle.withLock { $0.popLast() } ?? Entry(Connection(path: path, readOnly: true))
        } catch {
            throw VecdError.wrap(error)
        }
        defer {
            idle.withLock { entries in
                if entries.count < maxIdleCount { entries.append(entry) }
            }
        }
        do {
            return try body(entry.connection)
        } catch {
            throw VecdError.wrap(error)
        }
    }

    /// Closes the idle connections (the store's deinit, before its directory may be removed).
    func closeIdle() {
        idle.withLock { $0.removeAll() }
    }
}
