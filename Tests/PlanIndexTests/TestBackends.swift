import Foundation
import Testing
import PlanKit
@testable import PlanIndex

/// The storage backends every storage test runs against: SQLite always, PostgreSQL when
/// `PLANKB_TEST_POSTGRES_URL` names a server (`.ci/with-postgres.sh` starts one and sets it). In CI (`CI=true`)
/// PostgreSQL is always in the list, so that a missing server fails the tests instead of skipping them.
enum TestBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static let postgresURL = ProcessInfo.processInfo.environment["PLANKB_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let inCI = ProcessInfo.processInfo.environment["CI"] == "true"

    static var available: [TestBackend] { postgresURL != nil || inCI ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }

    struct MissingServer: Error, CustomStringConvertible {
        var description: String { "CI=true but PLANKB_TEST_POSTGRES_URL is not set: run the tests through .ci/with-postgres.sh" }
    }

    /// A new, empty knowledge base: a file in a fresh folder, or a fresh database on the test server. Returns
    /// its location too, for opening a second instance on it.
    func scratch(_ indexing: IdeographIndexing = .bigram) throws -> (knowledgeBase: any KnowledgeBase, location: String) {
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plankb-index-tests-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let path = folder.appendingPathComponent("kb.sqlite").path
            return (try SQLiteKnowledgeBase(path: path, creatingWith: indexing), path)
        case .postgres:
            let location = try Self.scratchDatabase()
            return (try openKnowledgeBase(location, for: .writing, indexing: indexing), location)
        }
    }

    /// The URL of a new database on the test server (the throwaway cluster is removed as a whole afterwards).
    static func scratchDatabase() throws -> String {
        guard let url = postgresURL else { throw MissingServer() }
        let base = try PostgresLocation(url)
        let name = "plankb_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let pool = try PostgresPool(location: base, maximum: 1)
        defer { pool.close() }
        try pool.withSession { session in _ = try session.query("CREATE DATABASE \(name)") }
        guard let slash = url.range(of: "/", options: .backwards) else { throw MissingServer() }
        return String(url[..<slash.upperBound]) + name
    }

    /// Writes a source in one transaction, running `afterEachDocument` inside it after each document (a throw
    /// rolls the whole write back, as a run killed halfway).
    static func replace(_ knowledgeBase: any KnowledgeBase, source: String, contentHash: String,
                        with documents: [IndexedDocument], afterEachDocument: (Int) throws -> Void) throws {
        if let sqlite = knowledgeBase as? SQLiteKnowledgeBase {
            try sqlite.replaceDocuments(fromSource: source, contentHash: contentHash, with: documents,
                                        afterEachDocument: afterEachDocument)
        } else if let postgres = knowledgeBase as? PostgresKnowledgeBase {
            try postgres.replaceDocuments([SourceDocuments(source: source, contentHash: contentHash, documents: documents)],
                                          afterEachDocument: afterEachDocument)
        } else {
            Issue.record("no write hook for \(type(of: knowledgeBase))")
        }
    }
}

/// A backend with one way of indexing Han characters: SQLite takes both, PostgreSQL bigrams only.
struct StorageSetup: Sendable, CustomTestStringConvertible {
    var backend: TestBackend
    var indexing: IdeographIndexing

    var testDescription: String { "\(backend.rawValue) \(indexing.rawValue)" }

    /// Every combination the backends support.
    static var all: [StorageSetup] {
        TestBackend.available.flatMap { backend in
            (backend == .postgres ? [IdeographIndexing.bigram] : IdeographIndexing.allCases).map { StorageSetup(backend: backend, indexing: $0) }
        }
    }

    /// Each backend with the default, bigram indexing.
    static var bigram: [StorageSetup] { TestBackend.available.map { StorageSetup(backend: $0, indexing: .bigram) } }
}
