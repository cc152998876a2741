import ArgumentParser
import Foundation
import PlanCommandLine
import PlanIndex

/// `--doc`, `--issuer`, `--from`/`--to` as `terms` and `cooccur` take them (documents, not hits).
struct StatisticsFilterOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOption

    @Option(help: "Only this document: its key, or part of its title or source path.")
    var doc: String?

    @Option(help: "Only documents whose issuer contains this.")
    var issuer: String?

    @Option(help: "Only documents published in this year or later.")
    var from: Int?

    @Option(help: "Only documents published in this year or earlier.")
    var to: Int?

    @Option(help: ArgumentHelp("A stop list replacing the default (one word a line, # comments; --show-stop-list prints the default).", valueName: "file"))
    var stopList: String?

    var filter: TermStatistics.Filter {
        let years: ClosedRange<Int>? = from == nil && to == nil ? nil : (from ?? Int.min)...(to ?? Int.max)
        return TermStatistics.Filter(document: doc, issuer: issuer, years: years)
    }

    func statistics() throws -> TermStatistics {
        try TermStatistics(knowledgeBase: try database.open(), filter: filter)
    }

    func stops() throws -> StopList {
        guard let stopList else { return .standard }
        guard let data = FileManager.default.contents(atPath: stopList) else {
            throw ValidationError("the stop list \(stopList) cannot be read")
        }
        return StopList(text: String(decoding: data, as: UTF8.self))
    }

    func validate() throws {
        if let from, let to, from > to { throw ValidationError("--from is after --to") }
    }
}

struct TermsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terms",
        abstract: "Count every occurrence of terms in a knowledge base, by document, year, issuer or chapter.",
        discussion: HelpText.reflow("""
        Counts with the matching of plankb query (电商 counts inside 跨境电商; never across punctuation),
        every occurrence rather than every hit, in the text the index holds. Each row has the term, the group
        (doc is the document key), the count and the characters of text in the group; --per N adds the rate
        per N characters. Without terms, --top N lists the most frequent words (the index's two-character
        pieces and Latin words, less a stop list) in each group. JSON: schemas/term-count.schema.json.

        Examples:
          plankb terms 营商环境 跨境电商 --db kb.sqlite --by year --per 10000
          plankb terms 人才 --db kb.sqlite --by doc --csv > 人才.csv
          plankb terms --top 20 --db kb.sqlite --issuer 国务院
        """)
    ).underPlanKB

    @Argument(help: "The terms to count.")
    var terms: [String] = []

    @OptionGroup var filters: StatisticsFilterOptions

    @Option(help: "Group by doc, year, issuer or chapter (default: one row per term).")
    var by: CountDimension?

    @Option(help: "Add the rate per this many characters of text.")
    var per: Int?

    @Option(help: "Without terms: the N most frequent words in each group.")
    var top: Int?

    @OptionGroup var output: OutputFormatOptions

    @Flag(help: "Print the default stop list and stop.")
    var showStopList = false

    func validate() throws {
        if showStopList { return }
        if terms.isEmpty && top == nil { throw ValidationError("Name terms to count, or ask for --top N.") }
        if !terms.isEmpty && top != nil { throw ValidationError("--top lists words of its own; give it no terms.") }
        if let top, top < 1 { throw ValidationError("--top must be at least 1") }
        if let per, per < 1 { throw ValidationError("--per must be at least 1") }
    }

    func run() throws {
        if showStopList {
            printOut(StopList.standardText + "\n")
            return
        }
        let statistics = try filters.statistics()
        let stopList = try filters.stops()
        let rows = top.map { statistics.top($0, by: by, stopList: stopList) } ?? statistics.count(terms, by: by)
        printOut(Self.render(rows, dimension: by, per: per, format: output.resolved))
    }

    static func render(_ rows: [TermStatistics.Row], dimension: CountDimension?, per: Int?, format: OutputFormat) -> String {
        func rate(_ row: TermStatistics.Row) -> Double? {
            per.map { row.chars == 0 ? 0 : Double(row.count) * Double($0) / Double(row.chars) }
        }
        func number(_ value: Double) -> String { String(format: "%.3f", value) }
        let groupName = dimension?.rawValue
        if format == .json {
            let objects: [[String: Any]] = rows.map { row in
                var object: [String: Any] = ["term": row.term, "count": row.count, "chars": row.chars]
                if let groupName, let group = row.group {
                    object[groupName] = dimension == .year ? (Int(group).map { $0 as Any } ?? group) : group
                }
                if let per, let rate = rate(row) {
                    object["per"] = per
                    object["rate"] = (rate * 1000).rounded() / 1000
                }
                return object
            }
            let data = try! JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted])
            return String(decoding: data, as: UTF8.self) + "\n"
        }
        let header = ["term"] + (groupName.map { [$0] } ?? []) + ["count", "chars"] + (per.map { ["per \($0)"] } ?? [])
        let lines = rows.map { row in
            [row.term] + (groupName != nil ? [row.group ?? ""] : []) + [String(row.count), String(row.chars)]
                + (rate(row).map { [number($0)] } ?? [])
        }
        if format == .csv { return CSV.byteOrderMark + ([header] + lines).map(CSV.row).joined() }
        return Table.render([header] + lines, rightAligned: Set(((groupName == nil ? 1 : 2))..<header.count))
    }
}

