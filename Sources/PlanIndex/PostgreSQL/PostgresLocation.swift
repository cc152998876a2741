import Foundation
import PostgresNIO

/// A `postgres://USER[:PASSWORD]@HOST[:PORT]/DB` (or `postgresql://`) location, read once; the password, from
/// the URL, else `PGPASSWORD`, else the password file (`PGPASSFILE` or `~/.pgpass`, as libpq reads it), is kept
/// here and never printed: `description` leaves it out.
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
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.isEmpty, !path.contains("/") else {
            throw KnowledgeBaseOpenError("the PostgreSQL URL \(Self.redacted(value)) names no database; write postgres://USER@HOST[:PORT]/DB")
        }
        database = path.removingPercentEncoding ?? path
        password = components.password ?? environment["PGPASSWORD"]
            ?? Self.passwordFromFile(host: host, port: port, database: database, user: user, environment: environment)
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        requiresTLS = ["require", "verify-ca", "verify-full"].contains(mode)
    }

    /// The password for this server, database and user in the password file libpq and psql read (`PGPASSFILE`,
    /// else `~/.pgpass`): lines `host:port:database:user:password`, `*` matching any value, `\:` and `\\`
    /// escaped, the first matching line winning. As libpq does, a file its group or others may read is not used.
    static func passwordFromFile(host: String, port: Int, database: String, user: String,
                                 environment: [String: String]) -> String? {
        guard let path = environment["PGPASSFILE"] ?? environment["HOME"].map({ $0 + "/.pgpass" }),
              let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let permissions = (attributes[.posixPermissions] as? NSNumber)?.intValue, permissions & 0o077 == 0,
              let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let wanted = [host, String(port), database, user]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            var fields: [String] = [""]
            var escaped = false
            for character in line {
                if escaped { fields[fields.count - 1].append(character); escaped = false }
                else if character == "\\" { escaped = true }
                else if character == ":" && fields.count < 5 { fields.append("") }
                else { fields[fields.count - 1].append(character) }
            }
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
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
