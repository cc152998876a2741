import ArgumentParser
import Foundation
import PlanCommandLine
import PlanIndex
import PlanKit

/// The filters shared by `query` and `kwic`.
struct SearchFilterOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOption

    @Option(help: "Only this document: its key (source path), or part of its title or path.")
    var doc: String?

    @Option(help: "Only nodes holding a record of this type (in their own text or clauses).")
    var type: Record.RecordType?

    @Option(help: "Only nodes holding a record of this year.")
    var year: Int?

    @Option(help: "Only nodes holding a record of this year or later.")
    var from: Int?

    @Option(help: "Only nodes holding a record of this year or earlier.")
    var to: Int?

    @Option(help: "Only documents whose issuer (发文机关) has this text.")
    var issuer: String?

    @Option(help: "Only documents published on or after this date (YYYY, YYYY-MM or YYYY-MM-DD).")
    var publishedAfter: String?

    @Option(help: "Only documents published on or before this date (YYYY, YYYY-MM or YYYY-MM-DD).")
    var publishedBefore: String?

    @Option(help: ArgumentHelp("Only nodes of these kinds or inside one; repeat or separate with commas.", valueName: "kind"))
    var kind: [CommaList<NodeKind>] = []

    func validate() throws {
        if year != nil && (from != nil || to != nil) {
            throw ValidationError("give either --year or --from/--to, not both")
        }
        if let from, let to, from > to { throw ValidationError("--from \(from) is after --to \(to)") }
        for (option, date) in [("--published-after", publishedAfter), ("--published-before", publishedBefore)] {
            if let date, PublicationDate(date) == nil {
                throw ValidationError("\(option) \(date) is no date; give \(PublicationDate.forms)")
            }
        }
    }

    private var kinds: [NodeKind] { kind.flatMap(\.elements) }

    /// A request for `query` with these filters.
    func request(for query: SearchQuery, limit: Int, offset: Int) -> SearchRequest {
        var years: ClosedRange<Int>?
        if let year { years = year...year }
        if from != nil || to != nil { years = (from ?? Int.min)...(to ?? Int.max) }
        return SearchRequest(
            query: query, document: doc, recordType: type, recordYears: years, issuer: issuer,
            publishedAfter: publishedAfter.flatMap(PublicationDate.init),
            publishedBefore: publishedBefore.flatMap(PublicationDate.init),
            kinds: kinds, limit: limit, offset: offset)
    }

    /// Parses the query text, turning a syntax error into a usage error that shows where it is.
    static func parse(_ text: String) throws -> SearchQuery {
        do {
            return try SearchQuery(parsing: text)
        } catch {
            let caretIndent = String(repeating: " ", count: DisplayWidth.of(String(text.prefix(max(0, error.column - 1)))))
            // A query error is the user's input, not the command line's: no usage text after it, exit status 2.
            FileHandle.standardError.write(Data("plankb: \(error)\n  \(text)\n  \(caretIndent)^\n".utf8))
            throw ExitCode(2)
        }
    }
}

/// Output formats of `query` and `kwic`.
enum OutputFormat: String, EnumeratedOption {
    case table, json, csv
}

/// `--format table|json|csv` with `--json` and `--csv` as its short forms, for every command that prints rows.
struct OutputFormatOptions: ParsableArguments {
    @Option(help: "Output format.")
    var format: OutputFormat = .table

    @Flag(help: "Same as --format json.")
    var json = false

    @Flag(help: "Same as --format csv (UTF-8 with a byte-order mark, opens in a spreadsheet).")
    var csv = false

    func validate() throws {
        if json && csv { throw ValidationError("give either --json or --csv") }
    }

    /// The format asked for.
    var resolved: OutputFormat { json ? .json : csv ? .csv : format }
}

/// RFC 4180 CSV, with a UTF-8 byte order mark so that spreadsheet programs read the Chinese correctly.
enum CSV {
    static let byteOrderMark = "\u{FEFF}"

    static func row(_ fields: [String]) -> String {
        fields.map { field in
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + field.replacingScalars(["\"": "\"\""]) + "\"" : field
        }.joined(separator: ",") + "\r\n"
    }
}

/// After a search without hits, a note on standard error for each document filter that matches no document
/// (a misspelt `--doc` looks like a term the documents do not hold); the output itself stays as it was.
func noteUnmatchedFilters(of request: SearchRequest, in knowledgeBase: any KnowledgeBase) throws {
    for reason in try knowledgeBase.unmatchedDocumentFilters(of: request) {
        FileHandle.standardError.write(Data("plankb: note: \(reason)\n".utf8))
    }
}

/// Writes text to standard output: its UTF-8 bytes as they are, without copying them into `Data` (whose
/// generic initialiser cost each query command a scan of the runtime's protocol conformances), and without
/// trapping when the reader has gone (`plankb query … | head`).
func printOut(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
        var rest = UnsafeRawBufferPointer(bytes)
        while !rest.isEmpty {
            let written = write(1, rest.baseAddress, rest.count)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            rest = UnsafeRawBufferPointer(rebasing: rest[written...])
        }
    }
}

/// Whether standard output is a terminal (for marking matches with reverse video instead of «»).
var standardOutputIsTerminal: Bool { isatty(1) == 1 }
