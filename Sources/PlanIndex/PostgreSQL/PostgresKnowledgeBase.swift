import Foundation
import PlanKit
import PostgresNIO

/// The knowledge base in a PostgreSQL database, for teams: several `plankb index` processes write into it at
/// once, and `plankb serve` reads it through a pool of connections.
///
/// - Writes: each batch of sources is one transaction. Each source is first locked (a transaction-level
///   advisory lock on its path, taken in a fixed order so that writers never deadlock), then its stored
///   content hash is read again: a source another process has just written with the same content is left as
///   it is, so two runs over the same files neither lose nor duplicate a document. A killed run's open
///   transaction is rolled back by the server: the previous state stays, and readers never see half a document.
/// - Search: the first pages of common terms come from the term top lists, as in SQLite (`PostgresTermTop`).
///   Otherwise the GIN index over `nodes.search` (see `SearchVector`) narrows the rows with a `tsquery`
///   (`TextSearchQuery`); `RowMatcher` decides each candidate and measures its weighted frequencies exactly as
///   the SQLite backend's FTS5 does, and BM25 is computed here in Swift with FTS5's formula and operation order
///   (`BM25`), from the counts in `kb_counts` — so both backends give the same hits, in the same order, with the
///   same scores (the same doubles). Every read is one repeatable-read snapshot.
public final class PostgresKnowledgeBase: KnowledgeBase, @unchecked Sendable {
    let pool: PostgresPool
    let indexing: IdeographIndexing
    /// Rows matching each query leaf, by `kb_counts.version`: the idf of a common term costs a count over the
    /// index, and only a write changes it.
    let phraseRowCache = PhraseRowCache()
    /// The documents each document filter allows, until the next write.
    let documentSets = DocumentSetCache()
    /// Sources written by this instance during a rebuild (`KnowledgeBaseAccess.rebuilding`); the others are
    /// removed when the run finishes. Nil when not rebuilding.
    private var rebuildWritten: Set<String>?
    private let lock = NSLock()
    /// Digests of the documents this instance wrote since the last refresh of the term top lists.
    let termTopStaging = TermTopStaging(ordinalBits: PostgresKnowledgeBase.ordinalBits)
    /// Below this many rows for the rarest token of every term, a query is ranked without the lists (as in SQLite).
    let termTopMinimumRows: Int

    /// Connects (checking the server at once) and brings the schema up to date. `poolSize` bounds the
    /// connections open at the same time.
    init(location: PostgresLocation, access: KnowledgeBaseAccess, poolSize: Int, termTopMinimumRows: Int = 2_000) throws {
        self.termTopMinimumRows = termTopMinimumRows
        pool = try PostgresPool(location: location, maximum: poolSize)
        do {
            try pool.withSession { session in try PostgresSchema.migrate(session, creating: access == .writing || access == .rebuilding) }
            try Self.refuseStaleTokenizer(in: pool, at: location, recording: access != .reading)
        } catch {
            // PostgresNIO requires its connections closed before they go.
            pool.close()
            throw error
        }
        let tokenizer = try pool.withSession { try $0.query("SELECT value FROM kb_info WHERE key = 'tokenizer'").first?.string(0) } ?? ""
        indexing = tokenizer.hasSuffix(IdeographIndexing.unigram.rawValue) ? .unigram : .bigram
        if access == .rebuilding { rebuildWritten = [] }
    }

    /// As SQLite's `refuseStaleTokenizer`: a database whose documents were cut by another tokenizer version is
    /// refused (its tokens are not the ones queries look up); one without documents takes this version when
    /// written. Databases from before the key (`kb_info.tokenizer_version`) were cut by version 2.
    private static func refuseStaleTokenizer(in pool: PostgresPool, at location: PostgresLocation, recording: Bool) throws {
        try pool.withSession { session in
            let stored = try session.query("SELECT value FROM kb_info WHERE key = 'tokenizer_version'").first?.string(0).flatMap { Int($0) }
            guard stored != IndexTokenizer.version else { return }
            if try !session.query("SELECT 1 FROM documents LIMIT 1").isEmpty {
                throw StaleTokenizerError(path: location.description, found: stored ?? 2, expected: IndexTokenizer.version)
            }
            guard recording else { return }
            _ = try session.query("""
                INSERT INTO kb_info (key, value) VALUES ('tokenizer_version', $1)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """, [.text(String(IndexTokenizer.version))])
        }
    }

    deinit {
        // Neither waits: the last reference can go on one of NIO's event loops (see PostgresPool.close).
        if let connection = claimSession?.connection { PostgresPool.closeWithoutWaiting(connection) }
        pool.close(waiting: false)
    }

