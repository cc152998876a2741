import GRDB

/// A knowledge base whose full-text index was cut by another version of the tokenizer: its tokens are not the
/// ones queries look up now (before version 2, 附　　则 and 經濟 were not folded; before 3, 㑮 was not), so it
/// must be rebuilt. Both backends refuse such a knowledge base.
public struct StaleTokenizerError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var found: Int
    public var expected: Int

    public var description: String {
        "\(path) was indexed with tokenizer version \(found), and this plankb searches with version \(expected) "
            + "(spacing inside Han runs and traditional characters are folded since version 2, 795 more rare traditional "
            + "characters since version 3); rebuild it: "
            + "plankb index PATH… --db \(path) --rebuild"
    }
}

extension SQLiteKnowledgeBase {
    /// The tokenizer version this build indexes and queries with.
    public static var tokenizerVersion: Int { IndexTokenizer.version }

    /// Refuses a file indexed with another tokenizer version, before any migration touches it. Files from
    /// before the key existed count as version 1; a file without documents can take any version.
    func refuseStaleTokenizer() throws {
        let stale: Int? = try connections.read { db in
            // One look at sqlite_master: GRDB's tableExists would load and cache the whole schema, a cost every
            // query command paid at open.
            let tables = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('kb_info', 'documents')
                """)
            guard tables == 2 else { return nil }
            let stored = try Self.info("tokenizer_version", in: db).flatMap { Int($0) } ?? 1
            guard stored != IndexTokenizer.version else { return nil }
            let empty = try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM documents LIMIT 1)") == 0
            return empty ? nil : stored
        }
        if let stale { throw StaleTokenizerError(path: path, found: stale, expected: IndexTokenizer.version) }
    }

    /// Records the tokenizer version (`kb_info.tokenizer_version`) in a file that does not hold it yet.
    func recordTokenizerVersion() throws {
        // Read first: a query opening the file while an index run writes must not wait for the writer.
        if try connections.read({ db in try Self.info("tokenizer_version", in: db) }) == String(IndexTokenizer.version) { return }
        try connections.write { db in try Self.setInfo("tokenizer_version", String(IndexTokenizer.version), in: db) }
    }
}
