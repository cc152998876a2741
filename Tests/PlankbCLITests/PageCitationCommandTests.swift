import Foundation
import Testing

/// Whether poppler's tools can be used: always in CI (where a missing tool must fail, not skip), else when
/// pdftotext is installed.
enum PopplerTools {
    static let available = ProcessInfo.processInfo.environment["CI"] != nil
        || ["/usr/bin/pdftotext", "/usr/local/bin/pdftotext"].contains { FileManager.default.isExecutableFile(atPath: $0) }
}

/// A PDF indexed and searched as a user would: every hit, kwic line and CSV row names the page it is printed
/// on, and that page (as poppler's own `pdftotext` cuts the file into pages) holds the matched term.
@Suite(.enabled(if: PopplerTools.available, "poppler-utils is not installed"))
struct PageCitationCommandTests {
    static let pdf = "corpus/office/pdf/shenyang-ftz-plan-2021.pdf"
    static let text = "corpus/plans/shenyang-ftz-plan-2021.txt"

    static func knowledgeBase() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plankb-page-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = folder.appendingPathComponent("kb.sqlite").path
        let index = try CLI.run(["index", pdf, text, "--db", database, "--quiet"])
        #expect(index.status == 0, "\(index.stderr)")
        return database
    }

    /// The text of pages `first…last` as pdftotext prints them, without white space (a line break or a
    /// justified gap can fall inside a term).
    static func printedText(pages first: Int, _ last: Int) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["pdftotext", "-f", String(first), "-l", String(last), pdf, "-"]
        process.currentDirectoryURL = CLI.repositoryURL
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self).filter { !$0.isWhitespace }
    }

    @Test func queryHitsNameThePagesThatHoldTheirMatch() throws {
        let database = try Self.knowledgeBase()
        let result = try CLI.run(["query", "跨境电商", "--db", database, "--limit", "50", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        let validator = try JSONSchemaValidator(schemaAt: CLI.repositoryURL.appendingPathComponent("schemas/query-hit.schema.json"))
        #expect(validator.validate(object).isEmpty, "\(validator.validate(object).prefix(3))")
        let hits = try #require((object as? [String: Any])?["hits"] as? [[String: Any]])
        let pdfHits = hits.filter { ($0["documentKey"] as? String) == Self.pdf }
        #expect(pdfHits.count > 5)
        for hit in pdfHits {
            let start = try #require(hit["startPage"] as? Int, "\(hit["nodeID"] ?? "?") has no page")
            let end = try #require(hit["endPage"] as? Int)
            #expect(start <= end && end <= 40, "the PDF has 40 pages (pdfinfo)")
            #expect(try Self.printedText(pages: start, end).contains("跨境电商"),
                    "\(hit["nodeID"] ?? "?") cites pages \(start)–\(end), which do not print 跨境电商")
        }
        #expect(hits.filter { ($0["documentKey"] as? String) == Self.text }.allSatisfy { $0["startPage"] == nil })

        // The CSV's pages column and the table's citation say the same.
        let csv = try CLI.run(["query", "跨境电商", "--db", database, "--limit", "50", "--csv"])
        let records = QueryCommandTests.csvRecords(csv.stdout)
        let column = try #require(records.first?.firstIndex(of: "pages"))
        let expected = hits.map { hit -> String in
            guard let start = hit["startPage"] as? Int, let end = hit["endPage"] as? Int else { return "" }
            return start == end ? "\(start)" : "\(start)-\(end)"
        }
        #expect(records.dropFirst().map { $0[column] } == expected)
        let table = try CLI.run(["query", "跨境电商", "--db", database, "--limit", "4"])
        let headers = table.stdout.split(separator: "\n").filter { $0.contains("shenyang-ftz-plan-2021.") }
        #expect(headers.count == 4)
        for header in headers {
            if header.contains(".pdf") { #expect(header.contains("  p. ") || header.contains("  pp. "), "\(header)") }
            else { #expect(!header.contains("p. "), "\(header)") }
        }
    }

    @Test func kwicLinesNameTheirPage() throws {
        let database = try Self.knowledgeBase()
        let result = try CLI.run(["kwic", "跨境电商", "--db", database, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        let validator = try JSONSchemaValidator(schemaAt: CLI.repositoryURL.appendingPathComponent("schemas/kwic.schema.json"))
        #expect(validator.validate(object).isEmpty, "\(validator.validate(object).prefix(3))")
        let lines = try #require(object as? [[String: Any]])
        let pdfLines = lines.filter { ($0["documentKey"] as? String) == Self.pdf }
        #expect(pdfLines.count > 5 && pdfLines.allSatisfy { $0["page"] is Int })
        #expect(lines.filter { ($0["documentKey"] as? String) == Self.text }.allSatisfy { $0["page"] == nil })
        let table = try CLI.run(["kwic", "跨境电商", "--db", database, "--limit", "200"])
        #expect(table.stdout.split(separator: "\n").filter { $0.contains(".pdf ") }.allSatisfy { $0.contains(" p. ") })
    }
}
