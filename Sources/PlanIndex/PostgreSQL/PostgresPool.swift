import Foundation
import Logging
import PostgresNIO

/// A small pool of PostgreSQL connections for synchronous callers: `withSession` lends one connection to one
/// thread at a time, opening up to `maximum` of them as callers arrive and keeping them for the next caller.
///
/// `KnowledgeBase` is synchronous, and it is called from async code too (`plankb serve`'s handlers). Waiting
/// here on postgres-nio's futures blocks only the calling thread: the futures complete on NIO's own event loops,
/// never on Swift's cooperative pool, so a busy server cannot starve the work it waits for (as awaiting an
/// async API from a blocked cooperative thread could).
final class PostgresPool: @unchecked Sendable {
    let location: PostgresLocation
    let maximum: Int
    private let configuration: PostgresConnection.Configuration
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var opened = 0
    private var closed = false
    private static let logger = Logger(label: "plankb.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    init(location: PostgresLocation, maximum: Int) throws {
        self.location = location
        self.maximum = max(1, maximum)
        var configuration = try location.configuration
        // No JIT compilation: the planner asks for it for a search over many GIN candidates (its cost estimate
        // passes `jit_above_cost`), where compiling took 11 ms of a 339 ms count (EXPLAIN ANALYZE, 1 GB) and
        // saved nothing; the statements of an index run are compiled never to be run again either.
        configuration.options.additionalStartupParameters.append(("jit", "off"))
        self.configuration = configuration
    }

    /// Runs `body` with a connection of its own; a connection that failed mid-way is closed rather than lent again.
    func withSession<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        let connection = try checkOut()
        let session = PostgresSession(connection: connection, location: location)
        do {
            let result = try body(session)
            checkIn(connection, healthy: true)
            return result
        } catch {
            // A statement's error leaves the connection usable (transactions roll back); a broken one is closed.
            checkIn(connection, healthy: !connection.isClosed)
            throw error
        }
    }

    /// One connection opened now, for a caller that keeps it (session-level advisory locks).
    func dedicatedSession() throws -> PostgresSession {
        PostgresSession(connection: try connect(), location: location)
    }

    private func checkOut() throws -> PostgresConnection {
        condition.lock()
        while true {
            if closed { condition.unlock(); throw KnowledgeBaseOpenError("the connection to \(location.naming) was closed") }
            if let connection = idle.popLast() {
                condition.unlock()
                if connection.isClosed {
                    condition.lock()
                    opened -= 1
                    continue
                }
                return connection
            }
            if opened < maximum {
                opened += 1
                condition.unlock()
                do {
                    return try connect()
                } catch {
                    condition.lock()
                    opened -= 1
                    condition.signal()
                    condition.unlock()
                    throw error
                }
            }
            condition.wait()
        }
    }

    private func checkIn(_ connection: PostgresConnection, healthy: Bool) {
        condition.lock()
        defer { condition.signal(); condition.unlock() }
        if healthy && !closed && !connection.isClosed {
            idle.append(connection)
        } else {
            opened -= 1
            Self.closeWithoutWaiting(connection)
        }
    }

    private func connect() throws -> PostgresConnection {
        do {
            return try PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(), configuration: configuration,
                                                  id: Int.random(in: 1...Int(Int32.max)), logger: Self.logger).wait()
        } catch {
            throw KnowledgeBaseOpenError("cannot open the knowledge base in \(location.naming): \(PostgresSession.reason(error))")
        }
    }

    /// Starts closing `connection` and returns at once; the connection is kept alive until it is closed, since
    /// postgres-nio asserts that a connection is closed before it goes.
    static func closeWithoutWaiting(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in _ = connection }
    }

    /// Closes the idle connections; lent ones close when they come back. `waiting`: return only once the server
    /// has been told goodbye. A deinit must not wait: the last reference can go on one of NIO's event loops (a
    /// server's router torn down there), where NIO traps any wait.
    func close(waiting: Bool = true) {
        condition.lock()
        closed = true
        let connections = idle
        idle.removeAll()
        condition.broadcast()
        condition.unlock()
        for connection in connections {
            if waiting {
                try? connection.close().wait()
            } else {
                Self.closeWithoutWaiting(connection)
            }
        }
    }
}

/// A value bound to a query parameter (`$1`…); never pasted into SQL.
enum SQLValue: Sendable {
    case text(String?)
    case integer(Int?)
    case double(Double?)
    case boolean(Bool?)
    /// An array in binary, for bulk statements (`unnest($1::text[], …)`, `= ANY($1::bigint[])`; see `BinaryColumn`).
    case column(BinaryColumn)

    static func texts(_ values: [String]) -> SQLValue { .column(BinaryColumn(texts: values)) }
    static func integers(_ values: [Int]) -> SQLValue { .column(BinaryColumn(.int8, integers: values)) }
    static func booleans(_ values: [Bool]) -> SQLValue { .column(BinaryColumn(booleans: values)) }
}

/// One lent connection: queries with bound parameters, and transactions.
struct PostgresSession {
    let connection: PostgresConnection
    let location: PostgresLocation
    private static let logger = Logger(label: "plankb.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs one statement and returns its rows (random access by column index).
    @discardableResult
    func query(_ sql: String, _ values: [SQLValue] = []) throws -> [PostgresRandomAccessRow] {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .text(let text): if let text { bindings.append(text) } else { bindings.appendNull() }
            case .integer(let number): if let number { bindings.append(number) } else { bindings.appendNull() }
            case .double(let number): if let number { bindings.append(number) } else { bindings.appendNull() }
            case .boolean(let flag): if let flag { bindings.append(flag) } else { bindings.appendNull() }
            case .column(let column): bindings.append(column)
            }
        }
        do {
            let result = try connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: Self.logger).wait()
            return result.rows.map { $0.makeRandomAccess() }
        } catch {
            throw PostgresStoreError(location: location, reason: Self.reason(error))
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ begin: String = "BEGIN", _ body: () throws -> T) throws -> T {
        try query(begin)
        do {
            let result = try body()
            try query("COMMIT")
            return result
        } catch {
            _ = try? query("ROLLBACK")
            throw error
        }
    }

    /// What went wrong, in one line: the server's own message (with its SQLSTATE) or the connection's problem.
    /// postgres-nio's errors never carry the password; neither does this.
    static func reason(_ error: Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return message + (error.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
            }
            switch error.code {
            case .connectionError: return "no server accepts connections there"
            case .serverClosedConnection: return "the server closed the connection"
            case .authMechanismRequiresPassword: return "the server asks for a password; give it in the URL, PGPASSWORD or ~/.pgpass (mode 0600)"
            case .sslUnsupported: return "the server does not offer TLS (sslmode=require)"
            default: return error.underlying.map { String(describing: $0) } ?? String(describing: error.code)
            }
        }
        if let error = error as? PostgresStoreError { return error.reason }
        return String(describing: error)
    }
}

/// A statement that failed, named by where (host and database) and the server's reason.
struct PostgresStoreError: Error, CustomStringConvertible {
    var location: PostgresLocation
    var reason: String
    var description: String { "\(location.naming): \(reason)" }
}

extension PostgresRandomAccessRow {
    func string(_ column: Int) throws -> String? { try self[column].decode(String?.self) }
    func integer(_ column: Int) throws -> Int? { try self[column].decode(Int?.self) }
    func double(_ column: Int) throws -> Double? { try self[column].decode(Double?.self) }
    func boolean(_ column: Int) throws -> Bool? { try self[column].decode(Bool?.self) }
    func data(_ column: Int) throws -> Data? { try self[column].decode(Data?.self) }
}
