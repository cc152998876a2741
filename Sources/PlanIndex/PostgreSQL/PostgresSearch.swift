import Foundation
import PostgresNIO
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
    struct Match: Equatable {
        var documentID: Int
        var ordinal: Int
        var score: Double
        /// The outermost heading of the path, as `--count-by chapter` groups (nil before any heading, and when the
        /// search was not asked for chapters).
        var chapter: String?

        /// The ranking's order: higher scores first, ties by document id and ordinal (SQLite's row ids).
        static func inRankingOrder(_ a: Match, _ b: Match) -> Bool {
            (a.score, b.documentID, b.ordinal) > (b.score, a.documentID, a.ordinal)
        }
    }

    private typealias Evaluated = (documentID: Int, ordinal: Int, evaluation: RowMatcher.Evaluation, kind: String?, path: String?)

    /// Below this many candidates per processor, one thread evaluates them all.
    static let rowsPerWorker = 256

    /// What BM25 needs of the whole table, read in the search's snapshot.
    private struct Statistics {
        var rows: Int
        var version: Int
        var bm25: BM25

        init(in session: PostgresSession) throws {
            let counts = try session.query("SELECT searchable_rows, tokens, version FROM kb_counts WHERE id = 1").first
            rows = try counts?.integer(0) ?? 0
            let tokens = try counts?.integer(1) ?? 0
            version = try counts?.integer(2) ?? 0
            bm25 = BM25(averageLength: Double(tokens) / Double(max(rows, 1)))
        }
    }

    /// The columns `evaluate` reads, from column 0: document id, ordinal, heading, lead, text as the index was
    /// given them, kind and path (or NULLs without chapters).
    private static func candidateColumns(chapters: Bool) -> String {
        """
        n.doc_id, n.ordinal, n.heading, CASE n.searchable WHEN 1 THEN n.lead END,
        CASE n.searchable WHEN 1 THEN n.text ELSE \(NodeRow.titleTextSQL) END,
        \(chapters ? "n.kind, n.path" : "NULL, NULL")
        """
    }

    /// The rows a `tsquery` narrows to: the exact query (`$1`), or the lexemes (`$2`) for long rows.
    private static let candidateCondition = "(n.search @@ $1::tsquery OR (n.long AND n.search @@ $2::tsquery))"

    /// The candidates that match, each evaluated by `matcher`, in the candidates' order. They are tokenized again
    /// on every processor, in contiguous slices: this is most of a search's time when the term top lists cannot
    /// answer it, and it is spent here rather than in the shared server.
    private func evaluate(_ candidates: [PostgresRandomAccessRow], with matcher: RowMatcher) throws -> [Evaluated] {
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
        return try slices.values().flatMap { $0 }
    }

    /// BM25 of an evaluated row: per leaf in the leaves' order, as FTS5 sums them.
    private static func score(_ evaluation: RowMatcher.Evaluation, idf: [Double], bm25: BM25) -> Double {
        var score = 0.0
        for index in idf.indices {
            score += idf[index] * bm25.impact(weightedFrequency: evaluation.frequencies[index], rowLength: evaluation.length)
        }
        return score
    }

    /// The matching rows, each with its chapter when `chapters` (for `--count-by chapter`; nil otherwise, which
    /// spares sending every candidate's path).
    func matches(in session: PostgresSession, chapters: Bool = false) throws -> [Match] {
        let matcher = RowMatcher(query: request.query, indexing: indexing)
        let textQuery = TextSearchQuery(request.query, indexing: indexing)
        guard !textQuery.exact.isEmpty else { return [] }
        let statistics = try Statistics(in: session)
        var parameters: [SQLValue] = [.text(textQuery.exact), .text(textQuery.lexemes)]
        let filters = PostgresFilters(request: request, parameters: &parameters)
        let candidates = try session.query(
            "SELECT " + Self.candidateColumns(chapters: chapters) + " FROM nodes n WHERE " + Self.candidateCondition
                + filters.conditions.map { " AND " + $0 }.joined(), parameters)
        let evaluated = try evaluate(candidates, with: matcher)
        guard !evaluated.isEmpty else { return [] }
        let idf = try matcher.leaves.map { leaf in
            BM25.idf(rows: statistics.rows, matching: try rowsHolding(leaf, version: statistics.version, in: session))
        }
        return evaluated.map { row in
            Match(documentID: row.documentID, ordinal: row.ordinal,
                  score: Self.score(row.evaluation, idf: idf, bm25: statistics.bm25),
                  chapter: row.kind.flatMap { Self.chapter(path: row.path, kind: $0) })
        }
    }

    /// The first `size` matching rows in the ranking's order (score, then document id and ordinal), without
    /// evaluating every candidate.
    ///
    /// The server gives each candidate an upper bound on its score: its length is stored (`token_count`) and a
    /// token's weighted frequency in it is `ts_rank_cd` over the vector with the columns' weights as position
    /// weights (heading A 8, lead B 3, text D 1, all divided by 8 to fit `ts_rank_cd`'s range; a cover of one
    /// lexeme adds its position's weight, so the sum is the token's weighted frequency over 8). A phrase occurs no
    /// more often in a column than any of its tokens, so the least of its tokens' frequencies bounds its own, and
    /// BM25 grows with the frequency; long rows, whose vectors have no positions, are bounded by infinity. The
    /// candidates come in batches by falling bound, each with its texts, and `RowMatcher` scores them exactly;
    /// once the page's last score is above the bound of the next candidate, no further row can reach the page —
    /// the same page as ranking every candidate, for a fraction of the texts read (dynamic pruning, as
    /// `PageRanker` does inside FTS5).
    func page(size: Int, in session: PostgresSession) throws -> [Match] {
        try rankedPage(size: size, in: session).matches
    }

    /// A page and how many candidates' texts it read (for tests and benchmarks).
    struct Page {
        var matches: [Match]
        var rowsRead: Int
    }

    func rankedPage(size: Int, in session: PostgresSession) throws -> Page {
        let matcher = RowMatcher(query: request.query, indexing: indexing)
        let textQuery = TextSearchQuery(request.query, indexing: indexing)
        guard !textQuery.exact.isEmpty, size > 0 else { return Page(matches: [], rowsRead: 0) }
        let statistics = try Statistics(in: session)
        let idf = try matcher.leaves.map { leaf in
            BM25.idf(rows: statistics.rows, matching: try rowsHolding(leaf, version: statistics.version, in: session))
        }
        var parameters: [SQLValue] = [.text(textQuery.exact), .text(textQuery.lexemes)]
        func bind(_ value: SQLValue) -> String {
            parameters.append(value)
            return "$\(parameters.count)"
        }
        let filters = PostgresFilters(request: request, parameters: &parameters)
        // Per included leaf, the least weighted frequency of its tokens (`f0`, `f1`, …) and its term of the bound.
        var frequencies: [String] = []
        var terms: [String] = []
        let average = bind(.double(statistics.bm25.averageLength))
        for (index, leaf) in matcher.leaves.enumerated() where !leaf.isExcluded {
            var tokens: [String] = []
            for token in matcher.tokenTexts(of: leaf)
            where token.utf8.count <= SearchVector.maximumLexemeBytes && !tokens.contains(token) { tokens.append(token) }
            guard !tokens.isEmpty else { continue }
            let ranks = tokens.map {
                "ts_rank_cd('{0.125,0.125,0.375,1}', n.search, \(bind(.text(SearchVector.quoted($0))))::tsquery, 0)"
            }
            let name = "f\(frequencies.count)"
            frequencies.append("round(8 * (" + (ranks.count == 1 ? ranks[0] : "least(" + ranks.joined(separator: ", ") + ")")
                + ")::float8) AS " + name)
            terms.append("\(bind(.double(idf[index]))) * CASE WHEN f.\(name) > 0 THEN f.\(name) * \(BM25.k1 + 1)::float8 / (f.\(name) + \(BM25.k1)::float8 * (\(1 - BM25.b)::float8 + \(BM25.b)::float8 * n.token_count::float8 / \(average))) ELSE 0 END")
        }
        guard !terms.isEmpty else { return Page(matches: [], rowsRead: 0) }
        // OFFSET 0 keeps the bound computed once a row, not again for the conditions on it.
        let candidates = "SELECT " + Self.candidateColumns(chapters: false)
            + ", CASE WHEN n.long THEN 'Infinity'::float8 ELSE " + terms.joined(separator: " + ") + " END AS bound"
            + " FROM nodes n CROSS JOIN LATERAL (SELECT " + frequencies.joined(separator: ", ") + ") f"
            + " WHERE " + Self.candidateCondition + filters.conditions.map { " AND " + $0 }.joined() + " OFFSET 0"
        var scored: [Match] = []
        // The page's scores so far, best first (at most `size`).
        var best: [Double] = []
        var after: (bound: Double, documentID: Int, ordinal: Int)?
        var batch = max(4 * size, 64)
        var rowsRead = 0
        while true {
            var batchParameters = parameters
            func bindHere(_ value: SQLValue) -> String {
                batchParameters.append(value)
                return "$\(batchParameters.count)"
            }
            var conditions: [String] = []
            if let after {
                conditions.append("(c.bound < \(bindHere(.double(after.bound))) OR (c.bound = $\(batchParameters.count) AND (c.doc_id, c.ordinal) > (\(bindHere(.integer(after.documentID))), \(bindHere(.integer(after.ordinal))))))")
            }
            // A row whose bound is below the page's last score cannot reach the page (with a margin for the
            // server's rounding, which may differ from Swift's in the last bit).
            if best.count == size, let last = best.last {
                conditions.append("c.bound >= \(bindHere(.double(last - abs(last) * 1e-9)))")
            }
            let rows = try session.query("SELECT * FROM (" + candidates + ") c"
                + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
                + " ORDER BY c.bound DESC, c.doc_id, c.ordinal LIMIT \(batch)", batchParameters)
            rowsRead += rows.count
            for row in try evaluate(rows, with: matcher) {
                let score = Self.score(row.evaluation, idf: idf, bm25: statistics.bm25)
                scored.append(Match(documentID: row.documentID, ordinal: row.ordinal, score: score, chapter: nil))
                if best.count < size || score > best[size - 1] {
                    best.insert(score, at: best.firstIndex { $0 < score } ?? best.count)
                    if best.count > size { best.removeLast() }
                }
            }
            guard rows.count == batch, let last = rows.last else { break }
            let bound = try last.double(7) ?? .infinity
            if best.count == size, let score = best.last, bound < score - abs(score) * 1e-9 { break }
            after = (bound, try last.integer(0)!, try last.integer(1)!)
            batch *= 4
        }
        return Page(matches: Array(scored.sorted(by: Match.inRankingOrder).prefix(size)), rowsRead: rowsRead)
    }

    /// Rows of the whole table that hold the leaf (its phrase anywhere), as FTS5 counts a phrase for its idf.
    private func rowsHolding(_ leaf: RowMatcher.Leaf, version: Int, in session: PostgresSession) throws -> Int {
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
        /// Node filters (kinds, records).
        static let nodes = Parts(rawValue: 2)
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
        if parts.contains(.documents), let after = request.publishedAfter { documents.append("d.date >= \(bind(.text(after)))") }
        if parts.contains(.documents), let before = request.publishedBefore { documents.append("d.date <= \(bind(.text(before)))") }
        if !documents.isEmpty {
            documentCondition = documents.joined(separator: " AND ")
            if parts.contains(.nodes) {
                conditions.append("n.doc_id IN (SELECT d.id FROM documents d WHERE " + documentCondition! + ")")
            }
        }
        guard parts.contains(.nodes) else { return }
        if !request.kinds.isEmpty {
            // A node of the kind, or one inside such a node: its id has the kind's alias as a step.
            var kinds: [String] = []
            for kind in request.kinds {
                kinds.append("n.kind = \(bind(.text(kind.rawValue)))")
                kinds.append("('__' || n.node_id || '_') LIKE \(bind(.text("%\\_\\_" + kind.idAlias + "\\_%"))) ESCAPE '\\'")
            }
            conditions.append("(" + kinds.joined(separator: " OR ") + ")")
        }
        if request.recordType != nil || request.recordYears != nil {
            var records = ["r.doc_id = n.doc_id",
                           "(r.node_id = n.node_id OR (r.node_id > n.node_id || '__' AND r.node_id < n.node_id || '__~'))"]
            if let type = request.recordType { records.append("r.type = \(bind(.text(type)))") }
            if let years = request.recordYears {
                records.append("r.year BETWEEN \(bind(.integer(years.lowerBound))) AND \(bind(.integer(years.upperBound)))")
            }
            conditions.append("EXISTS (SELECT 1 FROM records r WHERE " + records.joined(separator: " AND ") + ")")
        }
    }
}
