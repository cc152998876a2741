import Foundation
import Testing
import PlanIngest
import PlanKit
@testable import PlanIndex

/// The backends side by side: the same real documents (with their records) written into SQLite and PostgreSQL
/// must give the same answers — hits in the same order with the same scores (the same doubles), snippets and
/// records, counts, filters, documents read back whole. The storage suites (StorageTests, ChineseSearchTests,
/// LoadedCorpusTests) run each of their tests on every backend; this one checks that the backends agree.
@Suite(.serialized) struct KnowledgeBaseConformanceTests {
    static let sources = [
        "plans/shenyang-ftz-plan-2021.txt",
        "laws/law-hainan-ftp-2021/hainan-free-trade-port-law-2021.md",
        "laws/law-company-2018-2023/company-law-2023.md",
        "laws/law-company-2018-2023/company-law-2018.md",
        "reports/government-work-reports-2021-2025.jsonl",
        "govcn-2019/01.html",
    ]

    /// The documents of every source as `plankb index` stores them: loaded, records extracted, keyed by path.
    static func sourceDocuments() throws -> [SourceDocuments] {
        return try sources.map { source in
            let data = try Data(contentsOf: Fixtures.corpus.appendingPathComponent(source))
            let documents = try DocumentLoader.load(data: data, source: source, pathExtension: URL(fileURLWithPath: source).pathExtension)
            return SourceDocuments(source: source, contentHash: data.withUnsafeBytes { ContentHash.of($0) },
                                   documents: documents.enumerated().map { index, document in
                IndexedDocument(key: documents.count == 1 ? source : "\(source)#\(index + 1)", document: document,
                                records: document.records.map { record in
                    IndexedRecord(record)
                })
            })
        }
    }

    /// Both backends filled the same way (each source its own write, as index runs batch them), or nil without a
    /// PostgreSQL server outside CI.
    static func pair() throws -> (sqlite: any KnowledgeBase, postgres: any KnowledgeBase)? {
        guard TestBackend.available.contains(.postgres) else { return nil }
        let documents = try sourceDocuments()
        let sqlite = try TestBackend.sqlite.scratch().knowledgeBase
        let postgres = try TestBackend.postgres.scratch().knowledgeBase
        for knowledgeBase in [sqlite, postgres] {
            let preparer = try knowledgeBase.documentPreparer()
            // Half the sources prepared on "loading threads", half not: both paths must store the same.
            for (index, source) in documents.enumerated() {
                var source = source
                if index % 2 == 0 {
                    source.documents = source.documents.map { entry in
                        var entry = entry
                        entry.prepared = preparer.prepare(entry.document)
                        return entry
                    }
                }
                try knowledgeBase.replaceDocuments([source])
            }
            // A source replaced and one removed, so that deletions reach the counts BM25 uses.
            // (A new content hash, as when the file changed: a writer skips a source stored with the same hash.)
            var changed = documents[1]
            changed.contentHash += "-changed"
            try knowledgeBase.replaceDocuments([changed])
            try knowledgeBase.removeDocuments(fromSources: [documents[3].source])
            try knowledgeBase.finishIndexRun(changedDocuments: true)
        }
        return (sqlite, postgres)
    }

    static let queries = [
        "发展", "港", "电商", "跨境电商", "自由贸易试验区", "营商环境", "公司", "\"董事会 会议\"", "RCEP", "2025", "ＲＣＥＰ",
        "金融 贸易", "金融 OR 贸易", "金融 -贸易", "(改革 OR 开放) -沈阳", "“高质量发展”", "国务院 AND 规定", "就业", "的",
        "冷链物流", "股东", "NOT 的 港", "海南 自由贸易港",
    ]

    func requests() throws -> [SearchRequest] {
        var result: [SearchRequest] = []
        for text in Self.queries {
            let query = try SearchQuery(parsing: text)
            result.append(SearchRequest(query: query, limit: 30))
            result.append(SearchRequest(query: query, limit: 10, offset: 25))
            result.append(SearchRequest(query: query, kinds: [.article], limit: 20))
            result.append(SearchRequest(query: query, issuer: "国务院", limit: 20))
            result.append(SearchRequest(query: query, publishedAfter: PublicationDate("2021-01-01"), publishedBefore: PublicationDate("2023-12-31"), limit: 20))
            result.append(SearchRequest(query: query, document: "company", limit: 20))
            result.append(SearchRequest(query: query, recordType: .target, recordYears: 2021...2025, limit: 20))
            result.append(SearchRequest(query: query, recordType: .measure, limit: 20))
            result.append(SearchRequest(query: query, recordType: .milestone, recordYears: 2025...Int.max, limit: 20))
        }
        return result
    }

