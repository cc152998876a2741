import ArgumentParser
import PlanIndex
import Synchronization

/// `--db`, shared by every command that opens a knowledge base: a file (SQLite) or a PostgreSQL URL, with
/// `PLANKB_DB` as the default. Which backend opens it is decided by `KnowledgeBaseLocation`, not here.
public struct DatabaseOption: ParsableArguments {
    public init() {}

    @Option(help: ArgumentHelp("The knowledge base: a file (SQLite) or postgres://USER[:PASSWORD]@HOST[:PORT]/DB (default: $PLANKB_DB).",
                               valueName: "file-or-url"))
    public var db: String?

    public func validate() throws {
        if KnowledgeBaseLocation(option: db) == nil {
            throw ValidationError("give --db FILE or --db postgres://USER@HOST/DB, or set \(KnowledgeBaseLocation.environmentVariable)")
        }
    }

    public var location: KnowledgeBaseLocation { KnowledgeBaseLocation(option: db)! }

    /// A knowledge base opened for `.reading` stays open until the process exits (see `keptUntilExit`).
    public func open(for access: KnowledgeBaseAccess = .reading, indexing: IdeographIndexing = .bigram) throws -> any KnowledgeBase {
        let knowledgeBase = try location.open(for: access, indexing: indexing)
        if access == .reading { Self.keptUntilExit.withLock { $0.append(knowledgeBase) } }
        return knowledgeBase
    }

    /// One-shot readers' knowledge bases, never closed: a command that reads and exits gains nothing from closing
    /// (the exit frees it all the same) and paid 2-3 ms for it after its output — SQLite unmapping the pages it
    /// read, GRDB's queue, disposed, starting two of Dispatch's threads. Writers close (and checkpoint) as usual.
    private static let keptUntilExit = Mutex<[any KnowledgeBase]>([])
}
