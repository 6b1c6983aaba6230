import VecdStorage

/// The ``StorageError`` that `body` throws, or nil when it returns normally (a test then fails on the nil).
func caught(_ body: () throws -> Void) -> StorageError? {
    do {
        try body()
        return nil
    } catch let error as StorageError {
        return error
    } catch {
        return StorageError(code: .io, path: "?", detail: "unexpected error type: \(error)")
    }
}