    public func close() throws {
        lock.withLock {
            try? claimSession?.connection.close().wait()
            claimSession = nil
        }
        pool.close()
    }

    /// The connection that holds this run's claims (session-level advisory locks): they last until the source is
    /// written or released, and the server drops them when the process dies, so a killed run's sources are free
    /// again at once.
    private var claimSession: PostgresSession?
    /// The sources this run holds a claim on. Each claim is an entry in the server's lock table, whose size is
    /// fixed (`max_locks_per_transaction` × connections: 6,400 on a default server), so claims are given back as
    /// soon as they have served — never held for a whole run over thousands of files.
    private var claimed: Set<String> = []

    /// Claims a source with `pg_try_advisory_lock` on its path (a key apart from the writers' transaction
    /// locks): a source another run holds is skipped without waiting, as `SKIP LOCKED` skips a claimed row, and
    /// so is one whose content the database already holds (its claim is given back at once).
    public func claim(source: String, contentHash: String) throws -> Bool {
        try lock.withLock {
            if claimSession == nil { claimSession = try pool.dedicatedSession() }
            guard !claimed.contains(source) else { return true }
            // A rebuild writes every source again, whatever is stored.
            let row = try claimSession!.query("""
                SELECT pg_try_advisory_lock(hashtextextended($1, 1)),
                       $3 OR NOT EXISTS (SELECT 1 FROM documents WHERE source = $1 AND content_hash = $2)
                """, [.text(source), .text(contentHash), .boolean(rebuildWritten != nil)]).first
            guard try row?.boolean(0) == true else { return false }
            guard try row?.boolean(1) == true else {
                try claimSession!.query("SELECT pg_advisory_unlock(hashtextextended($1, 1))", [.text(source)])
                return false
            }
            claimed.insert(source)
            return true
        }
    }

    /// Gives back the claims on these sources (those this run holds): once a source's documents are committed,
    /// another run finds its content stored and skips it without the claim.
    public func releaseClaims(on sources: [String]) throws {
        try lock.withLock {
            let held = sources.filter { claimed.contains($0) }
            guard !held.isEmpty, let claimSession else { return }
            try claimSession.query("SELECT pg_advisory_unlock(hashtextextended(s, 1)) FROM unnest($1::text[]) AS s",
                                   [.texts(held)])
            claimed.subtract(held)
        }
    }

    /// How many claims this run holds (for tests).
    var claimCount: Int { lock.withLock { claimed.count } }

    // MARK: Writing

    public func indexedSources() throws -> [String: String] {
        // A rebuild writes every source again.
        if rebuildWritten != nil { return [:] }
        return try pool.withSession { session in
            var result: [String: String] = [:]
            for row in try session.query("SELECT DISTINCT source, content_hash FROM documents") {
                result[try row.string(0)!] = try row.string(1)!
            }
            return result
        }
    }

    public func documentPreparer() throws -> DocumentPreparer {
        let indexing = indexing
        let parameters = try pool.withSession { try Self.termTopParameters(in: $0) }
        return DocumentPreparer { rows in Self.prepare(rows, indexing: indexing, parameters: parameters) }
    }

    /// A document's search vectors, term digest (with the frequencies its postings need) and rows' kinds.
    static func prepare(_ rows: [NodeRow], indexing: IdeographIndexing, parameters: TermTopParameters) -> Prepared {
        Prepared(vectors: vectors(of: rows, indexing: indexing),
                 digest: TermDigest(rows: rows, parameters: parameters, keepingFrequencies: true),
                 kinds: Postings.KindMask.of(rows: rows))
    }

    /// What the loading threads make of a document for this backend: its rows' search vectors and term digest.
    struct Prepared: TermDigestCarrier {
        var vectors: [SearchVector?]
        var digest: TermDigest?
        /// Per ordinal, the row's kinds for the postings (`Postings.KindMask`).
        var kinds: [UInt32]
    }

    static func vectors(of rows: [NodeRow], indexing: IdeographIndexing) -> [SearchVector?] {
        rows.map { row in row.searchText.map { SearchVector(columns: [row.heading, row.searchLead, $0], indexing: indexing) } }
    }

    public func replaceDocuments(_ sources: [SourceDocuments]) throws {
        try replaceDocuments(sources, afterEachDocument: { _ in })
    }

