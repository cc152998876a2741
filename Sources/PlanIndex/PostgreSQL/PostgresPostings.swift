import Foundation
import PlanKit

/// Postings: for every index token, the rows that hold it, each with the token's weighted frequency there and
/// the row's length — what BM25 needs of a row, kept apart from the rows themselves.
///
/// The GIN index over `nodes.search` tells which rows hold a token but not how often, so a search the term top
/// lists cannot answer (a filter, an AND or OR of common words) had to read and tokenize every candidate row's
/// text again: at 1 GB, 55,327 rows in 37,080 heap pages for `开放 --issuer 国务院`. With postings such a search
/// reads a few hundred kilobytes of packed entries, scores every candidate exactly without touching a row, and
/// reads rows only to check node filters (kinds, records) or phrases, best bound first, until no row left can
/// change the page (`PostingsRanking`).
///
/// Each write transaction adds one segment: a row of `postings` per token it brought (`token`, `segment`,
/// `entries`), so concurrent writers never touch the same rows. Entries are varints, four per row: the row id
/// (`doc_id << 20 | ordinal`) as the difference from the previous entry's, the weighted frequency (heading 8,
/// lead 3, text 1: a whole number), the row's length as BM25 counts it, and the kinds it is or is inside
/// (`KindMask`), which `--kind` filters by. A deleted document's entries stay
/// where they are and its id joins `postings_dead`, which readers skip; documents stored before the postings
/// existed are listed in `postings_missing`, and while any is, searches rank without postings.
enum Postings {
    /// Tokens longer than this (bytes) get no postings (a btree key holds at most about 2.7 KB); a query with
    /// one is ranked without them.
    static let maximumTokenBytes = 1_000

    struct Entry {
        var row: Int64
        var frequency: Int32
        var length: Int32
        /// The row's kinds (`KindMask`): its own and those of the nodes it is inside.
        var kinds: UInt32
    }

    /// Which kinds a row is or is inside, one bit a kind, so that `--kind` filters the entries without reading
    /// a row: the SQL condition's rule (`PostgresFilters`), a node of the kind or one whose id has the kind's
    /// alias as a step. The commonest kinds have the lowest bits, so that most masks are one varint byte.
    enum KindMask {
        static let order: [NodeKind] = [.paragraph, .clause, .lead, .article, .chapter, .section, .division, .item,
                                        .subitem, .point, .subpoint, .part, .subpart, .preface, .preamble, .toc, .box,
                                        .attachment, .listEntry, .figure, .closing, .document]
        private static let steps = order.map { "__" + $0.idAlias + "_" }

        static func of(kind: NodeKind, nodeID: String) -> UInt32 {
            let wrapped = "__" + nodeID + "_"
            var mask: UInt32 = 0
            for (bit, candidate) in order.enumerated() where candidate == kind || wrapped.contains(steps[bit]) {
                mask |= 1 << UInt32(bit)
            }
            return mask
        }

        static func of(_ kinds: [NodeKind]) -> UInt32 {
            kinds.reduce(0) { $0 | 1 << UInt32(order.firstIndex(of: $1)!) }
        }

        /// Per ordinal, the mask of each row (0 for ordinals without a row).
        static func of(rows: [NodeRow]) -> [UInt32] {
            var masks = [UInt32](repeating: 0, count: (rows.map(\.ordinal).max() ?? -1) + 1)
            for row in rows where row.searchable != .none { masks[row.ordinal] = of(kind: row.kind, nodeID: row.nodeID) }
            return masks
        }
    }

