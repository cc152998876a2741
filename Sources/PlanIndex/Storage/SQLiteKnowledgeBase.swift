import Foundation
import GRDB
import PlanKit

/// The knowledge base in one SQLite file (WAL mode): readers query while a writer indexes, and every write of a
/// source is one transaction, so a run killed halfway leaves the previous state intact and queryable.
public final class SQLiteKnowledgeBase: KnowledgeBase {
    /// Relative weights of the full-text columns for BM25: headings count most, then lead sentences, then text.
    static let columnWeights = (heading: 8.0, lead: 3.0, text: 1.0)

    private let pool: DatabasePool
    public let path: String

    /// Opens (creating when absent) the knowledge base at `path`. `indexing` only applies to a new file.
    public init(path: String, creatingWith indexing: IdeographIndexing = .bigram) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            db.add(tokenizer: ChineseFTS5Tokenizer.self)
            // The WAL gives durability of the last commit up to a power cut, which is enough for an index
            // that can be rebuilt; it makes each per-document commit cheap.
            try db.execute(sql: "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        self.path = path
        try Schema.migrator(indexing: indexing).migrate(pool)
    }

    /// How ideographs are indexed in this file (`plankb_cjk bigram`).
    public func tokenizerDescription() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM kb_info WHERE key = 'tokenizer'") ?? "" }
    }

    /// Merges the full-text index's segments and checkpoints the WAL into the main file: run after a large
    /// index run so that queries read one compact b-tree.
    public func optimize() throws {
        try pool.write { db in try db.execute(sql: "INSERT INTO node_fts(node_fts) VALUES ('optimize')") }
        try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }

    /// Closes the file; the instance must not be used afterwards.
    public func close() throws { try pool.close() }

    // MARK: Writing

    public func indexedSources() throws -> [String: String] {
        try pool.read { db in
            var result: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT DISTINCT source, content_hash FROM documents") {
                result[row[0]] = row[1]
            }
            return result
        }
    }

    public func replaceDocuments(fromSource source: String, contentHash: String, with documents: [IndexedDocument]) throws {
        try replaceDocuments(fromSource: source, contentHash: contentHash, with: documents, afterEachDocument: { _ in })
    }

    /// `afterEachDocument` runs inside the transaction after each document is written; a throw rolls the
    /// whole source back (tests use it to stand for a run killed halfway).
    func replaceDocuments(fromSource source: String, contentHash: String, with documents: [IndexedDocument],
                          afterEachDocument: (Int) throws -> Void) throws {
        try pool.write { db in
            try deleteDocuments(fromSource: source, in: db)
            let now = ISO8601DateFormatter().string(from: Date())
            for (index, entry) in documents.enumerated() {
                try insert(entry, source: source, contentHash: contentHash, indexedAt: now, in: db)
                try afterEachDocument(index)
            }
        }
    }

    public func removeDocuments(fromSource source: String) throws {
        try pool.write { db in try deleteDocuments(fromSource: source, in: db) }
    }

    private func deleteDocuments(fromSource source: String, in db: Database) throws {
        let ids = try Int64.fetchAll(db, sql: "SELECT id FROM documents WHERE source = ?", arguments: [source])
        for id in ids {
            // An external-content FTS5 table forgets a row only when told its old values.
            try db.execute(sql: """
                INSERT INTO node_fts (node_fts, rowid, heading, lead, text)
                SELECT 'delete', row_id, heading, lead, text FROM nodes WHERE doc_id = ? AND searchable = 1
                """, arguments: [id])
            try db.execute(sql: "DELETE FROM records WHERE doc_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM nodes WHERE doc_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM documents WHERE id = ?", arguments: [id])
        }
    }

    private func insert(_ entry: IndexedDocument, source: String, contentHash: String, indexedAt: String,
                        in db: Database) throws {
        let metadata = entry.document.metadata
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let metadataJSON = String(decoding: try encoder.encode(metadata), as: UTF8.self)
        let rows = NodeRow.rows(of: entry.document)
        try db.cachedStatement(sql: """
            INSERT INTO documents (doc_key, source, content_hash, title, date, written_date, issuer, document_number,
                                   subject, node_count, diagnostic_count, metadata_json, indexed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                entry.key, source, contentHash, metadata.title, metadata.date, metadata.writtenDate, metadata.issuer,
                metadata.documentNumber, metadata.subject, rows.count, entry.document.diagnostics.count,
                metadataJSON, indexedAt,
            ])
        let documentID = db.lastInsertedRowID
        let insertNode = try db.cachedStatement(sql: """
            INSERT INTO nodes (doc_id, node_id, kind, num, label, heading, text, lead, path, chapter, start_line,
                               start_column, end_line, end_column, parent_id, ordinal, searchable)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let insertText = try db.cachedStatement(sql: "INSERT INTO node_fts (rowid, heading, lead, text) VALUES (?, ?, ?, ?)")
        for row in rows {
            try insertNode.execute(arguments: [
                documentID, row.nodeID, row.kind.rawValue, row.num, row.label, row.heading, row.text, row.lead,
                row.path, row.chapter, row.span.startLine, row.span.startColumn, row.span.endLine,
                row.span.endColumn, row.parentID, row.ordinal, row.searchable,
            ])
            if row.searchable {
                try insertText.execute(arguments: [db.lastInsertedRowID, row.heading, row.lead, row.text])
            }
        }
        let insertRecord = try db.cachedStatement(sql: """
            INSERT INTO records (doc_id, node_id, type, year, json) VALUES (?, ?, ?, ?, ?)
            """)
        for record in entry.records {
            try insertRecord.execute(arguments: [documentID, record.nodeID, record.type, record.year, record.json])
        }
    }

    // MARK: Reading

    /// The FROM and WHERE of a search, with its arguments; every user value is bound, never pasted.
    private func filteredMatch(_ request: SearchRequest) -> (sql: String, arguments: StatementArguments) {
        var conditions = ["node_fts MATCH ?"]
        var arguments: StatementArguments = [request.query.fts5MatchExpression]
        func like(_ text: String) -> String {
            "%" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
        }
        if let document = request.document {
            conditions.append("(d.doc_key = ? OR d.title LIKE ? ESCAPE '\\' OR d.source LIKE ? ESCAPE '\\')")
            arguments += [document, like(document), like(document)]
        }
        if let issuer = request.issuer {
            conditions.append("d.issuer LIKE ? ESCAPE '\\'")
            arguments += [like(issuer)]
        }
        if let after = request.publishedAfter {
            conditions.append("d.date >= ?")
            arguments += [after]
        }
        if let before = request.publishedBefore {
            conditions.append("d.date <= ?")
            arguments += [before]
        }
        if !request.kinds.isEmpty {
            conditions.append("n.kind IN (" + request.kinds.map { _ in "?" }.joined(separator: ", ") + ")")
            for kind in request.kinds { arguments += [kind.rawValue] }
        }
        if request.recordType != nil || request.recordYears != nil {
            // Records of the node itself or of the clauses below it (ids `node__…`; `~` sorts after id characters).
            var recordConditions = ["r.doc_id = n.doc_id",
                                    "(r.node_id = n.node_id OR (r.node_id > n.node_id || '__' AND r.node_id < n.node_id || '__~'))"]
            if let type = request.recordType {
                recordConditions.append("r.type = ?")
                arguments += [type]
            }
            if let years = request.recordYears {
                recordConditions.append("r.year BETWEEN ? AND ?")
                arguments += [years.lowerBound, years.upperBound]
            }
            conditions.append("EXISTS (SELECT 1 FROM records r WHERE " + recordConditions.joined(separator: " AND ") + ")")
        }
        let sql = """
            FROM node_fts JOIN nodes n ON n.row_id = node_fts.rowid JOIN documents d ON d.id = n.doc_id
            WHERE \(conditions.joined(separator: " AND "))
            """
        return (sql, arguments)
    }

    public func search(_ request: SearchRequest) throws -> [SearchHit] {
        let (from, arguments) = filteredMatch(request)
        let weights = Self.columnWeights
        let sql = """
            SELECT d.doc_key, d.title, d.issuer, d.date, d.source, n.doc_id, n.node_id, n.kind, n.path, n.text,
                   bm25(node_fts, \(weights.heading), \(weights.lead), \(weights.text)) AS rank
            \(from)
            ORDER BY rank LIMIT ? OFFSET ?
            """
        let needles = request.query.positiveStrings
        let highlighter = Highlighter()
        return try pool.read { db in
            let rows = try Row.fetchAll(db, sql: sql, arguments: arguments + [request.limit, request.offset])
            return try rows.map { row in
                let documentID: Int64 = row["doc_id"]
                let nodeID: String = row["node_id"]
                return SearchHit(
                    documentKey: row["doc_key"], documentTitle: row["title"] ?? row["doc_key"], issuer: row["issuer"],
                    date: row["date"], source: row["source"], nodeID: nodeID, kind: row["kind"], path: row["path"],
                    snippet: highlighter.snippet(of: row["text"], needles: needles), score: -(row["rank"] as Double),
                    records: try Self.records(documentID: documentID, nodeID: nodeID, in: db))
            }
        }
    }

    public func count(_ request: SearchRequest, by dimension: CountDimension) throws -> [CountRow] {
        let (from, arguments) = filteredMatch(request)
        let (key, group): (String, String) = switch dimension {
        case .doc: ("coalesce(d.title, d.doc_key) || '  [' || d.doc_key || ']'", "d.id")
        case .year: ("coalesce(substr(d.date, 1, 4), '(no date)')", "1")
        case .issuer: ("coalesce(d.issuer, '(unknown)')", "1")
        case .chapter: ("coalesce(d.title, d.doc_key) || ' › ' || coalesce(n.chapter, '(front matter)')", "d.id, n.chapter")
        }
        let sql = """
            SELECT \(key) AS key, count(*) AS hits, count(DISTINCT n.doc_id) AS documents
            \(from)
            GROUP BY \(group) ORDER BY hits DESC, key
            """
        return try pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map {
                CountRow(key: $0["key"], hits: $0["hits"], documents: $0["documents"])
            }
        }
    }

    public func matchingSources(_ request: SearchRequest) throws -> Set<String> {
        let (from, arguments) = filteredMatch(request)
        return try pool.read { db in
            Set(try String.fetchAll(db, sql: "SELECT DISTINCT d.source \(from)", arguments: arguments))
        }
    }

    public func records(inDocument documentKey: String, nodeID: String) throws -> [IndexedRecord] {
        try pool.read { db in
            guard let documentID = try Int64.fetchOne(db, sql: "SELECT id FROM documents WHERE doc_key = ?",
                                                      arguments: [documentKey]) else { return [] }
            return try Self.records(documentID: documentID, nodeID: nodeID, in: db)
        }
    }

    private static func records(documentID: Int64, nodeID: String, in db: Database) throws -> [IndexedRecord] {
        try Row.fetchAll(db, sql: """
            SELECT node_id, type, year, json FROM records
            WHERE doc_id = ? AND (node_id = ? OR (node_id > ? AND node_id < ?))
            ORDER BY id
            """, arguments: [documentID, nodeID, nodeID + "__", nodeID + "__~"]).map {
            IndexedRecord(nodeID: $0["node_id"], type: $0["type"], year: $0["year"], json: $0["json"])
        }
    }

    public func nodeText(documentKey: String, nodeID: String) throws -> String? {
        try pool.read { db in
            try String.fetchOne(db, sql: """
                SELECT n.text FROM nodes n JOIN documents d ON d.id = n.doc_id WHERE d.doc_key = ? AND n.node_id = ?
                """, arguments: [documentKey, nodeID])
        }
    }

    /// Bytes of UTF-8 text in searchable nodes (what the full-text index covers), for size ratios.
    public func searchableTextBytes() throws -> Int {
        try pool.read { db in
            try Int.fetchOne(db, sql: "SELECT total(length(CAST(text AS BLOB))) FROM nodes WHERE searchable = 1") ?? 0
        }
    }

    public func summary() throws -> KnowledgeBaseSummary {
        try pool.read { db in
            KnowledgeBaseSummary(
                sources: try Int.fetchOne(db, sql: "SELECT count(DISTINCT source) FROM documents") ?? 0,
                documents: try Int.fetchOne(db, sql: "SELECT count(*) FROM documents") ?? 0,
                nodes: try Int.fetchOne(db, sql: "SELECT count(*) FROM nodes") ?? 0,
                searchableNodes: try Int.fetchOne(db, sql: "SELECT count(*) FROM nodes WHERE searchable = 1") ?? 0,
                records: try Int.fetchOne(db, sql: "SELECT count(*) FROM records") ?? 0)
        }
    }
}
