import Foundation
import Testing
import PlanIngest
import PlanKit
@testable import PlanIndex

/// The PostgreSQL backend's postings (frequencies and row lengths apart from the rows): the pages ranked from
/// them must be SQLite's — the same hits, order and scores — for terms, phrases, boolean queries, every kind of
/// filter and later pages, and stay so through replaced and removed documents and two writers; a database
/// whose documents predate the postings is ranked without them.
@Suite(.enabled(if: TestBackend.available.contains(.postgres), "needs the test server (.ci/with-postgres.sh)"))
struct PostgresPostingsTests {
    static let sources = TermTopListTests.sources

    /// Requests the term top lists cannot answer (lists not refreshed, or filtered, boolean, phrases, pages far
    /// down), each with what a researcher would add to it.
    static let requests: [(query: String, kind: String?, issuer: String?, offset: Int)] = [
        ("发展", nil, nil, 0), ("港", nil, nil, 30), ("金融", "article", nil, 0), ("开放", nil, "国务院", 0),
        ("营商环境", "paragraph", nil, 0), ("电商 OR 物流", nil, nil, 0), ("金融 AND 开放", nil, nil, 0),
        ("公司 NOT 股东", nil, nil, 0), ("公司 NOT \"股东会\"", nil, nil, 0), ("\"自由贸易港\"", nil, nil, 0),
        ("数字 经济 发展", nil, nil, 5), ("跨境电商 OR 跨境", nil, nil, 0), ("海关 监管", "article", nil, 3),
        ("股东会 OR 董事会", "chapter", nil, 0), ("冷链", nil, "发展改革委", 0), ("的", nil, nil, 120),
        ("就业 NOT (失业 OR 创业)", nil, nil, 0), ("税收", "section", nil, 0), ("港 OR 港", nil, nil, 0),
    ]

    static func page(_ knowledgeBase: any KnowledgeBase, _ entry: (query: String, kind: String?, issuer: String?, offset: Int),
                     limit: Int = 10) throws -> [String] {
        var request = try PostgresTermTopTests.request(entry)
        request.limit = limit
        return try knowledgeBase.search(request).map { "\($0.documentKey) \($0.nodeID) \($0.score)" }
    }

