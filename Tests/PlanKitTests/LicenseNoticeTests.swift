import Foundation
import Testing
@testable import PlanKit

/// A site's license notice after the document (Wikisource's public-domain box) is chrome: dropped with a note,
/// and nothing of the document with it.
@Suite struct LicenseNoticeTests {
    /// The text of each government work report in the corpus, as Wikisource served it.
    static func reports() throws -> [String] {
        let url = corpusURL.appendingPathComponent("reports/government-work-reports-2021-2025.jsonl")
        return try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return try #require(object?["content"] as? String)
        }
    }

    @Test func wikisourcesNoticeEndsNoReport() throws {
        let reports = try Self.reports()
        #expect(reports.count >= 3)
        for text in reports {
            #expect(text.contains("属于\n公有领域"), "the notice is in the source")
            let document = segment(text)
            let paragraphs = document.root.all(ofKind: .paragraph).map(\.text)
            #expect(!paragraphs.contains { $0.contains("公有领域") || $0.contains("维基文库") || $0.contains("Public domain") })
            // The report's own last paragraph, the call to the deputies, is still there.
            #expect(paragraphs.last?.contains("奋斗") == true, "\(paragraphs.last ?? "")")
            let notes = document.diagnostics.filter { $0.id == "ingest.license-notice-dropped" }
            #expect(notes.count == 1 && notes[0].line != nil)
            #expect(!document.diagnostics.contains { $0.id == "segment.truncated-paragraph" })
        }
    }

    @Test func aNoticeFollowedByTheDocumentIsKept() throws {
        // The notice opens the text here, and the report follows it: not a trailer, so nothing is dropped.
        let notice = "本作品是中华人民共和国的法律、法规，属于公有领域。"
        let ending = "\n\n第一条 为了规范管理，制定本办法。\n\n第二条 本办法自公布之日起施行。"
        let document = segment(notice + ending)
        #expect(document.root.descendants.contains { $0.text.contains("公有领域") })
        #expect(!document.diagnostics.contains { $0.id == "ingest.license-notice-dropped" })
    }
}
