/// What an index run must do with each source, decided from content hashes alone (增量索引).
public struct IncrementalPlan: Equatable, Sendable {
    /// Sources whose content is what the knowledge base already holds: skipped without loading.
    public var unchanged: [String]
    /// Sources that are new or whose content changed: loaded and (re)written.
    public var changed: [String]
    /// Sources in the knowledge base that are no longer on disk: removed when pruning.
    public var vanished: [String]

    /// Compares the hashes on disk (`current`) with those indexed. Each list is sorted by path.
    public init(indexed: [String: String], current: [String: String]) {
        unchanged = current.filter { indexed[$0.key] == $0.value }.keys.sorted()
        changed = current.filter { indexed[$0.key] != $0.value }.keys.sorted()
        vanished = indexed.keys.filter { current[$0] == nil }.sorted()
    }
}

/// The content hash that decides whether a source changed: FNV-1a, 64 bits, over the raw bytes, plus the
/// length. Not cryptographic; it only has to notice edits, and it runs at memory speed.
public enum ContentHash {
    public static func of(_ bytes: some Sequence<UInt8>) -> String {
        // Over the bytes in place where they are contiguous (Data, arrays, a string's UTF-8): Data's
        // iterator costs a call a byte.
        bytes.withContiguousStorageIfAvailable(digest) ?? digest(of: Array(bytes))
    }

    private static func digest(of bytes: [UInt8]) -> String { bytes.withUnsafeBufferPointer(digest) }

    private static func digest(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return "fnv1a64:" + String(hash, radix: 16) + ":" + String(bytes.count)
    }
}
