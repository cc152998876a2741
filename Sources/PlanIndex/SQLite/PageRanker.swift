import Foundation
import GRDB
import GRDBSQLite

/// Ranks one page of a search inside FTS5 when the term top lists cannot answer it, with FTS5's own `bm25()`
/// scores but far less work per row.
///
/// `bm25()` spends four fifths of its time on one thing: the row's length, a lookup in FTS5's docsize table for
/// every matching row. Most rows cannot reach the page, and that can be known without their length: the
/// positions of the matched phrases give a lower bound on it (a column holds at least up to its last match), and
/// BM25 falls as the length grows, so that bound gives an upper bound on the score. A row whose upper bound is
/// below the page's current last score is left out with that bound as its value; only the others are scored
/// exactly ("safe" dynamic pruning, as in MaxScore and WAND, here per row).
///
/// The page is exact: every row on it was scored as `bm25()` scores it (same formula, same operation order, so
/// the same doubles), and a row left out could not have reached it. Filters are checked inside, so that the
/// page's last score only counts rows that pass them: document filters first (a bit test), node filters (a
/// lookup) only for a row whose exact score would enter the page.
///
/// Used through the SQL function `plankb_page_rank(node_fts, ranker)`: `ranker` is the number `PageRanker.enrol`
/// returned for this search. Returns minus the score, like FTS5's `rank` (lower is better), and `+inf` for a
/// row that fails a filter.
final class PageRanker: @unchecked Sendable {
    /// How many rows the page needs (offset + limit).
    let pageSize: Int
    /// The documents the document filters allow (`row >> ordinalBits`), or nil without such filters.
    let allowedDocuments: DocumentSet?
    /// Node filters (kind, records) as a prepared statement over `nodes n` with the row id as its first
    /// parameter; returns a row when the node passes. Nil without node filters.
    private let nodeCheck: Statement?
    private let ordinalBits: Int

    // Per-search statistics, computed at the first row as FTS5's bm25 computes them. Per-row state lives in
    // buffers rather than arrays: this runs for every matching row, and a class's array properties pay for
    // exclusivity checks on each access.
    private var hasStatistics = false
    private var phraseCount = 0
    private var columnCount = 0
    private var bm25 = BM25(averageLength: 1)
    private var idf = UnsafeMutablePointer<Double>.allocate(capacity: 1)
    private var frequencies = UnsafeMutablePointer<Double>.allocate(capacity: 1)
    private var lastPositions = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
    private let weights: (Double, Double, Double) = (BM25.columnWeights[0], BM25.columnWeights[1], BM25.columnWeights[2])

    /// The page's scores so far: a min-heap of at most `pageSize` exact scores of rows that pass the filters.
    private var best: [Double] = []
    private var threshold = -Double.infinity
    private var lastRow: Int64?
    private var lastValue = 0.0

    /// Rows holding each FTS5 phrase, where known without counting (see `SQLiteKnowledgeBase.knownPhraseRows`).
    private let knownPhraseRows: [Int?]

    /// A query of one phrase whose rows are not known (`跨境电商`, `"自由贸易试验区"`): its idf is a factor common
    /// to every row, so rows are ranked by their score with an idf of 1 and the page is scaled afterwards
    /// (`Page.merged`), by the idf of the rows the scans matched — the phrase's rows, which bm25() counts in a
    /// second pass over the whole index. The product is bm25()'s double: it sums 0 + idf × impact, and 1 × impact
    /// is the impact.
    private(set) var defersIDF = false
    /// Rows the scan matched (each once), whatever the filters say of them.
    private(set) var rowsMatched = 0
    /// Rows in the index, as bm25() counts them.
    private(set) var indexRows = 0

    init(pageSize: Int, allowedDocuments: DocumentSet?, nodeCheck: Statement?, knownPhraseRows: [Int?], ordinalBits: Int) {
        self.pageSize = max(pageSize, 1)
        self.knownPhraseRows = knownPhraseRows
        self.allowedDocuments = allowedDocuments
        self.nodeCheck = nodeCheck
        self.ordinalBits = ordinalBits
        best.reserveCapacity(self.pageSize)
    }

    deinit {
        idf.deallocate()
        frequencies.deallocate()
        lastPositions.deallocate()
    }

