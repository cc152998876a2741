import Foundation
import PlanKit
import PostgresNIO

/// The term top lists of the PostgreSQL knowledge base (see `TermTopList`), built and used as the SQLite backend
/// builds and uses them, so that the first pages of hits for common terms come from short lists instead of
/// scoring every row the GIN index returns, and both backends give the same pages.
///
/// Several writers at once: a document joins `term_top_pending` in its own write transaction. Each writer
/// refreshes at the end of its run (`finishIndexRun`) under the exclusive advisory lock `termTopLock`: it merges
/// every pending document that has committed — its own from the digests made on the loading threads, the others'
/// read back and digested — and takes exactly those out of pending. A deletion holds the same lock shared, so
/// that it never interleaves with a refresh, and takes a counted document's rows out of the lists' counts
/// (`term_top_uncounted`), which keeps every token's count the exact number of rows holding it.
extension PostgresKnowledgeBase {
    /// Any number that no other application's advisory locks use (ASCII "plankbtt").
    static let termTopLock = 0x706C_616E_6B62_7474
    /// Rows in the lists are numbered `doc_id << ordinalBits | ordinal`, as SQLite numbers its rows.
    static let ordinalBits: Int64 = 20
    /// Tokens read or written per statement while refreshing.
    private static let refreshChunk = 2_000

    static func termTopParameters(in session: PostgresSession) throws -> TermTopParameters {
        let average = try session.query("SELECT value FROM kb_info WHERE key = 'term_top_average_length'")
            .first?.string(0).flatMap(Double.init) ?? TermTopParameters.defaultAverageLength
        return TermTopParameters(indexing: .bigram, averageLength: average)
    }

    /// Merges every committed pending document into the lists, in one transaction (see the type's comment).
    /// A refresh that fails leaves the documents pending; searches rank without the lists until one succeeds.
    public func refreshTermTopLists() throws {
        try pool.withSession { session in
            try session.transaction {
                try session.query("SELECT pg_advisory_xact_lock($1)", [.integer(Self.termTopLock)])
                let pending = try session.query("SELECT doc_id FROM term_top_pending ORDER BY doc_id").compactMap { try $0.integer(0) }
                var uncounted: [String: Int] = [:]
                for row in try session.query("SELECT token, rows FROM term_top_uncounted") {
                    uncounted[try row.string(0)!] = try row.integer(1)!
                }
                guard !pending.isEmpty || !uncounted.isEmpty else { return }
                guard Int64((pending.last ?? 0) + 1) << Self.ordinalBits < TermTopEntry.rowLimit else { return }
                let parameters = try Self.termTopParameters(in: session)
                try Self.setInfo("term_top_average_length", String(parameters.averageLength), in: session)

                // This instance's digests serve only while every one of their documents is still pending: another
                // writer may have merged or deleted one since, and a merged digest cannot be taken out again.
                var accumulator = termTopStaging.take()
                var digested = termTopStaging.digestedDocuments()
                let pendingSet = Set(pending.map(Int64.init))
                if !digested.isSubset(of: pendingSet) {
                    accumulator = TermTopAccumulator(capacity: TermTopList.capacity)
                    digested = []
                }
                for documentID in pendingSet.subtracting(digested).sorted() {
                    accumulator.add(try Self.storedDigest(ofDocument: documentID, parameters: parameters, in: session),
                                    documentID: documentID, ordinalBits: Self.ordinalBits)
                }
                let liveDocuments = Set(try session.query("SELECT id FROM documents").compactMap { try $0.integer(0) }.map(Int64.init))
                let isLive = { (row: Int64) in liveDocuments.contains(row >> Self.ordinalBits) }
                let hasStoredLists = try session.query("SELECT EXISTS (SELECT 1 FROM term_top)").first?.boolean(0) ?? false
                // Lists built from nothing count every token's rows exactly; deletions keep them so.
                if !hasStoredLists { try Self.setInfo("term_top_rows_exact", "1", in: session) }

                let finished = accumulator.finished()
                for start in stride(from: 0, to: finished.count, by: Self.refreshChunk) {
                    let chunk = finished[start..<min(start + Self.refreshChunk, finished.count)]
                    var stored: [String: TermTopList] = [:]
                    if hasStoredLists {
                        for row in try session.query("SELECT token, rows, complete, entries FROM term_top WHERE token = ANY($1::text[])",
                                                     [.texts(chunk.map(\.token))]) {
                            stored[try row.string(0)!] = TermTopList(rows: try row.integer(1)!, isComplete: try row.boolean(2)!,
                                                                     entries: TermTopList.entries(fromBlob: try row.data(3)!))
                        }
                    }
                    var tokens: [String] = [], rows: [Int] = [], complete: [Bool] = [], entries: [String] = []
                    for (token, new) in chunk {
                        var list = TermTopAccumulator.merge(stored: stored[token] ?? TermTopList(rows: 0, isComplete: true, entries: []),
                                                            new: new, capacity: TermTopList.capacity, isLive: isLive)
                        list.rows -= uncounted.removeValue(forKey: token) ?? 0
                        tokens.append(token)
                        rows.append(list.rows)
                        complete.append(list.isComplete)
                        entries.append(list.blob.hexadecimal)
                    }
                    try session.query("""
                        INSERT INTO term_top (token, rows, complete, entries)
                        SELECT t, r, c, decode(e, 'hex') FROM unnest($1::text[], $2::bigint[], $3::boolean[], $4::text[]) AS u(t, r, c, e)
                        ON CONFLICT (token) DO UPDATE SET rows = excluded.rows, complete = excluded.complete, entries = excluded.entries
                        """, [.texts(tokens), .integers(rows), .booleans(complete), .texts(entries)])
                }
                // The rows of deleted documents, for tokens that no new document brought.
                if !uncounted.isEmpty {
                    let tokens = uncounted.keys.sorted()
                    try session.query("""
                        UPDATE term_top SET rows = term_top.rows - u.r FROM unnest($1::text[], $2::bigint[]) AS u(t, r)
                        WHERE term_top.token = u.t
                        """, [.texts(tokens), .integers(tokens.map { uncounted[$0]! })])
                }
                try session.query("DELETE FROM term_top_uncounted")
                let searchableRows = try session.query("SELECT searchable_rows FROM kb_counts WHERE id = 1").first?.integer(0) ?? 0
                try Self.setInfo("term_top_rows", String(searchableRows), in: session)
                try session.query("DELETE FROM term_top_pending WHERE doc_id = ANY($1::bigint[])", [.integers(pending)])
            }
        }
        termTopStaging.clear()
    }

