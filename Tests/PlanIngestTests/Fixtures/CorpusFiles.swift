import Foundation

/// Paths into the repository's `corpus/`, found from this file's location so tests run from any directory.
enum CorpusFiles {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Fixtures
        .deletingLastPathComponent()  // PlanIngestTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository
        .appendingPathComponent("corpus")

    static func url(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }

    static func data(_ relativePath: String) throws -> Data { try Data(contentsOf: url(relativePath)) }

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: url(relativePath), encoding: .utf8)
    }

    /// The gov.cn pages that have an answer key (`NN.html` + `NN.meta.json`), sorted.
    static var govCNPages: [String] {
        let folder = url("govcn-2019")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".html") }.sorted()
            .filter { names.contains($0.replacingOccurrences(of: ".html", with: ".meta.json")) }
    }
}
