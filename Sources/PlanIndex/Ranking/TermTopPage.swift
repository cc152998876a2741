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
    /// The rows among these that are searchable and pass the node filters.
    func rowsPassingNodeFilters(_ rows: Set<Int64>) throws -> Set<Int64>
    /// The searchable rows among these that pass the node filters, each with its heading, lead and text as the
    /// index was given them.
    func candidateColumns(_ rows: Set<Int64>) throws -> [(rowID: Int64, columns: [String?])]
    /// The length of each of these rows as BM25 counts it (tokens over all columns, colocated ones once), without
    /// reading their text.
    func rowLengths(_ rows: Set<Int64>) throws -> [Int64: Int]
}

/// The first page of a search from the term top lists, the same on every backend: its candidates are the rows
/// in the list of each term's rarest token, checked against the whole query and the filters, and it is taken
/// only when certain — when its last row outscores every row outside the candidates (see the bound in `page`):
/// always for a single token whose list holds the page, often for phrases and boolean queries. Certainty is
/// with the lists' weighing (a fixed average length, see `BM25`); `bench-index` measures the agreement with a
/// full ranking. Candidates are scored without reading their text where the lists and the rows' lengths tell the
/// frequencies (queries of single tokens), and the rest are read in batches, best bound first, until no row left
/// can change the page (`CandidateBounds`); `.allAtOnce` reads them all and gives the same page.
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
    /// How candidates are read and matched; `.allAtOnce` is for tests, to show that `.progressive` gives its page.
    var verification = Verification.progressive

    enum Verification { case progressive, allAtOnce }

    /// A ranked page, and how many candidate rows were read to make it.
    struct Page {
        var rows: [(rowID: Int64, score: Double)]
        var candidatesRead: Int
    }

    /// The ranked page (offset applied), or nil when the lists cannot give it: the page reaches past what a list
    /// keeps, every term is rare, or the candidates cannot fill the page with certainty.
    func page(_ request: SearchRequest, reader: some TermTopReader) throws -> Page? {
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
        if reader.hasNodeFilters {
            candidates = try reader.rowsPassingNodeFilters(candidates)
        }
        // Fewer candidates than the page needs: the page cannot be sure (see the bound below), and reading and
        // matching their text would be in vain.
        if chosen.values.contains(where: { !$0.isComplete }), candidates.count < needed { return nil }
        let terms = chosen.keys.sorted()
        let bm25 = BM25(averageLength: parameters.averageLength)
        let live = BM25(averageLength: liveAverageLength)
        // A row outside the candidates is in no chosen list: for each term, either the list holds every row of
        // its rarest token (the row lacks the term) or the row weighs at most the list's weakest entry there. So
        // no such row can score above this bound (Fagin's threshold algorithm), and the page is certain when its
        // last row reaches it. Stored impacts are rounded down by less than 2^-15 of their value, so rows within
        // 0.01% of the page's last row count as ties.
        var bound = 0.0
        for list in chosen.values where !list.isComplete {
            guard let weakest = list.entries.last else { return nil }
            bound += BM25.idf(rows: totalRows, matching: list.rows) * TermTopEntry.impact(weakest)
        }
        let tolerance = 1 - 1e-4
        let bounds = CandidateBounds(terms: terms.map { ($0, chosen[$0]!, BM25.idf(rows: totalRows, matching: chosen[$0]!.rows)) },
                                     leafCount: matcher.leaves.count, fixed: bm25, live: live)
        // Candidates are read only when the lists alone put a full page above the bound (each row by the impacts
        // of the lists that hold it, the other terms counted as nothing): the page would otherwise have to be made
        // of rows the lists under-weigh. Of 29 boolean queries on the 200 MB benchmark corpus, the 18 whose page
        // was not certain after reading every candidate had no such row at all, the 11 that were certain had 25
        // or more; reading the candidates in vain cost about as much as the full ranking that followed.
        guard bound == 0 || candidates.count(where: { bounds.lowerBound(of: $0) >= bound * tolerance }) >= needed else { return nil }
        var scored: [(rowID: Int64, score: Double, liveScore: Double)] = []
        func score(_ row: Int64, frequencies: [Double], length: Int) {
            var score = 0.0, liveScore = 0.0
            // In the terms' order, as the full rankings sum them, so that the doubles are theirs.
            for index in terms {
                let idf = BM25.idf(rows: totalRows, matching: chosen[index]!.rows)
                score += idf * bm25.impact(weightedFrequency: frequencies[index], rowLength: length)
                liveScore += idf * live.impact(weightedFrequency: frequencies[index], rowLength: length)
            }
            scored.append((row, score, liveScore))
        }
        var candidatesRead = 0
        func verify(_ rows: Set<Int64>) throws {
            candidatesRead += rows.count
            for row in try reader.candidateColumns(rows) {
                let evaluation = matcher.evaluate(columns: row.columns)
                guard evaluation.matches else { continue }
                score(row.rowID, frequencies: evaluation.frequencies, length: evaluation.length)
            }
        }
        switch verification {
        case .allAtOnce:
            try verify(candidates)
        case .progressive:
            // A query of single tokens, none excluded: the lists and the row's length tell each term's frequency
            // (see `CandidateBounds.frequencies`), so most rows are scored without reading their text. Otherwise
            // lengths only sharpen the bounds where the live average is the longer (see `upperBounds`).
            let decidable = matcher.leaves.allSatisfy { !$0.isExcluded && $0.tokens.count == 1 }
            let measured = liveAverageLength > parameters.averageLength ? candidates
                : decidable ? candidates.filter(bounds.isDecidable) : []
            let lengths = measured.isEmpty ? [:] : try reader.rowLengths(measured)
            var undecided: [(rowID: Int64, bound: (fixed: Double, live: Double))] = []
            for row in candidates {
                if decidable, let length = lengths[row], let frequencies = bounds.frequencies(of: row, length: length) {
                    if matcher.matches(frequencies: frequencies) { score(row, frequencies: frequencies, length: length) }
                } else {
                    undecided.append((row, bounds.upperBounds(of: row, length: lengths[row])))
                }
            }
            // The others in the order of what they can score at most, read and matched in growing batches until
            // none left can reach the page: a phrase's page reads about as many rows as it shows, not the list.
            let order = undecided.sorted { ($0.bound.live, $1.rowID) > ($1.bound.live, $0.rowID) }
            // The most any row from the i-th on can score with the lists' weighing.
            var restFixed = [Double](repeating: 0, count: order.count + 1)
            for index in order.indices.reversed() { restFixed[index] = max(restFixed[index + 1], order[index].bound.fixed) }
            var verified = 0, batch = needed + 4
            while verified < order.count {
                // Done when the page, both as the lists weigh it (for the certainty below) and as it is shown,
                // lies above every row not read.
                if scored.count >= needed,
                   Self.largest(needed, of: scored.map(\.liveScore)) > order[verified].bound.live,
                   Self.largest(needed, of: scored.map(\.score)) > restFixed[verified] { break }
                let next = order[verified..<min(order.count, verified + batch)]
                try verify(Set(next.map(\.rowID)))
                verified = next.endIndex
                batch *= 2
            }
        }
        scored.sort { ($0.score, $1.rowID) > ($1.score, $0.rowID) }
        if scored.count < needed ? bound > 0 : scored[needed - 1].score < bound * tolerance { return nil }
        scored.sort { ($0.liveScore, $1.rowID) > ($1.liveScore, $0.rowID) }
        return Page(rows: scored.dropFirst(request.offset).prefix(request.limit).map { (rowID: $0.rowID, score: $0.liveScore) },
                    candidatesRead: candidatesRead)
    }

    /// The `k`-th largest of `values` (at least `k` of them).
    private static func largest(_ k: Int, of values: [Double]) -> Double {
        values.sorted(by: >)[k - 1]
    }
}

