// The storage layer: segment files, write-ahead log, manifest (see formats/).
