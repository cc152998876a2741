import Foundation
import Testing
import PlanIngest
import PlanKit
@testable import PlanIndex

/// Recall across the ways one word is printed: letter-spaced headings (附　　则) and traditional characters
/// (經濟). The printed form stays in the text and the snippets; only the index tokens are folded.
@Suite struct SpacingAndScriptTests {
    func hitIDs(_ knowledgeBase: SQLiteKnowledgeBase, _ query: String, kinds: [NodeKind] = []) throws -> Set<String> {
        var request = try Fixtures.request(query)
        request.kinds = kinds
        return Set(try knowledgeBase.search(request).map(\.nodeID))
    }

    func knowledgeBase(lines: [String], indexing: IdeographIndexing = .bigram) throws -> SQLiteKnowledgeBase {
        let knowledgeBase = try Fixtures.scratchKnowledgeBase(indexing)
        try knowledgeBase.replaceDocuments(fromSource: "s", contentHash: "h", with: [
            IndexedDocument(key: "s", document: Fixtures.paragraphDocument(title: "t", lines: lines)),
        ])
        return knowledgeBase
    }

    // MARK: Letter-spaced headings

    /// Real laws whose last chapter is printed 附　　则 (two U+3000 inside), and one printed 附则.
    static let spacedLaws = [
        "laws/law-animal-epidemic-1997-2021-drafts/2021.txt",
        "laws/law-company-2018-2023/company-law-2023.md",
        "laws/law-antimonopoly-2007-2022/antimonopoly-law-2022.md",
        "govcn-2019/32.html",
    ]

