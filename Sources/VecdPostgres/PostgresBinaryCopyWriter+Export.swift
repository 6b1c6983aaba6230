import Vecd

extension PostgresBinaryCopyWriter {
    /// Microseconds between the Unix epoch and PostgreSQL's (2000-01-01 00:00:00 UTC), per millisecond unit.
    private static let postgresEpochUnixMilliseconds: Int64 = 946_684_800_000

    /// Appends one exported row, its values in the table's column order.
    func appendRow(_ values: [ExportValue]) throws {
        try beginRow(fieldCount: values.count)
        for value in values {
            switch value {
            case .null: try appendNull()
            case .text(let text): try appendText(text)
            case .integer(let number): try appendInt64(number)
            case .real(let number): try appendDouble(number)
            case .boolean(let flag): try appendBool(flag)
            case .json(let text): try appendJSONB(text)
            case .timestamp(let milliseconds):
                // timestamptz's binary form is Int64 microseconds since 2000-01-01: computed in integers, so
                // every millisecond arrives exactly (a Date in between would round through a Double).
                try appendInt64((milliseconds - Self.postgresEpochUnixMilliseconds) * 1000)
            case .vector(let vector): try appendVector(vector)
            }
        }
    }
}
