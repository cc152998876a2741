import PlanKit

/// What ranking a page from the term top lists asks of a backend, inside one read and for one request: stored
/// lists, and the candidate rows checked against the request's filters. Rows are numbered as the lists number
/// them, `documentID << ordinalBits | ordinal`.
protocol TermTopReader {
    /// The stored list of a token; nil when no row holds it.
    func termTopList(_ token: String) throws -> TermTopList?
    /// Of these documents, the ones the request's document filters allow; nil when it has no such filter.
    func documentsAllowed(among documents: Set<Int64>) throws -> Set<Int64>?
    /// True when the request filters nodes (kinds, records).
    var hasNodeFilters: Bool { get }
    /// How many of these rows are searchable and pass the node filters.
    func countPassingNodeFilters(_ rows: Set<Int64>) throws -> Int
    /// The searchable rows among these that pass the node filters, each with its heading, lead and text as the
    /// index was given them.
    func candidateColumns(_ rows: Set<Int64>) throws -> [(rowID: Int64, columns: [String?])]
}

/// The first page of a search from the term top lists, the same on every backend: its candidates are the rows
/// in the list of each term's rarest token, checked against the whole query and the filters, and it is taken
/// only when certain — when its last row outscores every row outside the candidates (see the bound in `page`):
/// always for a single token whose list holds the page, often for phrases and boolean queries. Certainty is
/// with the lists' weighing (a fixed average length, see `BM25`); `bench-index` measures the agreement with a
/// full ranking.
struct TermTopRanking {
    /// How the lists were built (indexing, the fixed average length).
    var parameters: TermTopParameters
    /// Searchable rows in the knowledge base (for the idf).
    var totalRows: Int
    /// The live average row length, which a full ranking uses: the page is ordered and scored with it, so that
    /// scores read the same whichever way a page was ranked.
    var liveAverageLength: Double
    /// Below this many rows for the rarest token of every term, the full ranking is as quick, and exact.
    var minimumRows: Int
    var ordinalBits: Int64

    /// The ranked page (offset applied), or nil when the lists cannot give it: the page reaches past what a list
    /// keeps, every term is rare, or the candidates cannot fill the page with certainty.
    func page(_ request: SearchRequest, reader: some TermTopReader) throws -> [(rowID: Int64, score: Double)]? {
        let needed = request.offset + request.limit
        guard needed > 0, needed <= TermTopList.capacity else { return nil }
        let matcher = RowMatcher(query: request.query, indexing: parameters.indexing)
        guard matcher.leaves.contains(where: { !$0.isExcluded }),
              matcher.leaves.allSatisfy({ !$0.tokens.isEmpty }) else { return nil }

        // Per positive term: the list of its rarest token, and that token's rows as the term's frequency.
        var chosen: [Int: TermTopList] = [:]
        for (index, leaf) in matcher.leaves.enumerated() where !leaf.isExcluded {
            var rarest: TermTopList?
            for token in Set(matcher.tokenTexts(of: leaf)) {
                // A token without a list is in no row: the full ranking answers at once.
                guard let list = try reader.termTopList(token) else { return nil }
                if rarest == nil || list.rows < rarest!.rows { rarest = list }
            }
            chosen[index] = rarest
        }
        guard chosen.values.contains(where: { $0.rows >= minimumRows }) else { return nil }

        var candidates = Set(chosen.values.flatMap { $0.entries.map(TermTopEntry.row) })
        // Only the candidates' documents are looked at, not every document the filter allows.
        if let allowed = try reader.documentsAllowed(among: Set(candidates.map { $0 >> ordinalBits })) {
            candidates = candidates.filter { allowed.contains($0 >> ordinalBits) }
        }
        let incomplete = chosen.values.contains { !$0.isComplete }
        if incomplete, reader.hasNodeFilters {
            // Fewer candidates than the page needs pass the node filters: the page cannot be sure (see the bound
            // below), and reading and matching their text would be in vain.
            if try reader.countPassingNodeFilters(candidates) < needed { return nil }
        } else if incomplete, candidates.count < needed {
            return nil
        }
        let terms = chosen.keys.sorted()
        let bm25 = BM25(averageLength: parameters.averageLength)
        let live = BM25(averageLength: liveAverageLength)
        var scored: [(rowID: Int64, score: Double, liveScore: Double)] = []
        for row in try reader.candidateColumns(candidates) {
            let evaluation = matcher.evaluate(columns: row.columns)
            guard evaluation.matches else { continue }
            var score = 0.0, liveScore = 0.0
            // In the terms' order, as the full rankings sum them, so that the doubles are theirs.
            for index in terms {
                let list = chosen[index]!
                let idf = BM25.idf(rows: totalRows, matching: list.rows)
                score += idf * bm25.impact(weightedFrequency: evaluation.frequencies[index], rowLength: evaluation.length)
                liveScore += idf * live.impact(weightedFrequency: evaluation.frequencies[index], rowLength: evaluation.length)
            }
            scored.append((row.rowID, score, liveScore))
        }
        // A row outside the candidates is in no chosen list: for each term, either the list holds every row of
        // its rarest token (the row lacks the term) or the row weighs at most the list's weakest entry there.
        // So no such row can score above this bound (Fagin's threshold algorithm), and the page is certain
        // when its last row reaches it. Stored impacts are rounded down by less than 2^-15 of their value, so
        // rows within 0.01% of the page's last row count as ties.
        var bound = 0.0
        for list in chosen.values where !list.isComplete {
            guard let weakest = list.entries.last else { return nil }
            bound += BM25.idf(rows: totalRows, matching: list.rows) * TermTopEntry.impact(weakest)
        }
        scored.sort { ($0.score, $1.rowID) > ($1.score, $0.rowID) }
        if scored.count < needed ? bound > 0 : scored[needed - 1].score < bound * (1 - 1e-4) { return nil }
        scored.sort { ($0.liveScore, $1.rowID) > ($1.liveScore, $0.rowID) }
        return scored.dropFirst(request.offset).prefix(request.limit).map { (rowID: $0.rowID, score: $0.liveScore) }
    }
}
