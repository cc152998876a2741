import Foundation
import PostgresNIO

/// A `postgres://USER[:PASSWORD]@HOST[:PORT]/DB` (or `postgresql://`) location, read once; the password, from
/// the URL or else `PGPASSWORD`, is kept here and never printed: `description` leaves it out.
struct PostgresLocation: Sendable, CustomStringConvertible {
    var host: String
    var port: Int
    var user: String
    var password: String?
    var database: String
    /// `?sslmode=require` (or verify-ca / verify-full): TLS with the system's trust roots; otherwise none, as
    /// for a server on loopback or inside a private network.
    var requiresTLS: Bool

    static let schemes = ["postgres", "postgresql"]

    static func handles(_ value: String) -> Bool {
        schemes.contains { value.lowercased().hasPrefix($0 + "://") }
    }

    init(_ value: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.handles(value), let components = URLComponents(string: value) else {
            throw KnowledgeBaseOpenError("not a PostgreSQL URL: \(Self.redacted(value)); write postgres://USER[:PASSWORD]@HOST[:PORT]/DB")
        }
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        port = components.port ?? 5432
        user = components.user.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        password = components.password ?? environment["PGPASSWORD"]
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.isEmpty, !path.contains("/") else {
            throw KnowledgeBaseOpenError("the PostgreSQL URL \(Self.redacted(value)) names no database; write postgres://USER@HOST[:PORT]/DB")
        }
        database = path.removingPercentEncoding ?? path
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        requiresTLS = ["require", "verify-ca", "verify-full"].contains(mode)
    }

    /// Where, without credentials: `postgres://plankb@127.0.0.1:5432/plankb`.
    var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    /// Host and database for one-line errors.
    var naming: String { "PostgreSQL at \(host):\(port), database \(database)" }

    /// Any text that may hold a URL with a password, with the password cut out (for messages about input
    /// that could not even be parsed).
    static func redacted(_ value: String) -> String {
        guard let scheme = value.range(of: "://"), let at = value[scheme.upperBound...].lastIndex(of: "@") else { return value }
        let credentials = value[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return value }
        return String(value[..<colon]) + value[at...]
    }

    var configuration: PostgresConnection.Configuration {
        get throws {
            let tls: PostgresConnection.Configuration.TLS = requiresTLS
                ? .require(try NIOSSLContext(configuration: .makeClientConfiguration())) : .disable
            var configuration = PostgresConnection.Configuration(host: host, port: port, username: user,
                                                                 password: password, database: database, tls: tls)
            configuration.options.connectTimeout = .seconds(10)
            return configuration
        }
    }
}