    /// One entry's four varints, its row as the difference from `previous` (the entry before it, 0 for the first).
    static func append(_ entry: Entry, after previous: Int64, to bytes: inout [UInt8]) {
        appendVarint(UInt64(entry.row - previous), to: &bytes)
        appendVarint(UInt64(entry.frequency), to: &bytes)
        appendVarint(UInt64(entry.length), to: &bytes)
        appendVarint(UInt64(entry.kinds), to: &bytes)
    }

    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Appends a segment's entries to `entries`, leaving out rows of the documents `isDead` names. Returns
    /// false when the bytes are not a whole number of entries (a damaged value: the caller ranks without them).
    static func decode(_ data: Data, into entries: inout [Entry], ordinalBits: Int64,
                       isDead: (Int64) -> Bool) -> Bool {
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var offset = 0
            func varint() -> UInt64? {
                var value: UInt64 = 0
                var shift: UInt64 = 0
                while offset < bytes.count, shift < 64 {
                    let byte = bytes[offset]
                    offset += 1
                    value |= UInt64(byte & 0x7F) << shift
                    if byte < 0x80 { return value }
                    shift += 7
                }
                return nil
            }
            var row: Int64 = 0
            while offset < bytes.count {
                guard let delta = varint(), let frequency = varint(), let length = varint(), let kinds = varint()
                else { return false }
                row &+= Int64(bitPattern: delta)
                if !isDead(row >> ordinalBits) {
                    entries.append(Entry(row: row, frequency: Int32(truncatingIfNeeded: frequency),
                                         length: Int32(truncatingIfNeeded: length), kinds: UInt32(truncatingIfNeeded: kinds)))
                }
            }
            return true
        }
    }
}

/// The postings one write transaction adds, built from its documents' term digests (`TermDigest` with
/// frequencies, made on the loading threads), documents in the order of their ids.
struct PostingsSegment {
    private var packedIndex: [UInt64: Int] = [:]
    private var longIndex: [String: Int] = [:]
    private(set) var tokens: [String] = []
    private(set) var buffers: [[UInt8]] = []
    private var lastRows: [Int64] = []
    let ordinalBits: Int64

    init(ordinalBits: Int64) { self.ordinalBits = ordinalBits }

    var isEmpty: Bool { tokens.isEmpty }

    /// A token's entries in row order, all at once (compaction; a token not added before).
    mutating func add(token: String, entries: [Postings.Entry]) {
        guard !entries.isEmpty else { return }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(entries.count * 4)
        var last: Int64 = 0
        for entry in entries {
            Postings.append(entry, after: last, to: &buffer)
            last = entry.row
        }
        tokens.append(token)
        buffers.append(buffer)
        lastRows.append(last)
    }

    /// A document's entries; `kinds` per ordinal (`Postings.KindMask.of(rows:)`).
    mutating func add(_ digest: TermDigest, kinds: [UInt32], documentID: Int64) {
        precondition(digest.keepsFrequencies, "a digest without frequencies")
        for (index, key) in digest.tokens.enumerated() {
            let slot: Int
            if key & 0xFF != 0, let known = packedIndex[key] {
                slot = known
            } else {
                let text = digest.keys.text(key)
                if key & 0xFF == 0, let known = longIndex[text] {
                    slot = known
                } else {
                    guard text.utf8.count <= Postings.maximumTokenBytes else { continue }
                    slot = tokens.count
                    if key & 0xFF != 0 { packedIndex[key] = slot } else { longIndex[text] = slot }
                    tokens.append(text)
                    buffers.append([])
                    lastRows.append(0)
                }
            }
            for entry in Int(digest.offsets[index])..<Int(digest.offsets[index + 1]) {
                let ordinal = Int(TermTopEntry.row(digest.entries[entry]))
                let row = documentID << ordinalBits | Int64(ordinal)
                Postings.append(Postings.Entry(row: row, frequency: digest.frequencies[entry], length: digest.lengths[ordinal],
                                               kinds: ordinal < kinds.count ? kinds[ordinal] : 0),
                                after: lastRows[slot], to: &buffers[slot])
                lastRows[slot] = row
            }
        }
    }
}

extension PostgresKnowledgeBase {
    /// Stores a segment in one statement, under `number` (compaction) or a new number from `postings_segments`.
    func writePostings(_ segment: PostingsSegment, segment number: Int? = nil, in session: PostgresSession) throws {
        guard !segment.isEmpty else { return }
        var entries = BinaryColumn(.bytea, capacity: segment.tokens.count)
        for buffer in segment.buffers { entries.append(bytes: buffer) }
        try session.query("""
            INSERT INTO postings (token, segment, entries)
            SELECT u.t, coalesce($3, s.n), u.e FROM unnest($1::text[], $2::bytea[]) AS u(t, e),
                   (SELECT CASE WHEN $3::bigint IS NULL THEN nextval('postings_segments') END AS n) AS s
            """, [.texts(segment.tokens), .column(entries), .integer(number)])
    }

