import Foundation
import Testing
import PlanIngest
import PlanKit
@testable import PlanIndex

/// The PostgreSQL backend's term top lists: built from the same real documents, they must be the SQLite
/// backend's lists entry for entry, give the same pages, and stay exact through replacements, removals and two
/// writers that refresh in either order.
@Suite(.enabled(if: TestBackend.available.contains(.postgres), "needs the test server (.ci/with-postgres.sh)"))
struct PostgresTermTopTests {
    static let sources = TermTopListTests.sources

    /// A new database on the test server, opened with lists used from 30 rows (as the SQLite fixture).
    func scratch() throws -> (knowledgeBase: PostgresKnowledgeBase, location: String) {
        let location = try TestBackend.scratchDatabase()
        return (try Self.open(location), location)
    }

    static func open(_ location: String) throws -> PostgresKnowledgeBase {
        try PostgresKnowledgeBase(location: try PostgresLocation(location), access: .writing, poolSize: 2, termTopMinimumRows: 30)
    }

    /// A source's documents as the loader gives them to a backend, prepared by that backend (or not at all).
    static func documents(_ source: String, preparer: DocumentPreparer?) throws -> [IndexedDocument] {
        try DocumentLoader.load(contentsOf: Fixtures.corpus.appendingPathComponent(source)).enumerated().map {
            IndexedDocument(key: "\(source)#\($0.offset + 1)", document: $0.element, prepared: preparer?.prepare($0.element))
        }
    }

    static func write(_ knowledgeBase: PostgresKnowledgeBase, _ sources: ArraySlice<String>, hash: String = "h",
                      digests: Bool = true) throws {
        let preparer = digests ? try knowledgeBase.documentPreparer() : nil
        for source in sources {
            try knowledgeBase.replaceDocuments([SourceDocuments(source: source, contentHash: hash,
                                                                documents: try documents(source, preparer: preparer))])
        }
    }

    static func lines(_ lists: [(token: String, list: TermTopList)]) -> [String] {
        lists.map { "\($0.token) \($0.list.rows) \($0.list.isComplete) \($0.list.entries)" }
    }

    static func page(_ knowledgeBase: any KnowledgeBase, _ request: SearchRequest) throws -> [String] {
        try knowledgeBase.search(request).map { "\($0.documentKey) \($0.nodeID) \($0.score)" }
    }

    static let requests: [(query: String, kind: String?, issuer: String?, offset: Int)] = [
        ("的", nil, nil, 0), ("港", nil, nil, 0), ("发展", nil, nil, 0), ("公司", nil, nil, 5), ("制度", nil, nil, 0),
        ("贸易", nil, nil, 0), ("数字 经济 发展", nil, nil, 0), ("公司 NOT 股东", nil, nil, 0), ("\"自由贸易港\"", nil, nil, 0),
        ("金融", "article", nil, 0), ("发展", nil, "国务院", 0), ("电商 OR 物流", nil, nil, 0),
    ]

    static func request(_ entry: (query: String, kind: String?, issuer: String?, offset: Int)) throws -> SearchRequest {
        var request = try Fixtures.request(entry.query, limit: 10)
        request.offset = entry.offset
        request.kinds = entry.kind.flatMap(NodeKind.init(rawValue:)).map { [$0] } ?? []
        request.issuer = entry.issuer
        return request
    }

    @Test func listsAndPagesAreSQLitesFromTheSameDocuments() throws {
        let sqlite = try TermTopListTests().indexedCorpus()
        try sqlite.refreshTermTopLists()
        let (postgres, _) = try scratch()
        defer { try? postgres.close() }
        try Self.write(postgres, Self.sources[...])
        let pending = try Fixtures.request("发展", limit: 10)
        #expect(try !postgres.answersFromTermTopLists(pending), "documents written, lists not refreshed")
        try postgres.finishIndexRun(changedDocuments: true)
        #expect(try !postgres.hasPendingTermTopLists())

        let expected = Self.lines(try sqlite.storedTermTopLists())
        #expect(expected.count > 1000)
        #expect(Self.lines(try postgres.storedTermTopLists()) == expected)

        var fromLists = 0
        for entry in Self.requests {
            let request = try Self.request(entry)
            let answered = try postgres.answersFromTermTopLists(request)
            #expect(answered == (try sqlite.answersFromTermTopLists(request)), "\(entry.query)")
            if answered { fromLists += 1 }
            let page = try Self.page(postgres, request)
            #expect(!page.isEmpty, "\(entry.query)")
            #expect(page == (try Self.page(sqlite, request)), "\(entry.query)")
        }
        // The common terms at least (的, 港, 发展, 公司, 制度, 贸易) come from the lists.
        #expect(fromLists >= 6)
        #expect(try !postgres.answersFromTermTopLists(try Fixtures.request("发展", limit: 200)), "page past the lists")
        #expect(try !postgres.answersFromTermTopLists(try Fixtures.request("冷鲜港", limit: 10)), "rare: ranked in full")

        // Read back from the stored rows instead of the loader's digests: the same lists.
        let readBack = try Self.open(try TestBackend.scratchDatabase())
        defer { try? readBack.close() }
        try Self.write(readBack, Self.sources[...], digests: false)
        try readBack.finishIndexRun(changedDocuments: true)
        #expect(Self.lines(try readBack.storedTermTopLists()) == expected)
    }

