import Foundation
import Vecd
import VecdIndex
import VecdKernels

/// Words for a value the JSON decoder refused inside an otherwise well-shaped body, in the client's terms.
///
/// Foundation explains such a refusal with Swift type names ("Cannot initialize FeedbackRating from invalid String
/// value meh"), which tell a client nothing it sent; this names the field, the accepted values and what came in.
enum DecodingErrorText {
    /// The accepted spellings of each closed set of values a request body can hold, by the Swift name Foundation
    /// reports. Sets that share a name list their union, which never happens today.
    static let closedSets: [String: [String]] = {
        var sets: [String: [String]] = [:]
        func add<T: CaseIterable & RawRepresentable>(_ type: T.Type) where T.RawValue == String {
            sets[String(describing: type), default: []].append(contentsOf: type.allCases.map(\.rawValue))
        }
        add(FeedbackRating.self)
        add(MemoryScope.self)
        add(DocumentType.self)
        add(KnowledgeType.self)
        add(ValidationStatus.self)
        add(RelationshipType.self)
        add(KnowledgeInteraction.self)
        add(MessageRole.self)
        add(DistanceMetric.self)
        add(VectorStorageMode.self)
        add(Role.self)
        add(V1SearchRoutes.Mode.self)
        return sets
    }()

    /// The message for a refused value at `path`, given Foundation's `debugDescription` of the refusal.
    static func corruptedValue(at path: String, _ debugDescription: String) -> String {
        if let (typeName, value) = invalidRawValue(debugDescription) {
            if let accepted = closedSets[typeName] {
                return "\(path) must be one of \(accepted.joined(separator: ", ")); got \(quoted(value))"
            }
            return "\(path) does not accept the value \(quoted(value))"
        }
        if debugDescription.contains("not representable") || debugDescription.contains("out of range") {
            return "\(path) holds a number out of range for it (vectors take 32-bit floats, counts 64-bit integers)"
        }
        return "\(path) holds a value of the wrong form"
    }

    /// The type name and the refused value of "Cannot initialize T from invalid String value v".
    private static func invalidRawValue(_ text: String) -> (typeName: String, value: String)? {
        let prefix = "Cannot initialize "
        guard text.hasPrefix(prefix), let from = text.range(of: " from invalid "),
            let value = text.range(of: " value ", range: from.upperBound..<text.endIndex)
        else { return nil }
        return (String(text[text.index(text.startIndex, offsetBy: prefix.count)..<from.lowerBound]),
            String(text[value.upperBound...]))
    }

    /// `value` in quotes, cut to a length a message can carry.
    private static func quoted(_ value: String) -> String {
        let limit = 64
        return "\"" + (value.count > limit ? String(value.prefix(limit)) + "…" : value) + "\""
    }
}
