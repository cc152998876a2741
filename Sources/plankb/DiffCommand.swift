import ArgumentParser
import Foundation
import PlanCommandLine
import PlanIngest
import PlanKit

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare versions of a document: typed changes to chapters, sections, articles and paragraphs.",
        discussion: HelpText.reflow("""
        Aligns the two trees by content, not by number: an article renumbered by
        an amendment, its text unchanged, is renumbered, not removed and added.
        Change kinds: added, removed, modified, moved, renumbered, split, merged,
        retitled, format-only, metadata. Inside a changed node Chinese is
        compared character by character, Latin words and numbers as whole tokens.

        Formats:
          text   a report for a terminal (coloured when it is one)
          json   schemas/diff.schema.json; more than two files: {"reports": […]}
          html   one self-contained 修订对照表: old and new side by side,
                 changes marked, contents by chapter

        --records also reports targets, achievements and measures added,
        removed or changed ("可网办率 target 2025: 100% → 不低于95%").
        With more than two files each consecutive pair is compared; --history ID
        follows one node (art_12, chp_2__sec_3) through all the versions.

        Exit status: 0 on success, 1 on unreadable input, 2 on usage errors.

        Examples:
          plankb diff company-law-2018.md company-law-2023.md
          plankb diff old.md new.md --format html > 对照表.html
          plankb diff 1997.txt 2007.txt 2013.txt --history art_17
        """)
    ).underPlanKB

    enum Format: String, EnumeratedOption {
        case text, json, html
    }

    @Argument(help: "Two or more versions of a document, oldest first.")
    var files: [String]

    @Option(name: .shortAndLong, help: "Output format.")
    var format: Format = .text

    @Flag(name: .long, help: "Leave out changes of punctuation width and white space.")
    var ignoreFormat = false

    @Option(name: .long, help: "Follow the node with this id through all versions instead of listing every change.")
    var history: String?

    @Flag(name: .long, help: "No colours in the text report even on a terminal.")
    var noColor = false

    @Flag(name: .long, help: "Also extract records and report changed targets, achievements and measures (slower).")
    var records = false

    @Flag(name: .long, help: "Print on standard error how long loading and comparing took.")
    var timing = false

    func validate() throws {
        guard files.count >= 2 else { throw ValidationError("Give at least two versions to compare.") }
    }

    func run() throws {
        let clock = ContinuousClock()
        let started = clock.now
        var documents: [PlanDocument] = []
        for file in files {
            do {
                // Extraction is the costliest stage; it runs only when record changes are asked for.
                let stages: DocumentLoader.Stages = records ? .all : .treeOnly
                guard let document = try DocumentLoader.load(contentsOf: URL(fileURLWithPath: file), stages: stages).first else {
                    throw IngestError.empty
                }
                documents.append(document)
            } catch {
                FileHandle.standardError.write(Data("\(file): error: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        let options = DiffOptions(ignoreFormat: ignoreFormat)
        let colored = !noColor && isatty(STDOUT_FILENO) == 1

        if let id = history {
            let steps = DocumentDiff.history(ofNodeWithID: id, through: documents)
            switch format {
            case .json: try write(HistoryOutput(id: id, versions: steps))
            case .text, .html: print(DiffTextRenderer.render(history: steps, id: id, colored: colored), terminator: "")
            }
            return
        }

        let loaded = clock.now
        let reports = zip(documents, documents.dropFirst()).map { DocumentDiff.compare($0, $1, options: options) }
        if timing {
            let compared = clock.now
            FileHandle.standardError.write(Data(("load \(milliseconds(loaded - started)) ms"
                + (records ? " (with record extraction)" : "") + ", compare \(milliseconds(compared - loaded)) ms\n").utf8))
        }
        switch format {
        case .json:
            if reports.count == 1 { try write(reports[0]) } else { try write(ReportsOutput(reports: reports)) }
        case .text:
            print(reports.map { DiffTextRenderer.render($0, colored: colored) }.joined(separator: "\n"), terminator: "")
        case .html:
            print(DiffHTMLRenderer.render(reports), terminator: "")
        }
    }

    private func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.1f", Double(seconds) * 1000 + Double(attoseconds) / 1e15)
    }

    private func write<Value: Encodable>(_ value: Value) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        FileHandle.standardOutput.write(try encoder.encode(value))
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    /// The JSON of more than two versions: one report per consecutive pair.
    struct ReportsOutput: Encodable {
        var reports: [DiffReport]
    }

    /// The JSON of `--history`.
    struct HistoryOutput: Encodable {
        var id: String
        var versions: [HistoryStep]
    }
}