/// What the term top lists tell of a candidate row before its text is read, from the impacts they store and the
/// row's length. Per term, the list of its rarest token holds the row with an impact, or does not hold it: then
/// the row weighs at most the list's weakest entry when the list is incomplete, and lacks the term when the list
/// holds every row of its token.
///
/// With the row's length, an impact gives the frequency it was computed from (f = I·k1·n / (k1 + 1 − I),
/// n = 1 − b + b·len/avg). A term occurs no more often than its rarest token, and an impact grows with the
/// frequency, so the token's frequency bounds the term's, and with it the impact under the live average
/// (`upperBounds`). Stored impacts are rounded down by less than 2^-15 of their value (bounds raise them by
/// 2^-14); where the frequency is the only whole number whose impact rounds to the stored one, it is the
/// token's frequency exactly (`frequencies`) — and a term of one token occurs exactly as often.
struct CandidateBounds {
    private struct Term {
        var leaf: Int
        /// Per row the list holds, the stored impact's bits (as `TermTopEntry` packs them).
        var impacts: [Int64: UInt64]
        /// The bits of what a row outside the list weighs at most; nil when the list holds every row of its token.
        var outside: UInt64?
        var idf: Double
    }
    private var terms: [Term]
    private let leafCount: Int
    private let fixed: BM25
    private let live: BM25

