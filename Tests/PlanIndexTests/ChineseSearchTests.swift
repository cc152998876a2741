import Foundation
import Testing
import PlanKit
@testable import PlanIndex

/// Full-text search on a real plan: every expectation is computed from the text itself (which lines contain
/// the string), so the tests hold for any document, not just this one.
@Suite struct ChineseSearchTests {
    /// Ids of the paragraphs whose text contains `needle` as a contiguous string.
    func paragraphsContaining(_ needle: String, in lines: [String]) -> Set<String> {
        Set(lines.enumerated().filter { $0.element.contains(needle) }.map { "para_\($0.offset + 1)" })
    }

    func hitIDs(_ knowledgeBase: any KnowledgeBase, _ query: String) throws -> Set<String> {
        Set(try knowledgeBase.search(Fixtures.request(query)).map(\.nodeID))
    }

    @Test(arguments: StorageSetup.all, ["金融", "港", "电商", "自由贸易试验区", "跨境电商", "营商环境", "沈阳"])
    func chineseTermsMatchExactlyTheParagraphsContainingThem(setup: StorageSetup, term: String) throws {
        let (knowledgeBase, lines) = try Fixtures.indexedPlan(on: setup)
        let expected = paragraphsContaining(term, in: lines)
        #expect(!expected.isEmpty, "the plan should contain \(term)")
        #expect(try hitIDs(knowledgeBase, term) == expected)
    }

    @Test(arguments: StorageSetup.bigram)
    func anInfixMatchesInsideALongerWord(setup: StorageSetup) throws {
        let (knowledgeBase, lines) = try Fixtures.indexedPlan(on: setup)
        let infixOnly = lines.filter { $0.contains("跨境电商") }
        #expect(!infixOnly.isEmpty)
        let hits = try hitIDs(knowledgeBase, "电商")
        for line in infixOnly {
            let id = "para_\(lines.firstIndex(of: line)! + 1)"
            #expect(hits.contains(id), "电商 should be found inside 跨境电商 in \(id)")
        }
    }

    @Test(arguments: StorageSetup.all)
    func scatteredCharactersDoNotMatch(setup: StorageSetup) throws {
        let indexing = setup.indexing
        // Real sentences where 电 and 商, or 金 and 融, occur but not side by side; and 电，商 across punctuation.
        let lines = ["发展电子信息产业，扩大商贸服务。", "资金投向融资租赁。", "推动电，商两类企业合作。", "培育跨境电商新业态。"]
        let knowledgeBase = try setup.backend.scratch(indexing).knowledgeBase
        try knowledgeBase.replaceDocuments(fromSource: "s", contentHash: "h", with: [
            IndexedDocument(key: "s", document: Fixtures.paragraphDocument(title: "t", lines: lines)),
        ])
        #expect(try hitIDs(knowledgeBase, "金融").isEmpty)
        #expect(try hitIDs(knowledgeBase, "电商跨境").isEmpty)
        let expectedForTrade: Set<String> = indexing == .bigram ? ["para_4"] : ["para_3", "para_4"]
        // Unigram indexing cannot see punctuation between characters; bigram indexing can (the reason it is the default).
        #expect(try hitIDs(knowledgeBase, "电商") == expectedForTrade)
        #expect(try hitIDs(knowledgeBase, "跨境电商") == ["para_4"])
    }

    @Test(arguments: StorageSetup.bigram)
    func latinWordsAndNumbersMatchAsWordsWithWidthAndCaseFolded(setup: StorageSetup) throws {
        let (knowledgeBase, lines) = try Fixtures.indexedPlan(on: setup)
        let withRCEP = paragraphsContaining("RCEP", in: lines)
        #expect(!withRCEP.isEmpty)
        #expect(try hitIDs(knowledgeBase, "RCEP") == withRCEP)
        #expect(try hitIDs(knowledgeBase, "rcep") == withRCEP)
        #expect(try hitIDs(knowledgeBase, "ＲＣＥＰ") == withRCEP)
        #expect(try hitIDs(knowledgeBase, "RCE").isEmpty, "a word matches whole, not as a prefix")
        let years = lines.enumerated().filter { $0.element.contains("2025") }.map { "para_\($0.offset + 1)" }
        #expect(!years.isEmpty)
        #expect(try hitIDs(knowledgeBase, "2025") == Set(years))
        #expect(try hitIDs(knowledgeBase, "２０２５") == Set(years))
    }

    @Test(arguments: StorageSetup.bigram)
    func booleanOperatorsCombineAsSetOperations(setup: StorageSetup) throws {
        let (knowledgeBase, lines) = try Fixtures.indexedPlan(on: setup)
        let finance = paragraphsContaining("金融", in: lines)
        let trade = paragraphsContaining("贸易", in: lines)
        #expect(try hitIDs(knowledgeBase, "金融 贸易") == finance.intersection(trade))
        #expect(try hitIDs(knowledgeBase, "金融 AND 贸易") == finance.intersection(trade))
        #expect(try hitIDs(knowledgeBase, "金融 OR 贸易") == finance.union(trade))
        #expect(try hitIDs(knowledgeBase, "金融 NOT 贸易") == finance.subtracting(trade))
        #expect(try hitIDs(knowledgeBase, "金融 -贸易") == finance.subtracting(trade))
        #expect(try hitIDs(knowledgeBase, "(金融 OR 贸易) -沈阳")
                == finance.union(trade).subtracting(paragraphsContaining("沈阳", in: lines)))
        #expect(try hitIDs(knowledgeBase, "\"跨境电商\" OR \"RCEP\"")
                == paragraphsContaining("跨境电商", in: lines).union(paragraphsContaining("RCEP", in: lines)))
    }

    @Test(arguments: StorageSetup.bigram)
    func hitsCarryPathSnippetAndScoreWithMarksOnTheMatchedText(setup: StorageSetup) throws {
        let (knowledgeBase, _) = try Fixtures.indexedPlan(on: setup)
        let hits = try knowledgeBase.search(Fixtures.request("跨境电商", limit: 5))
        #expect(!hits.isEmpty)
        for hit in hits {
            #expect(hit.documentTitle == "沈阳片区发展规划")
            #expect(hit.path.hasPrefix("段"))
            #expect(hit.score > 0)
            #expect(!hit.snippet.marks.isEmpty)
            for mark in hit.snippet.marks {
                #expect(String(Array(hit.snippet.text)[mark]) == "跨境电商", "one merged mark per occurrence")
            }
        }
        #expect(hits.map(\.score) == hits.map(\.score).sorted(by: >))
    }
}
