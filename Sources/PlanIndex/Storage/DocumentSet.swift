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
