import Foundation
import Testing
import PlanIngest
import PlanKit
@testable import PlanIndex

/// Whether poppler's tools can be used: always in CI (where a missing tool must fail, not skip), else when
/// pdftohtml is installed.
enum PopplerTools {
    static let available = ProcessInfo.processInfo.environment["CI"] != nil
        || ["/usr/bin/pdftohtml", "/usr/local/bin/pdftohtml"].contains { FileManager.default.isExecutableFile(atPath: $0) }
}

/// Pages in the knowledge base: a PDF's nodes keep the pages their text is printed on, so that a hit can be
/// cited as "p. 23" on every backend, and a document read back has the spans it was indexed with.
@Suite(.enabled(if: PopplerTools.available, "pdftohtml (poppler-utils) is not installed"))
struct PageStorageTests {
    static let pdf = "office/pdf/shenyang-ftz-plan-2021.pdf"
    static let text = "plans/shenyang-ftz-plan-2021.txt"

    static func load(_ path: String) throws -> PlanDocument {
        let data = try Data(contentsOf: Fixtures.corpus.appendingPathComponent(path))
        return try #require(DocumentLoader.load(data: data, source: path, pathExtension: URL(fileURLWithPath: path).pathExtension,
                                                stages: .treeOnly).first)
    }

    @Test(arguments: TestBackend.available)
    func hitsOfAPDFCarryThePagesOfTheirNodesAndTextHitsNone(backend: TestBackend) throws {
        let pdf = try Self.load(Self.pdf), text = try Self.load(Self.text)
        let knowledgeBase = try backend.scratch().knowledgeBase
        try knowledgeBase.replaceDocuments(fromSource: Self.pdf, contentHash: "p", with: [IndexedDocument(key: Self.pdf, document: pdf)])
        try knowledgeBase.replaceDocuments(fromSource: Self.text, contentHash: "t", with: [IndexedDocument(key: Self.text, document: text)])
        try knowledgeBase.finishIndexRun(changedDocuments: true)

        let nodes = Dictionary(pdf.root.descendants.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let hits = try knowledgeBase.search(Fixtures.request("跨境电商", limit: 100))
        let pdfHits = hits.filter { $0.documentKey == Self.pdf }, textHits = hits.filter { $0.documentKey == Self.text }
        #expect(pdfHits.count > 5 && pdfHits.count == textHits.count, "the PDF and the text are one plan")
        for hit in pdfHits {
            let node = try #require(nodes[hit.nodeID])
            #expect(hit.startPage != nil && hit.startPage == node.span.startPage && hit.endPage == node.span.endPage,
                    "\(hit.nodeID): pages \(String(describing: hit.startPage))–\(String(describing: hit.endPage)), node \(node.span.compactDescription)")
        }
        // 跨境电商 is printed in more than one place of the plan's 40 pages.
        #expect(Set(pdfHits.compactMap(\.startPage)).count > 1)
        #expect(textHits.allSatisfy { $0.startPage == nil && $0.endPage == nil && $0.pageCitation == nil })
    }

    @Test(arguments: TestBackend.available)
    func aPDFReadBackHasTheSpansItWasIndexedWith(backend: TestBackend) throws {
        let pdf = try Self.load(Self.pdf)
        let knowledgeBase = try backend.scratch().knowledgeBase
        try knowledgeBase.replaceDocuments(fromSource: Self.pdf, contentHash: "p", with: [IndexedDocument(key: Self.pdf, document: pdf)])
        let stored = try #require(try knowledgeBase.document(withKey: Self.pdf))
        let original = pdf.root.descendants.map { "\($0.id) \($0.span.compactDescription)" }
        let readBack = stored.root.descendants.map { "\($0.id) \($0.span.compactDescription)" }
        #expect(readBack == original)
        #expect(readBack.contains { $0.contains(" p2") }, "spans name their pages: \(readBack.prefix(3))")
    }

    @Test func aPageCitationNamesOnePageOrARange() {
        #expect(SourceSpan(startLine: 3, startColumn: 1, endLine: 9, endColumn: 4, startPage: 12).pageCitation == "p. 12")
        #expect(SourceSpan(startLine: 30, startColumn: 1, endLine: 2, endColumn: 4, startPage: 12, endPage: 13).pageCitation == "pp. 12–13")
        #expect(SourceSpan(startLine: 3, startColumn: 1, endLine: 9, endColumn: 4).pageCitation == nil)
    }
}
