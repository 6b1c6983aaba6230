/// A growable, zero-filled, 64-byte-aligned array of fixed-size rows.
///
/// Rows never move while the buffer is read: it grows only under the index's write lock, before any worker
/// thread of a parallel insert starts. Growth doubles the capacity, so appends are amortized O(1).
final class RowBuffer: @unchecked Sendable {
    let rowByteCount: Int
    private(set) var base: UnsafeMutableRawPointer
    private(set) var capacity: Int

    static let alignment = 64

    init(rowByteCount: Int, capacity: Int = 0) {
        precondition(rowByteCount > 0)
        self.rowByteCount = rowByteCount
        self.capacity = max(capacity, 16)
        base = Self.allocateZeroed(byteCount: self.capacity * rowByteCount)
    }

    deinit { base.deallocate() }

    private static func allocateZeroed(byteCount: Int) -> UnsafeMutableRawPointer {
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, alignment), alignment: alignment)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: max(byteCount, alignment))
        return pointer
    }

    /// Makes room for at least `rows` rows, keeping the existing ones. `exact` sizes the buffer to `rows` (a batch
    /// whose final size is known); otherwise capacity doubles, so one-at-a-time appends stay amortized O(1).
    func reserve(rows: Int, exact: Bool = false) {
        guard rows > capacity else { return }
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

    var byteCount: Int { capacity * rowByteCount }
}
