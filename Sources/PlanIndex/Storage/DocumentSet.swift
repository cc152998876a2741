import Foundation

/// A set of document ids as bits, for the rankers' per-row check (SQLite's page ranker, PostgreSQL's postings).
struct DocumentSet: Sendable {
    private var words: [UInt64] = []

    init() {}

    init(_ ids: some Sequence<Int>) {
        for id in ids { insert(Int64(id)) }
    }

    mutating func insert(_ id: Int64) {
        guard id >= 0 else { return }
        let word = Int(id >> 6)
        if word >= words.count { words.append(contentsOf: repeatElement(0, count: word + 1 - words.count)) }
        words[word] |= 1 << UInt64(id & 63)
    }

    func intersection(_ other: DocumentSet) -> DocumentSet {
        var result = DocumentSet()
        result.words = zip(words, other.words).map { $0 & $1 }
        return result
    }

    func contains(_ id: Int64) -> Bool {
        let word = Int(id >> 6)
        return id >= 0 && word < words.count && words[word] & (1 << UInt64(id & 63)) != 0
    }
}

/// The documents each document filter allows, kept across searches while the documents stay the same (like a
/// search engine's filter cache): researchers filter by the same issuer or kind query after query, and the
/// filter reads every document. Keyed by the filter's SQL and arguments and by a version that every write of
/// documents changes (SQLite's `documents_version`, PostgreSQL's `kb_counts.version`); a few dozen sets of a few kilobytes each.
final class DocumentSetCache: @unchecked Sendable {
    private let lock = NSLock()
    private var version = ""
    private var sets: [String: DocumentSet] = [:]
    private static let capacity = 64

    /// The set for `key` (a filter's SQL and its values), computed once per `version`.
    func set(for key: String, version: String, compute: () throws -> DocumentSet) throws -> DocumentSet {
        lock.lock()
        if self.version != version {
            self.version = version
            sets = [:]
        }
        let cached = sets[key]
        lock.unlock()
        if let cached { return cached }
        let computed = try compute()
        lock.lock()
        defer { lock.unlock() }
        if self.version == version {
            if sets.count >= Self.capacity { sets = [:] }
            sets[key] = computed
        }
        return computed
    }
}
