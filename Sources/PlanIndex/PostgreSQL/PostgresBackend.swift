/// The PostgreSQL backend: `postgres://` and `postgresql://` URLs.
public enum PostgresBackend: KnowledgeBaseBackend {
    public static let name = "PostgreSQL"

    /// Connections one process opens at most: enough for `plankb serve` to answer several users at once (each
    /// request holds one only while it reads), few enough for a server's default of 100 shared by a team.
    public static let poolSize = 8

    public static func handles(_ location: String) -> Bool { PostgresLocation.handles(location) }

    public static func displayName(of location: String) -> String {
        (try? PostgresLocation(location).description) ?? PostgresLocation.redacted(location)
    }

    /// The database must exist (creating databases is the administrator's business); its tables are created on
    /// the first write. `indexing` is fixed per database: bigram.
    public static func open(_ location: String, for access: KnowledgeBaseAccess, indexing: IdeographIndexing) throws -> any KnowledgeBase {
        guard indexing == .bigram else {
            throw KnowledgeBaseOpenError("the PostgreSQL backend indexes Han characters as bigrams only")
        }
        return try PostgresKnowledgeBase(location: try PostgresLocation(location), access: access, poolSize: poolSize)
    }
}
