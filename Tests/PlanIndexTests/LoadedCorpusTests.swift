import Foundation
import Testing
import PlanIngest
import PlanKit
@testable import PlanIndex

/// The index over documents as the loader gives them (segmented trees), across the corpus's formats.
@Suite struct LoadedCorpusTests {
    static let sources = [
        "plans/shenyang-ftz-plan-2021.txt",
        "laws/law-hainan-ftp-2021/hainan-free-trade-port-law-2021.md",
        "laws/law-company-2018-2023/company-law-2023.md",
        "reports/government-work-reports-2021-2025.jsonl",
    ]

    func indexed(_ relativePath: String, on backend: TestBackend) throws -> (any KnowledgeBase, [PlanDocument]) {
        let indexed = try indexedAt(relativePath, on: backend)
        return (indexed.knowledgeBase, indexed.documents)
    }

    func indexedAt(_ relativePath: String, on backend: TestBackend) throws -> (knowledgeBase: any KnowledgeBase, documents: [PlanDocument], location: String) {
        let documents = try DocumentLoader.load(contentsOf: Fixtures.corpus.appendingPathComponent(relativePath))
        let (knowledgeBase, location) = try backend.scratch()
        try knowledgeBase.replaceDocuments(fromSource: relativePath, contentHash: "h", with: documents.enumerated().map {
            IndexedDocument(key: "\(relativePath)#\($0.offset + 1)", document: $0.element)
        })
        return (knowledgeBase, documents, location)
    }

    /// (document key, node id) of every searchable node whose text contains `term`, computed from the tree.
    func nodesContaining(_ term: String, in documents: [PlanDocument], source: String) -> Set<String> {
        var result = Set<String>()
        for (index, document) in documents.enumerated() {
            for row in NodeRow.rows(of: document) where row.searchText?.contains(term) == true
                || (row.searchable != .none && row.heading?.contains(term) == true) {
                result.insert("\(source)#\(index + 1) \(row.nodeID)")
            }
        }
        return result
    }

    @Test(arguments: TestBackend.available, sources)
    func hitsAreExactlyTheNodesContainingTheTerm(backend: TestBackend, source: String) throws {
        let (knowledgeBase, documents) = try indexed(source, on: backend)
        for term in ["发展", "制度", "公司", "贸易", "国务院"] {
            let expected = nodesContaining(term, in: documents, source: source)
            let hits = try knowledgeBase.search(Fixtures.request(term))
            #expect(Set(hits.map { "\($0.documentKey) \($0.nodeID)" }) == expected, "\(term) in \(source)")
            for hit in hits { #expect(!hit.snippet.marks.isEmpty, "\(hit.nodeID) has no mark for \(term)") }
        }
    }

    @Test(arguments: TestBackend.available)
    func eachPieceOfTextIsIndexedOnceSoNoHitIsGivenTwice(backend: TestBackend) throws {
        // An article's text is its paragraphs' (款) text: the article is indexed by its title only.
        let (knowledgeBase, documents) = try indexed("laws/law-company-2018-2023/company-law-2023.md", on: backend)
        let article = try #require(documents[0].root.descendants.first { $0.kind == .article && $0.children.count > 1 })
        let sentence = try #require(article.children.last?.text)
        let hits = try knowledgeBase.search(Fixtures.request("\"\(sentence.prefix(12))\""))
        #expect(hits.contains { $0.nodeID == article.children.last!.id })
        #expect(!hits.contains { $0.nodeID == article.id })
        #expect(try knowledgeBase.search(Fixtures.request("\"\(article.label!)\"")).contains { $0.nodeID == article.id })
    }

    @Test(arguments: TestBackend.available)
    func hitPathsNameTheHeadingsAboveAndTheParagraphNumber(backend: TestBackend) throws {
        let (knowledgeBase, documents) = try indexed("plans/shenyang-ftz-plan-2021.txt", on: backend)
        let hits = try knowledgeBase.search(Fixtures.request("跨境电商", limit: 50))
        let paragraphHits = hits.filter { $0.kind == "paragraph" }
        #expect(!paragraphHits.isEmpty)
        for hit in paragraphHits {
            let steps = hit.path.components(separatedBy: " › ")
            let number = try #require(hit.nodeID.split(separator: "_").last)
            #expect(steps.last == "段\(number)", "\(hit.path) for \(hit.nodeID)")
            // Every heading above the node, as the tree has it, is a step of the path.
            var ancestors: [Node] = []
            documents[0].root.forEach { node, above in if node.id == hit.nodeID { ancestors = above } }
            #expect(steps.dropLast() == ancestors.filter { $0.kind != .document }.map(\.displayTitle)[...])
        }
        // A section titled with the term ranks above paragraphs that only mention it: headings weigh more.
        let top = try #require(hits.first)
        #expect(top.kind == "section" || top.kind == "chapter", "top hit \(top.nodeID) \(top.path)")
    }

    @Test(arguments: TestBackend.available)
    func kindFilterKeepsNodesOfThatKindAndTheNodesInsideThem(backend: TestBackend) throws {
        let (knowledgeBase, documents) = try indexed("laws/law-company-2018-2023/company-law-2023.md", on: backend)
        var request = try Fixtures.request("公司")
        let all = try knowledgeBase.search(request)
        request.kinds = [.article]
        let inArticles = try knowledgeBase.search(request)
        var insideArticle = Set<String>()
        documents[0].root.forEach { node, above in
            if node.kind == .article || above.contains(where: { $0.kind == .article }) { insideArticle.insert(node.id) }
        }
        #expect(!inArticles.isEmpty)
        #expect(Set(inArticles.map(\.nodeID)) == Set(all.map(\.nodeID)).intersection(insideArticle))
        request.kinds = [.chapter]
        #expect(try knowledgeBase.search(request).allSatisfy { $0.nodeID.hasPrefix("chp_") })
    }

    @Test(arguments: TestBackend.available)
    func countByChapterGroupsHitsUnderTheirOutermostHeading(backend: TestBackend) throws {
        let (knowledgeBase, documents) = try indexed("plans/shenyang-ftz-plan-2021.txt", on: backend)
        let hits = try knowledgeBase.search(Fixtures.request("跨境电商", limit: 1000))
        let rows = try knowledgeBase.count(Fixtures.request("跨境电商"), by: .chapter)
        #expect(rows.reduce(0) { $0 + $1.hits } == hits.count)
        var expected: [String: Int] = [:]
        for hit in hits {
            var chapter = "(front matter)"
            documents[0].root.forEach { node, above in
                if node.id == hit.nodeID {
                    let headings = above.filter { $0.kind != .document }
                    if let top = headings.first { chapter = top.displayTitle } else if node.kind.isContainer { chapter = node.displayTitle }
                }
            }
            expected[chapter, default: 0] += 1
        }
        let title = try #require(documents[0].metadata.title)
        #expect(Dictionary(uniqueKeysWithValues: rows.map { ($0.key, $0.hits) })
                == Dictionary(uniqueKeysWithValues: expected.map { ("\(title) › \($0.key)", $0.value) }))
    }