    /// The ranked page from the postings, or nil when they cannot give it (documents without postings, a token
    /// too long to have any, a query of exclusions only).
    func postingsPage(_ request: SearchRequest, in session: PostgresSession) throws -> [PostgresSearch.Match]? {
        try PostingsRanking(request: request, indexing: indexing, cache: phraseRowCache, documentSets: documentSets,
                            ordinalBits: Self.ordinalBits).page(in: session)
    }

    /// Every row matching the request, from the postings when they decide it alone, otherwise through the GIN
    /// index (`PostgresSearch`); with `chapters` (paths needed) always the latter.
    func allMatches(_ request: SearchRequest, chapters: Bool = false, in session: PostgresSession) throws -> [PostgresSearch.Match] {
        if !chapters, let matches = try PostingsRanking(request: request, indexing: indexing, cache: phraseRowCache,
                                                         documentSets: documentSets, ordinalBits: Self.ordinalBits)
            .everyMatch(in: session) {
            return matches
        }
        return try PostgresSearch(request: request, indexing: indexing, cache: phraseRowCache).matches(in: session, chapters: chapters)
    }

    /// Whether `search` answers this request from the postings (when the term top lists do not).
    func answersFromPostings(_ request: SearchRequest) throws -> Bool {
        try ranking(of: request) == .postings
    }

    /// How `search` ranks this request's page, for benchmarks and tests.
    public func ranking(of request: SearchRequest) throws -> PostgresRanking {
        try read { session in
            if try topListPage(request, in: session) != nil { return .termTopLists }
            return try postingsPage(request, in: session) != nil ? .postings : .candidates
        }
    }
}

/// Where a PostgreSQL page comes from: the term top lists, the postings, or every candidate the GIN index gives.
public enum PostgresRanking: String, Sendable {
    case termTopLists = "top lists"
    case postings
    case candidates = "GIN candidates"
}

extension PostgresKnowledgeBase {
    /// Any number that no other application's advisory locks use (ASCII "plankbpc").
    static let postingsCompactionLock = 0x706C_616E_6B62_7063
    /// Segments written since the last compaction that make the next run's end compact (one per write
    /// transaction: 128 for a gigabyte indexed at once).
    static let postingsCompactionSegments = 256