    /// The value of `plankb_page_rank` for the current row.
    fileprivate func value(api: UnsafePointer<Fts5ExtensionApi>, context: OpaquePointer) throws -> Double {
        let functions = api.pointee
        let row = functions.xRowid(context)
        // SQLite may evaluate the function twice for one row (result column and sort key): the row must count once.
        if row == lastRow { return lastValue }
        rowsMatched += 1
        if let allowedDocuments, !allowedDocuments.contains(row >> Int64(ordinalBits)) {
            return .infinity
        }
        if !hasStatistics { try computeStatistics(api: api, context: context) }
        let phrases = phraseCount, columns = columnCount
        let frequencies = self.frequencies, lastPositions = self.lastPositions, weights = self.weights

        // The weighted frequency of each phrase, and the furthest match in each column.
        frequencies.update(repeating: 0, count: phrases)
        lastPositions.update(repeating: -1, count: columns)
        var instances: Int32 = 0
        try check(functions.xInstCount(context, &instances))
        for instance in 0..<instances {
            var phrase: Int32 = 0, column: Int32 = 0, offset: Int32 = 0
            try check(functions.xInst(context, instance, &phrase, &column, &offset))
            let weight = column == 0 ? weights.0 : column == 1 ? weights.1 : column == 2 ? weights.2 : 1
            frequencies[Int(phrase)] += weight
            if column < columns, offset > lastPositions[Int(column)] { lastPositions[Int(column)] = offset }
        }
        var shortest = 0
        for column in 0..<columns where lastPositions[column] >= 0 { shortest += Int(lastPositions[column]) + 1 }

        let value: Double
        let bound = score(length: shortest)
        if bound < threshold {
            value = -bound
        } else {
            var length: Int32 = 0
            try check(functions.xColumnSize(context, -1, &length))
            let exact = score(length: Int(length))
            if exact < threshold {
                // Below the page whether or not it passes the node filters: no need to look at the node.
                value = -exact
            } else if passesNodeFilters(row: row) {
                keep(exact)
                value = -exact
            } else {
                value = .infinity
            }
        }
        lastRow = row
        lastValue = value
        return value
    }

    /// BM25 of the current frequencies for a row of `length` tokens, summed in phrase order as FTS5 sums it.
    private func score(length: Int) -> Double {
        var total = 0.0
        let idf = self.idf, frequencies = self.frequencies, bm25 = self.bm25
        for index in 0..<phraseCount {
            total += idf[index] * bm25.impact(weightedFrequency: frequencies[index], rowLength: length)
        }
        return total
    }

    private func passesNodeFilters(row: Int64) -> Bool {
        guard let nodeCheck else { return true }
        let handle = nodeCheck.sqliteStatement
        sqlite3_bind_int64(handle, 1, row)
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        return code == SQLITE_ROW
    }

