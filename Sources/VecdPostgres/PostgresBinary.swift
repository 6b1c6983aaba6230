import Foundation

/// PostgreSQL's binary wire encodings (network byte order) for the types the bridge sends and reads, shared by
/// parameters, binary COPY and binary results.
enum PostgresBinary {
    /// Seconds between the Unix epoch and PostgreSQL's epoch (2000-01-01 00:00:00 UTC).
    static let postgresEpochUnixSeconds: Double = 946_684_800

    /// pgvector's limit on a `vector`'s dimension (its header also stores it as a 16-bit integer).
    static let maximumVectorDimension = 16_000

    static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    static func readInteger<T: FixedWidthInteger>(_ type: T.Type, _ raw: UnsafeRawBufferPointer, at offset: Int) -> T {
        T(bigEndian: raw.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// pgvector's binary `vector`: Int16 dimension, Int16 unused (zero), then big-endian Float32s. The caller has
    /// checked the dimension against ``maximumVectorDimension``.
    static func appendVector<C: Collection<Float>>(_ values: C, to bytes: inout [UInt8]) {
        append(Int16(values.count), to: &bytes)
        append(Int16(0), to: &bytes)
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: values.count * 4))
        bytes.withUnsafeMutableBytes { raw in
            var offset = start
            for value in values {
                raw.storeBytes(of: value.bitPattern.bigEndian, toByteOffset: offset, as: UInt32.self)
                offset += 4
            }
        }
    }

    /// Why `values` cannot be a pgvector `vector`, or nil when it can.
    static func vectorProblem<C: Collection<Float>>(_ values: C) -> String? {
        if values.isEmpty { return "a vector needs at least 1 dimension (pgvector), got 0" }
        if values.count > maximumVectorDimension {
            return "a vector has at most \(maximumVectorDimension) dimensions (pgvector), got \(values.count)"
        }
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            return "vector component \(values.distance(from: values.startIndex, to: index)) is \(values[index]); "
                + "pgvector accepts only finite numbers"
        }
        return nil
    }

    static func decodeVector(_ raw: UnsafeRawBufferPointer) -> [Float]? {
        guard raw.count >= 4 else { return nil }
        let dimension = Int(readInteger(Int16.self, raw, at: 0))
        guard dimension >= 0, raw.count == 4 + dimension * 4 else { return nil }
        return (0..<dimension).map { Float(bitPattern: readInteger(UInt32.self, raw, at: 4 + $0 * 4)) }
    }

    static func uuidBytes(_ uuid: UUID) -> [UInt8] {
        withUnsafeBytes(of: uuid.uuid) { Array($0) }
    }

    static func decodeUUID(_ raw: UnsafeRawBufferPointer) -> UUID? {
        guard raw.count == 16 else { return nil }
        var value = UUID().uuid
        withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: raw) }
        return UUID(uuid: value)
    }

    /// `timestamptz` is microseconds since 2000-01-01 UTC; Int64.max/min are `infinity`/`-infinity`, which map to
    /// `Date.distantFuture`/`Date.distantPast` and back.
    static func timestampMicroseconds(_ date: Date) -> Int64 {
        if date == .distantFuture { return .max }
        if date == .distantPast { return .min }
        return Int64(((date.timeIntervalSince1970 - postgresEpochUnixSeconds) * 1_000_000).rounded())
    }

    static func date(microseconds: Int64) -> Date {
        if microseconds == .max { return .distantFuture }
        if microseconds == .min { return .distantPast }
        // Whole seconds and the microsecond remainder apart, so that large values keep their microseconds.
        let seconds = microseconds.quotientAndRemainder(dividingBy: 1_000_000)
        return Date(
            timeIntervalSince1970: postgresEpochUnixSeconds + Double(seconds.quotient)
                + Double(seconds.remainder) / 1_000_000)
    }

    /// The one-dimensional binary array format: ndim, has-null flag, element OID, length, lower bound, elements.
    static func array(elementOID: UInt32, elements: [[UInt8]?]) -> [UInt8] {
        var bytes: [UInt8] = []
        append(Int32(elements.isEmpty ? 0 : 1), to: &bytes)
        append(Int32(elements.contains { $0 == nil } ? 1 : 0), to: &bytes)
        append(elementOID, to: &bytes)
        if !elements.isEmpty {
            append(Int32(elements.count), to: &bytes)
            append(Int32(1), to: &bytes)
        }
        for element in elements {
            if let element {
                append(Int32(element.count), to: &bytes)
                bytes.append(contentsOf: element)
            } else {
                append(Int32(-1), to: &bytes)
            }
        }
        return bytes
    }
}