    /// Rewrites the postings as one segment per token without the entries of deleted documents, when those
    /// documents are a quarter of the stored ones or more, or `postingsCompactionSegments` segments were written
    /// since the last compaction (or always, with `force`). One transaction: readers see the postings before or
    /// after, never between. Writers go on meanwhile: only the segments read are replaced, and documents
    /// deleted meanwhile stay listed as dead. Returns whether it compacted.
    @discardableResult
    func compactPostings(force: Bool = false) throws -> Bool {
        try pool.withSession { session in
            try session.transaction {
                try session.query("SELECT pg_advisory_xact_lock($1)", [.integer(Self.postingsCompactionLock)])
                guard let state = try session.query("""
                    SELECT (SELECT count(*) FROM postings_dead), (SELECT count(*) FROM documents),
                           (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM postings_segments),
                           coalesce((SELECT value::bigint FROM kb_info WHERE key = 'postings_compacted_segment'), 0)
                    """).first else { return false }
                let dead = try state.integer(0) ?? 0, documents = try state.integer(1) ?? 0
                let segments = (try state.integer(2) ?? 0) - (try state.integer(3) ?? 0)
                guard force || (dead > 0 && dead * 4 >= documents + dead) || segments >= Self.postingsCompactionSegments
                else { return false }
                try session.query(Self.writerMemory)
                let deadIDs = Set(try session.query("SELECT doc_id FROM postings_dead").compactMap { try $0.integer(0) }.map(Int64.init))
                let segment = try session.query("SELECT nextval('postings_segments')").first?.integer(0) ?? 0
                // Stored segments other than the one being written, in token order.
                func stored(_ condition: String, _ token: String) throws -> [(token: String, segment: Int, entries: Data)] {
                    try session.query("SELECT token, segment, entries FROM postings WHERE segment <> $1 AND " + condition,
                                      [.integer(segment), .text(token)])
                        .map { (token: try $0.string(0)!, segment: try $0.integer(1)!, entries: try $0.data(2)!) }
                }
                var after = ""
                while true {
                    var rows = try stored("token > $2 ORDER BY token, segment LIMIT 4096", after)
                    guard let lastToken = rows.last?.token else { break }
                    if rows.count == 4096 {
                        if rows.first!.token == lastToken {
                            // One token with more segments than a batch: all of its own.
                            rows = try stored("token = $2", lastToken)
                        } else {
                            rows.removeAll { $0.token == lastToken }
                        }
                    }
                    after = rows.last!.token
                    var merged = PostingsSegment(ordinalBits: Self.ordinalBits)
                    var start = 0
                    while start < rows.count {
                        var end = start
                        var entries: [Postings.Entry] = []
                        while end < rows.count, rows[end].token == rows[start].token {
                            guard Postings.decode(rows[end].entries, into: &entries, ordinalBits: Self.ordinalBits,
                                                  isDead: { deadIDs.contains($0) }) else {
                                throw PostgresStoreError(location: pool.location, reason: "damaged postings for “\(rows[start].token)”")
                            }
                            end += 1
                        }
                        entries.sort { $0.row < $1.row }
                        merged.add(token: rows[start].token, entries: entries)
                        start = end
                    }
                    try session.query("""
                        DELETE FROM postings p USING unnest($1::text[], $2::bigint[]) AS u(t, s) WHERE p.token = u.t AND p.segment = u.s
                        """, [.texts(rows.map(\.token)), .integers(rows.map(\.segment))])
                    try writePostings(merged, segment: segment, in: session)
                }
                try session.query("DELETE FROM postings_dead WHERE doc_id = ANY($1::bigint[])", [.integers(deadIDs.map { Int($0) })])
                try Self.setInfo("postings_compacted_segment", String(segment), in: session)
                return true
            }
        }
    }
}

/// Ranks a page from the postings (see `Postings`), with the same scores as the full ranking
/// (`PostgresSearch`): the same BM25, idf and operation order, so the same doubles and the same order.
///
/// 1. Each leaf's rows: a term of one token has its postings, exactly; a phrase has the rows holding all its
///    tokens, with the least of their frequencies as a bound on its own (a phrase occurs no more often than any
///    of its tokens, in every column).
/// 2. Every row that can match (the query over those frequencies) and whose document passes the document
///    filters is a candidate, scored exactly when no phrase occurs in it, and otherwise bounded from above.
/// 3. Without node filters and phrases the page is the best candidates. Otherwise candidates are checked in
///    growing batches, best first — node filters in SQL, phrases by reading the row and matching it
///    (`RowMatcher`) — until the page's last row outranks every candidate not yet checked.
struct PostingsRanking {
    let request: SearchRequest
    let indexing: IdeographIndexing
    let cache: PhraseRowCache
    /// The documents each document filter allows, by version (see `DocumentSetCache`).
    var documentSets = DocumentSetCache()
    let ordinalBits: Int64

    /// A candidate row: its best possible score (its score when `exact`), as the order of checking.
    private struct Candidate {
        var row: Int64
        var bound: Double
        var exact: Bool
    }

    /// `a` ranks before `b`: higher score first, then lower row id (FTS5 meets rows in row id order).
    private static func ranksBefore(_ a: (score: Double, row: Int64), _ b: (score: Double, row: Int64)) -> Bool {
        a.score > b.score || (a.score == b.score && a.row < b.row)
    }

    func page(in session: PostgresSession) throws -> [PostgresSearch.Match]? {
        try rank(in: session, every: false)
    }

    /// Every matching row, in no particular order, when the postings alone decide them (no node filters, no
    /// phrase), for counts; nil otherwise.
    func everyMatch(in session: PostgresSession) throws -> [PostgresSearch.Match]? {
        try rank(in: session, every: true)
    }

