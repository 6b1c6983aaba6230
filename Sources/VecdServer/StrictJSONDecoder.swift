import Foundation

/// Decodes a request type from a ``StrictJSON`` body and refuses any member the type did not ask for.
///
/// A typo must not widen an answer: `{"filter":{"userId":"u1"}}` would otherwise search every user's documents.
/// Which members an object may have is whatever the type's `init(from:)` asks about (every `CodingKeys` case, for a
/// synthesized one), so the accepted names can never drift from the decoding code. Objects read through `allKeys` —
/// `metadata`, preference values, any `[String: JSONValue]` — take every member.
enum StrictJSONDecoder {
    static func decode<T: Decodable>(_ type: T.Type, from value: StrictJSON) throws -> T {
        let ledger = MemberLedger()
        let decoded = try TreeDecoder(value: value, codingPath: [], ledger: ledger).decode(T.self)
        try ledger.refuseUnaskedMembers()
        return decoded
    }
}

/// A member nobody asked for, with what its object takes.
struct UnknownFieldError: Error {
    /// The member's path, `filter.userId`.
    var field: String
    /// The object it sits in, `filter`; empty for the body itself.
    var objectPath: String
    var accepted: [String]

    var message: String {
        let name = field.split(separator: ".").last.map(String.init) ?? field
        let hint = FieldNameHint.closest(to: name, among: accepted).map { " (did you mean \($0)?)" } ?? ""
        let owner = objectPath.isEmpty ? "the body" : objectPath
        let takes = accepted.isEmpty ? "no fields" : accepted.joined(separator: ", ")
        return "unknown field \(field)\(hint); \(owner) takes \(takes)"
    }
}

/// Which members of each decoded object were asked about.
final class MemberLedger {
    private struct Entry {
        var path: String
        var keys: [String]
        var asked: Set<String> = []
        var isOpen = false
    }

    private var entries: [String: Entry] = [:]
    private var order: [String] = []

    /// Registers an object at `path` (the same object read through two containers shares one entry).
    func register(_ object: StrictJSON.Object, at path: String) {
        guard entries[path] == nil else { return }
        entries[path] = Entry(path: path, keys: object.keys)
        order.append(path)
    }

    func ask(_ key: String, at path: String) { entries[path]?.asked.insert(key) }

    func open(at path: String) { entries[path]?.isOpen = true }

    /// Throws for the first member, in body order, that no decoding code asked about.
    func refuseUnaskedMembers() throws {
        for path in order {
            guard let entry = entries[path], !entry.isOpen else { continue }
            if let unknown = entry.keys.first(where: { !entry.asked.contains($0) }) {
                let field = path.isEmpty ? unknown : "\(path).\(unknown)"
                throw UnknownFieldError(field: field, objectPath: path, accepted: entry.asked.sorted())
            }
        }
    }
}

/// The `Decoder` over one value of the tree.
struct TreeDecoder: Decoder {
    let value: StrictJSON
    /// The path to the parent and this value's key in it, joined only when needed: a vector's numbers never are.
    private let parentPath: [any CodingKey]
    private let key: (any CodingKey)?
    let ledger: MemberLedger

    init(value: StrictJSON, codingPath: [any CodingKey], ledger: MemberLedger) {
        self.init(value: value, parentPath: codingPath, key: nil, ledger: ledger)
    }

    private init(value: StrictJSON, parentPath: [any CodingKey], key: (any CodingKey)?, ledger: MemberLedger) {
        self.value = value
        self.parentPath = parentPath
        self.key = key
        self.ledger = ledger
    }

    var codingPath: [any CodingKey] { key.map { parentPath + [$0] } ?? parentPath }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    var path: String { TreeDecoder.render(codingPath) }