    @Test(arguments: TestBackend.available)
    func queriesRunWhileAWriteIsInProgress(backend: TestBackend) throws {
        let (writer, _, location) = try indexedAt("plans/shenyang-ftz-plan-2021.txt", on: backend)
        let reader = try openKnowledgeBase(location)
        let before = try reader.search(Fixtures.request("金融")).count
        #expect(before > 0)
        let lines = try Fixtures.lines(of: "laws/law-company-2018-2023/company-law-2023.md")
        var seenDuringWrite: Int?
        try TestBackend.replace(writer, source: "plans/shenyang-ftz-plan-2021.txt", contentHash: "h2",
                                with: [IndexedDocument(key: "x", document: Fixtures.paragraphDocument(title: "x", lines: lines))]) { _ in
            // Inside the writer's open transaction: the reader is not blocked and sees the last commit.
            seenDuringWrite = try reader.search(Fixtures.request("金融")).count
        }
        #expect(seenDuringWrite == before)
        #expect(try reader.search(Fixtures.request("金融")).count == lines.filter { $0.contains("金融") }.count)
    }

    /// A query command opens one connection (`.reading`) and ranks in one pass; a server pools connections
    /// (`.serving`) and ranks the two halves of the documents at once. Both must give the writer's pages.
    @Test(arguments: TestBackend.available)
    func oneConnectionAndAPoolGiveTheSamePages(backend: TestBackend) throws {
        let sources = ["plans/shenyang-ftz-plan-2021.txt", "laws/law-company-2018-2023/company-law-2023.md",
                       "laws/law-company-2018-2023/company-law-2018.md"]
        let (writer, location) = try backend.scratch()
        for source in sources {
            let documents = try DocumentLoader.load(contentsOf: Fixtures.corpus.appendingPathComponent(source))
            try writer.replaceDocuments(fromSource: source, contentHash: "h", with: documents.enumerated().map {
                IndexedDocument(key: "\(source)#\($0.offset + 1)", document: $0.element)
            })
        }
        try writer.finishIndexRun(changedDocuments: true)
        let command = try openKnowledgeBase(location, for: .reading)
        let server = try openKnowledgeBase(location, for: .serving)
        var kindFiltered = try Fixtures.request("公司 OR 金融", limit: 7)
        kindFiltered.kinds = [.article]
        for request in [try Fixtures.request("金融", limit: 20), try Fixtures.request("公司 -股东", limit: 5, offset: 3),
                        try Fixtures.request("\"自由贸易\"", limit: 20), kindFiltered] {
            let expected = try writer.search(request).map { "\($0.documentKey) \($0.nodeID) \($0.score)" }
            #expect(!expected.isEmpty)
            #expect(try command.search(request).map { "\($0.documentKey) \($0.nodeID) \($0.score)" } == expected)
            #expect(try server.search(request).map { "\($0.documentKey) \($0.nodeID) \($0.score)" } == expected)
        }
    }
}
