import Foundation
import Testing
import VecdStorage
import VecdTestSupport

@Suite("Data directory writer lock")
struct DirectoryLockTests {
    @Test("a second writer in the same process is refused at once, naming this process's pid")
    func sameProcess() throws {
        let dir = TemporaryDirectory()
        let first = try DirectoryLock(directory: dir.path)
        let error = caught { _ = try DirectoryLock(directory: dir.path) }
        #expect(error?.code == .locked)
        #expect(error?.detail.contains("process \(getpid())") == true)
        #expect(error?.isUserError == true)
        #expect(try DirectoryLock.holder(of: dir.path) == getpid())
        first.release()
        #expect(try DirectoryLock.holder(of: dir.path) == nil)
        _ = try DirectoryLock(directory: dir.path)  // free again after release
    }

    @Test("another process cannot take the lock while this one holds it")
    func otherProcessRefused() throws {
        let dir = TemporaryDirectory()
        let lock = try DirectoryLock(directory: dir.path)
        #expect(try runShell("flock -n '\(DirectoryLock.lockPath(in: dir.path))' true") == 1)
        lock.release()
        #expect(try runShell("flock -n '\(DirectoryLock.lockPath(in: dir.path))' true") == 0)
    }

    @Test("a lock held by another process is reported with that process's pid, and freed when it exits")
    func heldByOtherProcess() throws {
        let dir = TemporaryDirectory()
        let path = DirectoryLock.lockPath(in: dir.path)
        let child = Process()
        let input = Pipe()
        child.executableURL = URL(fileURLWithPath: "/bin/sh")
        // The shell writes its pid, then becomes `flock`, which holds the lock until `cat` sees end of input.
        child.arguments = [
            "-c", "echo $$ > '\(path).pid' && exec flock '\(path)' sh -c 'echo $PPID > \"\(path)\"; cat'",
        ]
        child.standardInput = input
        try child.run()
        var error: StorageError?
        // Wait (bounded) until the child holds the lock and has written its pid into the file.
        for _ in 0..<2000 where error == nil || error?.detail.contains("another process") == true {
            usleep(5000)
            error = caught { try DirectoryLock(directory: dir.path).release() }
        }
        #expect(error?.code == .locked)
        #expect(error?.detail.contains("process \(child.processIdentifier)") == true, "\(String(describing: error))")
        try input.fileHandleForWriting.close()
        child.waitUntilExit()
        #expect(child.terminationStatus == 0)
        _ = try DirectoryLock(directory: dir.path)
    }
}

/// Runs `command` with /bin/sh and returns its exit status.
func runShell(_ command: String) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}
