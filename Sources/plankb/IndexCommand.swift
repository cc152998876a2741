import ArgumentParser
import Foundation
import PlanCommandLine
import PlanIndex
import PlanIngest

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Add documents to a knowledge base (a SQLite file or a PostgreSQL database) for plankb query and kwic.",
        discussion: HelpText.reflow("""
        Takes files and folders. Folders are walked for \(DocumentReaders.fileExtensionList) files; *.meta.json sidecars, *.expected folders and a collection's README, SOURCES and LICENSE are not read. Each file is a source: a file whose content hash is already in the knowledge base is skipped, a changed one replaces its documents, and --prune forgets files that no longer exist. Sources are written in transactions of whole files, so a run killed halfway leaves the knowledge base as it was before the last unfinished batch, and queries can run while indexing. A file that cannot be read or parsed is reported (path: error: reason) and skipped; the rest is indexed, and the exit status is 1.

        --db is a file (SQLite, created when absent) or postgres://USER[:PASSWORD]@HOST[:PORT]/DB (the database must exist; plankb creates its tables). Several index runs may write into one PostgreSQL database at once. A SQLite file is plain SQLite (sqlite3 kb.sqlite 'SELECT title, issuer, date FROM documents'); only the full-text table node_fts needs plankb's tokenizer.

        Examples:
          plankb index corpus --db kb.sqlite --exclude gold
          plankb index corpus --db kb.sqlite --exclude gold --prune
          plankb index corpus --db kb.sqlite --exclude gold --rebuild
          plankb index corpus --db postgres://plankb@localhost/plankb --exclude gold
        """)
    ).underPlanKB

    @Argument(help: "Files or folders to index.")
    var paths: [String]

    @OptionGroup var database: DatabaseOption

    @OptionGroup var excluding: ExcludeOptions

    @Flag(help: "Do not extract records (faster; query --type and --year then find nothing).")
    var noRecords = false

    @OptionGroup var coding: CodingOptions

    @Flag(help: "Remove documents whose source file no longer exists.")
    var prune = false

    @Flag(help: "Build a new knowledge base from these paths only, replacing the file when done.")
    var rebuild = false

    @Option(help: "How a new knowledge base indexes Han characters: overlapping pairs (bigram, the default) or single characters (unigram, larger and slower; for comparison).")
    var tokenizer = IdeographIndexing.bigram

    @Flag(name: .shortAndLong, help: "No progress line and no summary.")
    var quiet = false

    func run() throws {
        let indexing = tokenizer
        let knowledgeBase = try database.open(for: rebuild ? .rebuilding : .writing, indexing: indexing)
        let outcome: IndexRun.Outcome
        do {
            outcome = try IndexRun(paths: paths, excluded: excluding.exclude, prune: prune, extractRecords: !noRecords, extraction: try coding.settings(), showProgress: !quiet).run(into: knowledgeBase)
        } catch let error as ValidationErrorText {
            throw ValidationError(error.description)
        }
        try knowledgeBase.finishIndexRun(changedDocuments: outcome.written > 0 || outcome.removed > 0)
        try knowledgeBase.close()
        if !quiet {
            let megabytes = Double(outcome.bytesWritten) / 1_048_576
            var summary = String(format: "%@: %d files indexed (%d documents, %.1f MB in %.1f s, %.1f MB/s), %d unchanged",
                                 database.location.description, outcome.written, outcome.documents, megabytes, outcome.seconds,
                                 megabytes / max(outcome.seconds, 0.001), outcome.unchanged)
            if outcome.claimedElsewhere > 0 { summary += ", \(outcome.claimedElsewhere) written by another run" }
            if prune { summary += ", \(outcome.removed) removed" }
            if !outcome.failures.isEmpty { summary += ", \(outcome.failures.count) failed" }
            FileHandle.standardError.write(Data((summary + "\n").utf8))
        }
        if !outcome.failures.isEmpty { throw ExitCode(1) }
    }
}