    static func render(_ codingPath: [any CodingKey]) -> String {
        let rendered = codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
        return String(rendered.drop { $0 == "." })
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else { throw mismatch([String: Any].self) }
        ledger.register(object, at: path)
        return KeyedDecodingContainer(
            TreeKeyedContainer<Key>(object: object, decoder: self, codingPath: codingPath, path: path))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let values) = value else { throw mismatch([Any].self) }
        return TreeUnkeyedContainer(values: values, decoder: self, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { TreeSingleValueContainer(decoder: self) }

    /// The decoder of a member or element; `parentPath` is this decoder's `codingPath`, computed once by the caller.
    func child(_ value: StrictJSON, key: any CodingKey, parentPath: [any CodingKey]) -> TreeDecoder {
        TreeDecoder(value: value, parentPath: parentPath, key: key, ledger: ledger)
    }

    func mismatch(_ type: Any.Type) -> DecodingError {
        if case .null = value {
            return .valueNotFound(type, .init(codingPath: codingPath, debugDescription: "null"))
        }
        return .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "another JSON type"))
    }

    /// This value as `T`: JSON scalars directly, everything else through `T(from:)`.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        switch type {
        case is String.Type: return try string() as! T
        case is Bool.Type: return try bool() as! T
        case is Float.Type: return try floatingPoint(Float.self) as! T
        case is Double.Type: return try floatingPoint(Double.self) as! T
        case is Int.Type: return try integer(Int.self) as! T
        case is Int64.Type: return try integer(Int64.self) as! T
        case is Int32.Type: return try integer(Int32.self) as! T
        case is UInt64.Type: return try integer(UInt64.self) as! T
        case is UInt32.Type: return try integer(UInt32.self) as! T
        case is UInt.Type: return try integer(UInt.self) as! T
        case is Int16.Type: return try integer(Int16.self) as! T
        case is Int8.Type: return try integer(Int8.self) as! T
        case is UInt16.Type: return try integer(UInt16.self) as! T
        case is UInt8.Type: return try integer(UInt8.self) as! T
        default: return try T(from: self)
        }
    }

    func string() throws -> String {
        guard case .string(let text) = value else { throw mismatch(String.self) }
        return text
    }

    func bool() throws -> Bool {
        guard case .bool(let flag) = value else { throw mismatch(Bool.self) }
        return flag
    }

    private func numberToken(for type: Any.Type) throws -> String {
        guard case .number(let token) = value else { throw mismatch(type) }
        return token
    }

    /// The nearest value; a number that is not finite or underflows to zero in `F` is out of range.
    func floatingPoint<F: BinaryFloatingPoint & LosslessStringConvertible>(_ type: F.Type) throws -> F {
        var token = try numberToken(for: type)
        // The search fast path's conversion first (Clinger's exact fast path, else `strtof`/`strtod`), so both
        // paths give the same bits; it declines non-finite results, underflow and some zeros.
        let fast: F? = token.withUTF8 { bytes in
            var scanner = JSONByteScanner(UnsafeRawBufferPointer(bytes))
            guard let decimal = scanner.number() else { return nil }
            if F.self == Float.self { return decimal.floatValue.map { F($0) } }
            return decimal.doubleValue.map { F($0) }
        }
        if let fast { return fast }
        guard let result = F(token), result.isFinite, result != 0 || Self.isZeroToken(token) else {
            let width = F.self == Float.self ? "a 32-bit float" : "a 64-bit float"
            throw outOfRange(token, width)
        }
        return result
    }

    /// Whether the token's digits before any exponent are all zeros (`0`, `-0.00`, `0e5`).
    private static func isZeroToken(_ token: String) -> Bool {
        for byte in token.utf8 {
            switch byte {
            case UInt8(ascii: "e"), UInt8(ascii: "E"): return true
            case UInt8(ascii: "0"), UInt8(ascii: "."), UInt8(ascii: "-"): continue
            default: return false
            }
        }
        return true
    }

    /// The integer, also when written with a fraction or exponent that leaves it whole (`5.0`, `1e3`).
    func integer<I: FixedWidthInteger>(_ type: I.Type) throws -> I {
        let token = try numberToken(for: type)
        if let exact = I(token) { return exact }
        let isIntegerToken = !token.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
        if !isIntegerToken, let double = Double(token), double.rounded(.towardZero) == double {
            if let exact = I(exactly: double) { return exact }
        } else if !isIntegerToken {
            throw mismatch(type)
        }
        throw outOfRange(token, "\(I.bitWidth)-bit \(I.isSigned ? "integer" : "unsigned integer")")
    }

    private func outOfRange(_ token: String, _ what: String) -> DecodingError {
        .dataCorrupted(
            .init(
                codingPath: codingPath,
                debugDescription: "the number \(token.prefix(40)) is out of range for \(what)"))
    }
}

private struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }

    init(_ index: Int) { intValue = index }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.intValue = intValue }
}

private struct TreeKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let object: StrictJSON.Object
    let decoder: TreeDecoder
    let codingPath: [any CodingKey]
    /// `codingPath` rendered, the object's name in the ledger.
    let path: String

    /// Reading every key makes the object open: it takes any member.
    var allKeys: [Key] {
        decoder.ledger.open(at: path)
        return object.keys.compactMap { Key(stringValue: $0) }
    }

    func contains(_ key: Key) -> Bool {
        decoder.ledger.ask(key.stringValue, at: path)
        return object.values[key.stringValue] != nil
    }

    private func member(_ key: Key) throws -> TreeDecoder {
        decoder.ledger.ask(key.stringValue, at: path)
        guard let value = object.values[key.stringValue] else {
            throw DecodingError.keyNotFound(
                key, .init(codingPath: codingPath, debugDescription: "no member \(key.stringValue)"))
        }
        return decoder.child(value, key: key, parentPath: codingPath)
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        if case .null = try member(key).value { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try member(key).decode(T.self) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try member(key).floatingPoint(Float.self) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try member(key).floatingPoint(Double.self) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try member(key).integer(Int.self) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try member(key).string() }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try member(key).bool() }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try member(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try member(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }

    func superDecoder(forKey key: Key) throws -> any Decoder { try member(key) }
}

private struct TreeUnkeyedContainer: UnkeyedDecodingContainer {
    let values: [StrictJSON]
    let decoder: TreeDecoder
    let codingPath: [any CodingKey]
    var currentIndex = 0
    var count: Int? { values.count }
    var isAtEnd: Bool { currentIndex >= values.count }

    private mutating func next() throws -> TreeDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                Any.self,
                .init(codingPath: codingPath + [IndexKey(currentIndex)], debugDescription: "the array has ended"))
        }
        defer { currentIndex += 1 }
        return decoder.child(values[currentIndex], key: IndexKey(currentIndex), parentPath: codingPath)
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd, case .null = values[currentIndex] else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(T.self) }

    // Concrete witnesses, so a vector's elements skip the generic path's type tests and casts.
    mutating func decode(_ type: Float.Type) throws -> Float { try next().floatingPoint(Float.self) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next().floatingPoint(Double.self) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next().integer(Int.self) }
    mutating func decode(_ type: String.Type) throws -> String { try next().string() }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try next().bool() }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }

    mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct TreeSingleValueContainer: SingleValueDecodingContainer {
    let decoder: TreeDecoder

    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool {
        if case .null = decoder.value { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decode(T.self) }
    func decode(_ type: Float.Type) throws -> Float { try decoder.floatingPoint(Float.self) }
    func decode(_ type: Double.Type) throws -> Double { try decoder.floatingPoint(Double.self) }
    func decode(_ type: Int.Type) throws -> Int { try decoder.integer(Int.self) }
    func decode(_ type: String.Type) throws -> String { try decoder.string() }
    func decode(_ type: Bool.Type) throws -> Bool { try decoder.bool() }
}