    @Test func everyLetterSpacedChapterIsFoundByItsWord() throws {
        let knowledgeBase = try Fixtures.scratchKnowledgeBase()
        var expected: Set<String> = []
        for (index, source) in (Self.spacedLaws + ["laws/law-hainan-ftp-2021/hainan-free-trade-port-law-2021.md"]).enumerated() {
            let documents = try DocumentLoader.load(contentsOf: Fixtures.corpus.appendingPathComponent(source))
            try knowledgeBase.replaceDocuments(fromSource: source, contentHash: "h\(index)", with: documents.map {
                IndexedDocument(key: source, document: $0)
            })
            // The chapters whose heading, without its spacing, is 附则 — read from the tree, as printed.
            for document in documents {
                for chapter in document.root.descendants where chapter.kind == .chapter
                    && chapter.heading?.filter({ !$0.isWhitespace }) == "附则" {
                    expected.insert(source + " " + chapter.id)
                }
            }
        }
        let printedSpaced = try #require(DocumentLoader.load(contentsOf: Fixtures.corpus.appendingPathComponent(Self.spacedLaws[0]))
            .first?.root.descendants.first { $0.kind == .chapter && $0.heading?.contains("　") == true })
        #expect(printedSpaced.heading == "附　　则", "the heading keeps its printed spacing")
        #expect(expected.count == Self.spacedLaws.count + 1, "\(expected)")
        var request = try Fixtures.request("附则")
        request.kinds = [.chapter]
        let hits = try knowledgeBase.search(request)
        let chapterHits = Set(hits.filter { $0.kind == "chapter" }.map { $0.documentKey + " " + $0.nodeID })
        #expect(chapterHits == expected)
        // The mark covers the printed heading, spaces and all.
        for hit in hits where hit.kind == "chapter" {
            let marked = hit.snippet.marks.map { String(Array(hit.snippet.text)[$0]) }
            #expect(marked.contains { $0.filter { !$0.isWhitespace } == "附则" }, "\(hit.snippet)")
        }
    }

    @Test(arguments: IdeographIndexing.allCases)
    func spacingInsideAHanRunDoesNotBreakIt(indexing: IdeographIndexing) throws {
        let lines = ["第一章　总　　则", "第十章 附 则", "附\u{00A0}则", "附，则", "总则和附则"]
        let knowledgeBase = try knowledgeBase(lines: lines, indexing: indexing)
        // Unigram indexing cannot see the comma of 附，则 (see ChineseSearchTests); bigram indexing can.
        #expect(try hitIDs(knowledgeBase, "附则") == (indexing == .bigram ? ["para_2", "para_3", "para_5"]
                                                                         : ["para_2", "para_3", "para_4", "para_5"]))
        #expect(try hitIDs(knowledgeBase, "总则") == ["para_1", "para_5"])
        #expect(try hitIDs(knowledgeBase, "\"第一章 总则\"") == ["para_1"])
        let marks = Highlighter().matches(of: ["总则"], in: lines[0])
        #expect(marks.map { String(Array(lines[0])[$0]) } == ["总　　则"])
    }

    // MARK: Traditional and simplified characters

    static let mixedScripts = [
        "推动经济高质量发展。",        // para_1, simplified
        "推動經濟高質量發展。",        // para_2, traditional (Hong Kong, Taiwan)
        "理发店不得损伤顾客头发。",    // para_3
        "理髮店不得損傷顧客頭髮。",    // para_4
        "清乾隆年间的档案。",          // para_5: 乾 is also simplified (乾隆, 乾坤)
        "加强干部队伍建设。",          // para_6
        "幹部隊伍建設。",              // para_7: 幹 is traditional for 干
        "此後三年內完成。",            // para_8
        "此后三年内完成。",            // para_9
        "皇后的服饰。",                // para_10: 后 (empress) in simplified, also 后 in traditional
    ]

    @Test(arguments: IdeographIndexing.allCases)
    func aQueryInEitherScriptFindsBoth(indexing: IdeographIndexing) throws {
        let knowledgeBase = try knowledgeBase(lines: Self.mixedScripts, indexing: indexing)
        #expect(try hitIDs(knowledgeBase, "經濟") == ["para_1", "para_2"])
        #expect(try hitIDs(knowledgeBase, "经济") == ["para_1", "para_2"])
        #expect(try hitIDs(knowledgeBase, "發展") == ["para_1", "para_2"])
        #expect(try hitIDs(knowledgeBase, "发展") == ["para_1", "para_2"])
        // 发 is both 發 and 髮: 头发 finds 頭髮, and 发展 does not find 頭髮.
        #expect(try hitIDs(knowledgeBase, "头发") == ["para_3", "para_4"])
        #expect(try hitIDs(knowledgeBase, "頭髮") == ["para_3", "para_4"])
        #expect(try hitIDs(knowledgeBase, "理发店") == ["para_3", "para_4"])
        // 乾 stays 乾: 干部 finds 干部 and 幹部, never 乾隆; 乾隆 finds only itself.
        #expect(try hitIDs(knowledgeBase, "干部") == ["para_6", "para_7"])
        #expect(try hitIDs(knowledgeBase, "干") == ["para_6", "para_7"])
        #expect(try hitIDs(knowledgeBase, "乾隆") == ["para_5"])
        // 後 folds to 后; 后 (empress) is found by 后 as before.
        #expect(try hitIDs(knowledgeBase, "此后") == ["para_8", "para_9"])
        #expect(try hitIDs(knowledgeBase, "後") == ["para_8", "para_9", "para_10"])
    }

    @Test func hitsShowTheTextAsPrintedWithMarksOnTheMatchedCharacters() throws {
        let knowledgeBase = try knowledgeBase(lines: Self.mixedScripts)
        let hits = try knowledgeBase.search(Fixtures.request("经济"))
        let traditional = try #require(hits.first { $0.nodeID == "para_2" })
        #expect(traditional.snippet.text == "推動經濟高質量發展。")
        #expect(traditional.snippet.marks.map { String(Array(traditional.snippet.text)[$0]) } == ["經濟"])
    }

    @Test func theFoldingTableHoldsTheCommonCases() {
        func folded(_ text: String) -> String {
            String(String.UnicodeScalarView(text.unicodeScalars.map { Unicode.Scalar(SimplifiedFolding.simplified($0.value))! }))
        }
        #expect(folded("經濟發展頭髮後麵裡裏幹於") == "经济发展头发后面里里干于")
        #expect(folded("乾隆经济发展") == "乾隆经济发展", "simplified text and 乾 stay as written")
        #expect(folded("𠮷") == "𠮷")
        // Basic-range characters whose simplified form is outside the BMP, and one outside folding to another.
        #expect(folded("㑮㒓㓄") == "𫝈𠉂𪠟")
        var pending: Unicode.Scalar?, pairs = 0
        for scalar in SimplifiedFolding.pairs.unicodeScalars where scalar != " " && scalar != "\n" {
            guard let traditional = pending else { pending = scalar; continue }
            pending = nil
            #expect(SimplifiedFolding.simplified(traditional.value) == scalar.value, "\(traditional) → \(scalar)")
            pairs += 1
        }
        #expect(pairs == 4105, "every pair of the table folds as it says")
    }

    // MARK: Tokenizer version

    @Test func aKnowledgeBaseIndexedWithAnOlderTokenizerIsRefused() throws {
        let knowledgeBase = try knowledgeBase(lines: Self.mixedScripts)
        let path = knowledgeBase.path
        // As a file written before the version was kept: the key absent, documents present.
        try knowledgeBase.connections.write { db in try db.execute(sql: "DELETE FROM kb_info WHERE key = 'tokenizer_version'") }
        try knowledgeBase.close()
        #expect {
            _ = try SQLiteKnowledgeBase(path: path)
        } throws: { error in
            "\(error)".contains("--rebuild") && (error as? StaleTokenizerError)?.found == 1
        }
        // A new, empty file records the current version.
        let fresh = try Fixtures.scratchKnowledgeBase()
        #expect(try fresh.connections.read { try SQLiteKnowledgeBase.info("tokenizer_version", in: $0) } == String(IndexTokenizer.version))
    }

    /// Version 3 folds 795 more traditional characters: a knowledge base cut by version 2 holds other tokens for
    /// them, and every backend refuses it with the rebuild command; an empty one takes the current version.
    @Test(arguments: TestBackend.available)
    func aKnowledgeBaseCutByVersionTwoIsRefusedOnEveryBackend(backend: TestBackend) throws {
        let (knowledgeBase, location) = try backend.scratch()
        func storedVersion() throws -> String? {
            switch knowledgeBase {
            case let sqlite as SQLiteKnowledgeBase: try sqlite.connections.read { try SQLiteKnowledgeBase.info("tokenizer_version", in: $0) }
            case let postgres as PostgresKnowledgeBase:
                try postgres.pool.withSession { try $0.query("SELECT value FROM kb_info WHERE key = 'tokenizer_version'").first?.string(0) }
            default: nil
            }
        }
        #expect(try storedVersion() == String(IndexTokenizer.version))
        try knowledgeBase.replaceDocuments(fromSource: "s", contentHash: "h", with: [
            IndexedDocument(key: "s", document: Fixtures.paragraphDocument(title: "t", lines: Self.mixedScripts)),
        ])
        switch knowledgeBase {
        case let sqlite as SQLiteKnowledgeBase:
            try sqlite.connections.write { try SQLiteKnowledgeBase.setInfo("tokenizer_version", "2", in: $0) }
        case let postgres as PostgresKnowledgeBase:
            _ = try postgres.pool.withSession { try $0.query("UPDATE kb_info SET value = '2' WHERE key = 'tokenizer_version'") }
        default: Issue.record("unknown backend")
        }
        try knowledgeBase.close()
        #expect {
            _ = try openKnowledgeBase(location, for: .reading)
        } throws: { error in
            "\(error)".contains("--rebuild") && (error as? StaleTokenizerError)?.found == 2 && !"\(error)".contains("PASSWORD")
        }
    }
}
