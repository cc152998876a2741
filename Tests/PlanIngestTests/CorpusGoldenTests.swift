import Foundation
import PlanIngest
import PlanKit
import Testing

/// Golden files over the real corpus: every document's tree dump, metadata and diagnostics are kept beside
/// it in `<name>.expected/` and compared on each run. `RECORD_GOLDENS=1 swift test` rewrites them (and
/// fails, so that the change is reviewed with `git diff corpus/`).
struct CorpusGoldenTests {
    static let repositoryURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let corpusURL = repositoryURL.appendingPathComponent("corpus")

    /// Every source document in the corpus, as a path relative to the repository: the folder walk `index` and
    /// `convert` use (no golden folders, no README or SOURCES notes), without the gold set's answer keys.
    static let sources: [String] = DocumentFiles.find(under: [corpusURL.path], excluding: ExcludedPaths(patterns: ["gold"]))
        .files.map { "corpus/" + $0.relativePath }.sorted()

    @Test func corpusHasTheDocumentsTheIssueNames() {
        #expect(Self.sources.contains("corpus/plans/shenyang-ftz-plan-2021.txt"))
        #expect(!Self.sources.contains("corpus/SOURCES.md"), "the corpus's notes are not a document")
        #expect(Self.sources.filter { $0.hasPrefix("corpus/govcn-2019/") }.count >= 10)
        #expect(Self.sources.filter { $0.hasPrefix("corpus/html-sites/") }.count == 3)
        #expect(Self.sources.filter { $0.hasSuffix(".md") }.count >= 3)
        #expect(Self.sources.filter { $0.contains("animal-epidemic") }.count == 7)
        #expect(Self.sources.filter { $0.hasPrefix("corpus/office/npc-docx/") && $0.hasSuffix(".docx") }.count == 7)
        #expect(Self.sources.contains("corpus/office/wps-docx/narcotics-control-law.docx"))
        #expect(Self.sources.contains("corpus/office/doc/narcotic-drug-catalogue-2013.doc"))
        #expect(Self.sources.filter { $0.hasSuffix(".ofd") }.count == 4)
    }

    @Test(arguments: sources)
    func golden(_ source: String) throws {
        let url = Self.repositoryURL.appendingPathComponent(source)
        let documents: [PlanDocument]
        do {
            documents = try DocumentLoader.load(data: try Data(contentsOf: url), source: source,
                                                pathExtension: url.pathExtension, stages: .treeOnly)
        } catch IngestError.missingTool(let tool, _, _) where ProcessInfo.processInfo.environment["CI"] == nil {
            // A converter (soffice for DOC) that is not installed here; CI installs every one, so it never skips.
            print("skipped \(source): \(tool) is not installed")
            return
        }
        let expectedFolder = url.deletingPathExtension().appendingPathExtension("expected")
        let actual: [String: String] = [
            "tree.txt": documents.map { TreeDump.render($0) }.joined(separator: "\n"),
            "metadata.json": try documents.map { try Self.prettyJSON($0.metadata) }.joined(separator: "\n"),
            "diagnostics.txt": documents.flatMap { document in
                document.diagnostics.map { $0.formatted(path: documents.count == 1 ? source : document.metadata.source ?? source) }
            }.joined(separator: "\n") + "\n",
        ]
        if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] != nil {
            try FileManager.default.createDirectory(at: expectedFolder, withIntermediateDirectories: true)
            for (name, text) in actual {
                try Data(text.utf8).write(to: expectedFolder.appendingPathComponent(name))
            }
            Issue.record("re-recorded the goldens of \(source); review them with git diff")
            return
        }
        for (name, text) in actual.sorted(by: { $0.key < $1.key }) {
            let expectedURL = expectedFolder.appendingPathComponent(name)
            let expected = try? String(contentsOf: expectedURL, encoding: .utf8)
            #expect(expected != nil, "no golden \(expectedURL.path); record with RECORD_GOLDENS=1")
            guard let expected else { continue }
            if expected != text {
                Issue.record("\(source): \(name) differs from its golden:\n\(Self.firstDifference(expected, text))")
            }
        }
    }

    static func prettyJSON(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    /// The first differing line of two texts, for a readable failure.
    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let left = expected.components(separatedBy: "\n")
        let right = actual.components(separatedBy: "\n")
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : "<end>"
            let b = index < right.count ? right[index] : "<end>"
            if a != b { return "line \(index + 1)\n  expected: \(a)\n  actual:   \(b)" }
        }
        return "(no line differs)"
    }
}
