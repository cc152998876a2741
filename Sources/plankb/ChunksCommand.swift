import ArgumentParser
import Foundation
import PlanCommandLine
import PlanIndex
import PlanIngest
import PlanKit

struct ChunksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chunks",
        abstract: "Cut documents into retrieval chunks that follow the tree, each with what a citation needs.",
        discussion: HelpText.reflow("""
        A chunk never crosses a chapter, section or article boundary; small paragraphs under the same heading
        are merged up to --max-chars; a longer paragraph is split only between its clauses. Every paragraph
        is in exactly one chunk, in order. Each chunk carries its text, path (the headings above it, ready to
        prepend), the node ids it covers, the document's key, title, issuer, date and 文号, and its span.

        Output: a readable listing, or --json for JSON Lines, one chunk a line (schemas/chunk.schema.json),
        as plankb convert --to chunks writes them.

        Examples:
          plankb chunks corpus/plans/shenyang-ftz-plan-2021.txt --max-chars 400
          plankb chunks corpus/laws/law-company-2018-2023/company-law-2023.md --json > chunks.jsonl
          plankb chunks --db kb.sqlite --doc corpus/plans/shenyang-ftz-plan-2021.txt --json
          plankb chunks corpus/plans/shenyang-ftz-plan-2021.txt --compare-fixed
        """)
    ).underPlanKB

    @Argument(help: "The documents to cut (any format plankb reads).")
    var files: [String] = []

    @Option(help: "A knowledge base to read the document from, instead of files (with --doc).")
    var db: String?

    @Option(help: "The key of the document in --db (its source path, as plankb query shows it).")
    var doc: String?

    @Option(help: "Merge paragraphs up to this many characters; split longer ones between clauses.")
    var maxChars = 500

    @Option(help: "Give each chunk up to this many characters of the chunk before it (whole clauses) as overlap.")
    var overlap = 0

    @Flag(help: "JSON Lines, one chunk a line.")
    var json = false

    @Flag(help: "Instead of the chunks, count how many cut a clause or lack a heading, beside a fixed-size splitter of --max-chars.")
    var compareFixed = false

    func validate() throws {
        if maxChars < 1 { throw ValidationError("--max-chars must be at least 1") }
        if overlap < 0 { throw ValidationError("--overlap cannot be negative") }
        if (db == nil) != (doc == nil) { throw ValidationError("give --db and --doc together") }
        if db == nil && files.isEmpty { throw ValidationError("Name at least one document, or --db KB --doc KEY.") }
        if db != nil && !files.isEmpty { throw ValidationError("give either files or --db --doc, not both") }
    }

    func run() throws {
        let chunker = Chunker(maxCharacters: maxChars, overlapCharacters: overlap)
        var failed = false
        var chunks: [Chunk] = []
        var comparison = ChunkComparison()
        if let db, let doc {
            let knowledgeBase = try openKnowledgeBase(db)
            guard let stored = try knowledgeBase.document(withKey: doc) else {
                throw ValidationErrorText(LookupError.unknownDocument(key: doc).description)
            }
            chunks = chunker.chunks(of: stored.planDocument, key: doc)
            comparison.add(stored.planDocument, maxCharacters: maxChars)
        } else {
            for file in files {
                do {
                    let documents = try DocumentLoader.load(contentsOf: URL(fileURLWithPath: file))
                    for (ordinal, document) in documents.enumerated() {
                        chunks += chunker.chunks(of: document, key: DocumentKey.of(path: file, ordinal: ordinal, of: documents.count))
                        if compareFixed { comparison.add(document, maxCharacters: maxChars) }
                    }
                } catch {
                    FileHandle.standardError.write(Data("\(file): error: \(error)\n".utf8))
                    failed = true
                }
            }
        }
        if compareFixed {
            printOut(Self.table(comparison, maxCharacters: maxChars))
        } else {
            printOut(json ? try ChunkJSONLines.render(chunks) : Self.listing(chunks))
        }
        if failed { throw ExitCode(1) }
    }

    static func table(_ comparison: ChunkComparison, maxCharacters: Int) -> String {
        func row(_ name: String, _ figures: ChunkComparison.Figures) -> String {
            func share(_ count: Int) -> String {
                "\(count) (\(figures.chunks == 0 ? "0" : String(format: "%.1f", 100 * Double(count) / Double(figures.chunks)))%)"
            }
            let mean = figures.chunks == 0 ? 0 : figures.characters / figures.chunks
            return name.padding(toLength: 24, withPad: " ", startingAt: 0) + String(figures.chunks).padding(toLength: 8, withPad: " ", startingAt: 0)
                + String(mean).padding(toLength: 12, withPad: " ", startingAt: 0) + share(figures.cuttingAClause).padding(toLength: 18, withPad: " ", startingAt: 0) + share(figures.lackingAHeading) + "\n"
        }
        return "splitter (\(maxCharacters) chars)".padding(toLength: 24, withPad: " ", startingAt: 0) + "chunks  mean chars  cut a clause      lack a heading\n"
            + row("tree (plankb chunks)", comparison.tree) + row("fixed size", comparison.fixed)
    }

    /// Each chunk as a header line (id, characters, span), its path and its text.
    static func listing(_ chunks: [Chunk]) -> String {
        chunks.map { chunk in
            "── \(chunk.id)  \(chunk.text.count) chars  @\(chunk.span.compactDescription)\n"
                + (chunk.path.isEmpty ? "" : "   " + chunk.path.joined(separator: " › ") + "\n")
                + chunk.text + "\n"
        }.joined(separator: "\n")
    }
}

/// How a document is named in a knowledge base and in its chunks: its file's path, and `path#N` for the N-th
/// document of a file that holds several (JSON Lines).
enum DocumentKey {
    static func of(path: String, ordinal: Int, of count: Int) -> String {
        count == 1 ? path : "\(path)#\(ordinal + 1)"
    }
}