    @Test func replacedAndRemovedDocumentsLeaveTheListsExact() throws {
        let sqlite = try TermTopListTests().indexedCorpus()
        try sqlite.refreshTermTopLists()
        let (postgres, _) = try scratch()
        defer { try? postgres.close() }
        try Self.write(postgres, Self.sources[...])
        try postgres.finishIndexRun(changedDocuments: true)

        let replaced = Self.sources[0], removed = Self.sources[1]
        try sqlite.replaceDocuments(fromSource: replaced, contentHash: "h2", with: try Self.documents(replaced, preparer: nil))
        try sqlite.removeDocuments(fromSource: removed)
        try sqlite.refreshTermTopLists()
        try Self.write(postgres, [replaced], hash: "h2")
        try postgres.removeDocuments(fromSources: [removed])
        try postgres.finishIndexRun(changedDocuments: true)

        // SQLite's counts are checked against FTS5's own counts (PrunedRankingTests); these must equal them.
        let expected = try sqlite.storedTermTopLists()
        let stored = try postgres.storedTermTopLists()
        #expect(stored.count == expected.count)
        #expect(stored.map { "\($0.token) \($0.list.rows)" } == expected.map { "\($0.token) \($0.list.rows)" })
        for entry in Self.requests {
            let request = try Self.request(entry)
            let pages = (postgres: try Self.page(postgres, request), sqlite: try Self.page(sqlite, request))
            #expect(pages.postgres == pages.sqlite, "\(entry.query)")
        }
        #expect(try Self.page(postgres, try Fixtures.request("发展", limit: 10)).allSatisfy { !$0.hasPrefix(removed) })
    }

    @Test func twoWritersRefreshingInEitherOrderGiveExactLists() throws {
        let sqlite = try TermTopListTests().indexedCorpus()
        try sqlite.refreshTermTopLists()
        let (first, location) = try scratch()
        defer { try? first.close() }
        let second = try Self.open(location)
        defer { try? second.close() }
        // Interleaved: each writes half; the second finishes first and merges the first one's documents too (read
        // back), so the first one's own digests are stale by the time it finishes.
        try Self.write(first, Self.sources[0..<1])
        try Self.write(second, Self.sources[2..<3])
        try Self.write(first, Self.sources[1..<2])
        try Self.write(second, Self.sources[3..<4])
        try second.finishIndexRun(changedDocuments: true)
        try first.finishIndexRun(changedDocuments: true)
        #expect(try !first.hasPendingTermTopLists())

        // Document ids follow the order of writing, so entries differ; counts and pages must not.
        let expected = try sqlite.storedTermTopLists()
        let stored = try first.storedTermTopLists()
        #expect(stored.map { "\($0.token) \($0.list.rows) \($0.list.isComplete) \($0.list.entries.count)" }
                == expected.map { "\($0.token) \($0.list.rows) \($0.list.isComplete) \($0.list.entries.count)" })
        for entry in Self.requests {
            let request = try Self.request(entry)
            let scores = try second.search(request).map(\.score)
            #expect(scores == (try sqlite.search(request).map(\.score)), "\(entry.query)")
        }
    }

    @Test func aKnowledgeBaseFromBeforeTheListsGetsThemAtItsNextRun() throws {
        let (postgres, location) = try scratch()
        defer { try? postgres.close() }
        try Self.write(postgres, Self.sources[2..<3])
        try postgres.finishIndexRun(changedDocuments: true)
        // As a database written before migration 5: no lists, every document pending.
        let pool = try PostgresPool(location: try PostgresLocation(location), maximum: 1)
        defer { pool.close() }
        try pool.withSession { session in
            try session.query("TRUNCATE term_top")
            try session.query("DELETE FROM kb_info WHERE key LIKE 'term\\_top\\_%'")
            try session.query("INSERT INTO term_top_pending (doc_id) SELECT id FROM documents")
        }
        let reopened = try Self.open(location)
        defer { try? reopened.close() }
        #expect(try reopened.hasPendingTermTopLists())
        try reopened.finishIndexRun(changedDocuments: false)
        #expect(try !reopened.hasPendingTermTopLists())
        #expect(try reopened.answersFromTermTopLists(try Fixtures.request("公司", limit: 10)))
    }
}
