import ArgumentParser
import Foundation
import PlanCommandLine
import PlanIngest
import PlanKit

struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse one document into its tree of headings, paragraphs and clauses.",
        discussion: HelpText.reflow("""
        Reads one file, or standard input (-), in any of these formats, recognised from its content (text in
        UTF-8, GB18030/GBK/GB2312 or UTF-16):
        \(DocumentReaders.formatTable)
        Problems found on the way are printed to standard error as path:line:column: severity: message (id).

        Formats:
          json      {"metadata": …, "root": …, "diagnostics": […]} (schemas/document.schema.json);
                    a JSON Lines input gives one such object a line
          tree      an indented outline with ids and spans (line:column-line:column)
          markdown  headings with ids as anchors, metadata as front matter
          text      the body as plain text, without the site around it

        Exit status: 0 on success, 1 on unreadable input or error-level diagnostics, 2 on usage errors.

        Examples:
          plankb parse corpus/plans/shenyang-ftz-plan-2021.txt --format tree
          plankb parse corpus/govcn-2019/01.html | jq .metadata
          curl -s URL | plankb parse - --format text
        """)
    ).underPlanKB

    enum Format: String, EnumeratedOption {
        case json, tree, markdown, text
    }

    @Argument(help: "The document to parse, or - for standard input.")
    var file: String

    @Option(name: .shortAndLong, help: "Output format.")
    var format: Format = .json

    @Flag(name: .long, help: "In the tree, leave out lead sentences and clauses (paragraphs show their clause count).")
    var noClauses = false

    @Flag(name: .shortAndLong, help: "Print no diagnostics on standard error.")
    var quiet = false

    func run() throws {
        let documents: [PlanDocument]
        let displayPath = file == "-" ? "<stdin>" : file
        // Records belong in the JSON; the other views show the tree alone.
        let stages: DocumentLoader.Stages = format == .json ? .all : .treeOnly
        do {
            if file == "-" {
                let data = FileHandle.standardInput.readDataToEndOfFile()
                documents = try DocumentLoader.load(data: data, source: "-", stages: stages)
            } else {
                documents = try DocumentLoader.load(contentsOf: URL(fileURLWithPath: file), stages: stages)
            }
        } catch {
            FileHandle.standardError.write(Data("\(displayPath): error: \(IngestError.message("\(error)", after: file))\n".utf8))
            throw ExitCode(1)
        }
        var output = ""
        for document in documents {
            switch format {
            case .json: output += try DocumentJSONExporter.encode(document, pretty: documents.count == 1) + "\n"
            case .tree: output += TreeDump.render(document, includeClauses: !noClauses)
            case .markdown: output += MarkdownRenderer.render(document)
            case .text: output += PlainTextRenderer.render(document)
            }
        }
        FileHandle.standardOutput.write(Data(output.utf8))
        if !quiet {
            for document in documents {
                let path = documents.count == 1 ? displayPath : (document.metadata.source ?? displayPath)
                for diagnostic in document.diagnostics where diagnostic.severity > .note {
                    FileHandle.standardError.write(Data((diagnostic.formatted(path: path) + "\n").utf8))
                }
            }
        }
        if documents.contains(where: { $0.worstSeverity == .error }) { throw ExitCode(1) }
    }
}