struct CooccurCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cooccur",
        abstract: "The words that occur in the same clause as a term, with counts and PMI.",
        discussion: HelpText.reflow("""
        Clauses are cut as the segmenter cuts them (at 。；！？ outside quotes and brackets). For each word (the
        index's two-character pieces and Latin words, less the stop list; none overlapping the term itself):
        the clauses holding both, the clauses holding the word, and PMI = log2(P(term, word) / (P(term)·P(word)))
        over clauses. Most frequent first. JSON: schemas/cooccurrence.schema.json.

        Examples:
          plankb cooccur 人才 --db kb.sqlite --limit 20
          plankb cooccur 跨境电商 --db kb.sqlite --min-count 3 --json
        """)
    ).underPlanKB

    @Argument(help: "The term.")
    var term: String

    @OptionGroup var filters: StatisticsFilterOptions

    @Option(help: "Leave out words found with the term in fewer clauses than this.")
    var minCount = 2

    @Option(help: "How many words to list.")
    var limit = 30

    @OptionGroup var output: OutputFormatOptions

    func run() throws {
        let rows = Array(try filters.statistics().cooccurring(with: term, minimumCount: minCount, stopList: try filters.stops())
            .prefix(limit))
        if output.resolved == .json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
            printOut(String(decoding: try encoder.encode(rows), as: UTF8.self) + "\n")
            return
        }
        let header = ["word", "together", "word clauses", "PMI"]
        let lines = rows.map { [$0.word, String($0.count), String($0.wordClauses), String(format: "%.2f", $0.pmi)] }
        if output.resolved == .csv {
            printOut(CSV.byteOrderMark + ([["term", "word", "count", "wordClauses", "termClauses", "clauses", "pmi"]]
                + rows.map { [$0.term, $0.word, String($0.count), String($0.wordClauses), String($0.termClauses),
                              String($0.clauses), String(format: "%.4f", $0.pmi)] }).map(CSV.row).joined())
            return
        }
        let first = rows.first
        printOut("\(term): \(first?.termClauses ?? 0) of \(first?.clauses ?? 0) clauses\n"
            + Table.render([header] + lines, rightAligned: [1, 2, 3]))
    }
}

/// Columns aligned for a terminal (Han characters two columns wide).
enum Table {
    static func render(_ lines: [[String]], rightAligned: Set<Int>) -> String {
        guard let first = lines.first else { return "" }
        let widths = first.indices.map { column in lines.map { DisplayWidth.of($0[column]) }.max() ?? 0 }
        return lines.map { line in
            line.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - DisplayWidth.of(cell))
                return rightAligned.contains(column) ? padding + cell : (column == line.count - 1 ? cell : cell + padding)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
