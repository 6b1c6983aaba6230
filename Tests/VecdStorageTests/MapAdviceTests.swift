import Testing
import VecdStorage

@Suite("VECD_MAP_ADVICE: the read-ahead advice for mapped segments")
struct MapAdviceTests {
    @Test("Each advice parses from its name, in any case and with surrounding spaces")
    func parsesNames() {
        #expect(MapAdvice(environmentValue: "random") == .random)
        #expect(MapAdvice(environmentValue: "normal") == .normal)
        #expect(MapAdvice(environmentValue: " Normal\n") == .normal)
        #expect(MapAdvice(environmentValue: "RANDOM") == .random)
    }

    @Test("Anything else names no advice", arguments: ["", "rand", "sequential", "willneed", "0", "random normal"])
    func rejectsOtherValues(value: String) {
        #expect(MapAdvice(environmentValue: value) == nil)
    }

    @Test("Without the variable a segment mapping keeps the kernel's read-ahead")
    func defaultIsNormal() {
        #expect(MapAdvice.defaultAdvice == .normal)
        #expect(MapAdvice.allCases.map(\.rawValue) == ["random", "normal"])
    }
}
