import Foundation
import HummingbirdTesting
@testable import PlanIndex
import PlanWeb
import Testing

/// `plankb serve --db postgres://…` against `plankb serve --db FILE`: the same documents in a PostgreSQL
/// database on the test server (`PLANKB_TEST_POSTGRES_URL`, started by `.ci/with-postgres.sh`) and in a SQLite
/// file, both served on loopback sockets, give byte-identical pages and API answers — in Chromium too — and the
/// PostgreSQL server answers many requests at once through its connection pool. Skipped without a server,
/// except in CI, where a missing server fails.
@Suite(.serialized) struct PostgresServeTests {
    static let url = ProcessInfo.processInfo.environment["PLANKB_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let enabled = url != nil || ProcessInfo.processInfo.environment["CI"] == "true"

    /// The corpus fixtures in a new database on the test server, opened for reading as `serve` opens it.
    static func postgresKnowledgeBase() throws -> any KnowledgeBase {
        let url = try #require(Self.url, "CI=true but PLANKB_TEST_POSTGRES_URL is not set (run through .ci/with-postgres.sh)")
        let name = "plankb_web_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let pool = try PostgresPool(location: try PostgresLocation(url), maximum: 1)
        try pool.withSession { session in _ = try session.query("CREATE DATABASE \(name)") }
        pool.close()
        let slash = try #require(url.range(of: "/", options: .backwards))
        let location = KnowledgeBaseLocation(String(url[..<slash.upperBound]) + name)
        let writer = try location.open(for: .writing)
        try WebFixtures.fill(writer)
        try writer.close()
        return try location.open()
    }

    /// Pages and API answers a reader visits: searches with hits on several pages, filters and counts, the
    /// document and record views, a comparison, statistics and the lists.
    static let paths: [String] = [
        "/",
        WebFixtures.uri("/search", [("q", "跨境电商")]),
        WebFixtures.uri("/search", [("q", "建设"), ("page", "2")]),
        WebFixtures.uri("/search", [("q", "公司 -股东"), ("kind", "article")]),
        WebFixtures.uri("/search", [("q", "年"), ("type", "target"), ("from", "2024"), ("to", "2025")]),
        WebFixtures.uri("/search", [("q", "\"营商 环境\" OR 垄断")]),
        WebFixtures.uri("/search", [("q", "公司"), ("doc", WebFixtures.company2023)]),
        WebFixtures.uri("/api/search", [("q", "跨境电商"), ("limit", "50")]),
        WebFixtures.uri("/api/search", [("q", "营商环境"), ("limit", "5"), ("offset", "3")]),
        WebFixtures.uri("/api/search", [("q", "发展"), ("limit", "200")]),
        "/documents",
        "/documents/" + WebFixtures.segment(WebFixtures.plan),
        "/documents/" + WebFixtures.segment(WebFixtures.plan) + "?sort=year&order=desc",
        "/documents/" + WebFixtures.segment(WebFixtures.govcn),
        "/api/documents",
        "/api/documents/" + WebFixtures.segment(WebFixtures.company2023),
        "/api/documents/" + WebFixtures.segment(WebFixtures.plan) + "/records",
        "/api/documents/" + WebFixtures.segment(WebFixtures.plan) + "/records?format=csv",
        WebFixtures.uri("/compare", [("old", WebFixtures.antimonopoly2007), ("new", WebFixtures.antimonopoly2022)]),
        WebFixtures.uri("/api/diff", [("old", WebFixtures.company2018), ("new", WebFixtures.company2023)]),
        WebFixtures.uri("/statistics", [("terms", "跨境电商 营商环境")]),
        WebFixtures.uri("/statistics/terms-doc.csv", [("terms", "跨境电商")]),
        WebFixtures.uri("/reuse", [("source", WebFixtures.company2018), ("target", WebFixtures.company2023)]),
        "/documents/no%2Fsuch.txt",
    ]

    static func get(_ path: String, from server: WebFixtures.Served) async throws -> (status: Int, body: String) {
        try await TestClient.withClient(host: "127.0.0.1", port: server.port) { client in
            let response = try await client.get(path)
            return (response.status.code, response.body.map { String(buffer: $0) } ?? "")
        }
    }

    @Test(.enabled(if: enabled))
    func postgreSQLServesThePagesAndAnswersSQLiteServes() async throws {
        let sqlite = try await WebFixtures.serve(try WebFixtures.knowledgeBase())
        defer { sqlite.task.cancel() }
        let postgres = try await WebFixtures.serve(try Self.postgresKnowledgeBase())
        defer { postgres.task.cancel() }

        for path in Self.paths {
            let expected = try await Self.get(path, from: sqlite)
            let answer = try await Self.get(path, from: postgres)
            #expect(answer.status == expected.status, "\(path)")
            #expect(answer.body == expected.body, "\(path)")
        }
        // The answers compared hold what a reader came for: hits with marked snippets, in order, and the document.
        let search = try await Self.get(WebFixtures.uri("/search", [("q", "跨境电商")]), from: postgres).body
        #expect(search.contains("<mark>跨境电商</mark>"))
        #expect(WebFixtures.captures("class=\"doc\" href=\"([^\"]+)\"", in: search).count >= 5)
        let api = try await Self.get(WebFixtures.uri("/api/search", [("q", "发展"), ("limit", "200")]), from: postgres)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(api.body.utf8)) as? [String: Any])
        let hits = try #require(object["hits"] as? [[String: Any]])
        #expect(hits.count > 50)
        let scores = hits.compactMap { ($0["score"] as? NSNumber)?.doubleValue }
        #expect(scores.count == hits.count && scores == scores.sorted(by: >), "hits in rank order with their scores")
        let document = try await Self.get("/documents/" + WebFixtures.segment(WebFixtures.plan), from: postgres)
        #expect(document.status == 200 && document.body.contains("<nav class=\"toc\">"))
    }

    @Test(.enabled(if: enabled && Chromium.executable != nil, "needs PLANKB_TEST_POSTGRES_URL and a chromium binary"))
    func chromiumSeesTheSameSearchAndDocumentOnBoth() async throws {
        let browser = Chromium(executable: try #require(Chromium.executable))
        let sqlite = try await WebFixtures.serve(try WebFixtures.knowledgeBase())
        defer { sqlite.task.cancel() }
        let postgres = try await WebFixtures.serve(try Self.postgresKnowledgeBase())
        defer { postgres.task.cancel() }
        let search = WebFixtures.uri("/search", [("q", "跨境电商")])
        let fromSQLite = try browser.dumpDOM(sqlite.base + search)
        #expect(fromSQLite.contains("<mark>跨境电商</mark>"))
        #expect(try browser.dumpDOM(postgres.base + search) == fromSQLite)
        // The first hit opened on PostgreSQL lands on the element its link names.
        let hitLink = try #require(WebFixtures.captures("class=\"doc\" href=\"([^\"]+)\"", in: fromSQLite).first)
        let anchor = try #require(hitLink.split(separator: "#").last.map(String.init))
        let document = try browser.dumpDOM(postgres.base + hitLink)
        #expect(document.contains("id=\"\(anchor)\""))
        #expect(document == (try browser.dumpDOM(sqlite.base + hitLink)))
    }

    /// More readers at once than the pool has connections: every answer arrives and is the one a lone reader gets.
    @Test(.enabled(if: enabled))
    func manyReadersAtOnceGetTheAnswersOneReaderGets() async throws {
        let postgres = try await WebFixtures.serve(try Self.postgresKnowledgeBase())
        defer { postgres.task.cancel() }
        let paths = Array(Self.paths.prefix(12))
        var alone: [String: String] = [:]
        for path in paths { alone[path] = try await Self.get(path, from: postgres).body }
        let expected = alone
        let readers = 3 * PostgresBackend.poolSize
        let answers = try await withThrowingTaskGroup(of: (String, Int, String).self) { group in
            for reader in 0..<readers {
                group.addTask {
                    // Each reader on a connection of its own, asking two pages one after the other.
                    try await TestClient.withClient(host: "127.0.0.1", port: postgres.port) { client in
                        var last = ("", 0, "")
                        for step in 0..<2 {
                            let path = paths[(reader + step * 5) % paths.count]
                            let response = try await client.get(path)
                            last = (path, Int(response.status.code), response.body.map { String(buffer: $0) } ?? "")
                            #expect(response.status.code == 200, "\(path)")
                            #expect(last.2 == expected[path], "\(path) under load")
                        }
                        return last
                    }
                }
            }
            return try await group.reduce(into: [(String, Int, String)]()) { $0.append($1) }
        }
        #expect(answers.count == readers)
    }
}
