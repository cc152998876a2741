import ArgumentParser
import Foundation
import PlanCommandLine
import PlanIndex
import PlanIngest
import PlanKit

struct ReuseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reuse",
        abstract: "Find the paragraphs of one document that reuse text of another (政策文本复用).",
        discussion: HelpText.reflow("""
        For each paragraph or clause of TARGET that takes text from SOURCE, the
        pair, with its similarity (0–1), the passages both contain and a kind:
          verbatim  the same text (punctuation and spaces aside)
          adapted   most of it shared: a place name swapped, a sentence
                    dropped, added or moved, punctuation re-typed
          partial   a stretch of the source (two sentences, say) inside new text
        Paragraphs that merely share topic words (营商环境, 数字经济) are not
        reported. Method and thresholds: README, "Text reuse".

        Formats:
          text   one block a pair, for a terminal
          json   {"target", "sources", "pairs", "shares"}
                 (schemas/reuse.schema.json)
          html   both documents side by side, shared passages marked and linked

        Against a knowledge base: --db KB --doc KEY compares one indexed document
        with every other one (candidates come from the full-text index, so a
        large knowledge base answers in seconds); --all lists every pair of
        documents with the share of the target's text that reuses the source.

        Exit status: 0 on success (also when nothing is reused), 1 on unreadable
        input or an unknown document, 2 on usage errors.

        Examples:
          plankb reuse state-council-programme.html city-plan.txt
          plankb reuse a.docx b.pdf --format html > 复用对照.html
          plankb reuse --db kb.sqlite --doc corpus/plans/shenyang-ftz-plan-2021.txt
          plankb reuse --db kb.sqlite --all --format json
        """)
    ).underPlanKB

    enum Format: String, EnumeratedOption {
        case text, json, html
    }

    @Argument(help: "SOURCE TARGET: the document text may have been taken from, then the one checked for reuse.")
    var files: [String] = []

    @Option(help: ArgumentHelp("A knowledge base to compare against instead of two files: a file (SQLite) or postgres://… (default with --doc or --all: $PLANKB_DB).",
                               valueName: "file-or-url"))
    var db: String?

    @Option(help: "With --db: the document (its key, the source path) whose paragraphs are checked.")
    var doc: String?

    @Flag(help: "With --db: every document against every other, as a table of document pairs.")
    var all = false

    @Option(name: .shortAndLong, help: "Output format: text, json or html.")
    var format: Format = .text

    @Flag(name: .long, help: "Shorthand for --format json.")
    var json = false

    /// The knowledge base named by --db, or by PLANKB_DB when --doc or --all ask for one.
    private var location: KnowledgeBaseLocation? {
        db != nil || doc != nil || all ? KnowledgeBaseLocation(option: db) : nil
    }

    func validate() throws {
        if location == nil {
            guard files.count == 2 else { throw ValidationError("Give SOURCE and TARGET, or --db KB with --doc KEY or --all.") }
            guard doc == nil, !all else { throw ValidationError("--doc and --all go with --db.") }
        } else {
            guard files.isEmpty else { throw ValidationError("With --db, name the document with --doc, not as a file.") }
            guard (doc != nil) != all else { throw ValidationError("With --db, give either --doc KEY or --all.") }
        }
    }

    func run() throws {
        if let location {
            let reuse = KnowledgeBaseReuse(knowledgeBase: try location.open())
            if all {
                try writeAll(reuse)
                return
            }
            guard let doc, let report = try reuse.report(forDocument: doc) else {
                FileHandle.standardError.write(Data("\(location): error: no document with the key \(doc ?? "")\n".utf8))
                throw ExitCode(1)
            }
            try write(report)
            return
        }
        let (source, target) = (files[0], files[1])
        let sourceDocument = try Self.load(source)
        let targetDocument = try Self.load(target)
        try write(ReuseReport.compare(target: targetDocument, targetKey: target, source: sourceDocument, sourceKey: source))
    }

    /// `--all`: one row a pair of documents with reused text, largest share first.
    private func writeAll(_ reuse: KnowledgeBaseReuse) throws {
        let documents = try reuse.knowledgeBase.documents()
        var shares: [ReuseShare] = []
        for (number, document) in documents.enumerated() {
            if isatty(STDERR_FILENO) == 1 {
                FileHandle.standardError.write(Data("\r\(number + 1)/\(documents.count) \(document.key)\u{1B}[K".utf8))
            }
            shares += try reuse.report(forDocument: document.key)?.shares.filter { $0.paragraphs > 0 } ?? []
        }
        if isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        shares.sort { ($0.share, $0.target, $0.source) > ($1.share, $1.target, $1.source) }
        switch json ? .json : format {
        case .json:
            struct All: Encodable { var documents: Int; var shares: [ReuseShare] }
            try printJSON(All(documents: documents.count, shares: shares))
        case .text, .html:
            print("share\tparagraphs\ttarget\tsource")
            for share in shares {
                print(String(format: "%.1f%%", share.share * 100) + "\t\(share.paragraphs)\t\(share.target)\t\(share.source)")
            }
        }
    }

    private func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        FileHandle.standardOutput.write(try encoder.encode(value))
        print()
    }

    private func write(_ report: ReuseReport) throws {
        switch json ? .json : format {
        case .text: print(ReuseTextRenderer.render(report), terminator: "")
        case .html: print(ReuseHTMLRenderer.render(report), terminator: "")
        case .json: try printJSON(report)
        }
    }

    static func load(_ path: String) throws -> PlanDocument {
        do {
            guard let document = try DocumentLoader.load(contentsOf: URL(fileURLWithPath: path), stages: .treeOnly).first
            else { throw IngestError.empty }
            return document
        } catch {
            FileHandle.standardError.write(Data("\(path): error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
