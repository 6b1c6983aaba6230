import Foundation

/// Writes metrics in the Prometheus text exposition format (version 0.0.4): `# HELP` and `# TYPE` once per
/// family, then one `name{labels} value` line per series.
struct MetricsExposition {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private(set) var text = ""
    private var declared = Set<String>()

    /// Declares a family once; later samples of the same name reuse the declaration.
    mutating func family(_ name: String, type: String, help: String) {
        guard declared.insert(name).inserted else { return }
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    /// One series without labels.
    mutating func sample(_ name: String, _ value: Double) { sample(name, [], value) }

    /// One series: `name{labels} value`, labels in the order given.
    mutating func sample(_ name: String, _ labels: [(key: String, value: String)], _ value: Double) {
        text += name
        if !labels.isEmpty {
            text += "{" + labels.map { "\($0.key)=\"\(Self.escape($0.value))\"" }.joined(separator: ",") + "}"
        }
        text += " \(Self.format(value))\n"
    }

    /// One-shot family with a single sample.
    mutating func gauge(_ name: String, help: String, _ value: Double) {
        family(name, type: "gauge", help: help)
        sample(name, value)
    }

    /// Label values escape backslash, double quote and newline, as the format requires.
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Integers without a fraction; others in Swift's shortest round-trip form; infinities as `+Inf`/`-Inf`.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
