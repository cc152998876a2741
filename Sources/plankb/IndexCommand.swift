import ArgumentParser
import Foundation
import PlanIndex

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Add documents to a knowledge base (one SQLite file) for plankb query and kwic.",
        discussion: """
        Takes files and folders. Folders are walked: HTML, text, Markdown and JSON Lines files are read; *.meta.json sidecars and *.expected folders are not. Each file is a source: a file whose content hash is already in the knowledge base is skipped, a changed one replaces its documents, and --prune forgets files that no longer exist. Sources are written in transactions of whole files, so a run killed halfway leaves the knowledge base as it was before the last unfinished batch, and queries can run while indexing. A file that cannot be read or parsed is reported (path: error: reason) and skipped; the rest is indexed, and the exit status is 1.

        The file is plain SQLite (sqlite3 kb.sqlite 'SELECT title, issuer, date FROM documents'); only the full-text table node_fts needs plankb's tokenizer.

        Examples:
          plankb index corpus --db kb.sqlite --exclude gold
          plankb index corpus --db kb.sqlite --exclude gold --prune
          plankb index corpus --db kb.sqlite --exclude gold --rebuild
        """
    )

    @Argument(help: "Files or folders to index.")
    var paths: [String]

    @Option(help: "The knowledge base file (created when absent).")
    var db: String

    @OptionGroup var excluding: ExcludeOptions

    @Flag(help: "Do not extract records (faster; query --type and --year then find nothing).")
    var noRecords = false

    @Flag(help: "Remove documents whose source file no longer exists.")
    var prune = false

    @Flag(help: "Build a new knowledge base from these paths only, replacing the file when done.")
    var rebuild = false

    @Option(help: ArgumentHelp("How a new knowledge base indexes Han characters: bigram or unigram.", visibility: .hidden))
    var tokenizer: String = IdeographIndexing.bigram.rawValue

    @Flag(name: .shortAndLong, help: "No progress line and no summary.")
    var quiet = false

    func run() throws {
        guard let indexing = IdeographIndexing(rawValue: tokenizer) else {
            throw ValidationError("--tokenizer must be bigram or unigram")
        }
        let target = rebuild ? db + ".rebuild" : db
        if rebuild { try KnowledgeBaseFile.remove(target) }
        let knowledgeBase = try SQLiteKnowledgeBase(path: target, creatingWith: indexing)
        let outcome: IndexRun.Outcome
        do {
            outcome = try IndexRun(paths: paths, excluded: excluding.exclude, prune: prune, extractRecords: !noRecords, showProgress: !quiet).run(into: knowledgeBase)
        } catch let error as ValidationErrorText {
            throw ValidationError(error.description)
        }
        // Also after a run that wrote nothing, when documents of an earlier, interrupted run still wait for
        // their term top lists.
        let listsPending = try knowledgeBase.hasPendingTermTopLists()
        if outcome.written > 0 || outcome.removed > 0 || listsPending {
            try knowledgeBase.optimize()
        } else {
            try knowledgeBase.checkpoint()
        }
        try knowledgeBase.close()
        if rebuild { try KnowledgeBaseFile.replace(db, with: target) }
        if !quiet {
            let megabytes = Double(outcome.bytesWritten) / 1_048_576
            var summary = String(format: "%@: %d files indexed (%d documents, %.1f MB in %.1f s, %.1f MB/s), %d unchanged",
                                 db, outcome.written, outcome.documents, megabytes, outcome.seconds,
                                 megabytes / max(outcome.seconds, 0.001), outcome.unchanged)
            if prune { summary += ", \(outcome.removed) removed" }
            if !outcome.failures.isEmpty { summary += ", \(outcome.failures.count) failed" }
            FileHandle.standardError.write(Data((summary + "\n").utf8))
        }
        if !outcome.failures.isEmpty { throw ExitCode(1) }
    }
}

/// The knowledge base file with its WAL companions (`-wal`, `-shm`).
enum KnowledgeBaseFile {
    static func remove(_ path: String) throws {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.removeItem(atPath: path + suffix)
        }
    }

    /// Moves a finished, closed knowledge base over `path`. The stale WAL of the old file goes first: SQLite
    /// would otherwise replay it onto the new file.
    static func replace(_ path: String, with finished: String) throws {
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.removeItem(atPath: path + suffix)
        }
        guard rename(finished, path) == 0 else {
            throw ValidationErrorText("could not move \(finished) to \(path): \(String(cString: strerror(errno)))")
        }
        // The finished file was checkpointed before closing: its (empty) WAL companions are left-overs.
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: finished + suffix) {
            try FileManager.default.removeItem(atPath: finished + suffix)
        }
    }

    /// Opens an existing knowledge base for reading, with a clear message when there is none.
    static func open(_ path: String) throws -> SQLiteKnowledgeBase {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ValidationError("no knowledge base at \(path); create one with: plankb index PATH --db \(path)")
        }
        return try SQLiteKnowledgeBase(path: path)
    }
}
