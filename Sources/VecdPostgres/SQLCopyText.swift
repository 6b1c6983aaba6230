import Vecd

/// Exported values in PostgreSQL's text COPY format: `\N` for NULL, backslash escapes for backslash, tab,
/// newline and carriage return, `t`/`f`, ISO timestamps in UTC, and pgvector's `[x,y,…]`.
enum SQLCopyText {
    /// Text that holds U+0000, which PostgreSQL `text` and `jsonb` cannot store.
    struct NULError: Error, CustomStringConvertible {
        let byteOffset: Int
        var description: String { "contains NUL (U+0000) at byte \(byteOffset), which PostgreSQL text cannot hold" }
    }

    static func append(_ value: ExportValue, to output: SQLFileOutput) throws {
        switch value {
        case .null: output.append("\\N")
        case .text(let text), .json(let text): try appendEscaped(text, to: output)
        case .integer(let number): output.append(String(number))
        case .real(let number): output.append(number.description)
        case .boolean(let flag): output.append(flag ? "t" : "f")
        case .timestamp(let milliseconds): output.append(timestamp(milliseconds: milliseconds))
        case .vector(let vector):
            // Float's description is the shortest decimal that parses back to the same Float (pgvector uses
            // strtof), so the loaded vector is bit-identical.
            output.append("[" + vector.map(\.description).joined(separator: ",") + "]")
        }
    }

    private static func appendEscaped(_ text: String, to output: SQLFileOutput) throws {
        for (offset, byte) in text.utf8.enumerated() {
            switch byte {
            case 0: throw NULError(byteOffset: offset)
            case UInt8(ascii: "\\"): output.append("\\\\")
            case UInt8(ascii: "\t"): output.append("\\t")
            case UInt8(ascii: "\n"): output.append("\\n")
            case UInt8(ascii: "\r"): output.append("\\r")
            default: output.byte(byte)
            }
        }
    }

    /// `YYYY-MM-DD HH:MM:SS.mmm+00` for Unix milliseconds (proleptic Gregorian, UTC), computed in integers.
    static func timestamp(milliseconds: Int64) -> String {
        let millisecondsPerDay: Int64 = 86_400_000
        var days = milliseconds / millisecondsPerDay
        var rest = milliseconds % millisecondsPerDay
        if rest < 0 {
            rest += millisecondsPerDay
            days -= 1
        }
        let (year, month, day) = civilDate(daysSinceUnixEpoch: days)
        let hour = rest / 3_600_000
        let minute = rest / 60_000 % 60
        let second = rest / 1000 % 60
        let millisecond = rest % 1000
        func pad(_ value: Int64, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let date = year < 1 ? "\(pad(1 - year, 4))-\(pad(month, 2))-\(pad(day, 2))" : "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
        let time = "\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(millisecond, 3))+00"
        return date + " " + time + (year < 1 ? " BC" : "")
    }

    /// The Gregorian (year, month, day) of a day count since 1970-01-01, by 400-year eras of 146,097 days.
    static func civilDate(daysSinceUnixEpoch days: Int64) -> (Int64, Int64, Int64) {
        let shifted = days + 719_468  // days since 0000-03-01, so leap days fall at the end of each year
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153  // 0 = March
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
