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
}
