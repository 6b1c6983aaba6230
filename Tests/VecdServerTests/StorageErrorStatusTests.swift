import Testing
import HTTPTypes
import Vecd

@testable import VecdServer

/// A write refused for lack of space or for unwritable files answers with its own status, not 500: the client
/// learns that nothing was stored and that retrying later can work.
@Suite("Storage refusals' statuses")
struct StorageErrorStatusTests {
    @Test("insufficient_storage is 507 and storage_read_only 503, each with the store's message")
    func statuses() {
        let full = APIError(VecdError(.insufficientStorage, "the disk holding the store is full"))
        #expect(full.status.code == 507)
        #expect(full.code == "insufficient_storage")
        #expect(full.message == "the disk holding the store is full")
        let readOnly = APIError(VecdError(.storageReadOnly, "the store's files cannot be written"))
        #expect(readOnly.status.code == 503)
        #expect(readOnly.code == "storage_read_only")
        #expect(APIError(VecdError(.storage, "x")).status.code == 500)
    }
}
