import Foundation
import Hummingbird
import HummingbirdTesting
import PlanIndex
import PlanIngest
import PlanKit
import Testing
@testable import PlanWeb

/// Whether poppler's tools can be used: always in CI (where a missing tool must fail, not skip), else when
/// pdftohtml is installed.
enum PopplerTools {
    static let available = ProcessInfo.processInfo.environment["CI"] != nil
        || ["/usr/bin/pdftohtml", "/usr/local/bin/pdftohtml"].contains { FileManager.default.isExecutableFile(atPath: $0) }
}

/// The search page cites a PDF hit's page ("p. 23") and a text hit's none.
@Suite(.enabled(if: PopplerTools.available, "pdftohtml (poppler-utils) is not installed"))
struct PageCitationRouteTests {
    @Test func searchPageShowsThePageOfEachPDFHit() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plankb-web-pages-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let knowledgeBase = try SQLiteKnowledgeBase(path: folder.appendingPathComponent("kb.sqlite").path)
        let pdf = "corpus/office/pdf/shenyang-ftz-plan-2021.pdf"
        for file in [pdf, WebFixtures.plan] {
            let document = try WebFixtures.load(file)
            try knowledgeBase.replaceDocuments(fromSource: file, contentHash: file, with: [IndexedDocument(key: file, document: document)])
        }
        let hits = try knowledgeBase.search(SearchRequest(query: try SearchQuery(parsing: "冷链物流"), limit: SearchForm.defaultPageSize))
        let cited = hits.compactMap(\.pageCitation)
        #expect(!cited.isEmpty && cited.count == hits.filter { $0.documentKey == pdf }.count)
        let app = Application(router: PlanWebApplication.router(knowledgeBase: knowledgeBase))
        try await app.test(.router) { client in
            let page = try await client.execute(uri: WebFixtures.uri("/search", [("q", "冷链物流")]), method: .get)
            #expect(page.status == .ok)
            #expect(WebFixtures.captures("<span class=\"page\">([^<]+)</span>", in: page.text) == cited)
        }
    }
}
