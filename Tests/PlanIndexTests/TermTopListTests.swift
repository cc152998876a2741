import Foundation
import Testing
import PlanIngest
import PlanKit
@testable import PlanIndex

/// The term top lists: always the true best rows of their token, kept so across index runs and deletions, and
/// giving the same first page as FTS5's full ranking on real documents.
@Suite struct TermTopListTests {
    // MARK: Lists stay exact

    @Test func mergedListsAreAlwaysTheBestLiveRowsOfTheirToken() {
        var random = SplitMix64(seed: 7) // replayable
        let capacity = 16
        var stored = TermTopList(rows: 0, isComplete: true, entries: [])
        var live: [UInt64] = []
        var nextRow: Int64 = 1
        for round in 0..<40 {
            // A batch of new rows (a document), sometimes large enough to overflow the list.
            var batch = TermTopList(rows: 0, isComplete: true, entries: [])
            for _ in 0..<Int.random(in: 1...(round % 5 == 0 ? 60 : 8), using: &random) {
                let entry = TermTopEntry.pack(impact: Double.random(in: 0.01...2.2, using: &random), row: nextRow)
                nextRow += 1
                batch.rows += 1
                batch.offer(entry, capacity: capacity)
                live.append(entry)
            }
            batch.entries.sort(by: >)
            // Some earlier rows are deleted (a replaced document).
            if round % 3 == 2 {
                live.removeAll { _ in Int.random(in: 0..<4, using: &random) == 0 }
            }
            let liveRows = Set(live.map(TermTopEntry.row))
            stored = TermTopAccumulator.merge(stored: stored, new: batch, capacity: capacity) { liveRows.contains($0) }
            let truth = live.sorted(by: >)
            #expect(stored.entries.count <= capacity)
            #expect(stored.entries == Array(truth.prefix(stored.entries.count)), "round \(round)")
            if stored.isComplete { #expect(stored.entries == truth, "round \(round)") }
        }
        #expect(stored.entries.count > 0)
    }

    @Test func packedEntriesOrderByImpactAndKeepTheRow() {
        let weak = TermTopEntry.pack(impact: 0.5, row: 99 << 20 | 7)
        let strong = TermTopEntry.pack(impact: 1.75, row: 3)
        #expect(strong > weak)
        #expect(TermTopEntry.row(weak) == 99 << 20 | 7)
        #expect(abs(TermTopEntry.impact(strong) - 1.75) < 1e-3)
    }

    // MARK: Real documents

    static let sources = [
        "plans/shenyang-ftz-plan-2021.txt",
        "laws/law-hainan-ftp-2021/hainan-free-trade-port-law-2021.md",
        "laws/law-company-2018-2023/company-law-2023.md",
        "reports/government-work-reports-2021-2025.jsonl",
    ]

    /// The four sources indexed; with `digests`, documents carry the loader's term digest.
    func indexedCorpus(digests: Bool = true, minimumRows: Int = 30) throws -> SQLiteKnowledgeBase {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plankb-top-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let knowledgeBase = try SQLiteKnowledgeBase(path: folder.appendingPathComponent("kb.sqlite").path,
                                                    termTopMinimumRows: minimumRows)
        let parameters = try #require(try knowledgeBase.termTopParameters())
        for source in Self.sources {
            let documents = try DocumentLoader.load(contentsOf: Fixtures.corpus.appendingPathComponent(source))
            try knowledgeBase.replaceDocuments(fromSource: source, contentHash: "h", with: documents.enumerated().map {
                IndexedDocument(key: "\(source)#\($0.offset + 1)", document: $0.element,
                                prepared: digests ? PreparedDocument(document: $0.element, termTopParameters: parameters) : nil)
            })
        }
        return knowledgeBase
    }

    /// How many hits of the page FTS5 itself scores at least as high as the last hit of its own page (ties
    /// count: the page is then as good by FTS5's measure).
    func hitsAsGoodAsFTS5s(_ knowledgeBase: SQLiteKnowledgeBase, _ request: SearchRequest) throws -> (good: Int, of: Int) {
        let hits = try knowledgeBase.search(request)
        let exact = try knowledgeBase.search(request, ranking: .fts5)
        let floor = (exact.map(\.score).min() ?? 0) * (1 - 1e-9)
        let good = try knowledgeBase.fts5Scores(request, of: hits).filter { ($0 ?? -.infinity) >= floor }.count
        return (good, max(hits.count, exact.count))
    }

    func page(_ knowledgeBase: SQLiteKnowledgeBase, _ query: String, limit: Int = 10,
              ranking: SQLiteKnowledgeBase.Ranking = .fastest) throws -> [String] {
        try knowledgeBase.search(Fixtures.request(query, limit: limit), ranking: ranking).map { "\($0.documentKey) \($0.nodeID)" }
    }

    @Test func listsAnswerOnlyOnceTheyCoverEveryDocument() throws {
        let knowledgeBase = try indexedCorpus()
        let request = try Fixtures.request("发展", limit: 10)
        #expect(try !knowledgeBase.answersFromTermTopLists(request), "documents written, lists not refreshed")
        try knowledgeBase.refreshTermTopLists()
        #expect(try knowledgeBase.answersFromTermTopLists(request))
        #expect(try !knowledgeBase.answersFromTermTopLists(try Fixtures.request("发展", limit: 200)), "page past the lists")
        #expect(try !knowledgeBase.answersFromTermTopLists(try Fixtures.request("冷鲜港", limit: 10)), "rare: FTS5 ranks")
    }

    @Test(arguments: ["的", "港", "发展", "公司", "制度", "贸易"])
    func singleTokenPagesMatchFTS5Ranking(term: String) throws {
        let knowledgeBase = try indexedCorpus()
        try knowledgeBase.refreshTermTopLists()
        let request = try Fixtures.request(term, limit: 10)
        #expect(try knowledgeBase.answersFromTermTopLists(request))
        let agreement = try hitsAsGoodAsFTS5s(knowledgeBase, request)
        #expect(agreement.of == 10)
        // The lists weigh row length with a fixed average (see BM25), so rows of nearly equal weight may trade
        // places at the page's edge; at least 9 of the 10 must be as good as FTS5's own.
        #expect(agreement.good >= 9)
        let hits = try knowledgeBase.search(request)
        #expect(hits.allSatisfy { $0.snippet.text.contains(term) || $0.path.contains(term) })
        #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    @Test func candidatesReadInBatchesGiveThePageOfReadingThemAll() throws {
        let knowledgeBase = try indexedCorpus()
        try knowledgeBase.refreshTermTopLists()
        var requests: [SearchRequest] = []
        for query in ["的", "发展", "公司", "贸易", "营商环境", "\"自由贸易港\"", "发展 AND 公司", "公司 NOT 股东", "贸易 OR 金融", "2025"] {
            for (limit, offset) in [(10, 0), (20, 0), (5, 15), (1, 0)] {
                var request = try Fixtures.request(query, limit: limit)
                request.offset = offset
                requests.append(request)
            }
        }
        var filtered = try Fixtures.request("发展", limit: 10)
        filtered.kinds = [.paragraph]
        requests.append(filtered)
        filtered.document = "reports"
        requests.append(filtered)
        var answered = 0, readInBatches = 0, readAll = 0
        for request in requests {
            let progressive = try knowledgeBase.termTopPage(request, verification: .progressive)
            let allAtOnce = try knowledgeBase.termTopPage(request, verification: .allAtOnce)
            #expect((progressive == nil) == (allAtOnce == nil), "\(request.query) \(request.limit)+\(request.offset)")
            guard let progressive, let allAtOnce else { continue }
            // The same rows in the same order with the same scores, to the last bit.
            #expect(progressive.rows.map(\.rowID) == allAtOnce.rows.map(\.rowID), "\(request.query) \(request.limit)+\(request.offset)")
            #expect(progressive.rows.map(\.score) == allAtOnce.rows.map(\.score), "\(request.query)")
            #expect(progressive.candidatesRead <= allAtOnce.candidatesRead)
            answered += 1
            readInBatches += progressive.candidatesRead
            readAll += allAtOnce.candidatesRead
        }
        #expect(answered >= 30, "most of these pages come from the lists")
        // A term of one token is scored from its list and the rows' lengths, without reading a row's text; the
        // others read about as many rows as their pages show (3,793 all at once, 196 in batches when written).
        let common = try #require(try knowledgeBase.termTopPage(try Fixtures.request("发展", limit: 10), verification: .progressive))
        #expect(common.candidatesRead == 0, "\(common.candidatesRead) rows read for a page of 10")
        #expect(readInBatches * 10 < readAll, "\(readInBatches) rows read in batches, \(readAll) all at once")
    }

    @Test func phrasesBooleanQueriesAndFiltersGiveOnlyMatchingRows() throws {
        let knowledgeBase = try indexedCorpus()
        try knowledgeBase.refreshTermTopLists()
        for query in ["营商环境", "\"自由贸易港\"", "发展 AND 公司", "公司 NOT 股东", "贸易 OR 金融"] {
            let request = try Fixtures.request(query, limit: 10)
            let hits = try knowledgeBase.search(request)
            let everyMatch = Set(try page(knowledgeBase, query, limit: 10_000, ranking: .fts5))
            #expect(!hits.isEmpty, "\(query)")
            // Every hit is a row FTS5 also matches: the lists never add a wrong row.
            #expect(hits.allSatisfy { everyMatch.contains("\($0.documentKey) \($0.nodeID)") }, "\(query)")
            // And the page is as good as FTS5's: when the lists cannot be sure of it, FTS5 ranks.
            let agreement = try hitsAsGoodAsFTS5s(knowledgeBase, request)
            #expect(agreement.good >= agreement.of - 1, "\(query): \(agreement)")
        }
        var filtered = try Fixtures.request("发展", limit: 10)
        filtered.document = "reports"
        #expect(try knowledgeBase.answersFromTermTopLists(filtered))
        let hits = try knowledgeBase.search(filtered)
        #expect(hits.count == 10 && hits.allSatisfy { $0.documentKey.hasPrefix("reports/") })
        let exact = try knowledgeBase.search(filtered, ranking: .fts5)
        #expect(Set(hits.map(\.nodeID)).intersection(exact.map(\.nodeID)).count >= 9)
    }

    @Test func removedAndReplacedDocumentsLeaveTheListsTrue() throws {
        let knowledgeBase = try indexedCorpus()
        try knowledgeBase.refreshTermTopLists()
        let removed = Self.sources[0]
        try knowledgeBase.removeDocuments(fromSource: removed)
        // No refresh needed after a removal: entries of deleted rows are skipped.
        let request = try Fixtures.request("发展", limit: 10)
        #expect(try knowledgeBase.answersFromTermTopLists(request))
        let afterRemoval = try knowledgeBase.search(request)
        #expect(afterRemoval.count == 10)
        #expect(afterRemoval.allSatisfy { !$0.documentKey.hasPrefix(removed) })

        // Written again: pending until the refresh, then back in the lists under a new document id.
        let documents = try DocumentLoader.load(contentsOf: Fixtures.corpus.appendingPathComponent(removed))
        try knowledgeBase.replaceDocuments(fromSource: removed, contentHash: "h2", with: documents.enumerated().map {
            IndexedDocument(key: "\(removed)#\($0.offset + 1)", document: $0.element)
        })
        #expect(try !knowledgeBase.answersFromTermTopLists(request))
        try knowledgeBase.refreshTermTopLists()
        let fromLists = try page(knowledgeBase, "发展")
        let exact = try page(knowledgeBase, "发展", ranking: .fts5)
        #expect(Set(fromLists).intersection(exact).count >= 9)
    }

    @Test func digestsFromTheLoaderGiveTheSameListsAsReadingTheRowsBack() throws {
        func lists(_ knowledgeBase: SQLiteKnowledgeBase) throws -> [String] {
            try knowledgeBase.storedTermTopLists().map { "\($0.token) \($0.list.rows) \($0.list.isComplete) \($0.list.entries)" }
        }
        let withDigests = try indexedCorpus(digests: true)
        try withDigests.refreshTermTopLists()
        let readBack = try indexedCorpus(digests: false)
        try readBack.refreshTermTopLists()
        let expected = try lists(readBack)
        #expect(expected.count > 1000)
        #expect(try lists(withDigests) == expected)
    }
}

/// The lists' row counts stand in for FTS5's own count of a phrase's rows (the idf of `bm25()`), so they must
/// stay exact through replacements and removals; and the pages ranked inside FTS5 by `PageRanker` must be
/// FTS5's own pages, filters and offsets included.
@Suite struct PrunedRankingTests {
    let lists = TermTopListTests()

