import Foundation
import PlanKit
@testable import PlanIndex

/// Real corpus documents and scratch knowledge bases for the tests.
enum Fixtures {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("corpus")

    /// The lines of a corpus file that carry text, as they are.
    static func lines(of relativePath: String) throws -> [String] {
        let text = try String(contentsOf: corpus.appendingPathComponent(relativePath), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).map(String.init)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    /// A document whose paragraphs are the given lines (para_1, para_2 …), so that the index can be tested on
    /// real text without depending on the segmenter.
    static func paragraphDocument(title: String, lines: [String], issuer: String? = nil, date: String? = nil) -> PlanDocument {
        let paragraphs = lines.enumerated().map { index, line in
            Node(id: "para_\(index + 1)", kind: .paragraph, num: index + 1, text: line,
                 span: SourceSpan(startLine: index + 1, startColumn: 1, endLine: index + 1, endColumn: line.count))
        }
        let root = Node(id: "", kind: .document, text: title,
                        span: SourceSpan(startLine: 1, startColumn: 1, endLine: max(1, lines.count), endColumn: 1),
                        children: paragraphs)
        return PlanDocument(metadata: Metadata(title: title, date: date, issuer: issuer), root: root, diagnostics: [])
    }

    /// A new, empty knowledge base in a fresh temporary folder.
    static func scratchKnowledgeBase(_ indexing: IdeographIndexing = .bigram) throws -> SQLiteKnowledgeBase {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("plankb-index-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try SQLiteKnowledgeBase(path: folder.appendingPathComponent("kb.sqlite").path, creatingWith: indexing)
    }

    /// The Shenyang FTZ plan (a real plan) indexed line by line, with the lines for computing expectations.
    static func indexedPlan(_ indexing: IdeographIndexing = .bigram) throws -> (SQLiteKnowledgeBase, [String]) {
        let lines = try lines(of: "plans/shenyang-ftz-plan-2021.txt")
        let knowledgeBase = try scratchKnowledgeBase(indexing)
        let document = paragraphDocument(title: "沈阳片区发展规划", lines: lines, issuer: "沈阳市人民政府", date: "2021-08-23")
        try knowledgeBase.replaceDocuments(fromSource: "plans/shenyang-ftz-plan-2021.txt", contentHash: "h1",
                                           with: [IndexedDocument(key: "plans/shenyang", document: document)])
        return (knowledgeBase, lines)
    }

    /// The plan indexed line by line on `setup`'s backend.
    static func indexedPlan(on setup: StorageSetup) throws -> (any KnowledgeBase, [String]) {
        let lines = try lines(of: "plans/shenyang-ftz-plan-2021.txt")
        let knowledgeBase = try setup.backend.scratch(setup.indexing).knowledgeBase
        let document = paragraphDocument(title: "沈阳片区发展规划", lines: lines, issuer: "沈阳市人民政府", date: "2021-08-23")
        try knowledgeBase.replaceDocuments(fromSource: "plans/shenyang-ftz-plan-2021.txt", contentHash: "h1",
                                           with: [IndexedDocument(key: "plans/shenyang", document: document)])
        return (knowledgeBase, lines)
    }

    static func request(_ text: String, limit: Int = 10_000, offset: Int = 0) throws -> SearchRequest {
        SearchRequest(query: try SearchQuery(parsing: text), limit: limit, offset: offset)
    }
}
