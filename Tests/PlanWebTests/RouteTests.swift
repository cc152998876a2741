import Foundation
import Hummingbird
import HummingbirdTesting
import PlanIndex
import PlanIngest
import PlanKit
import Testing
@testable import PlanWeb

/// The pages and the JSON API against the application, without a socket, over real corpus documents.
@Suite struct RouteTests {
    @Test func searchPageShowsEveryHitWithALinkToItsAnchor() async throws {
        let knowledgeBase = try WebFixtures.knowledgeBase()
        let query = "建设"
        let expected = try knowledgeBase.search(SearchRequest(query: try SearchQuery(parsing: query), limit: 10_000))
        #expect(expected.count > 20, "the plan speaks of 建设 often enough to need a second page")
        let app = try WebFixtures.application()
        try await app.test(.router) { client in
            let page = try await client.execute(uri: WebFixtures.uri("/search", [("q", query)]), method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("共 <strong>\(expected.count)</strong> 处命中"))
            #expect(page.text.contains("<mark>建设</mark>"))
            let links = WebFixtures.captures("class=\"doc\" href=\"([^\"]+)\"", in: page.text)
            #expect(links.count == SearchForm.defaultPageSize)
            #expect(links.first == "/documents/\(WebFixtures.segment(expected[0].documentKey))#\(expected[0].nodeID)")
            // Every link leads to an element with that id on the document's page.
            for link in links {
                let parts = link.split(separator: "#", maxSplits: 1).map(String.init)
                let document = try await client.execute(uri: parts[0], method: .get)
                #expect(document.status == .ok)
                #expect(document.text.contains("id=\"\(parts[1])\""), "no anchor \(parts[1]) on \(parts[0])")
            }
            // The second page starts where the first stopped.
            let second = try await client.execute(uri: WebFixtures.uri("/search", [("q", query), ("page", "2")]), method: .get)
            let secondLinks = WebFixtures.captures("class=\"doc\" href=\"([^\"]+)\"", in: second.text)
            #expect(secondLinks.first?.hasSuffix("#" + expected[SearchForm.defaultPageSize].nodeID) == true)
            #expect(second.text.contains("rel=\"prev\""))
        }
    }

    @Test func countsByDocumentAndYearAddUpToTheHits() async throws {
        let knowledgeBase = try WebFixtures.knowledgeBase()
        let request = SearchRequest(query: try SearchQuery(parsing: "公司"), limit: 10_000)
        let total = try knowledgeBase.search(request).count
        let app = try WebFixtures.application()
        try await app.test(.router) { client in
            let page = try await client.execute(uri: WebFixtures.uri("/search", [("q", "公司")]), method: .get).text
            let aside = String(page[page.range(of: "<aside>")!.lowerBound...])
            let byDocument = aside.components(separatedBy: "<h3>按年份</h3>")[0]
            let documentCounts = WebFixtures.captures("</a></td><td>(\\d+)</td>", in: byDocument).compactMap { Int($0) }
            #expect(documentCounts.reduce(0, +) == total)
            #expect(documentCounts.count >= 2, "both company law versions mention 公司")
            // A document's count links to the search narrowed to it, which then finds only that document.
            let narrowed = WebFixtures.captures("<a href=\"(/search\\?[^\"]+)\">", in: byDocument).first!
            let narrowedPage = try await client.execute(uri: narrowed.replacingOccurrences(of: "&amp;", with: "&"), method: .get).text
            #expect(narrowedPage.contains("共 <strong>\(documentCounts[0])</strong> 处命中"))
        }
    }

