import ArgumentParser
import Foundation
import PlanIndex

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Search a knowledge base: paragraphs, clauses and headings that match, best first.",
        discussion: """
        Query language:
          金融 港 电商           terms; Chinese matches anywhere as a contiguous string (电商 in 跨境电商),
                                Latin letters and digits as whole words (RCEP, 5G, 2025); full-width and
                                letter case do not matter
          "自由贸易 试验区"       a phrase: its words side by side in this order (“…” works too)
          A B, A AND B          both;   A OR B   either;   A NOT B, A -B   A without B;   ( … ) groups
        Operators are AND, OR, NOT in capitals. Malformed queries are reported with their column.

        Each hit shows its document, node id, path (第五章 … › 第四节 … › 段2), a snippet with the match
        marked, the BM25 score (headings and lead sentences weigh more) and the node's records.
        --count-by counts hits per document, publication year, issuer or chapter instead.

        Output: a table (default), --json (schemas/query-hit.schema.json) or --csv (UTF-8 with BOM).

        Examples:
          plankb query 跨境电商 --db kb.sqlite
          plankb query '金融 -贸易' --db kb.sqlite --kind paragraph --limit 5
          plankb query 营商环境 --db kb.sqlite --count-by doc
          plankb query 目标 --db kb.sqlite --type target --from 2021 --to 2025 --json
        """
    )

    @Argument(help: "The query (quote it for the shell when it has spaces).")
    var query: String

    @OptionGroup var filters: SearchFilterOptions

    @Option(help: "Count hits per doc, year, issuer or chapter instead of listing them.")
    var countBy: String?

    @Option(help: "Output format: table, json or csv.")
    var format: OutputFormat = .table

    @Flag(help: "Same as --format json.")
    var json = false

    @Flag(help: "Same as --format csv.")
    var csv = false

    @Option(help: "How many hits to show.")
    var limit = 20

    @Option(help: "How many hits to skip (for paging).")
    var offset = 0

    func validate() throws {
        if json && csv { throw ValidationError("give either --json or --csv") }
        if limit < 0 || offset < 0 { throw ValidationError("--limit and --offset cannot be negative") }
        if let countBy, CountDimension(rawValue: countBy) == nil {
            throw ValidationError("--count-by must be one of: " + CountDimension.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    func run() throws {
        let parsed = try SearchFilterOptions.parse(query)
        let knowledgeBase = try KnowledgeBaseFile.open(filters.db)
        let request = filters.request(for: parsed, limit: limit, offset: offset)
        let format: OutputFormat = json ? .json : csv ? .csv : self.format
        if let countBy = countBy.flatMap(CountDimension.init(rawValue:)) {
            let rows = try knowledgeBase.count(request, by: countBy)
            printOut(QueryOutput.counts(rows, dimension: countBy, query: query, format: format))
        } else {
            let hits = try knowledgeBase.search(request)
            printOut(QueryOutput.hits(hits, query: query, format: format))
        }
    }
}

/// Renders hits and counts as a table, JSON or CSV.
enum QueryOutput {
    static func hits(_ hits: [SearchHit], query: String, format: OutputFormat) -> String {
        switch format {
        case .json:
            return encodeJSON(HitsOutput(query: query, hits: hits.map(JSONHit.init)))
        case .csv:
            return CSV.byteOrderMark + CSV.row(["rank", "score", "document", "doc_key", "node_id", "kind", "path", "snippet", "records"])
                + hits.enumerated().map { index, hit in
                    CSV.row([String(index + 1), String(format: "%.3f", hit.score), hit.documentTitle, hit.documentKey,
                             hit.nodeID, hit.kind, hit.path, hit.snippet.rendered(open: "«", close: "»"),
                             hit.records.map { "\($0.type)\($0.year.map { " \($0)" } ?? "")" }.joined(separator: "; ")])
                }.joined()
        case .table:
            guard !hits.isEmpty else { return "no hits\n" }
            let (open, close) = standardOutputIsTerminal ? ("\u{1B}[7m", "\u{1B}[0m") : ("«", "»")
            var output = ""
            for (index, hit) in hits.enumerated() {
                let header = DisplayWidth.fit(String(index + 1), 3, alignRight: true) + "  "
                    + String(format: "%6.2f", hit.score) + "  " + DisplayWidth.fit(hit.documentTitle, 36) + "  " + hit.nodeID
                output += header + "\n"
                output += "     " + shortenedPath(hit.path) + "\n"
                output += "     " + hit.snippet.rendered(open: open, close: close).replacingOccurrences(of: "\n", with: " ") + "\n"
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

    /// Each heading in a path cut to its label and a few characters, so that the last steps stay visible.
    static func shortenedPath(_ path: String) -> String {
        let steps = path.components(separatedBy: " › ")
        return steps.enumerated().map { index, step in
            index == steps.count - 1 ? DisplayWidth.fit(step, 40).trimmingCharacters(in: .whitespaces)
                : DisplayWidth.fit(step, 24).trimmingCharacters(in: .whitespaces)
        }.joined(separator: " › ")
    }

    struct HitsOutput: Encodable {
        var query: String
        var hits: [JSONHit]
    }

    struct CountsOutput: Encodable {
        var query: String
        var countBy: String
        var counts: [CountRow]
    }

    /// A hit as JSON: the snippet as text with «» marks and as offsets (schemas/query-hit.schema.json).
    struct JSONHit: Encodable {
        var documentKey: String
        var documentTitle: String
        var issuer: String?
        var date: String?
        var source: String
        var nodeID: String
        var kind: String
        var path: String
        var score: Double
        var snippet: String
        var marks: [[Int]]
        var records: [JSONRecord]

        init(_ hit: SearchHit) {
            documentKey = hit.documentKey
            documentTitle = hit.documentTitle
            issuer = hit.issuer
            date = hit.date
            source = hit.source
            nodeID = hit.nodeID
            kind = hit.kind
            path = hit.path
            score = (hit.score * 1000).rounded() / 1000
            snippet = hit.snippet.rendered(open: "«", close: "»")
            marks = hit.snippet.marks.map { [$0.lowerBound, $0.upperBound - $0.lowerBound] }
            records = hit.records.map(JSONRecord.init)
        }
    }

    /// A record as JSON: where it is, its type and year, and the record itself (as the extractor wrote it).
    struct JSONRecord: Encodable {
        var nodeID: String
        var type: String
        var year: Int?
        var record: JSONFragment

        init(_ record: IndexedRecord) {
            nodeID = record.nodeID
            type = record.type
            year = record.year
            self.record = JSONFragment(text: record.json)
        }
    }

    /// Already-encoded JSON, embedded as a value (or as a string if it does not parse).
    struct JSONFragment: Encodable {
        var text: String
        func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            if let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) {
                try container.encode(value)
            } else {
                try container.encode(text)
            }
        }
    }

    static func encodeJSON(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self) + "\n"
    }
}

/// Any JSON value, for passing records through without knowing their fields.
enum JSONValue: Codable {
    case null, bool(Bool), integer(Int64), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
