import ArgumentParser
import PlanIndex

/// `--db`, shared by every command that opens a knowledge base: a file (SQLite) or a PostgreSQL URL, with
/// `PLANKB_DB` as the default. Which backend opens it is decided by `KnowledgeBaseLocation`, not here.
struct DatabaseOption: ParsableArguments {
    @Option(help: ArgumentHelp("The knowledge base: a file (SQLite) or postgres://USER[:PASSWORD]@HOST[:PORT]/DB (default: $PLANKB_DB).",
                               valueName: "file-or-url"))
    var db: String?

    func validate() throws {
        if KnowledgeBaseLocation(option: db) == nil {
            throw ValidationError("give --db FILE or --db postgres://USER@HOST/DB, or set \(KnowledgeBaseLocation.environmentVariable)")
        }
    }

    var location: KnowledgeBaseLocation { KnowledgeBaseLocation(option: db)! }

    func open(for access: KnowledgeBaseAccess = .reading, indexing: IdeographIndexing = .bigram) throws -> any KnowledgeBase {
        try location.open(for: access, indexing: indexing)
    }
}
