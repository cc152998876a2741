import ArgumentParser
import Foundation
import PlanCommandLine
import PlanIndex
import PlanKit

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Search a knowledge base: paragraphs, clauses and headings that match, best first.",
        discussion: HelpText.reflow("""
        Query language:
          金融 港 电商      Chinese terms match as contiguous strings
                            anywhere (电商 inside 跨境电商)
          RCEP 5G 2025      Latin letters and digits match whole words;
                            full-width and case do not matter
          "自贸 试验区"     a phrase: its words side by side (“…” too)
          A B, A AND B      both;  A OR B  either
          A NOT B, A -B     A without B;  ( … ) groups
        AND, OR and NOT are operators only in capitals.

        Each hit shows its document, node id, path (第五章 … › 第四节 … › 段2),
        a snippet with the match marked, the BM25 score (headings and lead sentences weigh more) and the node's records. --count-by counts hits per document, publication year, issuer or chapter instead. A malformed query is reported with its column (exit status 2).

        Output: a table (default), --json (schemas/query-hit.schema.json) or --csv (UTF-8 with BOM).

        Examples:
          plankb query 跨境电商 --db kb.sqlite
          plankb query '金融 -贸易' --db kb.sqlite --kind article --limit 5
          plankb query 营商环境 --db kb.sqlite --count-by doc
          plankb query 就业 --db kb.sqlite --type target --from 2025 --to 2025 --json
        """)
    ).underPlanKB

    @Argument(help: "The query (quote it for the shell when it has spaces).")
    var query: String

    @OptionGroup var filters: SearchFilterOptions

    @Option(help: "Count hits per document, publication year, issuer or chapter instead of listing them.")
    var countBy: CountDimension?

    @OptionGroup var output: OutputFormatOptions

    @Option(help: "How many hits to show.")
    var limit = 20

    @Option(help: "How many hits to skip (for paging).")
    var offset = 0

    func validate() throws {
        // --limit 0 said "no hits" of a term with thousands.
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
        if offset < 0 { throw ValidationError("--offset cannot be negative") }
    }

    func run() throws {
        let parsed = try SearchFilterOptions.parse(query)
        let knowledgeBase = try filters.database.open()
        let request = filters.request(for: parsed, limit: limit, offset: offset)
        let format = output.resolved
        if let countBy {
            let rows = try knowledgeBase.count(request, by: countBy)
            printOut(QueryOutput.counts(rows, dimension: countBy, query: query, format: format))
        } else {
            let hits = try knowledgeBase.searchExpandingAbbreviations(request)
            printOut(QueryOutput.hits(hits, query: query, format: format, firstRank: offset + 1))
            if hits.isEmpty { try noteUnmatchedFilters(of: request, in: knowledgeBase) }
        }
    }
}