    /// `afterEachDocument` runs inside the transaction after each document; a throw rolls it all back (tests use
    /// it to stand for a run killed halfway).
    func replaceDocuments(_ sources: [SourceDocuments], afterEachDocument: (Int) throws -> Void) throws {
        guard !sources.isEmpty else { return }
        var digests: [(documentID: Int64, digest: TermDigest)] = []
        let written: [String] = try pool.withSession { session in
            try session.transaction {
                digests = []
                try session.query(Self.writerMemory)
                try lockSources(sources.map(\.source), in: session)
                var delta = (rows: 0, tokens: 0)
                var uncounted: [String: Int] = [:]
                var written: [String] = []
                var count = 0
                var segment = PostingsSegment(ordinalBits: Self.ordinalBits)
                var parameters: TermTopParameters?
                let now = ISO8601DateFormatter().string(from: Date())
                for source in sources {
                    // Another writer may have stored this very content while this one was loading it.
                    let stored = try session.query("SELECT content_hash FROM documents WHERE source = $1 LIMIT 1",
                                                   [.text(source.source)]).first?.string(0)
                    if stored == source.contentHash && lock.withLock({ rebuildWritten == nil }) {
                        continue
                    }
                    // A source with no stored documents (the first run over a folder) has nothing to delete: five
                    // statements a source saved. No other writer can store it meanwhile (its lock is held).
                    if stored != nil {
                        let removed = try deleteDocuments(fromSource: source.source, uncounting: &uncounted, in: session)
                        delta.rows -= removed.rows
                        delta.tokens -= removed.tokens
                    }
                    for entry in source.documents {
                        // A document not prepared by this backend's preparer is prepared here, the same way.
                        let rows = entry.prepared?.rows ?? NodeRow.rows(of: entry.document)
                        var prepared = entry.prepared?.payload as? Prepared
                        if prepared == nil {
                            if parameters == nil { parameters = try Self.termTopParameters(in: session) }
                            prepared = Self.prepare(rows, indexing: indexing, parameters: parameters!)
                        }
                        let added = try insert(entry, rows: rows, vectors: prepared!.vectors, source: source.source,
                                               contentHash: source.contentHash, indexedAt: now, in: session)
                        delta.rows += added.rows
                        delta.tokens += added.tokens
                        // The lists' staging takes the loader's digests only (the others are read back at the refresh).
                        if let digest = entry.prepared?.digest { digests.append((added.documentID, digest)) }
                        segment.add(prepared!.digest!, kinds: prepared!.kinds, documentID: added.documentID)
                        try afterEachDocument(count)
                        count += 1
                    }
                    written.append(source.source)
                }
                try writePostings(segment, in: session)
                try writeUncounted(uncounted, in: session)
                try updateCounts(rows: delta.rows, tokens: delta.tokens, in: session)
                return written
            }
        }
        // Digests join the staging area only once their transaction has committed.
        if !digests.isEmpty { termTopStaging.add(digests) }
        lock.withLock { rebuildWritten?.formUnion(written) }
        try releaseClaims(on: sources.map(\.source))
    }

    /// A writer's memory for the moment its inserts move the GIN index's pending entries into the index proper
    /// (`work_mem`, 4 MB by default): the entries are gathered in memory and each key's new rows go into the index
    /// in one step when the memory is full, so with 4 MB a common bigram was looked up again every few hundred rows.
    /// For this transaction only.
    static let writerMemory = "SET LOCAL work_mem = '64MB'"

    public func removeDocuments(fromSources sources: [String]) throws {
        guard !sources.isEmpty else { return }
        try pool.withSession { session in
            try session.transaction {
                try lockSources(sources, in: session)
                var delta = (rows: 0, tokens: 0)
                var uncounted: [String: Int] = [:]
                for source in sources {
                    let removed = try deleteDocuments(fromSource: source, uncounting: &uncounted, in: session)
                    delta.rows -= removed.rows
                    delta.tokens -= removed.tokens
                }
                try writeUncounted(uncounted, in: session)
                try updateCounts(rows: delta.rows, tokens: delta.tokens, in: session)
            }
        }
    }

    /// Completes a rebuild (sources this run did not write are removed), brings the term top lists up to date
    /// (also after a run that wrote nothing while documents of another or an interrupted run wait for them), and
    /// refreshes the planner's statistics after a run that changed anything.
    public func finishIndexRun(changedDocuments: Bool) throws {
        guard let written = lock.withLock({ rebuildWritten }) else {
            try refreshTermTopLists()
            if changedDocuments {
                try compactPostings()
                try settle()
            }
            return
        }
        let stale = try pool.withSession { session in
            try session.query("SELECT DISTINCT source FROM documents").compactMap { try $0.string(0) }
        }.filter { !written.contains($0) }.sorted()
        for start in stride(from: 0, to: stale.count, by: 256) {
            try removeDocuments(fromSources: Array(stale[start..<min(start + 256, stale.count)]))
        }
        try refreshTermTopLists()
        try compactPostings()
        try settle()
    }