    @Test func pagesFromThePostingsAreSQLites() throws {
        // Both without term top lists first: SQLite ranks every page with FTS5.
        let sqlite = try TermTopListTests().indexedCorpus()
        let (postgres, _) = try PostgresTermTopTests().scratch()
        defer { try? postgres.close() }
        try PostgresTermTopTests.write(postgres, Self.sources[...])
        // Lists not refreshed yet: every page comes from the postings (or the full ranking).
        var fromPostings = 0, nonEmpty = 0
        for entry in Self.requests {
            let request = try PostgresTermTopTests.request(entry)
            if try postgres.answersFromPostings(request) { fromPostings += 1 }
            let page = try Self.page(postgres, entry)
            if !page.isEmpty { nonEmpty += 1 }
            #expect(page == (try Self.page(sqlite, entry)), "\(entry)")
            // A page of one row, and one of 40, agree too (the batches grow from the page's size).
            #expect(try Self.page(postgres, entry, limit: 1) == (try Self.page(sqlite, entry, limit: 1)), "\(entry)")
            #expect(try Self.page(postgres, entry, limit: 40) == (try Self.page(sqlite, entry, limit: 40)), "\(entry)")
        }
        #expect(fromPostings == Self.requests.count)
        #expect(nonEmpty >= Self.requests.count - 2)

        // Counts and the sources matched, from the postings where they decide (no node filter, no phrase).
        var countedFromPostings = 0
        for entry in Self.requests {
            var request = try PostgresTermTopTests.request(entry)
            request.offset = 0
            let decided = try postgres.read { session in
                try PostingsRanking(request: request, indexing: .bigram, cache: PhraseRowCache(), ordinalBits: PostgresKnowledgeBase.ordinalBits)
                    .everyMatch(in: session) != nil
            }
            if decided { countedFromPostings += 1 }
            for dimension in CountDimension.allCases {
                #expect(try postgres.count(request, by: dimension) == (try sqlite.count(request, by: dimension)), "\(entry) \(dimension)")
            }
            #expect(try postgres.matchingSources(request) == (try sqlite.matchingSources(request)), "\(entry)")
        }
        #expect(countedFromPostings >= 8)

        // With both backends' lists refreshed, what the lists cannot answer comes from the postings, the same.
        try sqlite.refreshTermTopLists()
        try postgres.finishIndexRun(changedDocuments: true)
        var stillFromPostings = 0
        for entry in Self.requests {
            let request = try PostgresTermTopTests.request(entry)
            let fromLists = try postgres.answersFromTermTopLists(request)
            #expect(fromLists == (try sqlite.answersFromTermTopLists(request)), "\(entry)")
            if try postgres.answersFromPostings(request) { stillFromPostings += 1 } else { #expect(fromLists, "\(entry)") }
            #expect(try Self.page(postgres, entry) == (try Self.page(sqlite, entry)), "\(entry)")
        }
        #expect(stillFromPostings >= 4)
    }

    @Test func replacedAndRemovedDocumentsAreSkipped() throws {
        let sqlite = try TermTopListTests().indexedCorpus()
        let (postgres, location) = try PostgresTermTopTests().scratch()
        defer { try? postgres.close() }
        try PostgresTermTopTests.write(postgres, Self.sources[...])
        // Searched once before the writes, so that the filters' document sets are cached for the old documents.
        for entry in Self.requests { _ = try Self.page(postgres, entry) }
        #expect(try !Self.page(postgres, ("冷链", nil, "发展改革委", 0)).isEmpty)
        let replaced = Self.sources[0], removed = Self.sources[2]
        try sqlite.replaceDocuments(fromSource: replaced, contentHash: "h2", with: try PostgresTermTopTests.documents(replaced, preparer: nil))
        try sqlite.removeDocuments(fromSource: removed)
        try PostgresTermTopTests.write(postgres, [replaced], hash: "h2")
        try postgres.removeDocuments(fromSources: [removed])

        let pool = try PostgresPool(location: try PostgresLocation(location), maximum: 1)
        defer { pool.close() }
        let dead = try pool.withSession { try $0.query("SELECT count(*) FROM postings_dead").first?.integer(0) ?? 0 }
        #expect(dead == 2, "the replaced and the removed document")
        for entry in Self.requests {
            #expect(try postgres.answersFromPostings(try PostgresTermTopTests.request(entry)), "\(entry)")
            #expect(try Self.page(postgres, entry) == (try Self.page(sqlite, entry)), "\(entry)")
        }
        #expect(try Self.page(postgres, ("公司", nil, nil, 0)).allSatisfy { !$0.hasPrefix(removed) })
    }

    @Test func compactionLeavesOneSegmentPerTokenAndTheSamePages() throws {
        let sqlite = try TermTopListTests().indexedCorpus()
        let (postgres, location) = try PostgresTermTopTests().scratch()
        defer { try? postgres.close() }
        // One transaction per source: four segments, and the replaced source's old document dead.
        try PostgresTermTopTests.write(postgres, Self.sources[...])
        let replaced = Self.sources[1]
        try sqlite.replaceDocuments(fromSource: replaced, contentHash: "h2", with: try PostgresTermTopTests.documents(replaced, preparer: nil))
        try PostgresTermTopTests.write(postgres, [replaced], hash: "h2")
        let pool = try PostgresPool(location: try PostgresLocation(location), maximum: 1)
        defer { pool.close() }
        func state() throws -> (rows: Int, tokens: Int, dead: Int) {
            try pool.withSession { session in
                let row = try session.query("""
                    SELECT count(*), count(DISTINCT token), (SELECT count(*) FROM postings_dead) FROM postings
                    """).first!
                return (try row.integer(0)!, try row.integer(1)!, try row.integer(2)!)
            }
        }
        let before = try state()
        #expect(before.rows > before.tokens && before.dead == 1)
        // One dead document beside eight live ones is not worth a rewrite; forced, it is done.
        #expect(try !postgres.compactPostings())
        #expect(try postgres.compactPostings(force: true))
        let after = try state()
        #expect(after.rows == after.tokens && after.dead == 0)
        #expect(after.tokens <= before.tokens)
        for entry in Self.requests {
            #expect(try postgres.answersFromPostings(try PostgresTermTopTests.request(entry)), "\(entry)")
            #expect(try Self.page(postgres, entry) == (try Self.page(sqlite, entry)), "\(entry)")
        }
        // Writing after a compaction adds segments beside the compacted one, and the pages stay SQLite's.
        try sqlite.replaceDocuments(fromSource: replaced, contentHash: "h3", with: try PostgresTermTopTests.documents(replaced, preparer: nil))
        try PostgresTermTopTests.write(postgres, [replaced], hash: "h3")
        #expect(try state().rows > after.rows)
        for entry in Self.requests {
            #expect(try Self.page(postgres, entry) == (try Self.page(sqlite, entry)), "\(entry)")
        }
    }

    /// Two writers on one new database, and SQLite over the same sources.
    func twoWriters() throws -> (sqlite: SQLiteKnowledgeBase, first: PostgresKnowledgeBase, second: PostgresKnowledgeBase, location: String) {
        let sqlite = try TermTopListTests().indexedCorpus()
        let (first, location) = try PostgresTermTopTests().scratch()
        return (sqlite, first, try PostgresTermTopTests.open(location), location)
    }

    @Test func twoWritersGiveTheSamePages() throws {
        let (sqlite, first, second, _) = try twoWriters()
        defer { try? first.close(); try? second.close() }
        // Interleaved, and the second writer's documents without its preparer (postings made by the writer).
        try PostgresTermTopTests.write(first, Self.sources[0..<1])
        try PostgresTermTopTests.write(second, Self.sources[2..<3], digests: false)
        try PostgresTermTopTests.write(first, Self.sources[1..<2])
        try PostgresTermTopTests.write(second, Self.sources[3..<4], digests: false)
        for entry in Self.requests {
            #expect(try second.answersFromPostings(try PostgresTermTopTests.request(entry)), "\(entry)")
            // Document ids follow the order of writing, so keys and scores are compared, not row order ties.
            let scores = try second.search(try PostgresTermTopTests.request(entry)).map(\.score)
            #expect(scores == (try sqlite.search(try PostgresTermTopTests.request(entry)).map(\.score)), "\(entry)")
        }
    }

    @Test func segmentsOfOverlappingTransactionsAreMergedInRowOrder() throws {
        let (sqlite, first, second, location) = try twoWriters()
        defer { try? first.close(); try? second.close() }
        // The second writer commits inside the first one's transaction, after its first document: its segment
        // is numbered first but holds later document ids than the first writer's opening one.
        let reports = Self.sources[3], preparer = try first.documentPreparer()
        try PostgresTermTopTests.write(first, Self.sources[1..<3])
        var interleaved = false
        try first.replaceDocuments([SourceDocuments(source: reports, contentHash: "h",
                                                    documents: try PostgresTermTopTests.documents(reports, preparer: preparer))],
                                   afterEachDocument: { index in
            guard index == 0 else { return }
            try PostgresTermTopTests.write(second, Self.sources[0..<1])
            interleaved = true
        })
        #expect(interleaved)
        let pool = try PostgresPool(location: try PostgresLocation(location), maximum: 1)
        defer { pool.close() }
        let order = try pool.withSession { session in
            try session.query("SELECT segment FROM postings WHERE token = '发展' ORDER BY segment").count
        }
        #expect(order == 4)
        for entry in Self.requests {
            let request = try PostgresTermTopTests.request(entry)
            #expect(try second.answersFromPostings(request), "\(entry)")
            #expect(try second.search(request).map(\.score) == (try sqlite.search(request).map(\.score)), "\(entry)")
        }
    }

    @Test func documentsFromBeforeThePostingsAreRankedWithoutThem() throws {
        let sqlite = try TermTopListTests().indexedCorpus()
        let (postgres, location) = try PostgresTermTopTests().scratch()
        defer { try? postgres.close() }
        try PostgresTermTopTests.write(postgres, Self.sources[...])
        // As a database written before migration 8: no postings, every document missing them.
        let pool = try PostgresPool(location: try PostgresLocation(location), maximum: 1)
        defer { pool.close() }
        try pool.withSession { session in
            try session.query("TRUNCATE postings")
            try session.query("INSERT INTO postings_missing (doc_id) SELECT id FROM documents")
        }
        let entry = Self.requests[3]
        #expect(try !postgres.answersFromPostings(try PostgresTermTopTests.request(entry)))
        #expect(try Self.page(postgres, entry) == (try Self.page(sqlite, entry)))
        // Writing the sources again (as `plankb index --rebuild` does) brings the postings back.
        for source in Self.sources { try PostgresTermTopTests.write(postgres, [source], hash: "h2") }
        #expect(try postgres.answersFromPostings(try PostgresTermTopTests.request(entry)))
        #expect(try Self.page(postgres, entry) == (try Self.page(sqlite, entry)))
    }

    @Test func entriesRoundTripAndDamageIsRefused() {
        var bytes: [UInt8] = []
        let rows: [(Int64, Int32, Int32, UInt32)] = [(1 << 20 | 3, 1, 40, 1), (1 << 20 | 9, 8, 12, 0x90), (7 << 20, 300, 70_000, 5)]
        var previous: Int64 = 0
        for (row, frequency, length, kinds) in rows {
            Postings.appendVarint(UInt64(row - previous), to: &bytes)
            Postings.appendVarint(UInt64(frequency), to: &bytes)
            Postings.appendVarint(UInt64(length), to: &bytes)
            Postings.appendVarint(UInt64(kinds), to: &bytes)
            previous = row
        }
        var entries: [Postings.Entry] = []
        #expect(Postings.decode(Data(bytes), into: &entries, ordinalBits: 20, isDead: { $0 == 7 }))
        #expect(entries.map { "\($0.row) \($0.frequency) \($0.length) \($0.kinds)" } == ["\(1 << 20 | 3) 1 40 1", "\(1 << 20 | 9) 8 12 144"])
        // A paragraph of an article in a chapter is all three; a chapter heading is only a chapter.
        let paragraph = Postings.KindMask.of(kind: .paragraph, nodeID: "chp_5__art_12__para_1")
        #expect(paragraph == Postings.KindMask.of([.paragraph, .article, .chapter]))
        #expect(Postings.KindMask.of(kind: .chapter, nodeID: "chp_5") & Postings.KindMask.of([.article, .paragraph]) == 0)
        #expect(Postings.KindMask.order.count == NodeKind.allCases.count)
        entries = []
        #expect(!Postings.decode(Data(bytes.dropLast()), into: &entries, ordinalBits: 20, isDead: { _ in false }))
    }
}