    private func keep(_ score: Double) {
        if best.count < pageSize {
            best.append(score)
            var child = best.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard best[child] < best[parent] else { break }
                best.swapAt(child, parent)
                child = parent
            }
        } else if score > best[0] {
            best[0] = score
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < best.count, best[left] < best[smallest] { smallest = left }
                if right < best.count, best[right] < best[smallest] { smallest = right }
                guard smallest != parent else { break }
                best.swapAt(parent, smallest)
                parent = smallest
            }
        }
        if best.count == pageSize { threshold = best[0] }
    }

    /// Row count, average length and each phrase's idf, as FTS5's bm25 computes them. bm25() counts a phrase's
    /// rows by running it over the whole index, which for a common token costs more than ranking the page; a
    /// one-token phrase's count is known exactly from the term top lists when they are up to date.
    private func computeStatistics(api: UnsafePointer<Fts5ExtensionApi>, context: OpaquePointer) throws {
        let functions = api.pointee
        var rows: Int64 = 0, tokens: Int64 = 0
        try check(functions.xRowCount(context, &rows))
        try check(functions.xColumnTotalSize(context, -1, &tokens))
        bm25 = BM25(averageLength: Double(tokens) / Double(max(rows, 1)))
        let phrases = Int(functions.xPhraseCount(context))
        let columns = Int(functions.xColumnCount(context))
        idf.deallocate()
        frequencies.deallocate()
        lastPositions.deallocate()
        idf = .allocate(capacity: max(phrases, 1))
        frequencies = .allocate(capacity: max(phrases, 1))
        lastPositions = .allocate(capacity: max(columns, 1))
        indexRows = Int(rows)
        defersIDF = phrases == 1 && !(knownPhraseRows.count == 1 && knownPhraseRows[0] != nil && functions.xPhraseSize(context, 0) == 1)
        for phrase in 0..<phrases where !defersIDF {
            var hits = 0
            if knownPhraseRows.count == phrases, let known = knownPhraseRows[phrase], functions.xPhraseSize(context, Int32(phrase)) == 1 {
                hits = known
            } else {
                // What bm25() does: run the phrase over the whole index and count its rows.
                try withUnsafeMutablePointer(to: &hits) { pointer in
                    try check(functions.xQueryPhrase(context, Int32(phrase), pointer, { _, _, counter in
                        counter!.assumingMemoryBound(to: Int.self).pointee += 1
                        return SQLITE_OK
                    }))
                }
            }
            idf[phrase] = BM25.idf(rows: Int(rows), matching: hits)
        }
        if defersIDF { idf[0] = 1 }
        columnCount = columns
        phraseCount = phrases
        hasStatistics = true
    }

    /// The rows a scan ranked, as `plankb_page_rank` returned them, and what it takes to finish their scores.
    func page(_ rows: [(rowID: Int64, rank: Double)]) -> Page {
        Page(rows: rows, matched: rowsMatched, deferredIndexRows: defersIDF ? indexRows : nil)
    }

    /// One scan's best rows (`rank` is minus the score, as FTS5's `rank`).
    struct Page {
        var rows: [(rowID: Int64, rank: Double)]
        /// Rows the scan matched, those failing the filters too.
        var matched: Int
        /// With a deferred idf (`defersIDF`): the rows in the index. Nil also for a scan whose every row failed
        /// the document filters (it never needed the statistics), whose matches count all the same.
        var deferredIndexRows: Int?

        /// The rows of scans that together matched each row of the index once (a search split in halves, or
        /// one whole scan), with their final scores, best first.
        static func merged(_ pages: [Page]) -> [(rowID: Int64, rank: Double)] {
            var rows = pages.flatMap(\.rows)
            if let indexRows = pages.compactMap(\.deferredIndexRows).max() {
                let idf = BM25.idf(rows: indexRows, matching: pages.map(\.matched).reduce(0, +))
                rows = rows.map { (rowID: $0.rowID, rank: $0.rank * idf) }
            }
            return rows.sorted { ($0.rank, $0.rowID) < ($1.rank, $1.rowID) }
        }
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "plankb_page_rank") }
    }

    // MARK: Registration

    private static let lock = NSLock()
    nonisolated(unsafe) private static var enrolled: [Int64: PageRanker] = [:]
    nonisolated(unsafe) private static var nextNumber: Int64 = 1

    /// Makes the ranker reachable from SQL for one search; pass the number to `plankb_page_rank` and call
    /// `withdraw` afterwards.
    static func enrol(_ ranker: PageRanker) -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        let number = nextNumber
        nextNumber += 1
        enrolled[number] = ranker
        return number
    }

    static func withdraw(_ number: Int64) {
        lock.lock()
        defer { lock.unlock() }
        enrolled[number] = nil
    }

    private static func ranker(numbered number: Int64) -> PageRanker? {
        lock.lock()
        defer { lock.unlock() }
        return enrolled[number]
    }

    /// Declares `plankb_page_rank` on a connection.
    static func register(in db: Database) {
        let api = FTS5.api(db)
        let function: fts5_extension_function = { api, context, sqlContext, count, values in
            PageRanker.evaluate(api: api, context: context, sqlContext: sqlContext, count: count, values: values)
        }
        _ = api.pointee.xCreateFunction(UnsafeMutablePointer(mutating: api), "plankb_page_rank", nil, function, nil)
    }

    private static func evaluate(api: UnsafePointer<Fts5ExtensionApi>?, context: OpaquePointer?, sqlContext: OpaquePointer?,
                                 count: Int32, values: UnsafeMutablePointer<OpaquePointer?>?) {
        guard let api, let context, let values, count == 1 else {
            sqlite3_result_error(sqlContext, "plankb_page_rank(node_fts, ranker) takes one argument", -1)
            return
        }
        // The ranker is looked up once per search and kept as the search's auxiliary data.
        let ranker: PageRanker
        if let saved = api.pointee.xGetAuxdata(context, 0) {
            ranker = Unmanaged<PageRanker>.fromOpaque(saved).takeUnretainedValue()
        } else if let found = Self.ranker(numbered: sqlite3_value_int64(values[0])) {
            ranker = found
            _ = api.pointee.xSetAuxdata(context, Unmanaged.passUnretained(found).toOpaque(), nil)
        } else {
            sqlite3_result_error(sqlContext, "plankb_page_rank: no such ranker", -1)
            return
        }
        do {
            sqlite3_result_double(sqlContext, try ranker.value(api: api, context: context))
        } catch {
            sqlite3_result_error(sqlContext, "plankb_page_rank: \(error)", -1)
        }
    }
}
