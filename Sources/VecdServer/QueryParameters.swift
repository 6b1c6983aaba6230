import Foundation
import Hummingbird

/// Typed access to a request's query string, answering 400 with the parameter's name when a value is malformed.
struct QueryParameters {
    let values: Parameters

    init(_ request: Request) { values = request.uri.queryParameters }

    /// A present, non-blank string.
    func requiredString(_ name: String) throws -> String {
        guard let value = string(name) else {
            throw APIError.invalidArgument("the query parameter \(name) is required")
        }
        return value
    }

    /// The value, or nil when absent or blank.
    func string(_ name: String) -> String? {
        guard let value = values.get(name), !value.allSatisfy(\.isWhitespace) else { return nil }
        return value
    }

    /// An integer in `range`, `defaultValue` when absent.
    func int(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = string(name) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            throw APIError.invalidArgument(
                "\(name) must be an integer in \(range.lowerBound)...\(range.upperBound), got \(text)")
        }
        return value
    }

    /// `true`/`false` (also `1`/`0`), `defaultValue` when absent.
    func bool(_ name: String, default defaultValue: Bool = false) throws -> Bool {
        guard let text = string(name)?.lowercased() else { return defaultValue }
        switch text {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw APIError.invalidArgument("\(name) must be true or false, got \(text)")
        }
    }

    /// An ISO 8601 timestamp or date (`2026-11-23`, `2026-11-23T10:00:00Z`, with or without fractional seconds).
    func date(_ name: String) throws -> Date? {
        guard let text = string(name) else { return nil }
        guard let date = WireDate.parse(text) else {
            throw APIError.invalidArgument(
                "\(name) must be an ISO 8601 date or timestamp that exists (2026-11-23, 2026-11-23T10:00:00Z), "
                    + "got \(text.prefix(64))")
        }
        return date
    }
}

/// Timestamps on the wire: ISO 8601 in UTC with milliseconds, the precision the store keeps.
enum WireDate {
    static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// `2026-11-23`, `2026-11-23T10:00:00Z`, with fractional seconds and with a `±HH:MM` offset instead of `Z`; nil
    /// for anything else, including dates that do not exist (`2026-02-30`, `T25:61:00`), which Foundation's
    /// ISO 8601 parser rolls over into the next day instead of refusing.
    static func parse(_ text: String) -> Date? {
        var reader = DigitReader(Array(text.utf8))
        guard let year = reader.digits(4), reader.skip("-"), let month = reader.digits(2), reader.skip("-"),
            let day = reader.digits(2), (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        if reader.isAtEnd { return Date(timeIntervalSince1970: Double(days) * 86_400) }
        guard reader.skip("T") || reader.skip("t"), let hour = reader.digits(2), reader.skip(":"),
            let minute = reader.digits(2), reader.skip(":"), let second = reader.digits(2), hour < 24, minute < 60,
            second < 60
        else { return nil }
        var fraction = 0.0
        if reader.skip(".") {
            var scale = 0.1
            var count = 0
            while let digit = reader.digits(1) {
                fraction += Double(digit) * scale
                scale /= 10
                count += 1
            }
            guard count > 0 else { return nil }
        }
        var offsetSeconds = 0
        if reader.skip("Z") || reader.skip("z") {
        } else if let sign = reader.sign(), let offsetHours = reader.digits(2), reader.skip(":"),
            let offsetMinutes = reader.digits(2), offsetHours < 24, offsetMinutes < 60
        {
            offsetSeconds = sign * (offsetHours * 3_600 + offsetMinutes * 60)
        } else {
            return nil
        }
        guard reader.isAtEnd else { return nil }
        let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's `days_from_civil`).
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Reads fixed-width ASCII digits and separators.
    private struct DigitReader {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var isAtEnd: Bool { position == bytes.count }

        mutating func digits(_ count: Int) -> Int? {
            guard position + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[position..<position + count] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            position += count
            return value
        }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard position < bytes.count, bytes[position] == UInt8(ascii: character) else { return false }
            position += 1
            return true
        }

        mutating func sign() -> Int? {
            if skip("+") { return 1 }
            if skip("-") { return -1 }
            return nil
        }
    }
}