    private func rank(in session: PostgresSession, every: Bool) throws -> [PostgresSearch.Match]? {
        let needed = request.offset + request.limit
        guard needed > 0 || every else { return [] }
        let matcher = RowMatcher(query: request.query, indexing: indexing)
        let leaves = matcher.leaves
        guard !leaves.isEmpty, leaves.contains(where: { !$0.isExcluded }), leaves.allSatisfy({ !$0.tokens.isEmpty })
        else { return nil }
        let leafTokens = leaves.map(matcher.tokenTexts(of:))
        guard leafTokens.allSatisfy({ $0.allSatisfy { $0.utf8.count <= Postings.maximumTokenBytes } }) else { return nil }

        guard let state = try session.query("""
            SELECT NOT EXISTS (SELECT 1 FROM postings_missing), searchable_rows, tokens, version FROM kb_counts WHERE id = 1
            """).first, try state.boolean(0) == true else { return nil }
        let totalRows = try state.integer(1) ?? 0, totalTokens = try state.integer(2) ?? 0, version = try state.integer(3) ?? 0
        let bm25 = BM25(averageLength: Double(totalTokens) / Double(max(totalRows, 1)))

        // Each distinct token's live entries, in row order.
        let dead = Set(try session.query("SELECT doc_id FROM postings_dead").compactMap { try $0.integer(0) }.map(Int64.init))
        let distinct = Array(Set(leafTokens.joined())).sorted()
        var postings: [String: [Postings.Entry]] = [:]
        for row in try session.query("SELECT token, entries FROM postings WHERE token = ANY($1::text[]) ORDER BY token, segment",
                                     [.texts(distinct)]) {
            guard let token = try row.string(0), let data = try row.data(1) else { continue }
            let isDead: (Int64) -> Bool = dead.isEmpty ? { _ in false } : { dead.contains($0) }
            guard Postings.decode(data, into: &postings[token, default: []], ordinalBits: ordinalBits, isDead: isDead)
            else { return nil }
        }
        // Segments of concurrent writers interleave their document ids; each segment is in order, so sorting
        // merges runs. A query of one term of one token scores its entries in any order; leaves are merged and
        // a phrase's tokens intersected in row order.
        if leaves.count > 1 || leafTokens[0].count > 1 {
            for (token, entries) in postings where !zip(entries, entries.dropFirst()).allSatisfy({ $0.row < $1.row }) {
                postings[token] = entries.sorted { $0.row < $1.row }
            }
        }

        // Per leaf: its rows with frequencies (exact for one token, a bound for a phrase), and its idf.
        var leafRows: [[Postings.Entry]] = []
        var idf: [Double] = []
        let search = PostgresSearch(request: request, indexing: indexing, cache: cache)
        for (index, tokens) in leafTokens.enumerated() {
            if tokens.count == 1 {
                let rows = postings[tokens[0]] ?? []
                leafRows.append(rows)
                idf.append(BM25.idf(rows: totalRows, matching: rows.count))
            } else {
                leafRows.append(Self.intersection(tokens.map { postings[$0] ?? [] }))
                idf.append(BM25.idf(rows: totalRows, matching: try search.rowsHolding(leaves[index], version: version, in: session)))
            }
        }
        let phraseLeaves = leafTokens.map { $0.count > 1 }
        // Where no phrase is excluded, every leaf a bound stands for is under no negation, so the query over the
        // bounds tells which rows cannot match; otherwise such rows are kept for checking.
        let boundsDecide = !leaves.indices.contains { phraseLeaves[$0] && leaves[$0].isExcluded }

        var allowed: DocumentSet?
        var parameters: [SQLValue] = []
        let documentFilter = PostgresFilters(request: request, parameters: &parameters, parts: .documents)
        if let condition = documentFilter.documentCondition {
            // Kept until the next write, as SQLite keeps its filters: --issuer reads every document (21 ms at 1 GB).
            let sql = "SELECT d.id FROM documents d WHERE " + condition
            allowed = try documentSets.set(for: sql + "\u{1F}" + parameters.map { "\($0)" }.joined(separator: "\u{1F}"),
                                           version: String(version)) {
                DocumentSet(try session.query(sql, parameters).compactMap { try $0.integer(0) })
            }
        }

        let kindFilter = request.kinds.isEmpty ? nil : Postings.KindMask.of(request.kinds)

        // The candidates: every row of a positive leaf, its frequencies merged across leaves in row order.
        var candidates: [Candidate] = []
        var frequencies = [Double](repeating: 0, count: leaves.count)
        var stack: [Bool] = []
        func consider(row: Int64, length: Int32, kinds: UInt32) {
            if let kindFilter, kinds & kindFilter == 0 { return }
            if let allowed, !allowed.contains(row >> ordinalBits) { return }
            var exact = true
            for index in leaves.indices where phraseLeaves[index] && frequencies[index] > 0 { exact = false }
            if exact || boundsDecide, !matcher.matches(frequencies: frequencies, stack: &stack) { return }
            var score = 0.0
            for index in leaves.indices {
                score += idf[index] * bm25.impact(weightedFrequency: frequencies[index], rowLength: Int(length))
            }
            // A bound is the same sum with frequencies no lower: equal where the frequency is the row's own (the
            // same operations on the same doubles), and above it by far more than rounding where it is higher
            // (a whole occurrence more), so a checked row never scores above its bound.
            candidates.append(Candidate(row: row, bound: score, exact: exact))
        }
        if leaves.count == 1 {
            for entry in leafRows[0] {
                frequencies[0] = Double(entry.frequency)
                consider(row: entry.row, length: entry.length, kinds: entry.kinds)
            }
        } else {
            var next = [Int](repeating: 0, count: leaves.count)
            while true {
                var row = Int64.max
                for index in leaves.indices where next[index] < leafRows[index].count {
                    row = min(row, leafRows[index][next[index]].row)
                }
                guard row != .max else { break }
                var length: Int32 = 0, kinds: UInt32 = 0
                for index in leaves.indices {
                    if next[index] < leafRows[index].count, leafRows[index][next[index]].row == row {
                        let entry = leafRows[index][next[index]]
                        frequencies[index] = Double(entry.frequency)
                        length = entry.length
                        kinds = entry.kinds
                        next[index] += 1
                    } else {
                        frequencies[index] = 0
                    }
                }
                consider(row: row, length: length, kinds: kinds)
            }
        }

        var unused: [SQLValue] = []
        // Kinds are in the entries; records are checked in SQL.
        let hasNodeFilters = !PostgresFilters(request: request, parameters: &unused, parts: .records).conditions.isEmpty
        let mask = (Int64(1) << ordinalBits) - 1
        func match(_ row: Int64, _ score: Double) -> PostgresSearch.Match {
            PostgresSearch.Match(documentID: Int(row >> ordinalBits), ordinal: Int(row & mask), score: score, chapter: nil)
        }
        if every {
            guard !hasNodeFilters, candidates.allSatisfy(\.exact) else { return nil }
            return candidates.map { match($0.row, $0.bound) }
        }
        if !hasNodeFilters, candidates.allSatisfy(\.exact) {
            return Self.best(needed, of: candidates, after: nil).dropFirst(request.offset).map { match($0.row, $0.bound) }
        }

        // Checked in growing batches, best bound first.
        var resolved: [(score: Double, row: Int64)] = []
        var last: (score: Double, row: Int64)?
        var batchSize = needed + 4
        while true {
            let batch = Self.best(batchSize, of: candidates, after: last)
            guard let end = batch.last else { break }
            last = (end.bound, end.row)
            for checked in try check(batch, matcher: matcher, in: session) {
                if checked.candidate.exact {
                    resolved.append((checked.candidate.bound, checked.candidate.row))
                } else if let evaluation = checked.evaluation, evaluation.matches {
                    var score = 0.0
                    for index in leaves.indices {
                        score += idf[index] * bm25.impact(weightedFrequency: evaluation.frequencies[index], rowLength: evaluation.length)
                    }
                    resolved.append((score, checked.candidate.row))
                }
            }
            // Every candidate not checked ranks after `last` at best.
            if resolved.count >= needed {
                resolved.sort(by: Self.ranksBefore)
                if !Self.ranksBefore(last!, resolved[needed - 1]) { break }
            }
            batchSize = min(batchSize * 2, 8_192)
        }
        resolved.sort(by: Self.ranksBefore)
        return resolved.prefix(needed).dropFirst(request.offset).map { match($0.row, $0.score) }
    }

