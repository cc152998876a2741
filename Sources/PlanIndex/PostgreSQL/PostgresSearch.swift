import Foundation
import PlanKit

/// One search over the PostgreSQL tables: the rows that match a request, each scored with BM25 exactly as
/// SQLite's FTS5 scores it.
///
/// 1. Candidates: rows whose vector matches the exact `tsquery` (phrases as `<->`), plus long rows (vectors
///    without positions, see `SearchVector`) that hold every lexeme, through their partial GIN index — with the
///    request's filters as SQL conditions, the same conditions the SQLite backend applies.
/// 2. `RowMatcher` reads each candidate's heading, lead and text as the index was given them and decides whether
///    it matches and how often each leaf (term or phrase) occurs in each column, weighted 8, 3, 1.
/// 3. BM25 per leaf: idf from the rows that hold the leaf anywhere in the table (FTS5 counts over the whole
///    index, filters aside) and the average row length from `kb_counts`, summed in the leaves' order (FTS5's
///    phrase order but for excluded leaves, which add exactly 0).
struct PostgresSearch {
    let request: SearchRequest
    let indexing: IdeographIndexing
    let cache: PhraseRowCache

    /// A matching row: its identity (document id, ordinal — the order of SQLite's row ids), score and chapter.
    struct Match {
        var documentID: Int
        var ordinal: Int
        var score: Double
        /// The outermost heading of the path, as `--count-by chapter` groups (nil before any heading, and when the
        /// search was not asked for chapters).
        var chapter: String?
    }

    private typealias Evaluated = (documentID: Int, ordinal: Int, evaluation: RowMatcher.Evaluation, kind: String?, path: String?)

    /// Below this many candidates per processor, one thread evaluates them all.
    static let rowsPerWorker = 256

    /// The matching rows, each with its chapter when `chapters` (for `--count-by chapter`; nil otherwise, which
    /// spares sending every candidate's path).
    func matches(in session: PostgresSession, chapters: Bool = false) throws -> [Match] {
        let matcher = RowMatcher(query: request.query, indexing: indexing)
        let textQuery = TextSearchQuery(request.query, indexing: indexing)
        guard !textQuery.exact.isEmpty else { return [] }
        let counts = try session.query("SELECT searchable_rows, tokens, version FROM kb_counts WHERE id = 1").first
        let rows = try counts?.integer(0) ?? 0, tokens = try counts?.integer(1) ?? 0, version = try counts?.integer(2) ?? 0
        let bm25 = BM25(averageLength: Double(tokens) / Double(max(rows, 1)))

        var parameters: [SQLValue] = [.text(textQuery.exact), .text(textQuery.lexemes)]
        let filters = PostgresFilters(request: request, parameters: &parameters)
        let candidates = try session.query("""
            SELECT n.doc_id, n.ordinal, n.heading, CASE n.searchable WHEN 1 THEN n.lead END,
                   CASE n.searchable WHEN 1 THEN n.text ELSE \(NodeRow.titleTextSQL) END,
                   \(chapters ? "n.kind, n.path" : "NULL, NULL")
            FROM nodes n
            WHERE (n.search @@ $1::tsquery OR (n.long AND n.search @@ $2::tsquery))
            """ + filters.conditions.map { " AND " + $0 }.joined(), parameters)
        // The candidates are tokenized again on every processor, in contiguous slices (the result keeps the
        // candidates' order): this is most of a search's time when the term top lists cannot answer it, and it
        // is spent here rather than in the shared server.
        let workers = candidates.count < Self.rowsPerWorker ? 1
            : min(ProcessInfo.processInfo.activeProcessorCount, candidates.count / Self.rowsPerWorker)
        let slices = ParallelResults<[Evaluated]>(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            slices.set(worker, Result {
                var evaluated: [Evaluated] = []
                for row in candidates[candidates.count * worker / workers ..< candidates.count * (worker + 1) / workers] {
                    let evaluation = matcher.evaluate(columns: [try row.string(2), try row.string(3), try row.string(4)])
                    guard evaluation.matches else { continue }
                    evaluated.append((try row.integer(0)!, try row.integer(1)!, evaluation, try row.string(5), try row.string(6)))
                }
                return evaluated
            })
        }
        let evaluated = try slices.values().flatMap { $0 }
        guard !evaluated.isEmpty else { return [] }
        let idf = try matcher.leaves.map { leaf in
            BM25.idf(rows: rows, matching: try rowsHolding(leaf, version: version, in: session))
        }
        return evaluated.map { row in
            var score = 0.0
            for index in matcher.leaves.indices {
                score += idf[index] * bm25.impact(weightedFrequency: row.evaluation.frequencies[index], rowLength: row.evaluation.length)
            }
            return Match(documentID: row.documentID, ordinal: row.ordinal, score: score,
                         chapter: row.kind.flatMap { Self.chapter(path: row.path, kind: $0) })
        }
    }

