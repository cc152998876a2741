import Foundation
import GRDB

/// The term top lists (`term_top`) of the SQLite knowledge base: brought up to date after an index run, and used
/// by `search` to rank the first pages of hits for common terms without scoring every row that contains them.
extension SQLiteKnowledgeBase {
    /// How this knowledge base weighs rows for its lists; loaders pass it to `TermDigest`.
    public func termTopParameters() throws -> TermTopParameters? {
        try connections.read { db in try Self.termTopParameters(in: db) }
    }

    static func termTopParameters(in db: Database) throws -> TermTopParameters {
        let tokenizer = try info("tokenizer", in: db) ?? ""
        let indexing: IdeographIndexing = tokenizer.hasSuffix(IdeographIndexing.unigram.rawValue) ? .unigram : .bigram
        let average = try info("term_top_average_length", in: db).flatMap(Double.init) ?? TermTopParameters.defaultAverageLength
        return TermTopParameters(indexing: indexing, averageLength: average)
    }

    /// Adds the rows of the documents written since the last refresh to the term top lists, in one transaction;
    /// `optimize` runs it after every index run. Documents written with a `TermDigest` are merged from memory,
    /// others (written without one, or by a run that was killed) are read back and digested here. An
    /// interrupted refresh leaves the documents pending, and searches rank with FTS5 alone until a later
    /// refresh completes.
    public func refreshTermTopLists() throws {
        try connections.write { db in
            let pending = try Int64.fetchAll(db, sql: "SELECT doc_id FROM term_top_pending ORDER BY doc_id")
            var uncounted = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT token, rows FROM term_top_uncounted")
                .map { (row: Row) -> (String, Int) in (row[0], row[1]) })
            guard !pending.isEmpty || !uncounted.isEmpty else { return }
            guard ((pending.last ?? 0) + 1) << Self.ordinalBits < TermTopEntry.rowLimit else { return }
            let parameters = try Self.termTopParameters(in: db)
            try Self.setInfo("term_top_average_length", String(parameters.averageLength), in: db)
            var accumulator = termTopStaging.take()
            let digested = termTopStaging.digestedDocuments()
            for documentID in pending where !digested.contains(documentID) {
                accumulator.add(try Self.storedDigest(ofDocument: documentID, parameters: parameters, in: db),
                                documentID: documentID, ordinalBits: Self.ordinalBits)
            }
            let liveDocuments = Set(try Int64.fetchAll(db, sql: "SELECT id FROM documents"))
            let isLive = { (row: Int64) in liveDocuments.contains(row >> Self.ordinalBits) }
            let hasStoredLists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM term_top)") ?? false
            // Lists built from nothing count every token's rows exactly; `uncount` keeps them so.
            if !hasStoredLists { try Self.setInfo("term_top_rows_exact", "1", in: db) }
            let read = try db.makeStatement(sql: "SELECT rows, complete, entries FROM term_top WHERE token = ?")
            let write = try db.makeStatement(sql: "INSERT OR REPLACE INTO term_top (token, rows, complete, entries) VALUES (?, ?, ?, ?)")
            let empty = TermTopList(rows: 0, isComplete: true, entries: [])
            for (token, new) in accumulator.finished() {
                var stored = empty
                if hasStoredLists, let row = try Row.fetchOne(read, arguments: [token]) {
                    stored = TermTopList(rows: row[0], isComplete: row[1], entries: TermTopList.entries(fromBlob: row[2]))
                }
                var list = TermTopAccumulator.merge(stored: stored, new: new, capacity: TermTopList.capacity, isLive: isLive)
                list.rows -= uncounted.removeValue(forKey: token) ?? 0
                try write.execute(arguments: [token, list.rows, list.isComplete, list.blob])
            }
            // The rows of deleted documents, for tokens that no new document brought.
            let subtract = try db.makeStatement(sql: "UPDATE term_top SET rows = rows - ? WHERE token = ?")
            for (token, rows) in uncounted { try subtract.execute(arguments: [rows, token]) }
            try db.execute(sql: "DELETE FROM term_top_uncounted")
            let searchableRows = try Int.fetchOne(db, sql: "SELECT count(*) FROM nodes WHERE searchable > 0") ?? 0
            try Self.setInfo("term_top_rows", String(searchableRows), in: db)
            try db.execute(sql: "DELETE FROM term_top_pending")
        }
        termTopStaging.clear()
    }

    /// The digest of a stored document's searchable rows, read back as FTS5 was given them.
    static func storedDigest(ofDocument documentID: Int64, parameters: TermTopParameters, in db: Database) throws -> TermDigest {
        let statement = try db.cachedStatement(sql: """
            SELECT row_id, heading, CASE searchable WHEN 1 THEN lead END,
                   CASE searchable WHEN 1 THEN text ELSE \(NodeRow.titleTextSQL) END
            FROM nodes WHERE row_id BETWEEN ? AND ? AND searchable > 0
            """)
        let first = documentID << ordinalBits, last = ((documentID + 1) << ordinalBits) - 1
        let rows = try Row.fetchAll(statement, arguments: [first, last]).map { row in
            (ordinal: Int((row[0] as Int64) & ((1 << ordinalBits) - 1)), columns: [row[1], row[2], row[3]] as [String?])
        }
        return TermDigest(rows: rows, parameters: parameters)
    }

    /// Takes a document that is about to be deleted out of the lists' row counts, so that each token's count
    /// stays the exact number of rows holding it (the idf that FTS5 computes by counting; see `knownPhraseRows`);
    /// the counts are exact again at the next refresh.
    /// A document still pending was never counted, unless this instance digested it in this run: its count then
    /// joins at the refresh, and the counts are marked inexact until the lists are rebuilt.
    func uncount(documentID: Int64, in db: Database) throws {
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM term_top_pending WHERE doc_id = ?)", arguments: [documentID]) ?? false {
            if termTopStaging.digestedDocuments().contains(documentID) { try Self.setInfo("term_top_rows_exact", "0", in: db) }
            return
        }
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM term_top)") ?? false else { return }
        let digest = try Self.storedDigest(ofDocument: documentID, parameters: try Self.termTopParameters(in: db), in: db)
        // Gathered in a narrow table and taken from the lists at the next refresh: rewriting each token's list
        // row (with its entries) for every deleted document doubled the cost of a deletion.
        var gather = RawStatement(try db.cachedStatement(sql: """
            INSERT INTO term_top_uncounted (token, rows) VALUES (?, ?)
            ON CONFLICT (token) DO UPDATE SET rows = rows + excluded.rows
            """))
        for (index, key) in digest.tokens.enumerated() {
            gather.bind(digest.keys.text(key))
            gather.bind(Int(digest.rows[index]))
            try gather.step()
        }
    }

    /// True when documents were written since the lists were last refreshed (searches then rank with FTS5).
    public func hasPendingTermTopLists() throws -> Bool {
        try connections.read { db in try Self.hasPendingDocuments(in: db) }
    }

    private static func hasPendingDocuments(in db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM term_top_pending)") ?? false
    }

    /// FTS5's average tokens per row, from its "averages" record (row 1 of `node_fts_data`: varints for the row
    /// count, then the token total of each column).
    static func fts5AverageLength(in db: Database) throws -> Double? {
        guard let block = try Data.fetchOne(db, sql: "SELECT block FROM node_fts_data WHERE id = 1") else { return nil }
        var values: [UInt64] = []
        block.withUnsafeBytes { forEachFTS5Varint(in: $0) { values.append($0) } }
        guard values.count >= 2, values[0] > 0 else { return nil }
        return Double(values.dropFirst().reduce(0, +)) / Double(values[0])
    }

    /// Visits the varints of one of FTS5's records in order (SQLite's varint: 7 bits a byte, high bit set while
    /// more follow; a ninth byte gives all 8 bits).
    static func forEachFTS5Varint(in block: UnsafeRawBufferPointer, _ body: (UInt64) -> Void) {
        var offset = 0
        while offset < block.count {
            var value: UInt64 = 0
            var length = 0
            while offset < block.count {
                let byte = block[offset]
                offset += 1
                length += 1
                if length == 9 { value = value << 8 | UInt64(byte); break }
                value = value << 7 | UInt64(byte & 0x7F)
                if byte & 0x80 == 0 { break }
            }
            body(value)
        }
    }

    /// Rows holding each phrase of `query` (in FTS5's phrase order, see `SearchQuery.fts5Phrases`) where the lists
    /// know it exactly: phrases of one token, while the lists are up to date and their counts exact (see
    /// `uncount`). Nil for the others, and empty when no count is known; FTS5 counts those.
    func knownPhraseRows(_ query: SearchQuery, in db: Database) throws -> [Int?] {
        guard try Self.info("term_top_rows_exact", in: db) == "1", try !Self.hasPendingDocuments(in: db),
              try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM term_top_uncounted)") ?? false)
        else { return [] }
        let tokenizer = IndexTokenizer(indexing: try Self.termTopParameters(in: db).indexing)
        let read = try db.cachedStatement(sql: "SELECT rows FROM term_top WHERE token = ?")
        return try query.fts5Phrases.map { text in
            let tokens = tokenizer.tokens(of: text, forQuery: true)
            guard tokens.count == 1 else { return nil }
            // A token without a list is in no row.
            return try Int.fetchOne(read, arguments: [tokens[0].token]) ?? 0
        }
    }

    /// The stored lists in token order, for tests and inspection.
    func storedTermTopLists() throws -> [(token: String, list: TermTopList)] {
        try connections.read { db in
            try Row.fetchAll(db, sql: "SELECT token, rows, complete, entries FROM term_top ORDER BY token").map { row in
                (token: row[0], list: TermTopList(rows: row[1], isComplete: row[2], entries: TermTopList.entries(fromBlob: row[3])))
            }
        }
    }

    /// Whether `search` answers this request from the term top lists (instead of ranking with FTS5).
    public func answersFromTermTopLists(_ request: SearchRequest) throws -> Bool {
        try connections.read { db in try topListPage(request, in: db) != nil }
    }

    /// The page the term top lists give for a request, read and matched as `verification` says (for tests).
    func termTopPage(_ request: SearchRequest, verification: TermTopRanking.Verification) throws -> TermTopRanking.Page? {
        try connections.read { db in try topListPage(request, in: db, verification: verification) }
    }

    /// The ranked page of a search from the term top lists (see `TermTopRanking`), or nil when FTS5 must rank
    /// it: the lists are behind the documents, or they cannot give this page.
    func topListPage(_ request: SearchRequest, in db: Database,
                     verification: TermTopRanking.Verification = .progressive) throws -> TermTopRanking.Page? {
        guard request.offset + request.limit > 0, try !Self.hasPendingDocuments(in: db),
              // Set by the first refresh: without it there are no lists yet.
              let totalRows = try Self.info("term_top_rows", in: db).flatMap(Int.init)
        else { return nil }
        let parameters = try Self.termTopParameters(in: db)
        let ranking = TermTopRanking(parameters: parameters, totalRows: totalRows,
                                     liveAverageLength: try Self.fts5AverageLength(in: db) ?? parameters.averageLength,
                                     minimumRows: termTopMinimumRows, ordinalBits: Self.ordinalBits,
                                     verification: verification)
        return try ranking.page(request, reader: SQLiteTermTopReader(db: db, documents: documentFilter(request),
                                                                     nodes: nodeFilter(request)))
    }
}

