import Foundation
import Hummingbird
import HummingbirdTesting
import PlanIndex
import Testing
@testable import PlanWeb

/// `/reuse` and the references section of a document's page, over the real corpus documents of the fixture.
@Suite struct ReuseRouteTests {
    @Test func aRevisedLawReusesItsEarlierVersion() async throws {
        let app = try WebFixtures.application()
        try await app.test(.router) { client in
            let page = try await client.execute(uri: WebFixtures.uri("/reuse", [("doc", WebFixtures.company2023)]), method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("<mark id=\"p1-t1\">"))
            // The 2018 公司法 is the document the 2023 revision reuses most: first in the shares table.
            let firstSource = WebFixtures.captures("(?s)<table class=\"shares\">.*?<tr><td>([^<]+)</td>", in: page.text).first
            #expect(firstSource == "中华人民共和国公司法", "\(firstSource ?? "none")")

            let pair = try await client.execute(uri: WebFixtures.uri("/reuse", [("source", WebFixtures.antimonopoly2007),
                                                                                 ("target", WebFixtures.antimonopoly2022)]),
                                                method: .get)
            #expect(pair.status == .ok)
            #expect(pair.text.contains("原文照搬"))

            let unknown = try await client.execute(uri: WebFixtures.uri("/reuse", [("doc", "nothing.txt")]), method: .get)
            #expect(unknown.status == .notFound)
            let form = try await client.execute(uri: "/reuse", method: .get)
            #expect(form.text.contains("<select name=\"source\">"))
        }
    }

    @Test func documentPageListsItsReferences() async throws {
        let app = try WebFixtures.application()
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/documents/\(WebFixtures.segment(WebFixtures.govcn))", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("id=\"references\""))
            #expect(page.text.contains("《无证无照经营查处办法》"))
            #expect(page.text.contains("href=\"/reuse?doc="))
        }
    }
}
