import Foundation
import Testing

/// `plankb chunks` from files and from a knowledge base, and `convert --to chunks`, run as a user would.
struct ChunksCommandTests {
    static let plan = "corpus/plans/shenyang-ftz-plan-2021.txt"
    static let law = "corpus/laws/law-company-2018-2023/company-law-2023.md"

    static func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    @Test func jsonLinesFollowTheSchemaAndCarryTheCitation() throws {
        let result = try CLI.run(["chunks", Self.plan, Self.law, "--max-chars", "300", "--overlap", "60", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let chunks = try Self.lines(result.stdout)
        let validator = try JSONSchemaValidator(schemaAt: CLI.repositoryURL.appendingPathComponent("schemas/chunk.schema.json"))
        for chunk in chunks { #expect(validator.validate(chunk).isEmpty, "\(validator.validate(chunk))") }
        let keys = Set(chunks.compactMap { ($0["document"] as? [String: Any])?["key"] as? String })
        #expect(keys == [Self.plan, Self.law])
        let article = try #require(chunks.first { ($0["nodes"] as? [String])?.contains("art_3__para_1") == true })
        #expect(article["path"] as? [String] == ["第一章 总 则", "第三条"])
        #expect((article["document"] as? [String: Any])?["title"] as? String == "中华人民共和国公司法")
        #expect(chunks.allSatisfy { ($0["text"] as? String ?? "").count <= 300 || ($0["nodes"] as? [String])?.count == 1 })
        #expect(chunks.contains { $0["overlap"] is String })
    }

    @Test func aDocumentFromTheKnowledgeBaseGivesTheSameChunksAsItsFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plankb-chunks-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = folder.appendingPathComponent("kb.sqlite").path
        let index = try CLI.run(["index", Self.plan, "--db", database, "--no-records", "--quiet"])
        #expect(index.status == 0, "\(index.stderr)")
        let fromFile = try CLI.run(["chunks", Self.plan, "--json"])
        let fromBase = try CLI.run(["chunks", "--db", database, "--doc", Self.plan, "--json"])
        #expect(fromBase.status == 0, "\(fromBase.stderr)")
        #expect(!fromFile.stdout.isEmpty && fromBase.stdout == fromFile.stdout)

        let missing = try CLI.run(["chunks", "--db", database, "--doc", "corpus/plans/none.txt"])
        #expect(missing.status != 0 && missing.stderr.contains("no document with key corpus/plans/none.txt"))

        // convert --to chunks writes the same lines, one run file for all inputs.
        let out = folder.appendingPathComponent("out")
        let convert = try CLI.run(["convert", Self.plan, "--out", out.path, "--to", "chunks", "--quiet"])
        #expect(convert.status == 0, "\(convert.stderr)")
        let written = try String(contentsOf: out.appendingPathComponent("chunks.jsonl"), encoding: .utf8)
        #expect(written == fromFile.stdout)
    }

    @Test func theComparisonCountsCutClausesAndMissingHeadingsOfBothSplitters() throws {
        let result = try CLI.run(["chunks", Self.plan, "--compare-fixed", "--max-chars", "500"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        let tree = try #require(rows.first { $0.first == "tree" })
        let fixed = try #require(rows.first { $0.first == "fixed" })
        // tree (plankb chunks) N mean 0 (0.0%) 0 (0.0%); fixed size N mean cut (…) lack (…)
        #expect(tree[5] == "0" && tree[7] == "0", "\(result.stdout)")
        #expect(Int(fixed[2])! > 0 && Int(fixed[4])! > Int(fixed[2])! / 2, "\(result.stdout)")
        #expect(Int(fixed[3])! > 400, "fixed chunks are 500 characters but the last: \(result.stdout)")
    }
}
