import Foundation
import PostgresNIO
import Testing
@testable import PlanIndex

/// A PostgreSQL knowledge base whose last reference goes on one of NIO's event loops — as when `plankb serve`'s
/// router is torn down there at shutdown — closes its connections without waiting for them (NIO traps any wait
/// on an event loop; CI crashed so once), and the server sees them go.
@Suite struct PostgresLifetimeTests {
    final class Holder: @unchecked Sendable { var knowledgeBase: (any KnowledgeBase)? }

    /// Client connections the server has open to `database`.
    static func connections(to database: String) throws -> Int {
        let pool = try PostgresPool(location: try PostgresLocation(try #require(TestBackend.postgresURL)), maximum: 1)
        defer { pool.close() }
        return try pool.withSession { session in
            try session.query("SELECT count(*)::bigint FROM pg_stat_activity WHERE datname = $1", [.text(database)])
                .first?.integer(0) ?? -1
        }
    }

    @Test(.enabled(if: TestBackend.available.contains(.postgres)))
    func aKnowledgeBaseLetGoOnAnEventLoopClosesItsConnectionsWithoutWaiting() throws {
        let location = try TestBackend.scratchDatabase()
        let database = String(try #require(location.split(separator: "/").last))
        try openKnowledgeBase(location, for: .writing).close()
        let holder = Holder()
        holder.knowledgeBase = try openKnowledgeBase(location)
        #expect(try holder.knowledgeBase?.summary().documents == 0)
        #expect(try Self.connections(to: database) >= 1, "the reader keeps its connection for the next call")

        try PostgresConnection.defaultEventLoopGroup.any().submit { holder.knowledgeBase = nil }.wait()

        var open = try Self.connections(to: database)
        for _ in 0..<50 where open > 0 {
            Thread.sleep(forTimeInterval: 0.1)
            open = try Self.connections(to: database)
        }
        #expect(open == 0, "the connections of a knowledge base let go are closed")
    }

    /// Advisory locks held in `database` (claims and writers' locks), as the server's lock table counts them.
    static func advisoryLocks(in location: String) throws -> Int {
        let pool = try PostgresPool(location: try PostgresLocation(location), maximum: 1)
        defer { pool.close() }
        return try pool.withSession { session in
            try session.query("""
                SELECT count(*)::bigint FROM pg_locks WHERE locktype = 'advisory'
                AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """).first?.integer(0) ?? -1
        }
    }

    @Test(.enabled(if: TestBackend.available.contains(.postgres)))
    func claimsAreGivenBackOnceTheyHaveServed() throws {
        // Each claim is an entry in the server's fixed-size lock table (6,400 on a default server): a run over
        // 24,539 files that kept every claim until its end failed with "out of shared memory". A claim lasts
        // while its source is loaded and written, and not a moment longer.
        let location = try TestBackend.scratchDatabase()
        let first = try #require(try openKnowledgeBase(location, for: .writing) as? PostgresKnowledgeBase)
        let second = try #require(try openKnowledgeBase(location, for: .writing) as? PostgresKnowledgeBase)
        defer { try? first.close(); try? second.close() }
        let document = IndexedDocument(key: "a.txt", document: Fixtures.paragraphDocument(title: "甲", lines: ["推进营商环境建设"]))

        #expect(try first.claim(source: "a.txt", contentHash: "h1"))
        #expect(try !second.claim(source: "a.txt", contentHash: "h1"), "another run holds it")
        #expect(try Self.advisoryLocks(in: location) == 1)
        try first.replaceDocuments([SourceDocuments(source: "a.txt", contentHash: "h1", documents: [document])])
        #expect(first.claimCount == 0)
        #expect(try Self.advisoryLocks(in: location) == 0, "written: its claim is given back")
        // Stored content is skipped, and its claim not kept; changed content is claimed again.
        #expect(try !second.claim(source: "a.txt", contentHash: "h1"))
        #expect(try Self.advisoryLocks(in: location) == 0)
        #expect(try second.claim(source: "a.txt", contentHash: "h2"))
        // A source that failed to load is given back by the run (IndexRun), and so free for another.
        try second.releaseClaims(on: ["a.txt"])
        #expect(try Self.advisoryLocks(in: location) == 0)
        #expect(try first.claim(source: "a.txt", contentHash: "h2"))

        // Many unchanged sources, as a second run over a large folder claims them: no lock stays behind.
        let sources = (0..<300).map { "doc-\($0).txt" }
        try first.replaceDocuments(sources.map { SourceDocuments(source: $0, contentHash: "same", documents: [
            IndexedDocument(key: $0, document: Fixtures.paragraphDocument(title: $0, lines: ["第\($0)段"]))]) })
        #expect(try sources.allSatisfy { try !second.claim(source: $0, contentHash: "same") })
        #expect(second.claimCount == 0)
        #expect(try Self.advisoryLocks(in: location) == 1, "only first's claim on a.txt (h2), never written")
    }

    @Test(.enabled(if: TestBackend.available.contains(.postgres)))
    func sessionsRunWithoutJITCompilation() throws {
        // The server's default (jit = on) compiled a search over many candidates before running it, for nothing.
        let pool = try PostgresPool(location: try PostgresLocation(try #require(TestBackend.postgresURL)), maximum: 1)
        defer { pool.close() }
        #expect(try pool.withSession { try $0.query("SHOW jit").first?.string(0) } == "off")
        let dedicated = try pool.dedicatedSession()
        defer { try? dedicated.connection.close().wait() }
        #expect(try dedicated.query("SHOW jit").first?.string(0) == "off")
    }
}