    /// After a run that changed anything: the GIN indexes' pending entries moved into the index proper (every
    /// search reads the whole pending list; a user who does not own the indexes leaves that to autovacuum), and
    /// the planner's statistics refreshed.
    private func settle() throws {
        try pool.withSession { session in
            try session.query("""
                SELECT gin_clean_pending_list(c.oid)
                FROM unnest(ARRAY[to_regclass('nodes_search'), to_regclass('nodes_search_long')]) AS i
                JOIN pg_class c ON c.oid = i WHERE pg_has_role(c.relowner, 'USAGE')
                """)
            try session.query("ANALYZE")
        }
    }

    /// Empties the knowledge base in one transaction (for benchmarks): document ids start again at 1.
    public func removeEverything() throws {
        termTopStaging.clear()
        try pool.withSession { session in
            try session.transaction {
                try session.query("TRUNCATE records, nodes, term_top_pending, documents, term_top, term_top_uncounted, postings, postings_dead, postings_missing RESTART IDENTITY")
                try session.query("DELETE FROM kb_info WHERE key LIKE 'term\\_top\\_%' OR key = 'postings_compacted_segment'")
                try session.query("ALTER SEQUENCE postings_segments RESTART")
                try session.query("UPDATE kb_counts SET searchable_rows = 0, tokens = 0, version = version + 1 WHERE id = 1")
            }
        }
    }

    /// Transaction-level advisory locks on the sources' paths, in the order of their keys, so that two writers
    /// with overlapping batches wait for each other instead of deadlocking.
    private func lockSources(_ sources: [String], in session: PostgresSession) throws {
        try session.query("""
            SELECT pg_advisory_xact_lock(k) FROM (
                SELECT DISTINCT hashtextextended(s, 0) AS k FROM json_array_elements_text($1::json) AS s
            ) AS keys ORDER BY k
            """, [.text(Self.jsonArray(sources))])
    }

    /// Every write raises the version (the key of cached counts); the row is updated last, so that concurrent
    /// writers wait on it only for the moment before their commit.
    private func updateCounts(rows: Int, tokens: Int, in session: PostgresSession) throws {
        try session.query("""
            UPDATE kb_counts SET searchable_rows = searchable_rows + $1, tokens = tokens + $2, version = version + 1
            WHERE id = 1
            """, [.integer(rows), .integer(tokens)])
    }

    /// Deletes a source's documents with their nodes and records, returning the searchable rows and tokens
    /// that leave the BM25 counts; the rows leaving the term top lists' counts join `uncounted`.
    private func deleteDocuments(fromSource source: String, uncounting uncounted: inout [String: Int],
                                 in session: PostgresSession) throws -> (rows: Int, tokens: Int) {
        try uncount(source: source, into: &uncounted, in: session)
        // Records, nodes and documents in one statement (one round trip, not four), the nodes counted as they go.
        // Nodes and records have no foreign keys that would take them along (migration 7); every part of the
        // statement sees the same snapshot, in which the source's documents are still there.
        let row = try session.query("""
            WITH gone AS (SELECT id FROM documents WHERE source = $1),
            dropped_records AS (DELETE FROM records WHERE doc_id IN (SELECT id FROM gone)),
            dropped_nodes AS (DELETE FROM nodes WHERE doc_id IN (SELECT id FROM gone) RETURNING searchable, token_count),
            dropped_documents AS (DELETE FROM documents WHERE id IN (SELECT id FROM gone)),
            dead_postings AS (INSERT INTO postings_dead (doc_id) SELECT id FROM gone),
            no_longer_missing AS (DELETE FROM postings_missing WHERE doc_id IN (SELECT id FROM gone))
            SELECT count(*) FILTER (WHERE searchable > 0), coalesce(sum(token_count) FILTER (WHERE searchable > 0), 0)::bigint
            FROM dropped_nodes
            """, [.text(source)]).first
        return (try row?.integer(0) ?? 0, try row?.integer(1) ?? 0)
    }

