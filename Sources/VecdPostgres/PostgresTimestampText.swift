import Foundation

/// Parses PostgreSQL's ISO timestamp output (`DateStyle` ISO), which the bridge sets on every session:
/// `2026-11-23 10:02:47.123456+00`, with an optional fraction and an optional `±hh[:mm[:ss]]` offset
/// (a `timestamp` without one is taken as UTC). BC dates are not supported and give nil.
enum PostgresTimestampText {
    static func parse(_ text: String) -> Date? {
        if text == "infinity" { return .distantFuture }
        if text == "-infinity" { return .distantPast }
        var scanner = DigitScanner(Array(text.utf8))
        guard let year = scanner.number(), scanner.skip("-"), let month = scanner.number(digits: 2),
            scanner.skip("-"), let day = scanner.number(digits: 2), scanner.skip(" ") || scanner.skip("T"),
            let hour = scanner.number(digits: 2), scanner.skip(":"), let minute = scanner.number(digits: 2),
            scanner.skip(":"), let second = scanner.number(digits: 2)
        else { return nil }
        var microseconds: Int64 = 0
        if scanner.skip(".") {
            var scale: Int64 = 100_000
            var digitCount = 0
            while let digit = scanner.digit() {
                microseconds += Int64(digit) * scale
                scale /= 10
                digitCount += 1
            }
            guard digitCount > 0, digitCount <= 6 else { return nil }
        }
        var offsetSeconds: Int64 = 0
        if let sign = scanner.sign() {
            guard let offsetHours = scanner.number(digits: 2) else { return nil }
            var offset = offsetHours * 3600
            if scanner.skip(":") {
                guard let offsetMinutes = scanner.number(digits: 2) else { return nil }
                offset += offsetMinutes * 60
                if scanner.skip(":") {
                    guard let offsetSecondsPart = scanner.number(digits: 2) else { return nil }
                    offset += offsetSecondsPart
                }
            }
            offsetSeconds = sign * offset
        }
        guard scanner.atEnd, (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        let days = daysSinceUnixEpoch(year: year, month: month, day: day)
        let unixSeconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        let postgresEpochSeconds = unixSeconds - Int64(PostgresBinary.postgresEpochUnixSeconds)
        return PostgresBinary.date(microseconds: postgresEpochSeconds * 1_000_000 + microseconds)
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (the civil-from-days algorithm run backwards).
    static func daysSinceUnixEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private struct DigitScanner {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { position == bytes.count }

        mutating func skip(_ character: Character) -> Bool {
            guard position < bytes.count, bytes[position] == character.asciiValue else { return false }
            position += 1
            return true
        }

        mutating func digit() -> Int? {
            guard position < bytes.count, bytes[position] >= 48, bytes[position] <= 57 else { return nil }
            position += 1
            return Int(bytes[position - 1] - 48)
        }

        /// Exactly `digits` digits, or (when nil) one or more.
        mutating func number(digits: Int? = nil) -> Int64? {
            var value: Int64 = 0
            var count = 0
            while digits.map({ count < $0 }) ?? true, let digit = digit() {
                value = value * 10 + Int64(digit)
                count += 1
            }
            guard count > 0, digits.map({ count == $0 }) ?? true, count <= 9 else { return nil }
            return value
        }

        mutating func sign() -> Int64? {
            if skip("+") { return 1 }
            if skip("-") { return -1 }
            return nil
        }
    }
}
