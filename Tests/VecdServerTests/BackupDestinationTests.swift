import Foundation
import Testing
import Vecd
import VecdServer

/// `POST /v1/admin/backup` refuses a destination it must not or cannot write, with 400 and without echoing it.
@Suite("backup destinations")
struct BackupDestinationTests {
    static func refused(_ destination: String, on server: TestServer) async throws -> TestServer.Reply {
        try await server.request("POST", "/v1/admin/backup", json: ["destination": destination])
    }

    @Test("inside the data directory, holding a NUL, or too long: 400 invalid_argument, nothing written")
    func refusedDestinations() async throws {
        let server = try await TestServer.start()
        let data = server.store.directory.path
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("vecd-backup-probe-\(UUID())")
        defer { try? FileManager.default.removeItem(at: parent) }
        let nul = parent.path + "/nulprobe\u{0}suffix"
        let long = parent.path + "/" + String(repeating: "d/", count: 2_100)
        let cases = [data + "/backup", data, data + "/x/../inside", nul, long, parent.path + "/" + String(repeating: "n", count: 300)]
        for destination in cases {
            let reply = try await Self.refused(destination, on: server)
            #expect(reply.status == 400, "\(destination.prefix(80)): \(reply.text)")
            #expect(reply.errorCode == "invalid_argument")
            #expect(!reply.text.contains(data))
            #expect(!reply.text.contains(parent.path))
        }
        #expect(!FileManager.default.fileExists(atPath: parent.path))
        #expect(!FileManager.default.fileExists(atPath: data + "/backup"))
        #expect(!FileManager.default.fileExists(atPath: data + "/inside"))
        await server.stop()
    }

    @Test("a symlink into the data directory is seen through")
    func symlinkIntoDataDirectory() async throws {
        let server = try await TestServer.start()
        let link = FileManager.default.temporaryDirectory.appendingPathComponent("vecd-backup-link-\(UUID())")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: server.store.directory)
        defer { try? FileManager.default.removeItem(at: link) }
        let reply = try await Self.refused(link.path + "/copy", on: server)
        #expect(reply.status == 400)
        #expect(!FileManager.default.fileExists(atPath: server.store.directory.path + "/copy"))
        await server.stop()
    }

    @Test("a fresh directory outside the data directory still takes a backup")
    func acceptedDestination() async throws {
        let server = try await TestServer.start()
        let destination = FileManager.default.temporaryDirectory.appendingPathComponent("vecd-backup-ok-\(UUID())")
        defer { try? FileManager.default.removeItem(at: destination) }
        let reply = try await Self.refused(destination.path, on: server)
        #expect(reply.status == 201)
        #expect(FileManager.default.fileExists(atPath: destination.appendingPathComponent("vecd.sqlite").path))
        await server.stop()
    }
}