    private func insert(_ entry: IndexedDocument, rows: [NodeRow], vectors: [SearchVector?], source: String, contentHash: String,
                        indexedAt: String, in session: PostgresSession) throws -> (documentID: Int64, rows: Int, tokens: Int) {
        let metadata = entry.document.metadata
        let metadataJSON = try SortedJSONEncoder().encodeToString(metadata)
        guard rows.count < 1 << Self.ordinalBits else {
            throw PostgresStoreError(location: pool.location, reason: "\(entry.key) has \(rows.count) nodes, more than a document can hold")
        }
        var added = (documentID: Int64(0), rows: 0, tokens: 0)
        for vector in vectors {
            guard let vector else { continue }
            added.rows += 1
            added.tokens += vector.tokenCount
        }
        // The document, its place among those pending for the term top lists, its nodes and its records in one
        // statement: one round trip and one plan a document instead of four.
        let recordRows = entry.records.isEmpty ? nil
            : entry.prepared?.recordRows(of: entry.records) ?? RecordRow.rows(of: entry.records, nodes: rows)
        guard let documentID = try session.query(
            recordRows == nil ? Self.insertDocumentWithoutRecords : Self.insertDocumentWithRecords,
            [.text(entry.key), .text(source), .text(contentHash), .text(metadata.title), .text(metadata.date),
             .text(metadata.writtenDate), .text(metadata.issuer), .text(metadata.documentNumber), .text(metadata.subject),
             .integer(rows.count), .integer(entry.document.diagnostics.count), .text(metadataJSON), .text(indexedAt)]
                + BulkColumns.nodes(rows, vectors: vectors).values
                + (recordRows.map { BulkColumns.records($0).values } ?? []))
            .first?.integer(0) else { throw PostgresStoreError(location: pool.location, reason: "no document id returned") }
        added.documentID = Int64(documentID)
        return added
    }

    /// `insert`'s statement: the document's 13 values, then the nodes' arrays, then (with records) the records'.
    private static let insertDocumentWithoutRecords = insertDocument(withRecords: false)
    private static let insertDocumentWithRecords = insertDocument(withRecords: true)

    private static func insertDocument(withRecords: Bool) -> String {
        let recordsFirst = 14 + BulkColumns.nodeSchema.columns.count
        return """
            WITH d AS (
                INSERT INTO documents (doc_key, source, content_hash, title, date, written_date, issuer, document_number,
                                       subject, node_count, diagnostic_count, metadata_json, indexed_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id
            ),
            pending AS (INSERT INTO term_top_pending (doc_id) SELECT id FROM d),
            node_rows AS (\(BulkColumns.nodeSchema.insertPart(into: "nodes", ordered: false, first: 14)))
            """ + (withRecords ? ",\nrecord_rows AS (\(BulkColumns.recordSchema.insertPart(into: "records", ordered: true, first: recordsFirst)))" : "")
            + "\nSELECT id FROM d"
    }