    /// `terms`: per positive leaf (by index among `leafCount` leaves), its chosen list and idf.
    init(terms: [(leaf: Int, list: TermTopList, idf: Double)], leafCount: Int, fixed: BM25, live: BM25) {
        self.terms = terms.map { leaf, list, idf in
            var impacts: [Int64: UInt64] = [:]
            for entry in list.entries { impacts[TermTopEntry.row(entry)] = entry >> TermTopEntry.rowBits }
            let outside = list.isComplete ? nil : (list.entries.last ?? 0) >> TermTopEntry.rowBits
            return Term(leaf: leaf, impacts: impacts, outside: outside, idf: idf)
        }
        self.leafCount = leafCount
        self.fixed = fixed
        self.live = live
    }

    /// The least the row scores with the lists' weighing if it matches: the stored impacts of the lists that
    /// hold it (rounded down, as stored), the other terms counted as nothing.
    func lowerBound(of row: Int64) -> Double {
        var bound = 0.0
        for term in terms {
            if let bits = term.impacts[row] { bound += term.idf * Self.impact(bits) }
        }
        return bound
    }

    /// Whether every term's list holds the row or every row of its token, as `frequencies` needs.
    func isDecidable(_ row: Int64) -> Bool {
        terms.allSatisfy { $0.outside == nil || $0.impacts[row] != nil }
    }

    /// Per leaf, its frequency in the row when every term's list tells it exactly: the row is in the list (see
    /// above) or not in a list that holds every row of its token (0). Nil when any is not known. For queries whose
    /// leaves are each one token.
    func frequencies(of row: Int64, length: Int) -> [Double]? {
        var frequencies = [Double](repeating: 0, count: leafCount)
        for term in terms {
            guard let bits = term.impacts[row] else {
                if term.outside != nil { return nil }
                continue
            }
            guard let frequency = exactFrequency(bits, length: length) else { return nil }
            frequencies[term.leaf] = frequency
        }
        return frequencies
    }

    /// The most the row can score with the lists' average and with the live one; `length` as the index counts
    /// it. A live average no longer than the lists' weighs every row no more than the lists do, whatever its
    /// length; a longer one needs the length (without it, only the saturation k1 + 1 bounds a live impact).
    func upperBounds(of row: Int64, length: Int?) -> (fixed: Double, live: Double) {
        let saturated = BM25.k1 + 1
        var fixedBound = 0.0, liveBound = 0.0
        for term in terms {
            guard let bits = term.impacts[row] ?? term.outside else { continue }
            let stored = Self.impact(bits)
            guard stored > 0 else { continue }
            let impact = min(saturated, stored * (1 + 0x1p-14))
            fixedBound += term.idf * impact
            if live.averageLength <= fixed.averageLength { liveBound += term.idf * impact; continue }
            guard let length, impact < saturated * (1 - 1e-9) else { liveBound += term.idf * saturated; continue }
            let frequency = impact * BM25.k1 * norm(length) / (saturated - impact)
            liveBound += term.idf * min(saturated, live.impact(weightedFrequency: frequency, rowLength: length) * (1 + 1e-9))
        }
        return (fixedBound, liveBound)
    }

    /// The whole frequency whose impact at this length packs to `bits`, when exactly one does.
    private func exactFrequency(_ bits: UInt64, length: Int) -> Double? {
        let stored = Self.impact(bits), saturated = BM25.k1 + 1
        guard stored > 0, stored < saturated * (1 - 1e-6) else { return nil }
        let frequency = (stored * BM25.k1 * norm(length) / (saturated - stored)).rounded()
        func packs(_ f: Double) -> UInt64 {
            TermTopEntry.pack(impact: fixed.impact(weightedFrequency: f, rowLength: length), row: 0) >> TermTopEntry.rowBits
        }
        guard frequency >= 1, packs(frequency) == bits, packs(frequency - 1) != bits, packs(frequency + 1) != bits
        else { return nil }
        return frequency
    }

    private func norm(_ length: Int) -> Double { 1 - BM25.b + BM25.b * Double(length) / fixed.averageLength }

    private static func impact(_ bits: UInt64) -> Double { TermTopEntry.impact(bits << TermTopEntry.rowBits) }
}