    /// Rows of the whole table that hold the leaf (its phrase anywhere), as FTS5 counts a phrase for its idf.
    func rowsHolding(_ leaf: RowMatcher.Leaf, version: Int, in session: PostgresSession) throws -> Int {
        if let known = cache.rows(for: leaf.text, version: version) { return known }
        let tokenizer = IndexTokenizer(indexing: indexing)
        let tokens = tokenizer.tokens(of: leaf.text, forQuery: true)
        if tokens.count == 1, let known = try PostgresKnowledgeBase.knownRows(ofToken: tokens[0].token, in: session) {
            cache.set(known, for: leaf.text, version: version)
            return known
        }
        guard let exact = TextSearchQuery.phrase(leaf.text, tokenizer: tokenizer, exact: true),
              let lexemes = TextSearchQuery.phrase(leaf.text, tokenizer: tokenizer, exact: false) else { return 0 }
        var count = try session.query("SELECT count(*) FROM nodes WHERE search @@ $1::tsquery", [.text(exact)])
            .first?.integer(0) ?? 0
        if leaf.tokens.count > 1 {
            // A phrase (`<->`) never matches a vector without positions: long rows are matched here instead.
            let matcher = RowMatcher(query: .phrase(leaf.text), indexing: indexing)
            for row in try session.query("""
                SELECT heading, CASE searchable WHEN 1 THEN lead END,
                       CASE searchable WHEN 1 THEN text ELSE \(NodeRow.titleTextSQL) END
                FROM nodes WHERE long AND search @@ $1::tsquery
                """, [.text(lexemes)]) where matcher.evaluate(columns: [try row.string(0), try row.string(1), try row.string(2)]).matches {
                count += 1
            }
        }
        cache.set(count, for: leaf.text, version: version)
        return count
    }

    /// The outermost heading of a hit, from its path (`第五章 … › 第四节 … › 段2` → `第五章 …`); a heading node is its
    /// own chapter, and a paragraph before any heading has none (`NodeRow.chapterOrdinal`, as SQLite stores it).
    static func chapter(path: String?, kind: String) -> String? {
        guard let path else { return nil }
        if let separator = path.range(of: " › ") { return String(path[..<separator.lowerBound]) }
        return NodeKind(rawValue: kind).map(NodeRow.kindsWithoutChapter.contains) ?? false ? nil : path
    }
}

/// A request's filters as SQL conditions over the node row `n`, with their values appended to the parameters
/// (`$n`), never pasted: the same conditions as the SQLite backend's (`documentFilter`, `nodeFilter`).
struct PostgresFilters {
    /// Which filters to turn into conditions.
    struct Parts: OptionSet {
        let rawValue: Int
        /// Document filters (document, issuer, dates).
        static let documents = Parts(rawValue: 1)
        /// Node kinds (a node of the kind or inside one).
        static let kinds = Parts(rawValue: 2)
        /// Records (type, years).
        static let records = Parts(rawValue: 4)
        /// Node filters (kinds, records).
        static let nodes: Parts = [.kinds, .records]
        static let all: Parts = [.documents, .nodes]
    }

    /// Conditions over the node row `n`.
    var conditions: [String] = []
    /// The document filters as one condition over the document row `d` (nil without document filters); with
    /// `.nodes` among the parts, `conditions` holds it too, as `n.doc_id IN (…)`.
    var documentCondition: String?

    init(request: SearchRequest, parameters: inout [SQLValue], parts: Parts = .all) {
        func bind(_ value: SQLValue) -> String {
            parameters.append(value)
            return "$\(parameters.count)"
        }
        // SQLite's LIKE ignores the case of ASCII letters; ILIKE over "C"-collated columns does the same.
        var documents: [String] = []
        if parts.contains(.documents), let document = request.document {
            documents.append("(d.doc_key = \(bind(.text(document))) OR d.title ILIKE \(bind(.text(likePattern(containing: document)))) ESCAPE '\\' OR d.source ILIKE \(bind(.text(likePattern(containing: document)))) ESCAPE '\\')")
        }
        if parts.contains(.documents), let issuer = request.issuer {
            documents.append("d.issuer ILIKE \(bind(.text(likePattern(containing: issuer)))) ESCAPE '\\'")
        }
        if parts.contains(.documents), let after = request.publishedAfter { documents.append("d.date >= \(bind(.text(after.lowerBound)))") }
        if parts.contains(.documents), let before = request.publishedBefore { documents.append("d.date <= \(bind(.text(before.upperBound)))") }
        if !documents.isEmpty {
            documentCondition = documents.joined(separator: " AND ")
            if !parts.isDisjoint(with: .nodes) {
                conditions.append("n.doc_id IN (SELECT d.id FROM documents d WHERE " + documentCondition! + ")")
            }
        }
        if parts.contains(.kinds), !request.kinds.isEmpty {
            // A node of the kind, or one inside such a node: its id has the kind's alias as a step.
            var kinds: [String] = []
            for kind in request.kinds {
                kinds.append("n.kind = \(bind(.text(kind.rawValue)))")
                kinds.append("('__' || n.node_id || '_') LIKE \(bind(.text("%\\_\\_" + kind.idAlias + "\\_%"))) ESCAPE '\\'")
            }
            conditions.append("(" + kinds.joined(separator: " OR ") + ")")
        }
        if parts.contains(.records), request.recordType != nil || request.recordYears != nil {
            var records = ["r.doc_id = n.doc_id", OwnRecords.condition(record: "r.node_id", node: "n.node_id")]
            if let type = request.recordType { records.append("r.type = \(bind(.text(type.rawValue)))") }
            if let years = request.recordYears {
                records.append("r.year BETWEEN \(bind(.integer(years.lowerBound))) AND \(bind(.integer(years.upperBound)))")
            }
            conditions.append("EXISTS (SELECT 1 FROM records r WHERE " + records.joined(separator: " AND ") + ")")
        }
    }
}