/// The term top lists and candidate rows of one SQLite read, for `TermTopRanking`.
private struct SQLiteTermTopReader: TermTopReader {
    let db: Database
    let documents: (condition: String, arguments: StatementArguments)?
    let nodes: (conditions: [String], arguments: StatementArguments)

    func termTopList(_ token: String) throws -> TermTopList? {
        let read = try db.cachedStatement(sql: "SELECT rows, complete, entries FROM term_top WHERE token = ?")
        guard let row = try Row.fetchOne(read, arguments: [token]) else { return nil }
        return TermTopList(rows: row[0], isComplete: row[1], entries: TermTopList.entries(fromBlob: row[2]))
    }

    func documentsAllowed(among wanted: Set<Int64>) throws -> Set<Int64>? {
        guard let documents else { return nil }
        return Set(try Int64.fetchAll(db, sql: """
            SELECT d.id FROM documents d WHERE d.id IN (SELECT value FROM json_each(?)) AND \(documents.condition)
            """, arguments: [Self.json(wanted)] + documents.arguments))
    }

    var hasNodeFilters: Bool { !nodes.conditions.isEmpty }

    func rowsPassingNodeFilters(_ rows: Set<Int64>) throws -> Set<Int64> {
        Set(try Int64.fetchAll(db, sql: """
            SELECT n.row_id FROM nodes n WHERE n.row_id IN (SELECT value FROM json_each(?)) AND n.searchable > 0
            """ + nodes.conditions.map { " AND " + $0 }.joined(), arguments: [Self.json(rows)] + nodes.arguments))
    }

