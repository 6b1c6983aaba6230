/// A request body parsed as strict RFC 8259 JSON, before any field is decoded from it.
///
/// Foundation's `JSONDecoder` on Linux takes trailing commas in objects and arrays (`{"tags":["a"],}`) and keeps the
/// first of repeated keys, so a malformed or ambiguous body could be read as a different request. Every body the
/// server decodes goes through ``parse(_:)`` instead; the search route's byte scanner accepts a subset of the same
/// grammar (it reads with the same ``JSONByteScanner``) and hands everything else to this parser.
indirect enum StrictJSON {
    case null
    case bool(Bool)
    /// The number token as written, converted only once the field's type is known.
    case number(String)
    case string(String)
    case array([StrictJSON])
    case object(Object)

    /// An object's members, in the order the body gives them.
    struct Object {
        var keys: [String] = []
        var values: [String: StrictJSON] = [:]
    }

    /// Why a body is not JSON, with the byte offset where the problem starts.
    struct SyntaxError: Error {
        var offset: Int
        var reason: String

        var message: String { "the body is not valid JSON: \(reason) at byte \(offset)" }
    }

    /// Deeper nesting than this is refused rather than recursed into.
    static let maxDepth = 256

    /// Parses one JSON value with nothing but whitespace around it.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(SyntaxError) -> StrictJSON {
        var scanner = JSONByteScanner(bytes)
        let value = try parseValue(&scanner, depth: 0)
        guard scanner.peek() == nil else {
            throw SyntaxError(offset: scanner.position, reason: "unexpected text after the JSON value")
        }
        return value
    }

    private static func parseValue(_ scanner: inout JSONByteScanner, depth: Int) throws(SyntaxError) -> StrictJSON {
        guard let next = scanner.peek() else {
            throw SyntaxError(offset: scanner.position, reason: "the body ends where a value should be")
        }
        switch next {
        case UInt8(ascii: "{"):
            return .object(try parseObject(&scanner, depth: depth + 1))
        case UInt8(ascii: "["):
            return .array(try parseArray(&scanner, depth: depth + 1))
        case UInt8(ascii: "\""):
            return .string(try parseString(&scanner))
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            if scanner.consumeLiteral("true") { return .bool(true) }
            if scanner.consumeLiteral("false") { return .bool(false) }
            if scanner.consumeNull() { return .null }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = scanner.position
            if let number = scanner.number() {
                return .number(String(decoding: number.token, as: UTF8.self))
            }
            throw SyntaxError(offset: start, reason: "a malformed number (JSON numbers have no leading zeros, "
                + "a digit on both sides of the point, and no NaN or Infinity)")
        default:
            break
        }
        throw SyntaxError(offset: scanner.position, reason: "unexpected character '\(Self.shown(next))'")
    }

    private static func parseObject(_ scanner: inout JSONByteScanner, depth: Int) throws(SyntaxError) -> Object {
        guard depth <= maxDepth else {
            throw SyntaxError(offset: scanner.position, reason: "nesting deeper than \(maxDepth) levels")
        }
        _ = scanner.consume(UInt8(ascii: "{"))
        var object = Object()
        if scanner.consume(UInt8(ascii: "}")) { return object }
        repeat {
            let keyOffset = scanner.position
            guard scanner.peek() == UInt8(ascii: "\"") else {
                let reason =
                    scanner.peek() == UInt8(ascii: "}")
                    ? "a trailing comma before '}' (JSON allows none)" : "expected a quoted member name"
                throw SyntaxError(offset: keyOffset, reason: reason)
            }
            let key = try parseString(&scanner)
            guard scanner.consume(UInt8(ascii: ":")) else {
                throw SyntaxError(offset: scanner.position, reason: "expected ':' after the member name \"\(key)\"")
            }
            let value = try parseValue(&scanner, depth: depth)
            guard object.values.updateValue(value, forKey: key) == nil else {
                throw SyntaxError(offset: keyOffset, reason: "the member \"\(key)\" appears twice in one object")
            }
            object.keys.append(key)
        } while scanner.consume(UInt8(ascii: ","))
        guard scanner.consume(UInt8(ascii: "}")) else {
            throw SyntaxError(offset: scanner.position, reason: "expected ',' or '}' in an object")
        }
        return object
    }

    private static func parseArray(_ scanner: inout JSONByteScanner, depth: Int) throws(SyntaxError) -> [StrictJSON] {
        guard depth <= maxDepth else {
            throw SyntaxError(offset: scanner.position, reason: "nesting deeper than \(maxDepth) levels")
        }
        _ = scanner.consume(UInt8(ascii: "["))
        var values: [StrictJSON] = []
        if scanner.consume(UInt8(ascii: "]")) { return values }
        repeat {
            if scanner.peek() == UInt8(ascii: "]") {
                throw SyntaxError(offset: scanner.position, reason: "a trailing comma before ']' (JSON allows none)")
            }
            values.append(try parseValue(&scanner, depth: depth))
        } while scanner.consume(UInt8(ascii: ","))
        guard scanner.consume(UInt8(ascii: "]")) else {
            throw SyntaxError(offset: scanner.position, reason: "expected ',' or ']' in an array")
        }
        return values
    }

    private static func parseString(_ scanner: inout JSONByteScanner) throws(SyntaxError) -> String {
        let start = scanner.position
        switch scanner.string() {
        case .success(let text): return text
        case .failure(let failure): throw SyntaxError(offset: failure.offset ?? start, reason: failure.reason)
        }
    }

    private static func shown(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "\\u{\(String(byte, radix: 16))}"
    }
}