    @Test func filtersNarrowByRecordTypeYearAndDocument() async throws {
        let app = try WebFixtures.application()
        try await app.test(.router) { client in
            let response = try await client.execute(uri: WebFixtures.uri("/api/search", [
                ("q", "年"), ("type", "target"), ("from", "2024"), ("to", "2025"), ("limit", "100"),
            ]), method: .get)
            #expect(response.status == .ok)
            let hits = try JSONDecoder().decode(Hits.self, from: Data(buffer: response.body)).hits
            #expect(!hits.isEmpty)
            for hit in hits {
                #expect(hit.records.contains { $0.type == "target" && (2024...2025).contains($0.year ?? 0) },
                        "\(hit.nodeID) has no target of 2024 or 2025")
            }
            let narrowed = try await client.execute(uri: WebFixtures.uri("/api/search", [
                ("q", "公司"), ("doc", WebFixtures.company2023), ("limit", "200"),
            ]), method: .get)
            let narrowedHits = try JSONDecoder().decode(Hits.self, from: Data(buffer: narrowed.body)).hits
            #expect(!narrowedHits.isEmpty)
            #expect(narrowedHits.allSatisfy { $0.documentKey == WebFixtures.company2023 })
        }
    }

    @Test func apiSearchWritesHitsAsQueryJSONDoes() async throws {
        let knowledgeBase = try WebFixtures.knowledgeBase()
        let hits = try knowledgeBase.search(SearchRequest(query: try SearchQuery(parsing: "营商环境"), limit: 5, offset: 3))
        let app = try WebFixtures.application()
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: WebFixtures.uri("/api/search", [("q", "营商环境"), ("limit", "5"), ("offset", "3")]), method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(response.text == HitsJSON.encode(HitsJSON(query: "营商环境", hits: hits)))
            #expect(response.text.contains("\"snippet\" : \"") && response.text.contains("«营商环境»"))
        }
    }

    @Test func malformedQueriesGetAMessageNotAnSQLError() async throws {
        let app = try WebFixtures.application()
        try await app.test(.router) { client in
            for query in ["(金融", "金融 AND", "\"自由贸易", "OR 港"] {
                let page = try await client.execute(uri: WebFixtures.uri("/search", [("q", query)]), method: .get)
                #expect(page.status == .badRequest, "\(query)")
                #expect(page.text.contains("检索式有误"), "\(query)")
                #expect(!page.text.lowercased().contains("fts5") && !page.text.lowercased().contains("sqlite"))
                let api = try await client.execute(uri: WebFixtures.uri("/api/search", [("q", query)]), method: .get)
                #expect(api.status == .badRequest)
                let error = try JSONDecoder().decode(APIError.self, from: Data(buffer: api.body))
                #expect(error.column != nil && !error.error.isEmpty)
            }
            let reversed = try await client.execute(uri: WebFixtures.uri("/search", [("q", "港"), ("from", "2025"), ("to", "2020")]), method: .get)
            #expect(reversed.status == .badRequest)
            #expect(reversed.text.contains("晚于"))
            // A misspelt record type or a number that is none is refused, as `plankb query` refuses it, instead of
            // giving no hits or the first page.
            for (fields, message) in [([("type", "targt")], "未知的记录类型“targt”（可选：target、"), ([("limit", "abc")], "“limit”应为整数"),
                                      ([("offset", "3x")], "“offset”应为整数"), ([("from", "二〇二五")], "“from”应为整数"),
                                      ([("after", "2020-13")], "日期“2020-13”应写作 YYYY、YYYY-MM 或 YYYY-MM-DD")] {
                let api = try await client.execute(uri: WebFixtures.uri("/api/search", [("q", "港")] + fields), method: .get)
                #expect(api.status == .badRequest, "\(fields)")
                let error = try JSONDecoder().decode(APIError.self, from: Data(buffer: api.body))
                #expect(error.error.hasPrefix(message), "\(error.error)")
                let page = try await client.execute(uri: WebFixtures.uri("/search", [("q", "港")] + fields), method: .get)
                #expect(page.status == .badRequest && page.text.contains(message), "\(fields)")
            }
        }
    }

    @Test func documentPageHasContentsAnchorsMetadataAndRecords() async throws {
        let knowledgeBase = try WebFixtures.knowledgeBase()
        let loaded = try WebFixtures.load(WebFixtures.plan)
        let records = try #require(try knowledgeBase.document(withKey: WebFixtures.plan)).records
        #expect(!records.isEmpty)
        let app = try WebFixtures.application()
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/documents/" + WebFixtures.segment(WebFixtures.plan), method: .get).text
            #expect(page.contains(HTML.escape(loaded.metadata.title ?? "—")))
            // Every node of the tree is an anchor, and every chapter and section is in the table of contents.
            var missing: [String] = []
            loaded.root.forEach { node, _ in
                if node.kind != .document && !page.contains("id=\"\(node.id)\"") { missing.append(node.id) }
            }
            #expect(missing.isEmpty, "nodes without an anchor: \(missing.prefix(5))")
            for chapter in loaded.root.descendants where chapter.kind == .chapter || chapter.kind == .section {
                #expect(page.contains("<a href=\"#\(chapter.id)\">"), "\(chapter.id) not in the contents")
            }
            #expect(WebFixtures.captures("<tr><td><a href=\"#([^\"]+)\"><code>", in: page).count == records.count)

            // Sorting by year: ascending, then descending, years only from the records themselves.
            let byYear = try await client.execute(uri: "/documents/\(WebFixtures.segment(WebFixtures.plan))?sort=year", method: .get).text
            let years = WebFixtures.captures("</td><td>[^<]*</td><td>(\\d{4})</td>", in: byYear).compactMap { Int($0) }
            #expect(years == years.sorted() && !years.isEmpty)
            #expect(years.count == records.filter { $0.year != nil }.count)
            let descending = try await client.execute(uri: "/documents/\(WebFixtures.segment(WebFixtures.plan))?sort=year&order=desc", method: .get).text
            let downYears = WebFixtures.captures("</td><td>[^<]*</td><td>(\\d{4})</td>", in: descending).compactMap { Int($0) }
            #expect(downYears == years.sorted(by: >))
        }
    }

    @Test func statisticsPageChartsInstrumentsAndTermsWithTheirNumbersAsCSV() async throws {
        let knowledgeBase = try WebFixtures.knowledgeBase()
        // What the charts must show, counted here from the stored records and the term statistics.
        var counted: [String: Int] = [:]
        for summary in try knowledgeBase.documents() {
            for record in try #require(try knowledgeBase.document(withKey: summary.key)).planDocument.records where record.type == .measure {
                if let dimension = record.instrument?.dimension { counted[dimension.chineseName, default: 0] += 1 }
            }
        }
        let measuresByDimension = counted
        #expect(!measuresByDimension.isEmpty)
        let terms = try TermStatistics(knowledgeBase: knowledgeBase).count(["跨境电商"], by: .doc)
        let app = try WebFixtures.application()
        try await app.test(.router) { client in
            let page = try await client.execute(uri: WebFixtures.uri("/statistics", [("terms", "跨境电商 营商环境")]), method: .get)
            #expect(page.status == .ok)
            for chart in StatisticsPage.Chart.allCases {
                #expect(page.text.contains("<svg id=\"chart-\(chart.rawValue)\""), "\(chart)")
                #expect(page.text.contains("href=\"/statistics/\(chart.rawValue).csv?terms="), "\(chart)")
            }
            // The instruments CSV: one row per year, one column per dimension, summing to the coded measures.
            let csv = try await client.execute(uri: "/statistics/instruments-year.csv", method: .get)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let rows = csv.text.dropFirst().split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            #expect(rows.first == ["year", "供给型", "环境型", "需求型"])
            for (column, name) in ["供给型", "环境型", "需求型"].enumerated() {
                #expect(rows.dropFirst().reduce(0) { $0 + Int($1[column + 1])! } == measuresByDimension[name] ?? 0, "\(name)")
            }
            // The terms-by-document CSV: the rate per 10,000 characters of each document's count.
            let termsCSV = try await client.execute(uri: WebFixtures.uri("/statistics/terms-doc.csv", [("terms", "跨境电商")]), method: .get).text
            let planRow = try #require(terms.first { $0.group == WebFixtures.plan })
            let planTitle = try #require(try knowledgeBase.document(withKey: WebFixtures.plan)?.summary.title)
            let expected = (Double(planRow.count) * 10_000 / Double(planRow.chars) * 100).rounded() / 100
            let shown = expected == expected.rounded() ? String(Int(expected)) : String(format: "%.2f", expected)
            #expect(termsCSV.contains("\(planTitle),\(shown)\r\n"), "\(termsCSV.prefix(300))")
            let missing = try await client.execute(uri: "/statistics/nothing.csv", method: .get)
            #expect(missing.status == .notFound)
        }
    }

    @Test func recordsDownloadAsCSVAndJSON() async throws {
        let knowledgeBase = try WebFixtures.knowledgeBase()
        let records = try #require(try knowledgeBase.document(withKey: WebFixtures.plan)).records
        let app = try WebFixtures.application()
        try await app.test(.router) { client in
            let base = "/api/documents/\(WebFixtures.segment(WebFixtures.plan))/records"
            let csv = try await client.execute(uri: base + "?format=csv", method: .get)
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.headers[.contentDisposition]?.contains("attachment") == true)
            // The one records CSV, as `plankb records --format csv` writes it for the same document (its key as
            // source), rows in document order.
            let loaded = try WebFixtures.load(WebFixtures.plan)
            #expect(csv.text == RecordCSVExporter.render(loaded.records.map { (source: WebFixtures.plan, record: $0) }))
            #expect(csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == records.count + 1)
            let json = try await client.execute(uri: base, method: .get)
            let decoded = try JSONDecoder().decode(RecordsOutput.self, from: Data(buffer: json.body))
            #expect(decoded.records.map(\.nodeID) == records.map(\.nodeID))
            let document = try await client.execute(uri: "/api/documents/\(WebFixtures.segment(WebFixtures.plan))", method: .get)
            let tree = try JSONDecoder().decode(DocumentOutput.self, from: Data(buffer: document.body))
            #expect(tree.root.children.map(\.id) == (try WebFixtures.load(WebFixtures.plan)).root.children.map(\.id))
        }
    }

    @Test func storedTreeGivesTheSameDiffAsTheFiles() async throws {
        let old = try WebFixtures.load(WebFixtures.company2018), new = try WebFixtures.load(WebFixtures.company2023)
        let direct = DocumentDiff.compare(old, new)
        #expect(!direct.changes.isEmpty)
        let app = try WebFixtures.application()
        try await app.test(.router) { client in
            let api = try await client.execute(uri: WebFixtures.uri("/api/diff", [("old", WebFixtures.company2018), ("new", WebFixtures.company2023)]), method: .get)
            #expect(api.status == .ok)
            let report = try JSONDecoder().decode(DiffReport.self, from: Data(buffer: api.body))
            #expect(report.changes.map(\.kind) == direct.changes.map(\.kind))
            #expect(report.changes.map { $0.new?.id } == direct.changes.map { $0.new?.id })
            let page = try await client.execute(uri: WebFixtures.uri("/compare", [("old", WebFixtures.company2018), ("new", WebFixtures.company2023)]), method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("<h1>修订对照表</h1>") && page.text.contains("<del>") && page.text.contains("<ins>"))
            let form = try await client.execute(uri: "/compare", method: .get)
            #expect(form.text.contains("enctype=\"multipart/form-data\""))
            #expect(form.text.contains("<option value=\"\(WebFixtures.company2018)\""))
        }
    }

    @Test func uploadedFilesAreCompared() async throws {
        let oldData = try Data(contentsOf: WebFixtures.root.appendingPathComponent(WebFixtures.antimonopoly2007))
        let newData = try Data(contentsOf: WebFixtures.root.appendingPathComponent(WebFixtures.antimonopoly2022))
        let expected = DocumentDiff.compare(
            try DocumentLoader.load(data: oldData, source: "antimonopoly-law-2007.md", pathExtension: "md", stages: .treeOnly)[0],
            try DocumentLoader.load(data: newData, source: "antimonopoly-law-2022.md", pathExtension: "md", stages: .treeOnly)[0])
        let boundary = "----plankb-test-boundary"
        var body = Data()
        for (name, filename, data) in [("old", "antimonopoly-law-2007.md", oldData), ("new", "antimonopoly-law-2022.md", newData)] {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(filename)\"\r\nContent-Type: text/markdown\r\n\r\n".utf8)
            body += data + Data("\r\n".utf8)
        }
        body += Data("--\(boundary)--\r\n".utf8)
        let upload = ByteBuffer(bytes: body)
        let app = try WebFixtures.application()
        try await app.test(.router) { client in
            let response = try await client.execute(
                uri: "/compare", method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
                body: upload)
            #expect(response.status == .ok)
            #expect(response.text == ComparePage.renderReport(expected))
            let missing = try await client.execute(uri: "/compare", method: .post,
                                                   headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
                                                   body: ByteBuffer(string: "--\(boundary)--\r\n"))
            #expect(missing.status == .badRequest)
            #expect(missing.text.contains("请上传修订前和修订后两个文件"))
        }
    }

    @Test func hostileDocumentTextIsEscapedEverywhere() async throws {
        let app = try WebFixtures.application()
        try await app.test(.router) { client in
            let pages = [
                "/documents/" + WebFixtures.segment(WebFixtures.hostile),
                WebFixtures.uri("/search", [("q", "跨境电商"), ("doc", WebFixtures.hostile)]),
                WebFixtures.uri("/search", [("q", "\"><script>alert(1)</script>")]),
                "/", "/documents", "/compare",
            ]
            for uri in pages {
                let page = try await client.execute(uri: uri, method: .get).text
                #expect(!page.contains("<script"), "raw script tag on \(uri)")
                #expect(!page.contains("<img"), "raw img tag on \(uri)")
            }
            let document = try await client.execute(uri: pages[0], method: .get).text
            #expect(document.contains("总则&lt;img src=x onerror=alert(1)&gt;"))
            #expect(document.contains("&lt;script&gt;alert(&#39;正文&#39;)&lt;/script&gt;"))
            #expect(document.contains("&#39;规定&#39;与&quot;办法&quot;") && document.contains("A&amp;B"))
            let search = try await client.execute(uri: pages[1], method: .get).text
            #expect(search.contains("<mark>跨境电商</mark>"))
            #expect(search.contains("&lt;script&gt;alert(&#39;正文&#39;)"))
            // The key with a quote and a space round-trips through its link.
            #expect(search.contains("href=\"/documents/uploads%2Fhostile%20%22notice%22.txt#"))
        }
    }

    @Test func unknownDocumentsAreNotFound() async throws {
        let app = try WebFixtures.application()
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/documents/no%2Fsuch.txt", method: .get)
            #expect(page.status == .notFound)
            #expect(page.text.contains("no/such.txt"))
            let api = try await client.execute(uri: "/api/documents/no%2Fsuch.txt/records", method: .get)
            #expect(api.status == .notFound)
        }
    }

    @Test func htmlPageShowsItsMetadata() async throws {
        let loaded = try WebFixtures.load(WebFixtures.govcn)
        let issuer = try #require(loaded.metadata.issuer)
        let app = try WebFixtures.application()
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/documents/" + WebFixtures.segment(WebFixtures.govcn), method: .get).text
            #expect(page.contains("<dt>发文机关</dt><dd>\(HTML.escape(issuer))</dd>"))
            if let date = loaded.metadata.date { #expect(page.contains("<dt>发布日期</dt><dd>\(date)</dd>")) }
        }
    }

    struct Hits: Decodable { var hits: [Hit] }
    struct Hit: Decodable {
        var documentKey: String
        var nodeID: String
        var records: [HitRecord]
    }
    struct HitRecord: Decodable {
        var type: String
        var year: Int?
    }
    struct APIError: Decodable {
        var error: String
        var column: Int?
    }
    struct RecordsOutput: Decodable {
        struct Entry: Decodable { var nodeID: String }
        var records: [Entry]
    }
    struct DocumentOutput: Decodable { var root: Node }
}
