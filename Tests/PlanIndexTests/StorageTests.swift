import Foundation
import Testing
import PlanKit
@testable import PlanIndex

@Suite struct StorageTests {
    struct Interrupted: Error {}

    func twoReports() throws -> [String] {
        // The government work reports as whole lines of JSON text: real, and different from each other.
        try Fixtures.lines(of: "reports/government-work-reports-2021-2025.jsonl")
    }

    @Test func incrementalPlanSkipsUnchangedReplacesChangedAndPrunesVanished() {
        let plan = IncrementalPlan(indexed: ["a": "1", "b": "2", "c": "3"], current: ["a": "1", "b": "9", "d": "4"])
        #expect(plan.unchanged == ["a"])
        #expect(plan.changed == ["b", "d"])
        #expect(plan.vanished == ["c"])
        #expect(ContentHash.of(Array("金融".utf8)) != ContentHash.of(Array("金 融".utf8)))
    }

    @Test(arguments: TestBackend.available)
    func replacingASourceReplacesItsDocumentsAndRemovingForgetsThem(backend: TestBackend) throws {
        let lines = try Fixtures.lines(of: "plans/shenyang-ftz-plan-2021.txt")
        let knowledgeBase = try backend.scratch().knowledgeBase
        let first = Fixtures.paragraphDocument(title: "v1", lines: Array(lines[0..<200]))
        let second = Fixtures.paragraphDocument(title: "v2", lines: Array(lines[200...]))
        try knowledgeBase.replaceDocuments(fromSource: "plan.txt", contentHash: "h1",
                                           with: [IndexedDocument(key: "plan.txt", document: first)])
        #expect(try knowledgeBase.indexedSources() == ["plan.txt": "h1"])
        try knowledgeBase.replaceDocuments(fromSource: "plan.txt", contentHash: "h2",
                                           with: [IndexedDocument(key: "plan.txt", document: second)])
        #expect(try knowledgeBase.indexedSources() == ["plan.txt": "h2"])
        let summary = try knowledgeBase.summary()
        #expect(summary.documents == 1)
        #expect(summary.nodes == lines.count - 200)
        // A string only in the first part is gone from the full-text index too, not just from `nodes`.
        let onlyInFirst = try #require(["前言", "沈阳片区", "总体要求"].first { term in
            lines[0..<200].contains { $0.contains(term) } && !lines[200...].contains { $0.contains(term) }
        })
        #expect(try knowledgeBase.search(Fixtures.request(onlyInFirst)).isEmpty)
        try knowledgeBase.removeDocuments(fromSource: "plan.txt")
        #expect(try knowledgeBase.summary().documents == 0)
        #expect(try knowledgeBase.search(Fixtures.request("金融")).isEmpty)
    }

    @Test(arguments: TestBackend.available)
    func aWriteInterruptedHalfwayLeavesThePreviousKnowledgeBase(backend: TestBackend) throws {
        let lines = try Fixtures.lines(of: "plans/shenyang-ftz-plan-2021.txt")
        let knowledgeBase = try backend.scratch().knowledgeBase
        let old = Fixtures.paragraphDocument(title: "old", lines: lines)
        try knowledgeBase.replaceDocuments(fromSource: "plan.txt", contentHash: "h1",
                                           with: [IndexedDocument(key: "plan.txt", document: old)])
        let before = try knowledgeBase.search(Fixtures.request("金融")).map(\.nodeID)
        let replacement = [IndexedDocument(key: "plan.txt#1", document: Fixtures.paragraphDocument(title: "new", lines: ["新内容"])),
                           IndexedDocument(key: "plan.txt#2", document: Fixtures.paragraphDocument(title: "new", lines: ["更多"]))]
        #expect(throws: Interrupted.self) {
            try TestBackend.replace(knowledgeBase, source: "plan.txt", contentHash: "h2", with: replacement) { index in
                if index == 0 { throw Interrupted() }
            }
        }
        #expect(try knowledgeBase.indexedSources() == ["plan.txt": "h1"])
        #expect(try knowledgeBase.search(Fixtures.request("金融")).map(\.nodeID) == before)
        #expect(try knowledgeBase.search(Fixtures.request("新内容")).isEmpty)
    }

    @Test(arguments: TestBackend.available)
    func countsGroupHitsByDocumentIssuerAndYear(backend: TestBackend) throws {
        let lines = try Fixtures.lines(of: "plans/shenyang-ftz-plan-2021.txt")
        let knowledgeBase = try backend.scratch().knowledgeBase
        try knowledgeBase.replaceDocuments(fromSource: "a", contentHash: "1", with: [
            IndexedDocument(key: "a", document: Fixtures.paragraphDocument(title: "A", lines: lines, issuer: "沈阳市人民政府", date: "2021-08-23")),
        ])
        try knowledgeBase.replaceDocuments(fromSource: "b", contentHash: "1", with: [
            IndexedDocument(key: "b", document: Fixtures.paragraphDocument(title: "B", lines: Array(lines.prefix(100)), issuer: "国务院", date: "2019-01-01")),
        ])
        let expectedA = lines.filter { $0.contains("金融") }.count
        let expectedB = lines.prefix(100).filter { $0.contains("金融") }.count
        let byIssuer = try knowledgeBase.count(Fixtures.request("金融"), by: .issuer)
        #expect(Set(byIssuer) == Set([CountRow(key: "沈阳市人民政府", hits: expectedA, documents: 1),
                                      CountRow(key: "国务院", hits: expectedB, documents: 1)].filter { $0.hits > 0 }))
        let byYear = try knowledgeBase.count(Fixtures.request("金融"), by: .year)
        #expect(byYear.first { $0.key == "2021" }?.hits == expectedA)
        var filtered = try Fixtures.request("金融")
        filtered.issuer = "国务院"
        #expect(try knowledgeBase.search(filtered).count == expectedB)
        filtered.issuer = nil
        filtered.publishedAfter = PublicationDate("2020-01-01")
        #expect(try knowledgeBase.search(filtered).count == expectedA)
        filtered.document = "B"
        #expect(try knowledgeBase.search(filtered).isEmpty)
    }

    @Test(arguments: TestBackend.available)
    func recordsAreReturnedWithTheirNodeAndFilterBySearchTypeAndYear(backend: TestBackend) throws {
        let lines = try Fixtures.lines(of: "plans/shenyang-ftz-plan-2021.txt")
        let target = try #require(lines.firstIndex { $0.contains("金融") })
        let nodeID = "para_\(target + 1)"
        let knowledgeBase = try backend.scratch().knowledgeBase
        let record = IndexedRecord(nodeID: nodeID, type: "target", year: 2025, json: #"{"type":"target"}"#)
        try knowledgeBase.replaceDocuments(fromSource: "a", contentHash: "1", with: [
            IndexedDocument(key: "a", document: Fixtures.paragraphDocument(title: "A", lines: lines), records: [record]),
        ])
        var request = try Fixtures.request("金融")
        request.recordType = .target
        let hits = try knowledgeBase.search(request)
        #expect(hits.map(\.nodeID) == [nodeID])
        #expect(hits.first?.records == [record])
        request.recordYears = 2026...2030
        #expect(try knowledgeBase.search(request).isEmpty)
    }

    @Test func theFileOpensInThePlainSQLiteShell() throws {
        let shell = URL(fileURLWithPath: "/usr/bin/sqlite3")
        guard FileManager.default.isExecutableFile(atPath: shell.path) else { return }
        let (knowledgeBase, lines) = try Fixtures.indexedPlan()
        let process = Process()
        process.executableURL = shell
        process.arguments = [knowledgeBase.path, "SELECT count(*) FROM nodes; SELECT title FROM documents;"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(text == "\(lines.count)\n沈阳片区发展规划\n")
    }
}
