import Foundation
import GRDB
import PlanKit

/// The knowledge base in one SQLite file (WAL mode): readers query while a writer indexes, and every write of a
/// source is one transaction, so a run killed halfway leaves the previous state intact and queryable.
public final class SQLiteKnowledgeBase: KnowledgeBase, @unchecked Sendable {
    /// A pool of connections (one writer, readers beside it), or a single read-only connection for a command
    /// that reads a few times and exits (`KnowledgeBaseAccess.reading`): a pool opens a writer connection and
    /// reads the schema once more for each connection, a third of what `plankb query` spent on its search.
    let connections: any DatabaseWriter
    /// True with a pool: a search that FTS5 must rank is then split over two connections (see `fastestPage`).
    let readsConcurrently: Bool
    public let path: String
    /// For a rebuild (`KnowledgeBaseAccess.rebuilding`): the file this one replaces when the run is finished.
    /// Set once, right after opening.
    var replacesOnFinish: String?
    let termTopStaging = TermTopStaging(ordinalBits: SQLiteKnowledgeBase.ordinalBits)
    let documentSets = DocumentSetCache()

    /// Below this many rows for the rarest token of every term, a query is ranked by FTS5: it is as quick then,
    /// and exact.
    public let termTopMinimumRows: Int

    /// Opens (creating when absent) the knowledge base at `path`. `indexing` only applies to a new file;
    /// `termTopMinimumRows` is for tests on small corpora.
    ///
    /// `readOnly` opens an existing, up-to-date file with read-only connections, as every query, kwic and serve
    /// does: then opening writes nothing (GRDB's read-write pool makes sure of a WAL file with a small write
    /// transaction, and the last connection to close checkpoints it — a query paid for two disk syncs), and
    /// a file that needs a migration or its tokenizer version recorded throws `NeedsWriting`. `pooled` false
    /// (read-only only) opens one connection instead of a pool.
    public init(path: String, creatingWith indexing: IdeographIndexing = .bigram, termTopMinimumRows: Int = 2_000,
                readOnly: Bool = false, pooled: Bool = true) throws {
        precondition(pooled || readOnly, "a knowledge base that writes needs its pool")
        self.termTopMinimumRows = termTopMinimumRows
        var configuration = Configuration()
        configuration.readonly = readOnly
        // The schema names its foreign keys (for people reading it), but SQLite does not enforce them here:
        // `deleteDocuments` removes a document's nodes, records and kinds itself, by row id range, and checking
        // the key on a document's deletion would scan every node (nodes has no index on doc_id; its row ids
        // already group a document's nodes) — a second per deleted document at a gigabyte.
        configuration.foreignKeysEnabled = false
        // Several processes open one file at once (a team's queries, two index runs): wait for a writer
        // instead of failing with "database is locked".
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            db.add(tokenizer: ChineseFTS5Tokenizer.self)
            PageRanker.register(in: db)
            // The WAL gives durability of the last commit up to a power cut, which is enough for an index
            // that can be rebuilt; it makes each per-document commit cheap. A new file gets pages of 16 KB
            // (an existing one keeps its own): paragraphs longer than a 4 KB page no longer spill into overflow
            // pages, the b-trees are shallower, and the writer makes a quarter of the page writes.
            try db.execute(sql: readOnly ? "PRAGMA cache_size = -65536; PRAGMA mmap_size = 2147418112" : "PRAGMA page_size = 16384; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536")
        }
        connections = pooled ? try DatabasePool(path: path, configuration: configuration)
            : try DatabaseQueue(path: path, configuration: configuration)
        readsConcurrently = pooled
        self.path = path
        try refuseStaleTokenizer()
        // A file that is up to date is only read: no write transaction for every query that opens it.
        let migrator = Schema.migrator(indexing: indexing)
        if readOnly {
            let upToDate = try connections.read { db in
                try migrator.hasCompletedMigrations(db) && Self.info("tokenizer_version", in: db) == String(IndexTokenizer.version)
            }
            if !upToDate {
                try connections.close()
                throw NeedsWriting()
            }
            return
        }
        if try !connections.read({ try migrator.hasCompletedMigrations($0) }) {
            try migrator.migrate(connections)
            // A migration's pages go to the WAL, which nothing else may checkpoint for a while (read-only opens
            // never do): every query that followed a migration run by a query read its pages through an 8 MB WAL
            // and spent ~10 M instructions more. A reader still at work keeps it for later (busy is not an error).
            try? checkpoint()
        }
        try recordTokenizerVersion()
    }

    /// A file opened read-only that must be written to first (a migration, its tokenizer version).
    public struct NeedsWriting: Error {}

    /// How ideographs are indexed in this file (`plankb_cjk bigram`).
    public func tokenizerDescription() throws -> String {
        try connections.read { db in try Self.info("tokenizer", in: db) ?? "" }
    }

    /// A value of `kb_info`, the file's key–value facts (tokenizer, last document id, term top list parameters).
    static func info(_ key: String, in db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT value FROM kb_info WHERE key = ?", arguments: [key])
    }

    static func setInfo(_ key: String, _ value: String, in db: Database) throws {
        try db.execute(sql: "INSERT OR REPLACE INTO kb_info (key, value) VALUES (?, ?)", arguments: [key, value])
    }

    /// Merges the full-text index's segments and checkpoints the WAL into the main file: run after a large
    /// index run so that queries read one compact b-tree.
    public func optimize() throws {
        try refreshTermTopLists()
        try connections.write { db in try db.execute(sql: "INSERT INTO node_fts(node_fts) VALUES ('optimize')") }
        try checkpoint()
    }

    /// Copies everything in the WAL into the main file and empties the WAL, so that the main file alone
    /// holds the knowledge base (before it is moved or copied).
    public func checkpoint() throws {
        try connections.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }

    /// Closes the file; the instance must not be used afterwards.
    public func close() throws { try connections.close() }

    public func documentPreparer() throws -> DocumentPreparer {
        let parameters = try termTopParameters()
        return DocumentPreparer { rows in parameters.map { TermDigest(rows: rows, parameters: $0) } }
    }

    /// Brings the term top lists up to date and merges FTS5's segments after a run that wrote (also after one
    /// that wrote nothing while documents of an earlier, interrupted run still wait for their lists); otherwise
    /// only checkpoints the WAL. A rebuild is then closed and moved over the file it replaces.
    public func finishIndexRun(changedDocuments: Bool) throws {
        if try changedDocuments || hasPendingTermTopLists() {
            try optimize()
        } else {
            try checkpoint()
        }
        if let replaced = replacesOnFinish {
            try close()
            try SQLiteFile.replace(replaced, with: path)
        }
    }

    // MARK: Writing

    public func indexedSources() throws -> [String: String] {
        try connections.read { db in
            var result: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT DISTINCT source, content_hash FROM documents") {
                result[row[0]] = row[1]
            }
            return result
        }
    }

    public func replaceDocuments(_ sources: [SourceDocuments]) throws {
        try replaceDocuments(sources, afterEachDocument: { _ in })
    }

    /// `afterEachDocument` runs inside the transaction after each document is written; a throw rolls the
    /// whole transaction back (tests use it to stand for a run killed halfway).
    func replaceDocuments(fromSource source: String, contentHash: String, with documents: [IndexedDocument],
                          afterEachDocument: (Int) throws -> Void) throws {
        try replaceDocuments([SourceDocuments(source: source, contentHash: contentHash, documents: documents)],
                             afterEachDocument: afterEachDocument)
    }

    private func replaceDocuments(_ sources: [SourceDocuments], afterEachDocument: (Int) throws -> Void) throws {
        // Digests join the staging area only once their transaction has committed.
        var digests: [(documentID: Int64, digest: TermDigest)] = []
        try connections.write { db in
            digests = []
            let now = ISO8601DateFormatter().string(from: Date())
            var written = 0
            // Document ids are never reused, so that an entry of a term top list can never name a row of a
            // document that took a deleted one's place.
            let largestID = try Int64.fetchOne(db, sql: "SELECT max(id) FROM documents") ?? 0
            var nextID = max(largestID, try Self.info("last_document_id", in: db).flatMap { Int64($0) } ?? 0) + 1
            for source in sources {
                try deleteDocuments(fromSource: source.source, in: db)
                for entry in source.documents {
                    try insert(entry, id: nextID, source: source.source, contentHash: source.contentHash, indexedAt: now, in: db)
                    if let digest = entry.prepared?.digest { digests.append((nextID, digest)) }
                    nextID += 1
                    try afterEachDocument(written)
                    written += 1
                }
            }
            try Self.setInfo("last_document_id", String(nextID - 1), in: db)
        }
        if !digests.isEmpty { termTopStaging.add(digests) }
    }

    public func removeDocuments(fromSources sources: [String]) throws {
        try connections.write { db in
            for source in sources { try deleteDocuments(fromSource: source, in: db) }
        }
    }

    /// Bits of `nodes.row_id` given to the node's ordinal in its document (row_id = doc_id << 20 | ordinal).
    static let ordinalBits: Int64 = 20

    private func deleteDocuments(fromSource source: String, in db: Database) throws {
        let ids = try Int64.fetchAll(db, sql: "SELECT id FROM documents WHERE source = ?", arguments: [source])
        // Every write of a source comes here first, whether it removes or replaces it.
        try Self.markDocumentsChanged(in: db)
        for id in ids {
            try uncount(documentID: id, in: db)
            let first = id << Self.ordinalBits, last = ((id + 1) << Self.ordinalBits) - 1
            // A contentless FTS5 table forgets a row only when given the values it indexed.
            try db.execute(sql: """
                INSERT INTO node_fts (node_fts, rowid, heading, lead, text)
                SELECT 'delete', row_id, heading, CASE searchable WHEN 1 THEN lead END,
                       CASE searchable WHEN 1 THEN text ELSE \(NodeRow.titleTextSQL) END
                FROM nodes WHERE row_id BETWEEN ? AND ? AND searchable > 0
                """, arguments: [first, last])
            try db.execute(sql: "DELETE FROM records WHERE doc_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM nodes WHERE row_id BETWEEN ? AND ?", arguments: [first, last])
            try db.execute(sql: "DELETE FROM documents WHERE id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM document_kinds WHERE doc_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM term_top_pending WHERE doc_id = ?", arguments: [id])
            try Self.deleteAbbreviations(documentID: id, in: db)
        }
    }

    private func insert(_ entry: IndexedDocument, id documentID: Int64, source: String, contentHash: String,
                        indexedAt: String, in db: Database) throws {
        let metadata = entry.document.metadata
        let metadataJSON = try SortedJSONEncoder().encodeToString(metadata)
        let rows = entry.prepared?.rows ?? NodeRow.rows(of: entry.document)
        try db.cachedStatement(sql: """
            INSERT INTO documents (id, doc_key, source, content_hash, title, date, written_date, issuer, document_number,
                                   subject, node_count, diagnostic_count, metadata_json, indexed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                documentID, entry.key, source, contentHash, metadata.title, metadata.date, metadata.writtenDate, metadata.issuer,
                metadata.documentNumber, metadata.subject, rows.count, entry.document.diagnostics.count,
                metadataJSON, indexedAt,
            ])
        try db.execute(sql: "INSERT INTO term_top_pending (doc_id) VALUES (?)", arguments: [documentID])
        try Self.insertAbbreviations(of: metadata, documentID: documentID, in: db)
        let insertKind = try db.cachedStatement(sql: "INSERT INTO document_kinds (kind, doc_id) VALUES (?, ?)")
        for kind in Set(rows.map(\.kind.rawValue)) { try insertKind.execute(arguments: [kind, documentID]) }
        guard rows.count < 1 << Self.ordinalBits else {
            throw DatabaseError(message: "\(entry.key) has \(rows.count) nodes, more than a document can hold")
        }
        var insertNode = RawStatement(try db.cachedStatement(sql: """
            INSERT INTO nodes (row_id, doc_id, node_id, kind, num, label, heading, text, lead, parent_ordinal,
                               start_line, start_column, end_line, end_column, parent_id, ordinal, searchable,
                               start_page, end_page, text_start, text_end, chapter_ordinal)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """))
        var insertText = RawStatement(try db.cachedStatement(sql: "INSERT INTO node_fts (rowid, heading, lead, text) VALUES (?, ?, ?, ?)"))
        for row in rows {
            let rowID = documentID << Self.ordinalBits | Int64(row.ordinal)
            insertNode.bind(rowID)
            insertNode.bind(documentID)
            insertNode.bind(row.nodeID)
            insertNode.bind(row.kind.rawValue)
            insertNode.bind(row.num)
            insertNode.bind(row.label)
            insertNode.bind(row.heading)
            insertNode.bind(row.storedText)
            insertNode.bind(row.lead)
            // Not the path: reading puts it together from the parents' rows (`SQLiteNodePaths`).
            insertNode.bind(row.parentOrdinal)
            insertNode.bind(row.span.startLine)
            insertNode.bind(row.span.startColumn)
            insertNode.bind(row.span.endLine)
            insertNode.bind(row.span.endColumn)
            insertNode.bind(row.parentID)
            insertNode.bind(row.ordinal)
            insertNode.bind(row.searchable.rawValue)
            insertNode.bind(row.span.startPage)
            insertNode.bind(row.span.endPage)
            insertNode.bind(row.textSlice?.lowerBound)
            insertNode.bind(row.textSlice?.upperBound)
            insertNode.bind(row.chapterOrdinal)
            try insertNode.step()
            if let searchText = row.searchText {
                insertText.bind(rowID)
                insertText.bind(row.heading)
                insertText.bind(row.searchLead)
                insertText.bind(searchText)
                try insertText.step()
            }
        }
        let insertRecord = try db.cachedStatement(sql: """
            INSERT INTO records (doc_id, node_id, type, year, json, text_ordinal, text_start, text_end)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for record in entry.prepared?.recordRows(of: entry.records) ?? RecordRow.rows(of: entry.records, nodes: rows) {
            try insertRecord.execute(arguments: [documentID, record.nodeID, record.type, record.year, record.json,
                                                 record.textOrdinal, record.textSlice?.lowerBound, record.textSlice?.upperBound])
        }
    }

    // MARK: Reading

    /// The FROM and WHERE of a search over the full-text index, with its arguments; every user value is
    /// bound, never pasted. Document filters become a set of document ids (`rowid >> 20`), so that only
    /// node filters (kind, records) need a join with `nodes`.
    private func filteredMatch(_ request: SearchRequest, joiningNodes: Bool = false) -> (sql: String, arguments: StatementArguments) {
        let filters = filterConditions(request, rowID: "node_fts.rowid")
        let conditions = ["node_fts MATCH ?"] + filters.conditions
        let arguments: StatementArguments = [request.query.fts5MatchExpression] + filters.arguments
        let sql = "FROM node_fts " + (joiningNodes || filters.needsNodes ? "JOIN nodes n ON n.row_id = node_fts.rowid " : "")
            + "WHERE " + conditions.joined(separator: " AND ")
        return (sql, arguments)
    }

    /// The request's filters as SQL conditions over a row id expression (`rowID`) and, when `needsNodes`, the
    /// node row `n` of that id.
    func filterConditions(_ request: SearchRequest, rowID: String)
        -> (conditions: [String], arguments: StatementArguments, needsNodes: Bool) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let documents = documentFilter(request) {
            conditions.append("(\(rowID) >> \(Self.ordinalBits)) IN (SELECT d.id FROM documents d WHERE \(documents.condition))")
            arguments += documents.arguments
        }
        let nodes = nodeFilter(request)
        conditions += nodes.conditions
        arguments += nodes.arguments
        return (conditions, arguments, !nodes.conditions.isEmpty)
    }

    /// The document filters (document, issuer, publication dates) as one condition over `documents d`, or nil.
    func documentFilter(_ request: SearchRequest) -> (condition: String, arguments: StatementArguments)? {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let document = request.document {
            conditions.append("(d.doc_key = ? OR d.title LIKE ? ESCAPE '\\' OR d.source LIKE ? ESCAPE '\\')")
            arguments += [document, likePattern(containing: document), likePattern(containing: document)]
        }
        if let issuer = request.issuer {
            // The distinct issuers matched, then their documents through the issuer index (`document_issuers`).
            conditions.append("d.issuer IN (SELECT issuer FROM document_issuers WHERE issuer LIKE ? ESCAPE '\\')")
            arguments += [likePattern(containing: issuer)]
        }
        if let after = request.publishedAfter {
            conditions.append("d.date >= ?")
            arguments += [after.lowerBound]
        }
        if let before = request.publishedBefore {
            conditions.append("d.date <= ?")
            arguments += [before.upperBound]
        }
        return conditions.isEmpty ? nil : (conditions.joined(separator: " AND "), arguments)
    }

    /// The node filters (kinds, record type and years) as conditions over the node row `n`.
    func nodeFilter(_ request: SearchRequest) -> (conditions: [String], arguments: StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if !request.kinds.isEmpty {
            // A node of the kind, or one inside such a node: its id has the kind's alias as a step
            // (art_12__para_2 is inside an article), so --kind article finds the paragraphs (款) of articles.
            var kindConditions: [String] = []
            for kind in request.kinds {
                kindConditions.append("n.kind = ?")
                kindConditions.append("('__' || n.node_id || '_') LIKE ? ESCAPE '\\'")
                arguments += [kind.rawValue, "%\\_\\_" + kind.idAlias + "\\_%"]
            }
            conditions.append("(" + kindConditions.joined(separator: " OR ") + ")")
        }
        if request.recordType != nil || request.recordYears != nil {
            // Records the node owns: its own, its clauses' and its lead's, found through records_by_node. The type
            // and years are checked on those rows (`+` keeps them from the index): SQLite chose records_by_type
            // instead and passed every record of the type and years for each node checked (`plankb query 数据
            // --type target --from 2025` on the 200 MB benchmark corpus: 3,187 records a node, 1.95 s).
            let records = recordFilter(request, prefix: "+")
            let recordConditions = ["r.doc_id = n.doc_id", OwnRecords.condition(record: "r.node_id", node: "n.node_id")] + records.conditions
            conditions.append("EXISTS (SELECT 1 FROM records r WHERE " + recordConditions.joined(separator: " AND ") + ")")
            arguments += records.arguments
        }
        return (conditions, arguments)
    }

    /// The record filters (type, years) as conditions over the record row `r`, each expression behind `prefix`
    /// (`+` keeps it from choosing an index).
    private func recordFilter(_ request: SearchRequest, prefix: String = "") -> (conditions: [String], arguments: StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let type = request.recordType {
            conditions.append("\(prefix)r.type = ?")
            arguments += [type.rawValue]
        }
        if let years = request.recordYears {
            conditions.append("\(prefix)r.year BETWEEN ? AND ?")
            arguments += [years.lowerBound, years.upperBound]
        }
        return (conditions, arguments)
    }

    public func search(_ request: SearchRequest) throws -> [SearchHit] {
        try search(request, ranking: .fastest)
    }

    /// How `search` ranks: `.fastest` answers from the term top lists when they can give the exact page of a
    /// single-token query or a sure page of a phrase or boolean query, and asks FTS5 otherwise; `.fts5` always
    /// asks FTS5 (benchmarks compare the two).
    public enum Ranking: Sendable { case fastest, fts5 }

    public func search(_ request: SearchRequest, ranking: Ranking) throws -> [SearchHit] {
        if ranking == .fastest {
            let page = try fastestPage(request)
            return try connections.read { db in try hits(page, request: request, in: db) }
        }
        return try connections.read { db in
            let (from, arguments) = filteredMatch(request)
            // Rank inside the index first and join only the page of hits: joining every match before sorting
            // costs more than ranking itself when a term is common.
            let page = try Row.fetchAll(db, sql: """
                SELECT node_fts.rowid AS row_id, node_fts.rank AS rank \(from)
                ORDER BY node_fts.rank LIMIT ? OFFSET ?
                """, arguments: arguments + [request.limit, request.offset])
            return try hits(page.map { (rowID: $0["row_id"], rank: $0["rank"]) }, request: request, in: db)
        }
    }

    /// The page of a search from the term top lists when they can give it, and otherwise ranked inside FTS5 by
    /// `PageRanker` (`bm25()`'s scores without the row length lookup for rows that cannot reach the page). For
    /// that, with a pool, the documents are split in two halves by id, ranked at the same time on two
    /// connections, and the two pages merged; a single connection ranks them in one pass.
    private func fastestPage(_ request: SearchRequest) throws -> [(rowID: Int64, rank: Double)] {
        guard request.offset + request.limit > 0 else { return [] }
        guard readsConcurrently else {
            return try connections.read { db in
                if let page = try topListPage(request, in: db) { return page.rows.map { (rowID: $0.rowID, rank: -$0.score) } }
                return try wholePage(request, in: db)
            }
        }
        let plan: (fromLists: [(rowID: Int64, score: Double)]?, allowed: DocumentSet?, documents: ClosedRange<Int64>,
                   phraseRows: [Int?])
        plan = try connections.read { db in
            if let page = try topListPage(request, in: db) { return (page.rows, nil, 0...0, []) }
            // Two subqueries: SQLite answers min() and max() from the primary key only when each stands alone.
            let row = try Row.fetchOne(db, sql: "SELECT (SELECT min(id) FROM documents), (SELECT max(id) FROM documents)")
            let first: Int64 = row?[0] ?? 0, last: Int64 = row?[1] ?? 0
            return (nil, try documents(allowedBy: request, in: db), first...max(first, last),
                    try knownPhraseRows(request.query, in: db))
        }
        if let page = plan.fromLists { return page.map { (rowID: $0.rowID, rank: -$0.score) } }
        let halves: [ClosedRange<Int64>]
        if plan.documents.count > 1 {
            let middle = (plan.documents.lowerBound + plan.documents.upperBound) / 2
            halves = [Int64.min...(((middle + 1) << Self.ordinalBits) - 1), ((middle + 1) << Self.ordinalBits)...Int64.max]
        } else {
            halves = [Int64.min...Int64.max]
        }
        let results = ParallelResults<PageRanker.Page>(count: halves.count)
        DispatchQueue.concurrentPerform(iterations: halves.count) { index in
            results.set(index, Result {
                try connections.read { db in
                    // Both halves must read the same documents: a writer may commit between the two reads. Ids are
                    // never reused, so a replaced or added document shows in the highest id; a removed one can
                    // only be missing from the page, as it would be a moment later.
                    guard try Int64.fetchOne(db, sql: "SELECT max(id) FROM documents") ?? 0 == plan.documents.upperBound
                    else { throw ConcurrentWrite() }
                    return try prunedPage(request, rows: halves[index], allowedDocuments: plan.allowed,
                                          phraseRows: plan.phraseRows, in: db)
                }
            })
        }
        do {
            let merged = PageRanker.Page.merged(try results.values())
            return Array(merged.dropFirst(request.offset).prefix(request.limit))
        } catch is ConcurrentWrite {
            return try connections.read { db in try wholePage(request, in: db) }
        }
    }

    /// The page ranked by `PageRanker` over all rows in one pass (offset applied).
    private func wholePage(_ request: SearchRequest, in db: Database) throws -> [(rowID: Int64, rank: Double)] {
        let page = try prunedPage(request, rows: Int64.min...Int64.max,
                                  allowedDocuments: try documents(allowedBy: request, in: db),
                                  phraseRows: try knownPhraseRows(request.query, in: db), in: db)
        return Array(PageRanker.Page.merged([page]).dropFirst(request.offset))
    }

    private struct ConcurrentWrite: Error {}

    /// The documents the request's filters allow, as a bit set by id; nil when they allow every document. Document
    /// filters decide by themselves; a kind filter allows the documents holding nodes of one of its kinds (a node
    /// inside an article is in a document with an article), a record filter those holding such records, and the
    /// node filter decides among their rows.
    func documents(allowedBy request: SearchRequest, in db: Database) throws -> DocumentSet? {
        var allowed: DocumentSet?
        let version = try Self.info("documents_version", in: db) ?? ""
        if let documents = documentFilter(request) {
            let sql = "SELECT d.id FROM documents d WHERE " + documents.condition
            allowed = try documentSets.set(for: sql, documents.arguments, version: version) {
                try DocumentSet(db.cachedStatement(sql: sql), arguments: documents.arguments)
            }
        }
        if !request.kinds.isEmpty {
            let kinds: StatementArguments = [String(decoding: try JSONEncoder().encode(request.kinds.map(\.rawValue)), as: UTF8.self)]
            // A kind every document holds (paragraph, clause) allows them all: nothing to collect (`kind_documents`).
            let everywhere = try Bool.fetchOne(db.cachedStatement(sql: """
                SELECT EXISTS (SELECT 1 FROM kind_documents k JOIN kind_documents every ON every.kind = '' AND k.documents = every.documents
                               WHERE k.kind IN (SELECT value FROM json_each(?)))
                """), arguments: kinds) ?? false
            if !everywhere {
                let sql = "SELECT doc_id FROM document_kinds WHERE kind IN (SELECT value FROM json_each(?))"
                let holding = try documentSets.set(for: sql, kinds, version: version) {
                    try DocumentSet(db.cachedStatement(sql: sql), arguments: kinds)
                }
                allowed = allowed.map { $0.intersection(holding) } ?? holding
            }
        }
        if request.recordType != nil || request.recordYears != nil {
            // A node owning such a record is in a document holding one: when such records are fewer than the
            // documents, their documents come from records_by_type alone (type, year and document), and the rows
            // of the others are passed over by a bit test instead of a look at their nodes' records (`plankb
            // query 改革 --type milestone` on the 200 MB benchmark corpus: 231 milestones, 527 -> 155 M
            // instructions). More records than documents are left to the node check: collecting the documents of
            // 13,000 targets cost more (19 M) than it saved.
            let (conditions, arguments) = recordFilter(request)
            let records = "FROM records r INDEXED BY records_by_type WHERE " + conditions.joined(separator: " AND ")
            let sql = "SELECT r.doc_id " + records
            let documentCount = try Int.fetchOne(db.cachedStatement(sql: "SELECT documents FROM kind_documents WHERE kind = ''")) ?? 0
            // Counted inside SQLite up to one past the documents: reading the ids of a common type's records
            // through steps, to give up at that number, cost 2 M more than counting them first.
            let counted = try Int.fetchOne(db.cachedStatement(sql: "SELECT count(*) FROM (SELECT 1 \(records) LIMIT ?)"),
                                           arguments: arguments + [documentCount + 1]) ?? 0
            if counted <= documentCount {
                let holding = try documentSets.set(for: sql, arguments, version: version) {
                    try DocumentSet(db.cachedStatement(sql: sql), arguments: arguments)
                }
                allowed = allowed.map { $0.intersection(holding) } ?? holding
            }
        }
        return allowed
    }

    /// Every write that adds or removes documents changes `documents_version`, which keys `documentSets`.
    private static func markDocumentsChanged(in db: Database) throws {
        try setInfo("documents_version", UUID().uuidString, in: db)
    }



    /// The best `offset + limit` rows among `rows` (no offset applied), ranked by `PageRanker`, which also checks
    /// the filters, only for rows that could reach the page.
    private func prunedPage(_ request: SearchRequest, rows: ClosedRange<Int64>, allowedDocuments: DocumentSet?,
                            phraseRows: [Int?], in db: Database) throws -> PageRanker.Page {
        let nodes = nodeFilter(request)
        var nodeCheck: Statement?
        if !nodes.conditions.isEmpty {
            let statement = try db.makeStatement(sql: "SELECT 1 FROM nodes n WHERE n.row_id = ? AND "
                                                 + nodes.conditions.joined(separator: " AND "))
            try statement.setArguments([0] + nodes.arguments)
            nodeCheck = statement
        }
        let needed = request.offset + request.limit
        let ranker = PageRanker(pageSize: needed, allowedDocuments: allowedDocuments, nodeCheck: nodeCheck,
                                knownPhraseRows: phraseRows, ordinalBits: Int(Self.ordinalBits))
        let number = PageRanker.enrol(ranker)
        defer { PageRanker.withdraw(number) }
        let page = try Row.fetchAll(db, sql: """
            SELECT node_fts.rowid AS row_id, plankb_page_rank(node_fts, ?) AS page_rank
            FROM node_fts WHERE node_fts MATCH ? AND node_fts.rowid BETWEEN ? AND ?
            ORDER BY page_rank LIMIT ?
            """, arguments: [number, request.query.fts5MatchExpression, rows.lowerBound, rows.upperBound, needed])
        // Rows that fail a filter come last, valued +inf; they fill the page only when too few rows pass.
        return ranker.page(page.map { (rowID: $0["row_id"], rank: $0["page_rank"]) }.filter { $0.rank.isFinite })
    }

    /// FTS5's own score (as `search` with `.fts5` would give it) of each hit for the request's query; nil for a
    /// hit FTS5 does not match. Benchmarks use it to judge a page ranked another way, ties included.
    public func fts5Scores(_ request: SearchRequest, of hits: [SearchHit]) throws -> [Double?] {
        try connections.read { db in
            var scores: [String: Double] = [:]
            let rows = try Row.fetchAll(db, sql: """
                SELECT d.doc_key || ' ' || n.node_id AS hit, -node_fts.rank AS score
                FROM node_fts JOIN nodes n ON n.row_id = node_fts.rowid JOIN documents d ON d.id = n.doc_id
                WHERE node_fts MATCH ? AND node_fts.rowid IN (
                    SELECT n2.row_id FROM json_each(?) AS wanted
                    JOIN documents d2 ON d2.doc_key = json_extract(wanted.value, '$[0]')
                    JOIN nodes n2 ON n2.row_id BETWEEN d2.id << \(Self.ordinalBits) AND ((d2.id + 1) << \(Self.ordinalBits)) - 1
                                 AND n2.node_id = json_extract(wanted.value, '$[1]'))
                """, arguments: [request.query.fts5MatchExpression, Self.jsonRows(hits.map { [SortedJSONEncoder.literal($0.documentKey), SortedJSONEncoder.literal($0.nodeID)] })])
            for row in rows { scores[row["hit"]] = row["score"] }
            return hits.map { scores[$0.documentKey + " " + $0.nodeID] }
        }
    }

    /// Rows for `json_each` in a statement: `[[a,b],[c,d]]` from JSON values already written (numbers as
    /// they print, strings by `SortedJSONEncoder.literal`).
    private static func jsonRows(_ rows: [[String]]) -> String {
        "[" + rows.map { "[" + $0.joined(separator: ",") + "]" }.joined(separator: ",") + "]"
    }

    /// The hits of a ranked page of row ids, in the page's order.
    private func hits(_ page: [(rowID: Int64, rank: Double)], request: SearchRequest, in db: Database) throws -> [SearchHit] {
        guard !page.isEmpty else { return [] }
        let sql = """
            SELECT d.doc_key, d.title, d.issuer, d.date, d.source, n.doc_id, n.text,
                   n.start_page, n.end_page, json_extract(page.value, '$[1]') AS rank, \(SQLiteNodePaths.Fields.columns)
            FROM json_each(?) AS page JOIN nodes n ON n.row_id = json_extract(page.value, '$[0]') JOIN documents d ON d.id = n.doc_id
            ORDER BY page.key
            """
        let pageJSON = Self.jsonRows(page.map { [String($0.rowID), "\($0.rank)"] })
        let needles = request.query.positiveStrings
        let highlighter = Highlighter()
        // Through a cursor by column number (the order of `sql`'s columns): copied rows looked each column up by name.
        var read: [(hit: SearchHit, documentID: Int64)] = []
        let rows = try Row.fetchCursor(db, sql: sql, arguments: [pageJSON])
        var paths = SQLiteNodePaths(in: db)
        while let row = try rows.next() {
            let key: String = row[0], text: String = row[6], rank: Double = row[9]
            let node = SQLiteNodePaths.Fields(row: row, from: 10)
            read.append((SearchHit(
                documentKey: key, documentTitle: row[1] ?? key, issuer: row[2], date: row[3], source: row[4],
                nodeID: node.nodeID, kind: node.kind, path: try paths.path(of: node), startPage: row[7], endPage: row[8],
                snippet: highlighter.snippet(of: text, needles: needles), score: -rank, records: []), row[5]))
        }
        let records = try Self.records(of: read.map { ($0.documentID, $0.hit.nodeID) }, in: db)
        return read.enumerated().map { index, entry in
            var hit = entry.hit
            hit.records = records[index] ?? []
            return hit
        }
    }

    /// The records each node of a page owns (`OwnRecords.ranges`), by the node's place in the page, in two
    /// statements (a page of 20 hits asked 20 before): the records, then the texts they are slices of, each read
    /// once however many records share it (a paragraph of targets holds a dozen).
    private static func records(of nodes: [(documentID: Int64, nodeID: String)], in db: Database) throws -> [Int: [IndexedRecord]] {
        guard !nodes.isEmpty else { return [:] }
        let wanted = jsonRows(nodes.enumerated().flatMap { hit, node in
            OwnRecords.ranges(of: node.nodeID).map { [String(hit), String(node.documentID), SortedJSONEncoder.literal($0.low), SortedJSONEncoder.literal($0.high)] }
        })
        var read: [(hit: Int, nodeID: String, type: String, year: Int?, stored: Data, base: Int64?, slice: Range<Int>?)] = []
        let rows = try Row.fetchCursor(db, sql: """
            SELECT w.key, r.node_id, r.type, r.year, r.json, r.text_start, r.text_end,
                   (r.doc_id << \(ordinalBits)) | r.text_ordinal
            FROM (SELECT value ->> 0 AS key, value ->> 1 AS doc_id, value ->> 2 AS low, value ->> 3 AS high FROM json_each(?)) AS w
            JOIN records r ON r.doc_id = w.doc_id AND r.node_id >= w.low AND r.node_id <= w.high
            ORDER BY w.key, r.id
            """, arguments: [wanted])
        while let row = try rows.next() {
            let start: Int? = row[5], end: Int? = row[6]
            read.append((hit: row[0], nodeID: row[1], type: row[2], year: row[3], stored: row[4], base: row[7],
                         slice: ParentSlice.range(start: start, end: end)))
        }
        var bases: [Int64: Data] = [:]
        let baseIDs = Set(read.compactMap(\.base))
        if !baseIDs.isEmpty {
            let texts = try Row.fetchCursor(db, sql: "SELECT row_id, text FROM nodes WHERE row_id IN (SELECT value FROM json_each(?))",
                                            arguments: ["[" + baseIDs.map(String.init).joined(separator: ",") + "]"])
            while let row = try texts.next() { bases[row[0]] = row[1] }
        }
        var found: [Int: [IndexedRecord]] = [:]
        for record in read {
            found[record.hit, default: []].append(IndexedRecord(
                nodeID: record.nodeID, type: record.type, year: record.year, stored: record.stored,
                base: record.base.flatMap { bases[$0] }, slice: record.slice))
        }
        return found
    }

    public func count(_ request: SearchRequest, by dimension: CountDimension) throws -> [CountRow] {
        let (from, arguments) = filteredMatch(request, joiningNodes: dimension == .chapter)
        if dimension == .chapter {
            // Hits per stored chapter (`chapter_ordinal`), then the chapters' titles from their own rows.
            let sql = """
                SELECT c.doc_id, c.hits, t.kind, t.label, t.heading
                FROM (SELECT n.doc_id AS doc_id, n.chapter_ordinal AS chapter, count(*) AS hits \(from) GROUP BY 1, 2) AS c
                LEFT JOIN nodes t ON c.chapter IS NOT NULL AND t.row_id = (c.doc_id << \(Self.ordinalBits)) | c.chapter
                """
            return try connections.read { db in
                var hits: [Int64: [String?: Int]] = [:]
                let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
                while let row = try rows.next() {
                    let documentID: Int64 = row[0], kind: String? = row[2]
                    // Two chapters of one title in a document are one group, as their paths read the same.
                    let chapter = kind.map { Node.displayTitle(kind: $0, label: row[3], heading: row[4]) }
                    hits[documentID, default: [:]][chapter, default: 0] += row[1] as Int
                }
                var titles: [Int64: String] = [:]
                let documents = try Row.fetchCursor(db, sql: """
                    SELECT id, coalesce(title, doc_key) FROM documents WHERE id IN (SELECT value FROM json_each(?))
                    """, arguments: ["[" + hits.keys.map(String.init).joined(separator: ",") + "]"])
                while let row = try documents.next() { titles[row[0]] = row[1] }
                return hits.flatMap { documentID, chapters in
                    chapters.map { chapter, count in
                        CountRow(key: (titles[documentID] ?? "") + " › " + (chapter ?? "(front matter)"), hits: count, documents: 1)
                    }
                }.sorted { ($0.hits, $1.key) > ($1.hits, $0.key) }
            }
        }
        // Hits per document straight from the index (rowid >> 20), joined with only those documents, then
        // grouped by the document's fields.
        let sql = """
            SELECT d.doc_key AS doc_key, coalesce(d.title, d.doc_key) AS title, d.date AS date, d.issuer AS issuer,
                   c.hits AS hits
            FROM (SELECT node_fts.rowid >> \(Self.ordinalBits) AS doc_id, count(*) AS hits \(from) GROUP BY 1) AS c
            JOIN documents d ON d.id = c.doc_id
            """
        return try connections.read { db in
            var groups: [String: (hits: Int, documents: Int)] = [:]
            for row in try Row.fetchAll(db, sql: sql, arguments: arguments) {
                let key: String = switch dimension {
                case .doc: "\(row["title"] as String)  [\(row["doc_key"] as String)]"
                case .year: (row["date"] as String?).map { String($0.prefix(4)) } ?? "(no date)"
                case .issuer: (row["issuer"] as String?) ?? "(unknown)"
                case .chapter: ""
                }
                groups[key, default: (0, 0)].hits += row["hits"] as Int
                groups[key, default: (0, 0)].documents += 1
            }
            return groups.map { CountRow(key: $0.key, hits: $0.value.hits, documents: $0.value.documents) }
                .sorted { ($0.hits, $1.key) > ($1.hits, $0.key) }
        }
    }

    public func matchingSources(_ request: SearchRequest) throws -> Set<String> {
        let (from, arguments) = filteredMatch(request)
        return try connections.read { db in
            Set(try String.fetchAll(db, sql: """
                SELECT DISTINCT source FROM documents
                WHERE id IN (SELECT node_fts.rowid >> \(Self.ordinalBits) \(from))
                """, arguments: arguments))
        }
    }

    public func records(inDocument documentKey: String, nodeID: String) throws -> [IndexedRecord] {
        try connections.read { db in
            guard let documentID = try Int64.fetchOne(db, sql: "SELECT id FROM documents WHERE doc_key = ?",
                                                      arguments: [documentKey]) else { return [] }
            return try Self.records(documentID: documentID, nodeID: nodeID, in: db)
        }
    }

    public func records(ofType type: String, inDocument documentKey: String) throws -> [IndexedRecord] {
        try connections.read { db in
            try Self.indexedRecords(Row.fetchCursor(db, sql: """
                SELECT \(Self.recordsWithBase)
                -- by the document (records_by_node), not by the type: `+` keeps records_by_type out of the plan
                WHERE r.doc_id = (SELECT id FROM documents WHERE doc_key = ?) AND +r.type = ?
                ORDER BY r.id
                """, arguments: [documentKey, type]))
        }
    }

    private static func records(documentID: Int64, nodeID: String, in db: Database) throws -> [IndexedRecord] {
        // A cached statement: a document page asks it node by node.
        try indexedRecords(Row.fetchCursor(db.cachedStatement(sql: """
            SELECT \(Self.recordsWithBase)
            WHERE r.doc_id = ?1 AND \(OwnRecords.condition(record: "r.node_id", node: "?2"))
            ORDER BY r.id
            """), arguments: [documentID, nodeID]))
    }

    /// What `indexedRecords` reads of a record `r` and its base node `b`: the columns, then the tables.
    private static let recordsWithBase = """
        r.node_id, r.type, r.year, r.json, r.text_start, r.text_end, b.text AS base FROM records r
        LEFT JOIN nodes b ON b.row_id = (r.doc_id << \(ordinalBits)) | r.text_ordinal
        """

    /// Records read back (`recordsWithBase`'s columns, by number), their JSON and base text as SQLite's bytes.
    private static func indexedRecords(_ rows: RowCursor) throws -> [IndexedRecord] {
        var records: [IndexedRecord] = []
        while let row = try rows.next() {
            let start: Int? = row[4], end: Int? = row[5]
            records.append(IndexedRecord(nodeID: row[0], type: row[1], year: row[2], stored: row[3], base: row[6],
                                         slice: ParentSlice.range(start: start, end: end)))
        }
        return records
    }

    public func nodeText(documentKey: String, nodeID: String) throws -> String? {
        try connections.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT n.text, n.text_start, n.text_end, n.parent_id, d.id AS doc_id FROM documents d JOIN nodes n
                  ON n.row_id BETWEEN d.id << \(Self.ordinalBits) AND ((d.id + 1) << \(Self.ordinalBits)) - 1
                WHERE d.doc_key = ? AND n.node_id = ?
                """, arguments: [documentKey, nodeID]) else { return nil }
            // A lead or clause stored as a slice of its paragraph's text.
            guard let start: Int = row["text_start"], let end: Int = row["text_end"], let parentID: String = row["parent_id"]
            else { return row["text"] }
            let documentID: Int64 = row["doc_id"]
            let parent = try String.fetchOne(db, sql: """
                SELECT text FROM nodes WHERE row_id BETWEEN ? AND ? AND node_id = ?
                """, arguments: [documentID << Self.ordinalBits, ((documentID + 1) << Self.ordinalBits) - 1, parentID])
            return parent.flatMap { ParentSlice.text(of: $0, start..<max(start, end)) } ?? row["text"]
        }
    }

    /// Bytes of UTF-8 text in searchable nodes (what the full-text index covers), for size ratios.
    public func searchableTextBytes() throws -> Int {
        try connections.read { db in
            try Int.fetchOne(db, sql: "SELECT total(length(CAST(text AS BLOB))) FROM nodes WHERE searchable > 0") ?? 0
        }
    }

    public func summary() throws -> KnowledgeBaseSummary {
        try connections.read { db in
            KnowledgeBaseSummary(
                sources: try Int.fetchOne(db, sql: "SELECT count(DISTINCT source) FROM documents") ?? 0,
                documents: try Int.fetchOne(db, sql: "SELECT count(*) FROM documents") ?? 0,
                nodes: try Int.fetchOne(db, sql: "SELECT count(*) FROM nodes") ?? 0,
                searchableNodes: try Int.fetchOne(db, sql: "SELECT count(*) FROM nodes WHERE searchable > 0") ?? 0,
                records: try Int.fetchOne(db, sql: "SELECT count(*) FROM records") ?? 0)
        }
    }

    // MARK: Reading documents whole

    private static let summaryColumns = """
        d.doc_key, d.source, d.title, d.date, d.issuer, d.document_number, d.node_count,
        (SELECT count(*) FROM records r WHERE r.doc_id = d.id) AS record_count
        """

    private static func summary(of row: Row) -> DocumentSummary {
        DocumentSummary(key: row["doc_key"], source: row["source"], title: row["title"], date: row["date"],
                        issuer: row["issuer"], documentNumber: row["document_number"],
                        nodeCount: row["node_count"], recordCount: row["record_count"])
    }

    public func documents() throws -> [DocumentSummary] {
        try connections.read { db in
            try Row.fetchAll(db, sql: """
                SELECT \(Self.summaryColumns) FROM documents d
                ORDER BY d.date IS NULL, d.date, d.title, d.doc_key
                """).map(Self.summary)
        }
    }

    /// The indexed texts straight from the node rows (the tree is not rebuilt): what `SearchableText.texts`
    /// derives, as `NodeRow` stored it (the whole text where searchable is 1, the title where 2).
    public func searchableTexts(inDocument documentKey: String) throws -> [SearchableText] {
        try connections.read { db in
            guard let documentID = try Int64.fetchOne(db, sql: "SELECT id FROM documents WHERE doc_key = ?",
                                                      arguments: [documentKey]) else { return [] }
            var texts: [SearchableText] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT CASE searchable WHEN 1 THEN text ELSE \(NodeRow.titleTextSQL) END AS searched,
                       \(SQLiteNodePaths.Fields.columns)
                FROM nodes n WHERE row_id BETWEEN ? AND ? AND searchable > 0 AND searched <> ''
                ORDER BY row_id
                """, arguments: [documentID << Self.ordinalBits, ((documentID + 1) << Self.ordinalBits) - 1])
            var paths = SQLiteNodePaths(in: db)
            while let row = try rows.next() {
                let node = SQLiteNodePaths.Fields(row: row, from: 1)
                texts.append(SearchableText(nodeID: node.nodeID, kind: NodeKind(rawValue: node.kind) ?? .paragraph,
                                            path: try paths.path(of: node), text: row[0]))
            }
            return texts
        }
    }

    public func document(withKey key: String) throws -> StoredDocument? {
        try connections.read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT d.id, d.metadata_json, \(Self.summaryColumns) FROM documents d WHERE d.doc_key = ?
                """, arguments: [key]) else { return nil }
            let documentID: Int64 = row["id"]
            let summary = Self.summary(of: row)
            let metadataJSON: String = row["metadata_json"]
            let metadata = (try? JSONDecoder().decode(Metadata.self, from: Data(metadataJSON.utf8)))
                ?? Metadata(title: summary.title, date: summary.date, issuer: summary.issuer)
            let first = documentID << Self.ordinalBits, last = ((documentID + 1) << Self.ordinalBits) - 1
            // Read through a cursor by column number: a copied row looks each column up by its lowercased name.
            var nodeRows: [(node: Node, parentID: String?, slice: Range<Int>?)] = []
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT node_id, kind, num, label, heading, text, start_line, start_column, end_line, end_column,
                       parent_id, start_page, end_page, text_start, text_end
                FROM nodes WHERE row_id BETWEEN ? AND ? ORDER BY row_id
                """, arguments: [first, last])
            while let row = try cursor.next() {
                let span = SourceSpan(startLine: row[6], startColumn: row[7], endLine: row[8], endColumn: row[9],
                                      startPage: row[11], endPage: row[12])
                let node = Node(id: row[0], kind: NodeKind(rawValue: row[1]) ?? .paragraph, num: row[2], label: row[3],
                                heading: row[4], text: row[5], span: span)
                let start: Int? = row[13], end: Int? = row[14]
                nodeRows.append((node, row[10], ParentSlice.range(start: start, end: end)))
            }
            let records = try Self.indexedRecords(Row.fetchCursor(db, sql: """
                SELECT \(Self.recordsWithBase)
                WHERE r.doc_id = ? ORDER BY r.id
                """, arguments: [documentID]))
            let root = StoredDocument.tree(title: metadata.title ?? summary.title ?? "", rows: ParentSlice.restore(nodeRows))
            return StoredDocument(summary: summary, metadata: metadata, root: root, records: records)
        }
    }
}