/// Renders hits and counts as a table, JSON or CSV.
enum QueryOutput {
    /// `firstRank`: the rank of the first hit (1 + --offset), so that a later page goes on counting.
    static func hits(_ hits: [SearchHit], query: String, format: OutputFormat, firstRank: Int = 1) -> String {
        switch format {
        case .json:
            return HitsJSON.encode(HitsJSON(query: query, hits: hits))
        case .csv:
            return CSV.byteOrderMark + CSV.row(["rank", "score", "document", "doc_key", "node_id", "kind", "path", "pages", "snippet", "records"])
                + hits.enumerated().map { index, hit in
                    CSV.row([String(firstRank + index), FixedPoint.format(hit.score, decimals: 3), hit.documentTitle, hit.documentKey,
                             hit.nodeID, hit.kind, hit.path, Self.pages(of: hit), hit.snippet.rendered(open: "«", close: "»"),
                             hit.records.map { "\($0.type)\($0.year.map { " \($0)" } ?? "")" }.joined(separator: "; ")])
                }.joined()
        case .table:
            guard !hits.isEmpty else { return "no hits\n" }
            let (open, close) = standardOutputIsTerminal ? ("\u{1B}[7m", "\u{1B}[0m") : ("«", "»")
            var output = ""
            for (index, hit) in hits.enumerated() {
                let header = DisplayWidth.fit(String(firstRank + index), 3, alignRight: true) + "  "
                    + FixedPoint.format(hit.score, decimals: 2, width: 6) + "  " + DisplayWidth.fit(hit.documentTitle, 36) + "  " + hit.nodeID
                    // The file too: one plan is often held as its web page, its PDF and its Word file at once.
                    + "  " + Self.fileName(hit.documentKey)
                    + (hit.pageCitation.map { "  " + $0 } ?? "")
                output += header + "\n"
                output += "     " + shortenedPath(hit.path) + "\n"
                output += "     " + DisplayWidth.oneLine(hit.snippet.rendered(open: open, close: close)) + "\n"
                if let match = hit.matchedThroughAbbreviation {
                    output += "     via abbreviation: \(match.short) = \(match.full)\n"
                }
                if !hit.records.isEmpty {
                    output += "     records: " + hit.records.map { "\($0.type)\($0.year.map { " \($0)" } ?? "")" }
                        .joined(separator: ", ") + "\n"
                }
                output += "\n"
            }
            return output
        }
    }

    static func counts(_ rows: [CountRow], dimension: CountDimension, query: String, format: OutputFormat) -> String {
        switch format {
        case .json:
            return encodeJSON(CountsOutput(query: query, countBy: dimension.rawValue, counts: rows))
        case .csv:
            return CSV.byteOrderMark + CSV.row([dimension.rawValue, "hits", "documents"])
                + rows.map { CSV.row([$0.key, String($0.hits), String($0.documents)]) }.joined()
        case .table:
            guard !rows.isEmpty else { return "no hits\n" }
            let keyWidth = min(70, max(DisplayWidth.of(dimension.rawValue), rows.map { DisplayWidth.of($0.key) }.max() ?? 0))
            var output = DisplayWidth.fit(dimension.rawValue, keyWidth) + "  " + DisplayWidth.fit("hits", 7, alignRight: true)
                + "  " + DisplayWidth.fit("docs", 5, alignRight: true) + "\n"
            for row in rows {
                output += DisplayWidth.fit(row.key, keyWidth) + "  " + DisplayWidth.fit(String(row.hits), 7, alignRight: true)
                    + "  " + DisplayWidth.fit(String(row.documents), 5, alignRight: true) + "\n"
            }
            let total = rows.reduce(0) { $0 + $1.hits }
            output += DisplayWidth.fit("total", keyWidth) + "  " + DisplayWidth.fit(String(total), 7, alignRight: true) + "\n"
            return output
        }
    }

    /// The CSV's pages cell: `12`, `12-13`, or empty where the source has no pages.
    static func pages(of hit: SearchHit) -> String {
        guard let start = hit.startPage else { return "" }
        guard let end = hit.endPage, end != start else { return String(start) }
        return "\(start)-\(end)"
    }

    /// The last component of a document key (its file name).
    static func fileName(_ key: String) -> String {
        // Over the UTF-8: a slash is one byte, and no grapheme breaking is needed to find it.
        guard let slash = key.utf8.lastIndex(of: UInt8(ascii: "/")), key.utf8.index(after: slash) < key.utf8.endIndex else { return key }
        return String(key[key.utf8.index(after: slash)...])
    }

    /// Each heading in a path cut to its label and a few characters, so that the last steps stay visible.
    static func shortenedPath(_ path: String) -> String {
        let steps = PathSteps.split(path)
        return steps.enumerated().map { index, step in
            DisplayWidth.trimmingSpaces(DisplayWidth.fit(step, index == steps.count - 1 ? 40 : 24))
        }.joined(separator: " › ")
    }

    struct CountsOutput: Encodable {
        var query: String
        var countBy: String
        var counts: [CountRow]
    }

    static func encodeJSON(_ value: some Encodable) -> String { HitsJSON.encode(value) }
}
