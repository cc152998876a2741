import Foundation
import Hummingbird
import HummingbirdTesting
import PlanIndex
import PlanIngest
import PlanKit
import PlanWeb

/// A knowledge base indexed from real corpus files (and one hostile document), shared by the tests.
enum WebFixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static let plan = "corpus/plans/shenyang-ftz-plan-2021.txt"
    static let company2018 = "corpus/laws/law-company-2018-2023/company-law-2018.md"
    static let company2023 = "corpus/laws/law-company-2018-2023/company-law-2023.md"
    static let antimonopoly2007 = "corpus/laws/law-antimonopoly-2007-2022/antimonopoly-law-2007.md"
    static let antimonopoly2022 = "corpus/laws/law-antimonopoly-2007-2022/antimonopoly-law-2022.md"
    static let govcn = "corpus/govcn-2019/01.html"
    static let hostile = "uploads/hostile \"notice\".txt"

    /// A document written to attack the page: markup, quotes and ampersands in its title and text.
    static let hostileText = """
        关于<script>alert("标题")</script>跨境电商的"通知"

        第一章 总则<img src=x onerror=alert(1)>

        第一条 跨境电商企业应当遵守'规定'与"办法"，不得在页面插入<script>alert('正文')</script>，A&B 公司除外。

        """

    static let corpusFiles = [plan, company2018, company2023, antimonopoly2007, antimonopoly2022, govcn]

    /// Loads a corpus file as `plankb index` does: the one loader, records included.
    static func load(_ relativePath: String) throws -> PlanDocument {
        let url = root.appendingPathComponent(relativePath)
        let data = try Data(contentsOf: url)
        return try DocumentLoader.load(data: data, source: relativePath, pathExtension: url.pathExtension)[0]
    }

    static func indexedRecords(of document: PlanDocument) -> [IndexedRecord] {
        return document.records.map { record in
            IndexedRecord(record)
        }
    }

    private static let shared = Result { try build() }

    static func knowledgeBase() throws -> SQLiteKnowledgeBase { try shared.get() }

    private static func build() throws -> SQLiteKnowledgeBase {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plankb-web-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let knowledgeBase = try SQLiteKnowledgeBase(path: folder.appendingPathComponent("kb.sqlite").path)
        try fill(knowledgeBase)
        return knowledgeBase
    }

    /// Writes the corpus files and the hostile document into `knowledgeBase`, whichever its backend.
    static func fill(_ knowledgeBase: any KnowledgeBase) throws {
        var sources: [SourceDocuments] = []
        for file in corpusFiles {
            let document = try load(file)
            sources.append(SourceDocuments(source: file, contentHash: file, documents: [
                IndexedDocument(key: file, document: document, records: indexedRecords(of: document)),
            ]))
        }
        let hostile = try DocumentLoader.load(data: Data(hostileText.utf8), source: hostile, pathExtension: "txt")[0]
        sources.append(SourceDocuments(source: Self.hostile, contentHash: "h", documents: [
            IndexedDocument(key: Self.hostile, document: hostile, records: indexedRecords(of: hostile)),
        ]))
        try knowledgeBase.replaceDocuments(sources)
    }

    /// A server as `plankb serve` runs it, on a free loopback port; cancel `task` to stop it.
    struct Served {
        var port: Int
        var task: Task<Void, any Error>
        var base: String { "http://127.0.0.1:\(port)" }
    }

    /// Serves `knowledgeBase` on 127.0.0.1 with a port the system picks, and returns once it listens.
    static func serve(_ knowledgeBase: any KnowledgeBase) async throws -> Served {
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let application = PlanWebApplication.application(knowledgeBase: knowledgeBase, host: "127.0.0.1", port: 0) { port in
            portContinuation.yield(port)
        }
        let task = Task { try await application.runService(gracefulShutdownSignals: []) }
        var portIterator = ports.makeAsyncIterator()
        guard let port = await portIterator.next() else { task.cancel(); throw CancellationError() }
        return Served(port: port, task: task)
    }

    /// The application over the shared knowledge base, for `app.test(.router)`.
    static func application() throws -> some ApplicationProtocol {
        Application(router: PlanWebApplication.router(knowledgeBase: try knowledgeBase()))
    }

    /// A path with its query values percent-encoded (the test client sends the URI as given).
    static func uri(_ path: String, _ parameters: [(String, String)] = []) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        guard !parameters.isEmpty else { return path }
        return path + "?" + parameters.map { $0 + "=" + ($1.addingPercentEncoding(withAllowedCharacters: allowed) ?? $1) }
            .joined(separator: "&")
    }

    /// A document key as one path segment.
    static func segment(_ key: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key
    }

    /// Every match of `pattern`'s first group in `text`.
    static func captures(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}