    func candidateColumns(_ rows: Set<Int64>) throws -> [(rowID: Int64, columns: [String?])] {
        // Cached: a page may read its candidates in several batches. Through a cursor, each text made a String
        // once, not copied into a row first.
        let read = try Row.fetchCursor(db.cachedStatement(sql: """
            SELECT n.row_id, n.heading, CASE n.searchable WHEN 1 THEN n.lead END,
                   CASE n.searchable WHEN 1 THEN n.text ELSE \(NodeRow.titleTextSQL) END
            FROM nodes n
            WHERE n.row_id IN (SELECT value FROM json_each(?)) AND n.searchable > 0
            """ + nodes.conditions.map { " AND " + $0 }.joined()), arguments: [Self.json(rows)] + nodes.arguments)
        var candidates: [(rowID: Int64, columns: [String?])] = []
        candidates.reserveCapacity(rows.count)
        while let row = try read.next() {
            candidates.append((rowID: row[0], columns: [row[1], row[2], row[3]]))
        }
        return candidates
    }

    /// From FTS5's own record of each row's size (`node_fts_docsize`: a varint per column).
    func rowLengths(_ rows: Set<Int64>) throws -> [Int64: Int] {
        var lengths = [Int64: Int](minimumCapacity: rows.count)
        let read = try Row.fetchCursor(db.cachedStatement(sql: "SELECT id, sz FROM node_fts_docsize WHERE id IN (SELECT value FROM json_each(?))"),
                                       arguments: [Self.json(rows)])
        while let row = try read.next() {
            var length: UInt64 = 0
            try row.withUnsafeData(atIndex: 1) { data in
                data?.withUnsafeBytes { SQLiteKnowledgeBase.forEachFTS5Varint(in: $0) { length += $0 } }
            }
            lengths[row[0]] = Int(length)
        }
        return lengths
    }

    private static func json(_ values: Set<Int64>) -> String { "[" + values.map(String.init).joined(separator: ",") + "]" }
}
