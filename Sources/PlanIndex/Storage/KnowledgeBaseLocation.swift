import Foundation

/// One storage backend: which `--db` values it takes, how it names them in messages, and how it opens them.
/// A backend is a folder under `Sources/PlanIndex/` plus one line in `KnowledgeBaseBackends.all`.
public protocol KnowledgeBaseBackend: Sendable {
    /// A word for messages and benchmarks (`SQLite`, `PostgreSQL`).
    static var name: String { get }
    /// Whether `location` is one of this backend's (checked in the order of `KnowledgeBaseBackends.all`).
    static func handles(_ location: String) -> Bool
    /// `location` as it may be printed: never with a password.
    static func displayName(of location: String) -> String
    /// Opens (or, for writing, creates) the knowledge base; `indexing` applies only to a new one. Throws a
    /// `KnowledgeBaseOpenError` when it is absent or unreachable.
    static func open(_ location: String, for access: KnowledgeBaseAccess, indexing: IdeographIndexing) throws -> any KnowledgeBase
}

/// What a command is going to do with a knowledge base.
public enum KnowledgeBaseAccess: Sendable {
    /// Read only, for a command that reads a few times and exits (query, kwic, terms…); the knowledge base
    /// must exist. A backend may open a single connection.
    case reading
    /// Read only, for a process that answers many requests, several at once (serve, the MCP server); the
    /// knowledge base must exist. Connections are pooled.
    case serving
    /// Add and replace documents; created when absent.
    case writing
    /// Build it anew from one index run and replace the old one when the run is finished
    /// (`finishIndexRun`); until then readers see the old one.
    case rebuilding
}

/// The backends, in the order they are asked; the last one (a file path) takes whatever the others do not.
public enum KnowledgeBaseBackends {
    public static let all: [any KnowledgeBaseBackend.Type] = [PostgresBackend.self, SQLiteBackend.self]
}

/// Where a knowledge base is: a `--db` value (or `PLANKB_DB`) and the backend that takes it.
public struct KnowledgeBaseLocation: Sendable, CustomStringConvertible {
    /// The environment variable that gives the location when `--db` is not given.
    public static let environmentVariable = "PLANKB_DB"

    /// As given (may hold credentials: print `description`, never this).
    public let value: String
    public let backend: any KnowledgeBaseBackend.Type

    public init(_ value: String) {
        self.value = value
        backend = KnowledgeBaseBackends.all.first { $0.handles(value) } ?? KnowledgeBaseBackends.all.last!
    }

    /// `--db`'s value, or else `PLANKB_DB`'s; nil when neither is set. (The one variable is read, not
    /// `ProcessInfo.environment`, whose dictionary of every variable cost a query command 0.36 M instructions.)
    public init?(option: String?) {
        let variable = getenv(Self.environmentVariable).map { String(cString: $0) }
        guard let value = option ?? variable.flatMap({ $0.isEmpty ? nil : $0 }) else { return nil }
        self.init(value)
    }

    /// The location without credentials.
    public var description: String { backend.displayName(of: value) }

    public func open(for access: KnowledgeBaseAccess = .reading, indexing: IdeographIndexing = .bigram) throws -> any KnowledgeBase {
        try backend.open(value, for: access, indexing: indexing)
    }
}

/// Opens the knowledge base at a `--db` value: a file path (SQLite) or a `postgres://` URL.
public func openKnowledgeBase(_ location: String, for access: KnowledgeBaseAccess = .reading,
                              indexing: IdeographIndexing = .bigram) throws -> any KnowledgeBase {
    try KnowledgeBaseLocation(location).open(for: access, indexing: indexing)
}

/// Why a knowledge base could not be opened: one line naming where it was looked for (never a password).
public struct KnowledgeBaseOpenError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