    @Test(.enabled(if: TestBackend.available.contains(.postgres)))
    func everySearchGivesTheSameHitsInTheSameOrderWithTheSameScores() throws {
        let (sqlite, postgres) = try #require(try Self.pair())
        var nonEmpty = 0
        for request in try requests() {
            let expected = try sqlite.search(request)
            let hits = try postgres.search(request)
            if !expected.isEmpty { nonEmpty += 1 }
            #expect(hits.map { "\($0.documentKey) \($0.nodeID)" } == expected.map { "\($0.documentKey) \($0.nodeID)" },
                    "\(request.query) \(request)")
            // Scores compared as doubles, exactly; snippets, paths and records too.
            #expect(hits == expected, "\(request.query)")
        }
        #expect(nonEmpty > 100, "the requests should mostly find something")
        // PostgreSQL evaluates large candidate sets on several threads (`PostgresSearch.rowsPerWorker`): some
        // requests here are that large, so that the split path is among those compared.
        let largest = try requests().map { try sqlite.count($0, by: .doc).map(\.hits).reduce(0, +) }.max() ?? 0
        #expect(largest >= 2 * PostgresSearch.rowsPerWorker, "largest request: \(largest) hits")
    }

    @Test(.enabled(if: TestBackend.available.contains(.postgres)))
    func countsMatchingSourcesAndSummariesAgree() throws {
        let (sqlite, postgres) = try #require(try Self.pair())
        for request in try requests() where request.offset == 0 {
            for dimension in CountDimension.allCases {
                #expect(try postgres.count(request, by: dimension) == sqlite.count(request, by: dimension), "\(request.query) \(dimension)")
            }
            #expect(try postgres.matchingSources(request) == sqlite.matchingSources(request))
        }
        #expect(try postgres.summary() == sqlite.summary())
        #expect(try postgres.indexedSources() == sqlite.indexedSources())
        // A replaced and a removed source took their nodes and records with them (no foreign keys do it since
        // migration 7), and nothing else.
        let knowledgeBase = try #require(postgres as? PostgresKnowledgeBase)
        let orphans = try knowledgeBase.read { session in
            try session.query("""
                SELECT (SELECT count(*) FROM nodes WHERE doc_id NOT IN (SELECT id FROM documents))
                     + (SELECT count(*) FROM records WHERE doc_id NOT IN (SELECT id FROM documents))
                """).first?.integer(0)
        }
        #expect(orphans == 0)
    }

    @Test(.enabled(if: TestBackend.available.contains(.postgres)))
    func documentsReadBackWholeAgree() throws {
        let (sqlite, postgres) = try #require(try Self.pair())
        let listed = try sqlite.documents()
        #expect(try postgres.documents() == listed)
        #expect(listed.count > 5)
        for summary in listed {
            let expected = try #require(try sqlite.document(withKey: summary.key))
            let stored = try #require(try postgres.document(withKey: summary.key))
            #expect(stored.summary == expected.summary)
            #expect(stored.metadata == expected.metadata)
            #expect(stored.root == expected.root)
            #expect(stored.records == expected.records)
            for node in expected.root.descendants.prefix(40) {
                #expect(try postgres.nodeText(documentKey: summary.key, nodeID: node.id) == sqlite.nodeText(documentKey: summary.key, nodeID: node.id))
                #expect(try postgres.records(inDocument: summary.key, nodeID: node.id) == sqlite.records(inDocument: summary.key, nodeID: node.id))
            }
        }
        #expect(try postgres.document(withKey: "no/such/document") == nil)
    }

    /// The vectors go to the server in `tsvector`'s binary form: what it stores must be what `SearchVector`
    /// means, lexeme for lexeme, position for position and weight for weight (the text PostgreSQL prints from
    /// its stored vector against the text `SearchVector` renders), and the rows and records must be complete.
    @Test(.enabled(if: TestBackend.available.contains(.postgres)))
    func storedVectorsAndRowsAreWhatTheWriterMeant() throws {
        // A document with headings (weight A) and lead sentences (weight B) in its vectors, and records.
        let source = try #require(try Self.sourceDocuments().first { $0.documents.count == 1 && $0.source.hasSuffix(".txt") })
        let entry = try #require(source.documents.first)
        let rows = NodeRow.rows(of: entry.document)
        let expected = PostgresKnowledgeBase.vectors(of: rows, indexing: .bigram)
        let postgres = try #require(try TestBackend.postgres.scratch().knowledgeBase as? PostgresKnowledgeBase)
        defer { try? postgres.close() }
        try postgres.replaceDocuments([source])
        let stored = try postgres.pool.withSession { session in
            try session.query("SELECT ordinal, search::text, token_count, long, node_id, text, path FROM nodes ORDER BY ordinal")
        }
        #expect(stored.count == rows.count)
        #expect(expected.contains { $0?.text.contains("A") == true } && expected.contains { $0?.text.contains("B") == true })
        for (row, pair) in zip(stored, zip(rows, expected)) {
            let (node, vector) = pair
            #expect(try row.integer(0) == node.ordinal)
            #expect(try row.string(1) == vector?.text, "\(node.nodeID)")
            #expect(try row.integer(2) == (vector?.tokenCount ?? 0))
            #expect(try row.boolean(3) == (vector?.isLong ?? false))
            #expect(try row.string(4) == node.nodeID)
            #expect(try row.string(5) == node.storedText)
            #expect(try row.string(6) == (node.searchable == .none ? nil : node.path))
        }
        let records = try postgres.pool.withSession { session in
            try session.query("SELECT node_id, type FROM records ORDER BY id").map { "\(try $0.string(0)!) \(try $0.string(1)!)" }
        }
        #expect(!records.isEmpty)
        #expect(records == entry.records.map { "\($0.nodeID) \($0.type)" })
        // Migration 6: long values compressed with lz4 (the test server, Debian's, has it).
        let compression = try postgres.pool.withSession { session in
            try session.query("""
                SELECT string_agg(attname || '=' || attcompression::text, ' ' ORDER BY attname) FROM pg_attribute
                WHERE attrelid = 'nodes'::regclass AND attname IN ('text', 'search')
                """).first?.string(0)
        }
        #expect(compression == "search=l text=l")
    }

    @Test func aLongNodeBeyondTsvectorsLimitsIsStillFoundAndScoredAlike() throws {
        // A paragraph of 20,000 tokens with 的 far more often than 256 times: its vector goes without positions.
        let sentence = "推动跨境电商的高质量发展，完善营商环境的制度保障。"
        let long = String(repeating: sentence, count: 800) + "末尾的冷链物流枢纽"
        let vector = SearchVector(columns: [nil, nil, long], indexing: .bigram)
        #expect(vector.isLong)
        #expect(!vector.text.contains(":"))
        guard TestBackend.available.contains(.postgres) else { return }
        let lines = [long, sentence, "冷链物流枢纽建设"]
        let document = Fixtures.paragraphDocument(title: "长段落", lines: lines)
        var results: [[SearchHit]] = []
        for backend in [TestBackend.sqlite, .postgres] {
            let knowledgeBase = try backend.scratch().knowledgeBase
            try knowledgeBase.replaceDocuments(fromSource: "long", contentHash: "h", with: [IndexedDocument(key: "long", document: document)])
            var hits: [SearchHit] = []
            for text in ["的", "冷链物流枢纽", "\"跨境电商 的\"", "末尾 -沈阳", "营商环境"] {
                hits += try knowledgeBase.search(Fixtures.request(text))
            }
            results.append(hits)
        }
        #expect(results[1] == results[0])
        #expect(results[0].contains { $0.nodeID == "para_1" })
    }

    @Test func vectorsTellLexemesApartByTheirBytesAsFTS5Does() throws {
        // 更 (U+F901, a CJK compatibility ideograph) and 更 (U+66F4) are equal as Swift strings but different
        // tokens in FTS5; the vector must keep them apart too, each at its own positions, quoted as PostgreSQL reads.
        // Lexemes in byte order (E6 9B B4 before EF A4 81), as PostgreSQL keeps and prints them.
        let vector = SearchVector(columns: ["\u{F901}", nil, "\u{66F4}\u{F901}"], indexing: .bigram)
        #expect(vector.text == "'\u{66F4}':3 '\u{66F4}\u{F901}':3 '\u{F901}':1A,4")
        #expect(vector.tokenCount == 3)
        #expect(SearchVector(columns: [nil, nil, "RCEP 2025年"], indexing: .bigram).text == "'2025':2 'rcep':1 '年':3")
        guard TestBackend.available.contains(.postgres) else { return }
        let document = Fixtures.paragraphDocument(title: "兼容汉字", lines: ["\u{F901}字在前", "\u{66F4}字在后"])
        var results: [[String]] = []
        for backend in [TestBackend.sqlite, .postgres] {
            let knowledgeBase = try backend.scratch().knowledgeBase
            try knowledgeBase.replaceDocuments(fromSource: "c", contentHash: "h", with: [IndexedDocument(key: "c", document: document)])
            results.append(try knowledgeBase.search(Fixtures.request("\u{66F4}")).map(\.nodeID))
        }
        #expect(results[0] == ["para_2"])
        #expect(results[1] == results[0])
    }
}