    /// The digest of a stored document's searchable rows, read back as its search vectors were made.
    static func storedDigest(ofDocument documentID: Int64, parameters: TermTopParameters, in session: PostgresSession) throws -> TermDigest {
        let rows = try session.query("""
            SELECT ordinal, heading, CASE searchable WHEN 1 THEN lead END,
                   CASE searchable WHEN 1 THEN text ELSE \(NodeRow.titleTextSQL) END
            FROM nodes WHERE doc_id = $1 AND searchable > 0 ORDER BY ordinal
            """, [.integer(Int(documentID))]).map { row in
            (ordinal: try row.integer(0)!, columns: [try row.string(1), try row.string(2), try row.string(3)])
        }
        return TermDigest(rows: rows, parameters: parameters)
    }

    /// Before a source's documents are deleted: holds the lists' lock shared until the transaction ends, and adds
    /// the rows of its counted documents (those not pending) to `uncounted`, by token. The caller writes them
    /// with `writeUncounted` once, at the end of its transaction, so that two writers lock their rows of
    /// `term_top_uncounted` in one order and never deadlock.
    func uncount(source: String, into uncounted: inout [String: Int], in session: PostgresSession) throws {
        try session.query("SELECT pg_advisory_xact_lock_shared($1)", [.integer(Self.termTopLock)])
        let counted = try session.query("""
            SELECT d.id FROM documents d
            WHERE d.source = $1 AND EXISTS (SELECT 1 FROM term_top)
              AND NOT EXISTS (SELECT 1 FROM term_top_pending p WHERE p.doc_id = d.id)
            """, [.text(source)]).compactMap { try $0.integer(0) }
        guard !counted.isEmpty else { return }
        let parameters = try Self.termTopParameters(in: session)
        for documentID in counted {
            let digest = try Self.storedDigest(ofDocument: Int64(documentID), parameters: parameters, in: session)
            for (index, key) in digest.tokens.enumerated() {
                uncounted[digest.keys.text(key), default: 0] += Int(digest.rows[index])
            }
        }
    }

