import Foundation
import PlanIngest
import PlanKit
import Testing

/// JSON Lines files of documents (the government work reports), whatever their line ends.
@Suite struct JSONLinesTests {
    static let reports = CorpusGoldenTests.corpusURL.appendingPathComponent("reports/government-work-reports-2021-2025.jsonl")

    @Test func crLfLineEndsGiveTheSameDocuments() throws {
        let data = try Data(contentsOf: Self.reports)
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("\r\n"), "the corpus file has LF line ends")
        // Saved on Windows: every line ends in CR LF (CR LF inside a JSON string stays escaped as \r\n).
        let windows = Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        let expected = try DocumentLoader.load(data: data, source: "reports.jsonl", pathExtension: "jsonl")
        let loaded = try DocumentLoader.load(data: windows, source: "reports.jsonl", pathExtension: "jsonl")
        #expect(expected.count >= 3)
        #expect(loaded.map(\.metadata.title) == expected.map(\.metadata.title))
        #expect(loaded.map { $0.root.descendants.count } == expected.map { $0.root.descendants.count })
        #expect(!loaded.flatMap(\.diagnostics).contains { $0.id == "ingest.jsonl-line" })
    }
}
