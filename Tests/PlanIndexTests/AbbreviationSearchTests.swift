import Foundation
import Testing
import PlanIngest
import PlanKit
@testable import PlanIndex

/// Searching a full name also finds the paragraphs that use the short name the document defined for it, on the
/// Shenyang plan: 中国(辽宁)自由贸易试验区沈阳片区(以下简称“沈阳片区”).
@Suite struct AbbreviationSearchTests {
    static let full = "中国(辽宁)自由贸易试验区沈阳片区"
    /// The full name as a user types it: with full-width brackets, or quoted (half-width brackets group a query).
    static let queries = ["中国（辽宁）自由贸易试验区沈阳片区", "\"中国(辽宁)自由贸易试验区沈阳片区\""]

    /// The Shenyang plan as the loader reads it, and a second document that uses 沈阳片区 without defining it.
    func indexed() throws -> (SQLiteKnowledgeBase, PlanDocument) {
        let source = "plans/shenyang-ftz-plan-2021.txt"
        let document = try #require(DocumentLoader.load(contentsOf: Fixtures.corpus.appendingPathComponent(source)).first)
        let knowledgeBase = try Fixtures.scratchKnowledgeBase()
        try knowledgeBase.replaceDocuments(fromSource: source, contentHash: "h1", with: [IndexedDocument(key: source, document: document)])
        let other = Fixtures.paragraphDocument(title: "另一份文件", lines: ["支持沈阳片区建设。"])
        try knowledgeBase.replaceDocuments(fromSource: "other", contentHash: "h2", with: [IndexedDocument(key: "other", document: other)])
        return (knowledgeBase, document)
    }

    /// Node ids of the plan's searchable nodes whose text or heading contains `needle`.
    func nodes(of document: PlanDocument, containing needle: String) -> Set<String> {
        Set(NodeRow.rows(of: document).filter { row in
            row.searchable != .none && ((row.searchText ?? "").contains(needle) || (row.heading ?? "").contains(needle))
        }.map(\.nodeID))
    }

    @Test func theAbbreviationIsStoredWithItsDocument() throws {
        let (knowledgeBase, document) = try indexed()
        #expect(document.metadata.abbreviations?.contains { $0.short == "沈阳片区" && $0.full == Self.full } == true)
        let found = try knowledgeBase.definedAbbreviations(withFullNameKeys: [DefinedAbbreviation.lookupKey("中国（辽宁）自由贸易试验区沈阳片区")])
        #expect(found == [DefinedAbbreviation(documentKey: "plans/shenyang-ftz-plan-2021.txt", short: "沈阳片区", full: Self.full)])
        // Replacing the document replaces its abbreviations; removing it removes them.
        try knowledgeBase.removeDocuments(fromSources: ["plans/shenyang-ftz-plan-2021.txt"])
        #expect(try knowledgeBase.definedAbbreviations(withFullNameKeys: [DefinedAbbreviation.lookupKey(Self.full)]).isEmpty)
    }

    @Test(arguments: queries)
    func theFullNameFindsTheParagraphsThatUseTheShortOne(query: String) throws {
        let (knowledgeBase, document) = try indexed()
        let withFull = nodes(of: document, containing: Self.full)
        let withShort = nodes(of: document, containing: "沈阳片区")
        #expect(withFull.count >= 1 && withShort.count > withFull.count + 20)
        let plain = try knowledgeBase.search(Fixtures.request(query))
        #expect(Set(plain.map(\.nodeID)) == withFull, "without expansion only the full name matches")

        let hits = try knowledgeBase.searchExpandingAbbreviations(Fixtures.request(query))
        let planHits = hits.filter { $0.documentKey == "plans/shenyang-ftz-plan-2021.txt" }
        #expect(Set(planHits.map(\.nodeID)) == withShort.union(withFull))
        #expect(!hits.contains { $0.documentKey == "other" }, "a document that does not define 沈阳片区 is not expanded")
        for hit in planHits {
            if withFull.contains(hit.nodeID) {
                #expect(hit.matchedThroughAbbreviation == nil, "\(hit.nodeID) names the full name itself")
            } else {
                #expect(hit.matchedThroughAbbreviation == AbbreviationMatch(short: "沈阳片区", full: Self.full), "\(hit.nodeID)")
                #expect(hit.snippet.marks.contains { String(Array(hit.snippet.text)[$0]) == "沈阳片区" }, "\(hit.snippet)")
            }
        }
        #expect(hits.map(\.score) == hits.map(\.score).sorted(by: >))
        // Paging goes through the merged list.
        let page = try knowledgeBase.searchExpandingAbbreviations(Fixtures.request(query, limit: 5, offset: 5))
        #expect(page.map(\.nodeID) == Array(hits.dropFirst(5).prefix(5)).map(\.nodeID))
    }

    @Test func theShortNameFindsTheDefinition() throws {
        let (knowledgeBase, document) = try indexed()
        let definition = try #require(document.metadata.abbreviations?.first { $0.short == "沈阳片区" }?.node)
        let hits = try knowledgeBase.searchExpandingAbbreviations(Fixtures.request("沈阳片区"))
        #expect(hits.contains { $0.nodeID == definition && $0.documentKey == "plans/shenyang-ftz-plan-2021.txt" })
        #expect(hits.contains { $0.documentKey == "other" })
    }
}
