import Foundation
import Testing
import Vecd

@Suite("Preferences and the per-user memory")
struct PreferenceTests {
    @Test("a preference is set, read, replaced, listed by category and deleted")
    func preferences() async throws {
        let store = try VecdStore.temporary()
        try store.setPreference(
            key: "entity_alias.my_office", value: .object(["entity_id": .string("light.office_main")]),
            category: "aliases")
        try store.setPreference(key: "user.wake_time", value: .object(["time": .string("07:00")]))
        let read = try store.preference(key: "entity_alias.my_office")
        #expect(read.value == .object(["entity_id": .string("light.office_main")]))
        #expect(read.category == "aliases")
        try store.setPreference(key: "entity_alias.my_office", value: .string("light.desk"), category: "aliases")
        #expect(try store.preference(key: "entity_alias.my_office").value == .string("light.desk"))
        #expect(try store.preferences(category: "aliases").map(\.key) == ["entity_alias.my_office"])
        #expect(try store.preferences().count == 2)
        try store.deletePreference(key: "user.wake_time")
        #expect(await expectVecdError(.notFound) { try store.preference(key: "user.wake_time") })
    }

    @Test("a user's own value overrides the tenant's; tenants do not see each other's preferences")
    func overridesAndIsolation() async throws {
        let store = try VecdStore.temporary()
        try store.setPreference(key: "language", value: .string("en"))
        try store.setPreference(key: "language", value: .string("pl"), userID: "u1")
        #expect(try store.preference(key: "language", userID: "u1").value == .string("pl"))
        #expect(try store.preference(key: "language", userID: "u2").value == .string("en"))
        #expect(await expectVecdError(.notFound) { try store.preference(key: "language", tenant: "other") })
        #expect(await expectVecdError(.invalidArgument) { try store.setPreference(key: "", value: .null) })
        #expect(await expectVecdError(.invalidArgument) { try store.setPreference(key: "x", value: .number(.nan)) })
    }

    @Test("the per-user memory upserts one row and stays within its bound, dropping the oldest lines")
    func userMemory() async throws {
        var configuration = VecdStore.Configuration()
        configuration.userMemoryByteLimit = 100
        let store = try VecdStore.temporary(configuration: configuration)
        try store.upsertUserMemory(userID: "u1", .replace("likes tea"))
        try store.upsertUserMemory(userID: "u1", .append("works nights"))
        #expect(try store.userMemory(userID: "u1").memory == "likes tea\nworks nights")
        for i in 0..<50 { try store.upsertUserMemory(userID: "u1", .append("fact number \(i)")) }
        let bounded = try store.userMemory(userID: "u1").memory
        #expect(bounded.utf8.count <= 100)
        #expect(bounded.hasSuffix("fact number 49"))
        #expect(!bounded.contains("likes tea"))
        #expect(
            await expectVecdError(.tooLarge) {
                try store.upsertUserMemory(userID: "u1", .replace(String(repeating: "x", count: 101)))
            })
        #expect(try store.userMemory(userID: "u1").memory == bounded)
        #expect(await expectVecdError(.notFound) { try store.userMemory(userID: "u1", tenant: "other") })
        try store.deleteUserMemory(userID: "u1")
        #expect(await expectVecdError(.notFound) { try store.userMemory(userID: "u1") })
    }
}
