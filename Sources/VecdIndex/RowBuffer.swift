/// A growable, zero-filled, 64-byte-aligned array of fixed-size rows — or a read-only view of rows that live in
/// someone else's memory (a memory-mapped segment file), kept alive by `owner`.
///
/// Rows never move while the buffer is read: it grows only under the index's write lock, before any worker
/// thread of a parallel insert starts. Growth doubles the capacity, so appends are amortized O(1).
final class RowBuffer: @unchecked Sendable {
    let rowByteCount: Int
    private(set) var base: UnsafeMutableRawPointer
    private(set) var capacity: Int
    /// The owner of borrowed memory; `nil` when this buffer allocated its rows.
    private let owner: AnyObject?

    static let alignment = 64

    init(rowByteCount: Int, capacity: Int = 0) {
        precondition(rowByteCount > 0)
        self.rowByteCount = rowByteCount
        self.capacity = max(capacity, 16)
        base = Self.allocateZeroed(byteCount: self.capacity * rowByteCount)
        owner = nil
    }

    /// A read-only view of `rows` rows at `base`, which `owner` keeps valid.
    init(borrowing base: UnsafeRawPointer, rows: Int, rowByteCount: Int, owner: AnyObject) {
        self.rowByteCount = rowByteCount
        self.base = UnsafeMutableRawPointer(mutating: base)
        capacity = rows
        self.owner = owner
    }

    deinit { if owner == nil { base.deallocate() } }

    /// Whether the rows are borrowed (and must not be written).
    var isBorrowed: Bool { owner != nil }

    /// Buffers at least this large are aligned to ``hugePageSize`` and offered to the kernel for transparent huge
    /// pages. The graph walk reads rows at random addresses, so with 4 KiB pages nearly every row it touches costs a
    /// TLB miss besides the cache misses; one 2 MiB page covers 1,365 rows of 384 floats.
    static let hugePageThreshold = 4 << 20
    static let hugePageSize = 2 << 20

    private static func allocateZeroed(byteCount: Int) -> UnsafeMutableRawPointer {
        let size = max(byteCount, alignment)
        let huge = size >= hugePageThreshold
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: huge ? hugePageSize : alignment)
        // The advice must come before the first touch: zero-filling is what faults the pages in.
        if huge { adviseHugePages(pointer, byteCount: size) }
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        return pointer
    }

    /// Makes room for at least `rows` rows, keeping the existing ones. `exact` sizes the buffer to `rows` (a batch
    /// whose final size is known); otherwise capacity doubles, so one-at-a-time appends stay amortized O(1).
    func reserve(rows: Int, exact: Bool = false) {
        guard rows > capacity else { return }
        precondition(owner == nil, "a borrowed row buffer never grows; the index refuses writes first")
        var newCapacity = capacity
        if exact {
            newCapacity = rows
        } else {
            while newCapacity < rows { newCapacity *= 2 }
        }
        let newBase = Self.allocateZeroed(byteCount: newCapacity * rowByteCount)
        newBase.copyMemory(from: base, byteCount: capacity * rowByteCount)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inline(__always)
    func row(_ index: Int) -> UnsafeMutableRawPointer { base + index * rowByteCount }

    /// Bytes this buffer allocated (borrowed rows belong to their owner's accounting).
    var byteCount: Int { owner == nil ? capacity * rowByteCount : 0 }
}