    static func jsonArray(_ values: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(values)) ?? Data("[]".utf8), as: UTF8.self)
    }

    // MARK: Reading

    /// Runs `body` in one read-only snapshot, so that counts, candidates and hits agree with each other.
    func read<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        try pool.withSession { session in
            try session.transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { try body(session) }
        }
    }

    public func search(_ request: SearchRequest) throws -> [SearchHit] {
        guard request.offset + request.limit > 0 else { return [] }
        return try read { session in
            if let page = try topListPage(request, in: session) { return try hits(page, request: request, in: session) }
            if let page = try postingsPage(request, in: session) { return try hits(page, request: request, in: session) }
            let scored = try PostgresSearch(request: request, indexing: indexing, cache: phraseRowCache).matches(in: session)
                .sorted { ($0.score, $1.documentID, $1.ordinal) > ($1.score, $0.documentID, $0.ordinal) }
            let page = Array(scored.dropFirst(request.offset).prefix(request.limit))
            return try hits(page, request: request, in: session)
        }
    }

    /// The hits of a ranked page, in the page's order.
    private func hits(_ page: [PostgresSearch.Match], request: SearchRequest, in session: PostgresSession) throws -> [SearchHit] {
        guard !page.isEmpty else { return [] }
        let pageJSON = "[" + page.map { "[\($0.documentID),\($0.ordinal)]" }.joined(separator: ",") + "]"
        let rows = try session.query("""
            SELECT d.doc_key, d.title, d.issuer, d.date, d.source, n.doc_id, n.node_id, n.kind, n.path, n.text,
                   n.start_page, n.end_page
            FROM json_array_elements($1::json) WITH ORDINALITY AS p(v, i)
            JOIN nodes n ON n.doc_id = (p.v->>0)::bigint AND n.ordinal = (p.v->>1)::integer
            JOIN documents d ON d.id = n.doc_id
            ORDER BY p.i
            """, [.text(pageJSON)])
        let needles = request.query.positiveStrings
        let highlighter = Highlighter()
        let records = try Self.records(ofHits: try rows.map { (try $0.integer(5)!, try $0.string(6)!) }, in: session)
        return try zip(rows, page).enumerated().map { index, pair in
            let (row, match) = pair
            let nodeID = try row.string(6)!
            let key = try row.string(0)!
            return SearchHit(
                documentKey: key, documentTitle: try row.string(1) ?? key, issuer: try row.string(2),
                date: try row.string(3), source: try row.string(4)!, nodeID: nodeID, kind: try row.string(7)!,
                path: try row.string(8) ?? nodeID, startPage: try row.integer(10), endPage: try row.integer(11),
                snippet: highlighter.snippet(of: try row.string(9)!, needles: needles), score: match.score,
                records: records[index] ?? [])
        }
    }

    public func count(_ request: SearchRequest, by dimension: CountDimension) throws -> [CountRow] {
        try read { session in
            let matches = try allMatches(request, chapters: dimension == .chapter, in: session)
            var hitsByDocument: [Int: Int] = [:]
            var chapters: [Int: [String?: Int]] = [:]
            for match in matches {
                hitsByDocument[match.documentID, default: 0] += 1
                if dimension == .chapter { chapters[match.documentID, default: [:]][match.chapter, default: 0] += 1 }
            }
            guard !hitsByDocument.isEmpty else { return [] }
            let documents = try session.query("""
                SELECT id, doc_key, coalesce(title, doc_key), date, issuer FROM documents
                WHERE id IN (SELECT value::bigint FROM json_array_elements_text($1::json))
                """, [.text("[" + hitsByDocument.keys.map(String.init).joined(separator: ",") + "]")])
            if dimension == .chapter {
                var rows: [CountRow] = []
                for document in documents {
                    let title = try document.string(2)!
                    for (chapter, hits) in chapters[try document.integer(0)!] ?? [:] {
                        rows.append(CountRow(key: title + " › " + (chapter ?? "(front matter)"), hits: hits, documents: 1))
                    }
                }
                return rows.sorted { ($0.hits, $1.key) > ($1.hits, $0.key) }
            }
            var groups: [String: (hits: Int, documents: Int)] = [:]
            for document in documents {
                let (documentKey, title, date, issuer) = (try document.string(1)!, try document.string(2)!,
                                                          try document.string(3), try document.string(4))
                let key: String = switch dimension {
                case .doc: "\(title)  [\(documentKey)]"
                case .year: date.map { String($0.prefix(4)) } ?? "(no date)"
                case .issuer: issuer ?? "(unknown)"
                case .chapter: ""
                }
                groups[key, default: (0, 0)].hits += hitsByDocument[try document.integer(0)!] ?? 0
                groups[key, default: (0, 0)].documents += 1
            }
            return groups.map { CountRow(key: $0.key, hits: $0.value.hits, documents: $0.value.documents) }
                .sorted { ($0.hits, $1.key) > ($1.hits, $0.key) }
        }
    }

    public func matchingSources(_ request: SearchRequest) throws -> Set<String> {
        try read { session in
            let matches = try allMatches(request, in: session)
            let ids = Set(matches.map(\.documentID))
            guard !ids.isEmpty else { return [] }
            return Set(try session.query("""
                SELECT DISTINCT source FROM documents WHERE id IN (SELECT value::bigint FROM json_array_elements_text($1::json))
                """, [.text("[" + ids.map(String.init).joined(separator: ",") + "]")]).compactMap { try $0.string(0) })
        }
    }

    public func records(inDocument documentKey: String, nodeID: String) throws -> [IndexedRecord] {
        try read { session in
            guard let documentID = try session.query("SELECT id FROM documents WHERE doc_key = $1", [.text(documentKey)])
                .first?.integer(0) else { return [] }
            return try Self.records(documentID: documentID, nodeID: nodeID, in: session)
        }
    }

    /// The records a node owns: its own, its clauses' and its lead's.
    private static func records(documentID: Int, nodeID: String, in session: PostgresSession) throws -> [IndexedRecord] {
        try session.query("""
            SELECT \(recordColumns) FROM records r
            LEFT JOIN nodes b ON b.doc_id = r.doc_id AND b.ordinal = r.text_ordinal
            WHERE r.doc_id = $1 AND \(OwnRecords.condition(record: "r.node_id", node: "$2::text", collation: " COLLATE \"C\""))
            ORDER BY r.id
            """, [.integer(documentID), .text(nodeID)]).map(indexedRecord)
    }

    public func records(ofType type: String, inDocument documentKey: String) throws -> [IndexedRecord] {
        try read { session in
            try session.query("""
                SELECT \(Self.recordColumns) FROM records r
                LEFT JOIN nodes b ON b.doc_id = r.doc_id AND b.ordinal = r.text_ordinal
                WHERE r.doc_id = (SELECT id FROM documents WHERE doc_key = $1) AND r.type = $2
                ORDER BY r.id
                """, [.text(documentKey), .text(type)]).map(Self.indexedRecord)
        }
    }

    /// The records each hit's node owns (its own, its clauses' and its lead's), by the hit's place in `hits`, in one statement
    /// (one per hit cost a round trip each).
    private static func records(ofHits hits: [(documentID: Int, nodeID: String)], in session: PostgresSession) throws -> [Int: [IndexedRecord]] {
        var result: [Int: [IndexedRecord]] = [:]
        for row in try session.query("""
            SELECT p.i, t.node_id, t.type, t.year, t.json, t.text_start, t.text_end, t.text
            FROM unnest($1::bigint[], $2::text[]) WITH ORDINALITY AS p(doc_id, node_id, i)
            CROSS JOIN LATERAL (
                SELECT r.id, \(recordColumns) FROM records r
                LEFT JOIN nodes b ON b.doc_id = r.doc_id AND b.ordinal = r.text_ordinal
                WHERE r.doc_id = p.doc_id AND \(OwnRecords.condition(record: "r.node_id", node: "p.node_id", collation: " COLLATE \"C\""))
            ) AS t
            ORDER BY p.i, t.id
            """, [.integers(hits.map(\.documentID)), .texts(hits.map(\.nodeID))]) {
            result[try row.integer(0)! - 1, default: []].append(try indexedRecord(row, from: 1))
        }
        return result
    }

    /// What `indexedRecord` reads of a record `r` and its base node `b`.
    private static let recordColumns = "r.node_id, r.type, r.year, r.json, r.text_start, r.text_end, b.text"

    /// A record read back, its text put back from its base node's (see `RecordRow`).
    private static func indexedRecord(_ row: PostgresRandomAccessRow) throws -> IndexedRecord {
        try indexedRecord(row, from: 0)
    }

    /// The same, with `recordColumns` from column `first` on.
    private static func indexedRecord(_ row: PostgresRandomAccessRow, from first: Int) throws -> IndexedRecord {
        let start = try row.integer(first + 4), end = try row.integer(first + 5)
        return IndexedRecord(nodeID: try row.string(first)!, type: try row.string(first + 1)!, year: try row.integer(first + 2),
                             stored: Data(try row.string(first + 3)!.utf8), base: try row.string(first + 6).map { Data($0.utf8) },
                             slice: ParentSlice.range(start: start, end: end))
    }

    /// The indexed texts straight from the node rows, as `SQLiteKnowledgeBase.searchableTexts` reads them.
    public func searchableTexts(inDocument documentKey: String) throws -> [SearchableText] {
        try read { session in
            try session.query("""
                SELECT node_id, kind, coalesce(path, node_id), searched FROM (
                    SELECT ordinal, node_id, kind, path,
                           CASE searchable WHEN 1 THEN text ELSE \(NodeRow.titleTextSQL) END AS searched
                    FROM nodes WHERE doc_id = (SELECT id FROM documents WHERE doc_key = $1) AND searchable > 0
                ) AS n WHERE searched <> '' ORDER BY ordinal
                """, [.text(documentKey)]).map { row in
                SearchableText(nodeID: try row.string(0)!, kind: NodeKind(rawValue: try row.string(1)!) ?? .paragraph,
                               path: try row.string(2)!, text: try row.string(3)!)
            }
        }
    }

    public func nodeText(documentKey: String, nodeID: String) throws -> String? {
        try read { session in
            // A lead or clause stored as a slice of its paragraph's text comes with the paragraph's text.
            guard let row = try session.query("""
                SELECT n.text, n.text_start, n.text_end, p.text FROM documents d JOIN nodes n ON n.doc_id = d.id
                LEFT JOIN nodes p ON p.doc_id = n.doc_id AND p.node_id = n.parent_id AND n.text_start IS NOT NULL
                WHERE d.doc_key = $1 AND n.node_id = $2 ORDER BY n.ordinal, p.ordinal LIMIT 1
                """, [.text(documentKey), .text(nodeID)]).first else { return nil }
            if let start = try row.integer(1), let end = try row.integer(2), let parent = try row.string(3),
               let text = ParentSlice.text(of: parent, start..<max(start, end)) {
                return text
            }
            return try row.string(0)
        }
    }

    public func summary() throws -> KnowledgeBaseSummary {
        try read { session in
            let row = try session.query("""
                SELECT (SELECT count(DISTINCT source) FROM documents), (SELECT count(*) FROM documents),
                       (SELECT count(*) FROM nodes), (SELECT searchable_rows FROM kb_counts), (SELECT count(*) FROM records)
                """).first
            return KnowledgeBaseSummary(sources: try row?.integer(0) ?? 0, documents: try row?.integer(1) ?? 0,
                                        nodes: try row?.integer(2) ?? 0, searchableNodes: try row?.integer(3) ?? 0,
                                        records: try row?.integer(4) ?? 0)
        }
    }

    /// Bytes of UTF-8 text in searchable nodes, for size ratios.
    public func searchableTextBytes() throws -> Int {
        try read { session in
            try session.query("SELECT coalesce(sum(octet_length(text)), 0)::bigint FROM nodes WHERE searchable > 0").first?.integer(0) ?? 0
        }
    }

    /// Bytes the knowledge base's tables and indexes take on the server.
    public func storedBytes() throws -> Int {
        try read { session in
            // Every table of the knowledge base with its indexes and TOAST, the postings and term top lists included.
            try session.query("""
                SELECT sum(pg_total_relation_size(t))::bigint FROM unnest(ARRAY['documents', 'nodes', 'records', 'term_top',
                    'term_top_pending', 'term_top_uncounted', 'postings', 'postings_dead', 'postings_missing', 'kb_info',
                    'kb_counts']) AS t
                """).first?.integer(0) ?? 0
        }
    }

    // MARK: Reading documents whole

    private static let summaryColumns = """
        d.doc_key, d.source, d.title, d.date, d.issuer, d.document_number, d.node_count,
        (SELECT count(*) FROM records r WHERE r.doc_id = d.id) AS record_count
        """

    private static func summary(of row: PostgresRandomAccessRow, from column: Int) throws -> DocumentSummary {
        DocumentSummary(key: try row.string(column)!, source: try row.string(column + 1)!, title: try row.string(column + 2),
                        date: try row.string(column + 3), issuer: try row.string(column + 4),
                        documentNumber: try row.string(column + 5), nodeCount: try row.integer(column + 6)!,
                        recordCount: try row.integer(column + 7)!)
    }

    public func documents() throws -> [DocumentSummary] {
        try read { session in
            try session.query("""
                SELECT \(Self.summaryColumns) FROM documents d
                ORDER BY d.date IS NULL, d.date, d.title NULLS FIRST, d.doc_key
                """).map { try Self.summary(of: $0, from: 0) }
        }
    }

    public func document(withKey key: String) throws -> StoredDocument? {
        try read { session in
            guard let row = try session.query("""
                SELECT d.id, d.metadata_json, \(Self.summaryColumns) FROM documents d WHERE d.doc_key = $1
                """, [.text(key)]).first else { return nil }
            let documentID = try row.integer(0)!
            let summary = try Self.summary(of: row, from: 2)
            let metadata = (try? JSONDecoder().decode(Metadata.self, from: Data(try row.string(1)!.utf8)))
                ?? Metadata(title: summary.title, date: summary.date, issuer: summary.issuer)
            let nodeRows = try session.query("""
                SELECT node_id, kind, num, label, heading, text, start_line, start_column, end_line, end_column, parent_id,
                       start_page, end_page, text_start, text_end
                FROM nodes WHERE doc_id = $1 ORDER BY ordinal
                """, [.integer(documentID)]).map { row -> (node: Node, parentID: String?, slice: Range<Int>?) in
                    let span = SourceSpan(startLine: try row.integer(6)!, startColumn: try row.integer(7)!,
                                          endLine: try row.integer(8)!, endColumn: try row.integer(9)!,
                                          startPage: try row.integer(11), endPage: try row.integer(12))
                    let kind = NodeKind(rawValue: try row.string(1)!) ?? .paragraph
                    let node = Node(id: try row.string(0)!, kind: kind, num: try row.integer(2), label: try row.string(3),
                                    heading: try row.string(4), text: try row.string(5)!, span: span)
                    let start = try row.integer(13), end = try row.integer(14)
                    return (node, try row.string(10), ParentSlice.range(start: start, end: end))
                }
            let records = try session.query("""
                SELECT \(Self.recordColumns) FROM records r
                LEFT JOIN nodes b ON b.doc_id = r.doc_id AND b.ordinal = r.text_ordinal
                WHERE r.doc_id = $1 ORDER BY r.id
                """, [.integer(documentID)]).map(Self.indexedRecord)
            let root = StoredDocument.tree(title: metadata.title ?? summary.title ?? "", rows: ParentSlice.restore(nodeRows))
            return StoredDocument(summary: summary, metadata: metadata, root: root, records: records)
        }
    }
}

/// Rows holding each query leaf, valid for one `kb_counts.version`.
final class PhraseRowCache: @unchecked Sendable {
    private let lock = NSLock()
    private var version = -1
    private var rows: [String: Int] = [:]

    func rows(for leaf: String, version: Int) -> Int? {
        lock.withLock { self.version == version ? rows[leaf] : nil }
    }

    func set(_ count: Int, for leaf: String, version: Int) {
        lock.withLock {
            if self.version != version {
                self.version = version
                rows.removeAll()
            }
            rows[leaf] = count
        }
    }
}
