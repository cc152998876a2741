import ArgumentParser
import Foundation
import PlanCommandLine
import PlanIndex

struct KwicCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kwic",
        abstract: "Keyword in context: every occurrence of a term with the text on either side, aligned.",
        discussion: HelpText.reflow("""
        Finds the term or phrase like plankb query, then prints each occurrence as left context │ term │ right context, with the term in one column (a Han character counts two columns). Takes the same filters as query. Output: a table (default), --json or --csv.

        Examples:
          plankb kwic 跨境电商 --db kb.sqlite
          plankb kwic 营商环境 --db kb.sqlite --width 24 --doc 沈阳
        """)
    ).underPlanKB

    @Argument(help: "The term or phrase.")
    var term: String

    @OptionGroup var filters: SearchFilterOptions

    @Option(help: "Columns of context on each side.")
    var width = 30

    @Option(help: "How many lines to print at most.")
    var limit = 100

    @OptionGroup var output: OutputFormatOptions

    func validate() throws {
        // A limit below 1 said "no hits"; a width below 1 printed lines without their context.
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
        if width < 1 { throw ValidationError("--width must be at least 1") }
    }

    struct Line: Encodable {
        var documentKey: String
        var nodeID: String
        /// The page the node starts on, where the source has pages.
        var page: Int?
        var left: String
        var match: String
        var right: String
    }

    func run() throws {
        let query = try SearchFilterOptions.parse(term)
        let knowledgeBase = try filters.database.open()
        // More nodes than lines are fetched: a node can hold the term several times, and lines are cut at `limit`.
        let request = filters.request(for: query, limit: limit, offset: 0)
        let hits = try knowledgeBase.search(request)
        let highlighter = Highlighter()
        var lines: [Line] = []
        for hit in hits {
            let text = try knowledgeBase.nodeText(documentKey: hit.documentKey, nodeID: hit.nodeID) ?? hit.snippet.text
            let characters = Array(DisplayWidth.oneLine(text))
            for mark in highlighter.matches(of: query.positiveStrings, in: text) where lines.count < limit {
                lines.append(Line(documentKey: hit.documentKey, nodeID: hit.nodeID, page: hit.startPage,
                                  left: DisplayWidth.tail(String(characters[..<mark.lowerBound]), width),
                                  match: String(characters[mark]),
                                  right: String(characters[mark.upperBound...])))
            }
        }
        if lines.isEmpty { try noteUnmatchedFilters(of: request, in: knowledgeBase) }
        switch output.resolved {
        case .json:
            printOut(QueryOutput.encodeJSON(lines))
        case .csv:
            printOut(CSV.byteOrderMark + CSV.row(["doc_key", "node_id", "page", "left", "match", "right"])
                     + lines.map { CSV.row([$0.documentKey, $0.nodeID, $0.page.map(String.init) ?? "", $0.left, $0.match, String($0.right.prefix(width))]) }.joined())
        case .table:
            guard !lines.isEmpty else { printOut("no hits\n"); return }
            let matchWidth = lines.map { DisplayWidth.of($0.match) }.max() ?? 0
            var output = ""
            for line in lines {
                output += DisplayWidth.fit(line.left, width, alignRight: true) + " │ "
                    + DisplayWidth.fit(line.match, matchWidth) + " │ "
                    + DisplayWidth.fit(line.right, width) + "  " + line.documentKey + " " + line.nodeID
                    + (line.page.map { " p. \($0)" } ?? "") + "\n"
            }
            printOut(output)
        }
    }
}