    /// The `count` best candidates ranking after `last` (all of them when nil), best first: one pass over the
    /// candidates with a small heap instead of sorting them all.
    private static func best(_ count: Int, of candidates: [Candidate], after last: (score: Double, row: Int64)?) -> [Candidate] {
        var heap: [Candidate] = []  // a min-heap: the worst kept on top
        heap.reserveCapacity(count + 1)
        func worse(_ a: Candidate, _ b: Candidate) -> Bool { ranksBefore((b.bound, b.row), (a.bound, a.row)) }
        for candidate in candidates {
            if let last, !ranksBefore(last, (candidate.bound, candidate.row)) { continue }
            if heap.count == count {
                guard worse(heap[0], candidate) else { continue }
                heap[0] = candidate
                var parent = 0
                while true {
                    let left = 2 * parent + 1, right = left + 1
                    var worst = parent
                    if left < heap.count, worse(heap[left], heap[worst]) { worst = left }
                    if right < heap.count, worse(heap[right], heap[worst]) { worst = right }
                    guard worst != parent else { break }
                    heap.swapAt(parent, worst)
                    parent = worst
                }
            } else {
                heap.append(candidate)
                var child = heap.count - 1
                while child > 0 {
                    let parent = (child - 1) / 2
                    guard worse(heap[child], heap[parent]) else { break }
                    heap.swapAt(child, parent)
                    child = parent
                }
            }
        }
        return heap.sorted { ranksBefore(($0.bound, $0.row), ($1.bound, $1.row)) }
    }