    func writeUncounted(_ uncounted: [String: Int], in session: PostgresSession) throws {
        guard !uncounted.isEmpty else { return }
        let tokens = uncounted.keys.sorted()
        try session.query("""
            INSERT INTO term_top_uncounted (token, rows) SELECT t, r FROM unnest($1::text[], $2::bigint[]) AS u(t, r) ORDER BY t
            ON CONFLICT (token) DO UPDATE SET rows = term_top_uncounted.rows + excluded.rows
            """, [.texts(tokens), .integers(tokens.map { uncounted[$0]! })])
    }

    static func setInfo(_ key: String, _ value: String, in session: PostgresSession) throws {
        try session.query("""
            INSERT INTO kb_info (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, [.text(key), .text(value)])
    }

    /// True when documents were written since the lists were last refreshed (searches then rank without them).
    public func hasPendingTermTopLists() throws -> Bool {
        try read { session in try session.query("SELECT EXISTS (SELECT 1 FROM term_top_pending)").first?.boolean(0) ?? false }
    }

    /// Whether `search` answers this request from the term top lists.
    public func answersFromTermTopLists(_ request: SearchRequest) throws -> Bool {
        try read { session in try topListPage(request, in: session) != nil }
    }

    /// The stored lists in token order, for tests and inspection.
    func storedTermTopLists() throws -> [(token: String, list: TermTopList)] {
        try read { session in
            try session.query("SELECT token, rows, complete, entries FROM term_top ORDER BY token").map { row in
                (token: try row.string(0)!, list: TermTopList(rows: try row.integer(1)!, isComplete: try row.boolean(2)!,
                                                               entries: TermTopList.entries(fromBlob: try row.data(3)!)))
            }
        }
    }

    /// The ranked page of a search from the term top lists (see `TermTopRanking`), or nil when the full ranking
    /// must give it: the lists are behind the documents, or they cannot give this page.
    func topListPage(_ request: SearchRequest, in session: PostgresSession) throws -> [PostgresSearch.Match]? {
        guard request.offset + request.limit > 0, request.offset + request.limit <= TermTopList.capacity,
              let state = try session.query("""
                  SELECT EXISTS (SELECT 1 FROM kb_info WHERE key = 'term_top_rows'), EXISTS (SELECT 1 FROM term_top_pending),
                         searchable_rows, tokens
                  FROM kb_counts WHERE id = 1
                  """).first,
              try state.boolean(0) == true, try state.boolean(1) == false
        else { return nil }
        let rows = try state.integer(2) ?? 0, tokens = try state.integer(3) ?? 0
        let parameters = try Self.termTopParameters(in: session)
        let ranking = TermTopRanking(parameters: parameters, totalRows: rows,
                                     liveAverageLength: Double(tokens) / Double(max(rows, 1)),
                                     minimumRows: termTopMinimumRows, ordinalBits: Self.ordinalBits)
        let mask = (Int64(1) << Self.ordinalBits) - 1
        return try ranking.page(request, reader: PostgresTermTopReader(session: session, request: request))?.rows.map {
            PostgresSearch.Match(documentID: Int($0.rowID >> Self.ordinalBits), ordinal: Int($0.rowID & mask),
                                 score: $0.score, chapter: nil)
        }
    }

    /// Rows holding a one-token leaf, from the lists when they know it exactly (up to date, counts exact); nil
    /// otherwise.
    static func knownRows(ofToken token: String, in session: PostgresSession) throws -> Int? {
        guard let state = try session.query("""
            SELECT EXISTS (SELECT 1 FROM kb_info WHERE key = 'term_top_rows_exact' AND value = '1'),
                   EXISTS (SELECT 1 FROM term_top_pending) OR EXISTS (SELECT 1 FROM term_top_uncounted),
                   (SELECT rows FROM term_top WHERE token = $1)
            """, [.text(token)]).first,
              try state.boolean(0) == true, try state.boolean(1) == false
        else { return nil }
        // A token without a list is in no row.
        return try state.integer(2) ?? 0
    }
}

/// The term top lists and candidate rows of one PostgreSQL read, for `TermTopRanking`.
private struct PostgresTermTopReader: TermTopReader {
    let session: PostgresSession
    let request: SearchRequest

    func termTopList(_ token: String) throws -> TermTopList? {
        guard let row = try session.query("SELECT rows, complete, entries FROM term_top WHERE token = $1", [.text(token)]).first
        else { return nil }
        return TermTopList(rows: try row.integer(0)!, isComplete: try row.boolean(1)!, entries: TermTopList.entries(fromBlob: try row.data(2)!))
    }

    func documentsAllowed(among documents: Set<Int64>) throws -> Set<Int64>? {
        var parameters: [SQLValue] = [.integers(documents.map { Int($0) })]
        let filters = PostgresFilters(request: request, parameters: &parameters, parts: .documents)
        guard let condition = filters.documentCondition else { return nil }
        return Set(try session.query("SELECT d.id FROM documents d WHERE d.id = ANY($1::bigint[]) AND " + condition, parameters)
            .compactMap { try $0.integer(0) }.map(Int64.init))
    }

    var hasNodeFilters: Bool {
        var parameters: [SQLValue] = []
        return !PostgresFilters(request: request, parameters: &parameters, parts: .nodes).conditions.isEmpty
    }

    func rowsPassingNodeFilters(_ rows: Set<Int64>) throws -> Set<Int64> {
        let (sql, parameters) = candidates(rows, columns: "n.doc_id, n.ordinal")
        return Set(try session.query(sql, parameters).map(Self.rowID))
    }

    func candidateColumns(_ rows: Set<Int64>) throws -> [(rowID: Int64, columns: [String?])] {
        let (sql, parameters) = candidates(rows, columns: """
            n.doc_id, n.ordinal, n.heading, CASE n.searchable WHEN 1 THEN n.lead END,
            CASE n.searchable WHEN 1 THEN n.text ELSE \(NodeRow.titleTextSQL) END
            """)
        return try session.query(sql, parameters).map { row in
            (rowID: try Self.rowID(row), columns: [try row.string(2), try row.string(3), try row.string(4)])
        }
    }

    /// From the rows' `token_count` (the rows asked for are candidates already: searchable, passing the filters).
    func rowLengths(_ rows: Set<Int64>) throws -> [Int64: Int] {
        let (sql, parameters) = candidates(rows, columns: "n.doc_id, n.ordinal, n.token_count")
        var lengths: [Int64: Int] = [:]
        for row in try session.query(sql, parameters) { lengths[try Self.rowID(row)] = try row.integer(2) }
        return lengths
    }

    /// The row id of a result whose first two columns are `doc_id` and `ordinal`.
    private static func rowID(_ row: PostgresRandomAccessRow) throws -> Int64 {
        Int64(try row.integer(0)!) << PostgresKnowledgeBase.ordinalBits | Int64(try row.integer(1)!)
    }

    /// The searchable rows among `rows` that pass the node filters.
    private func candidates(_ rows: Set<Int64>, columns: String) -> (String, [SQLValue]) {
        let mask = (Int64(1) << PostgresKnowledgeBase.ordinalBits) - 1
        var parameters: [SQLValue] = [.integers(rows.map { Int($0 >> PostgresKnowledgeBase.ordinalBits) }),
                                      .integers(rows.map { Int($0 & mask) })]
        let filters = PostgresFilters(request: request, parameters: &parameters, parts: .nodes)
        let sql = """
            SELECT \(columns) FROM nodes n
            JOIN unnest($1::bigint[], $2::integer[]) AS c(doc_id, ordinal) ON n.doc_id = c.doc_id AND n.ordinal = c.ordinal
            WHERE n.searchable > 0
            """ + filters.conditions.map { " AND " + $0 }.joined()
        return (sql, parameters)
    }
}

extension Data {
    /// Lower-case hexadecimal digits, as PostgreSQL's `decode(…, 'hex')` reads them.
    var hexadecimal: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes = [UInt8]()
        bytes.reserveCapacity(count * 2)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
