import Foundation
import NIOCore
import Testing

@testable import VecdServer

/// Well-formed JSON whose numbers do not fit the field's type is refused as out of range, not as invalid JSON.
struct JSONWireRangeTests {
    private struct VectorBody: Decodable { var vector: [Float] }
    private struct LimitBody: Decodable { var limit: Int }

    private func message(decoding text: String, as type: (some Decodable).Type) -> String? {
        do {
            _ = try JSONWire.decode(type, from: ByteBuffer(string: text))
            return nil
        } catch let error as APIError {
            return error.message
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test(arguments: [#"{"vector": [1e75]}"#, #"{"vector": [0.5, -3.5e39]}"#])
    func floatOutOfRangeIsNamedAsSuch(body: String) {
        let text = message(decoding: body, as: VectorBody.self)
        #expect(text?.contains("out of range") == true, "\(text ?? "decoded")")
        #expect(text?.contains("not valid JSON") == false)
    }

    @Test func integerOutOfRangeIsNamedAsSuch() {
        let text = message(decoding: #"{"limit": 98765432109876543210}"#, as: LimitBody.self)
        #expect(text?.contains("not valid JSON") == false, "\(text ?? "decoded")")
    }

    @Test func brokenSyntaxIsStillInvalidJSON() {
        let text = message(decoding: #"{"vector": [1,"#, as: VectorBody.self)
        #expect(text?.hasPrefix("the body is not valid JSON: ") == true, "\(text ?? "decoded")")
    }
}