    func ftsCount(_ knowledgeBase: SQLiteKnowledgeBase, token: String) throws -> Int {
        try knowledgeBase.search(Fixtures.request("\"\(token)\"", limit: 100_000), ranking: .fts5).count
    }

    @Test func rowCountsStayExactThroughReplacementsAndRemovals() throws {
        let knowledgeBase = try lists.indexedCorpus()
        try knowledgeBase.refreshTermTopLists()
        // Replaced (new content hash, same documents), removed, and written again.
        let replaced = TermTopListTests.sources[0], removed = TermTopListTests.sources[1]
        let documents = try DocumentLoader.load(contentsOf: Fixtures.corpus.appendingPathComponent(replaced))
        try knowledgeBase.replaceDocuments(fromSource: replaced, contentHash: "h2", with: documents.enumerated().map {
            IndexedDocument(key: "\(replaced)#\($0.offset + 1)", document: $0.element)
        })
        try knowledgeBase.removeDocuments(fromSource: removed)
        try knowledgeBase.refreshTermTopLists()
        let known = try knowledgeBase.connections.read { db in try knowledgeBase.knownPhraseRows(try SearchQuery(parsing: "发展 -股东"), in: db) }
        #expect(known == [try ftsCount(knowledgeBase, token: "发展"), try ftsCount(knowledgeBase, token: "股东")])
        // Nodes, records and the kinds of nodes each document holds (for --kind) leave with their document
        // (removed by the knowledge base itself: SQLite does not enforce the foreign keys).
        for table in ["nodes", "records", "document_kinds"] {
            #expect(try knowledgeBase.connections.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE doc_id NOT IN (SELECT id FROM documents)")
            } == 0, "\(table)")
        }
        #expect(try knowledgeBase.connections.read { db in try Int.fetchAll(db, sql: "SELECT 1 FROM pragma_foreign_key_check") }.isEmpty)
        // The documents per kind (and, under '', all documents) that a --kind filter consults stay exact too.
        try knowledgeBase.connections.read { db in
            let kept = try String.fetchAll(db, sql: "SELECT kind || ' ' || documents FROM kind_documents WHERE documents > 0 ORDER BY kind")
            let counted = try String.fetchAll(db, sql: """
                SELECT kind || ' ' || documents FROM (SELECT '' AS kind, count(*) AS documents FROM documents
                UNION ALL SELECT kind, count(*) FROM document_kinds GROUP BY kind) ORDER BY kind
                """)
            #expect(kept == counted)
            #expect(counted.count > 5 && counted.contains { $0.hasPrefix("paragraph ") })
            // Every issuer a document has is among those --issuer matches against.
            #expect(try Int.fetchOne(db, sql: """
                SELECT count(*) FROM documents WHERE issuer IS NOT NULL AND issuer NOT IN (SELECT issuer FROM document_issuers)
                """) == 0)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM document_issuers") ?? 0 > 0)
        }
        let stored = try knowledgeBase.storedTermTopLists()
        #expect(stored.count > 1000)
        // Every 50th token, Han, Latin and digits alike.
        for (token, list) in stored.enumerated().filter({ $0.offset % 50 == 0 }).map(\.element) {
            #expect(list.rows == (try ftsCount(knowledgeBase, token: token)), "\(token)")
        }
    }

    @Test(arguments: [
        ("开放", nil, nil, 0), ("金融", "article", nil, 0), ("营商环境", "paragraph", nil, 3), ("数字 经济 发展", nil, nil, 0),
        ("电商 OR 物流", nil, nil, 5), ("公司 NOT 股东", nil, nil, 0), ("发展", nil, "国务院", 0), ("\"自由贸易港\"", nil, nil, 0),
        // One phrase of several tokens: ranked with its idf left out and scaled by the rows the scan matched.
        ("跨境电商", nil, nil, 0), ("营商环境", nil, "国务院", 2), ("\"高质量发展\"", "paragraph", nil, 3),
    ] as [(String, String?, String?, Int)])
    func prunedPagesAreFTS5sPages(query: String, kind: String?, issuer: String?, offset: Int) throws {
        let knowledgeBase = try lists.indexedCorpus(minimumRows: 1_000_000) // never the lists: always the pruned ranker
        try knowledgeBase.refreshTermTopLists()
        var request = try Fixtures.request(query, limit: 10)
        request.offset = offset
        request.kinds = kind.flatMap(NodeKind.init(rawValue:)).map { [$0] } ?? []
        request.issuer = issuer
        let exact = try knowledgeBase.search(request, ranking: .fts5)
        #expect(!exact.isEmpty, "\(query)")
        // Split in two halves over a pool, and in one pass over the one connection a query command opens.
        let single = try SQLiteKnowledgeBase(path: knowledgeBase.path, termTopMinimumRows: 1_000_000, readOnly: true, pooled: false)
        for pruned in [try knowledgeBase.search(request), try single.search(request)] {
            // The same scores in the same order (the same doubles: the ranker computes bm25() as FTS5 does); rows
            // of equal score may stand in either order.
            #expect(pruned.map(\.score) == exact.map(\.score), "\(query)")
            let scores = try knowledgeBase.fts5Scores(request, of: pruned)
            #expect(zip(scores, pruned).allSatisfy { $0 == $1.score }, "\(query)")
        }
    }

    @Test func documentFiltersSeeEveryWrite() throws {
        // The documents a filter allows are kept between searches; a write must be seen at once.
        let (knowledgeBase, lines) = try Fixtures.indexedPlan()
        var request = try Fixtures.request("沈阳", limit: 100)
        request.issuer = "辽宁省人民政府"
        #expect(try knowledgeBase.search(request).isEmpty)
        let document = Fixtures.paragraphDocument(title: "辽宁自贸试验区沈阳片区", lines: Array(lines.prefix(40)),
                                                  issuer: "辽宁省人民政府", date: "2021-09-01")
        try knowledgeBase.replaceDocuments(fromSource: "plans/liaoning.txt", contentHash: "h1",
                                           with: [IndexedDocument(key: "plans/liaoning", document: document)])
        let hits = try knowledgeBase.search(request)
        #expect(!hits.isEmpty && hits.allSatisfy { $0.documentKey == "plans/liaoning" })
        try knowledgeBase.removeDocuments(fromSource: "plans/liaoning.txt")
        #expect(try knowledgeBase.search(request).isEmpty)
        request.issuer = nil
        request.kinds = [.article]
        #expect(try knowledgeBase.search(request).isEmpty, "a plan of paragraphs has no articles")
    }
}