    /// The batch's rows that are searchable and pass the node filters; those that are not exact with their
    /// heading, lead and text matched against the query.
    private func check(_ batch: [Candidate], matcher: RowMatcher,
                       in session: PostgresSession) throws -> [(candidate: Candidate, evaluation: RowMatcher.Evaluation?)] {
        let mask = (Int64(1) << ordinalBits) - 1
        var byRow: [Int64: Candidate] = [:]
        for candidate in batch { byRow[candidate.row] = candidate }
        var values: [SQLValue] = [.integers(batch.map { Int($0.row >> ordinalBits) }), .integers(batch.map { Int($0.row & mask) }),
                                  .booleans(batch.map { !$0.exact })]
        let conditions = PostgresFilters(request: request, parameters: &values, parts: .records).conditions
        let rows = try session.query("""
            SELECT n.doc_id, n.ordinal, c.v, CASE WHEN c.v THEN n.heading END, CASE WHEN c.v AND n.searchable = 1 THEN n.lead END,
                   CASE WHEN c.v THEN (CASE n.searchable WHEN 1 THEN n.text ELSE \(NodeRow.titleTextSQL) END) END
            FROM unnest($1::bigint[], $2::integer[], $3::boolean[]) AS c(doc_id, ordinal, v)
            JOIN nodes n ON n.doc_id = c.doc_id AND n.ordinal = c.ordinal
            WHERE n.searchable > 0
            """ + conditions.map { " AND " + $0 }.joined(), values)
        return try rows.compactMap { row in
            let id = Int64(try row.integer(0)!) << ordinalBits | Int64(try row.integer(1)!)
            guard let candidate = byRow[id] else { return nil }
            let evaluation = try row.boolean(2) == true
                ? matcher.evaluate(columns: [try row.string(3), try row.string(4), try row.string(5)]) : nil
            return (candidate, evaluation)
        }
    }

    /// The rows in all of these lists (each in row order), with the least frequency of each.
    static func intersection(_ lists: [[Postings.Entry]]) -> [Postings.Entry] {
        guard var result = lists.min(by: { $0.count < $1.count }) else { return [] }
        for list in lists {
            var kept: [Postings.Entry] = []
            var other = 0
            for entry in result {
                while other < list.count, list[other].row < entry.row { other += 1 }
                guard other < list.count, list[other].row == entry.row else { continue }
                kept.append(Postings.Entry(row: entry.row, frequency: min(entry.frequency, list[other].frequency),
                                           length: entry.length, kinds: entry.kinds))
            }
            result = kept
        }
        return result
    }
}
