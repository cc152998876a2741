import ArgumentParser
import Foundation
import PlanIndex
import PlanKit

/// The filters shared by `query` and `kwic`.
struct SearchFilterOptions: ParsableArguments {
    @OptionGroup var database: DatabaseOption

    @Option(help: "Only this document: its key (source path), or part of its title or path.")
    var doc: String?

    @Option(help: "Only nodes holding a record of this type.")
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
    }

    private var kinds: [NodeKind] { kind.flatMap(\.elements) }

    /// A request for `query` with these filters.
    func request(for query: SearchQuery, limit: Int, offset: Int) -> SearchRequest {
        var years: ClosedRange<Int>?
        if let year { years = year...year }
        if from != nil || to != nil { years = (from ?? Int.min)...(to ?? Int.max) }
        return SearchRequest(
            query: query, document: doc, recordType: type?.rawValue, recordYears: years, issuer: issuer,
            publishedAfter: publishedAfter, publishedBefore: publishedBefore.map(Self.endOfPeriod),
            kinds: kinds, limit: limit, offset: offset)
    }

    /// "2021" as an upper bound means the end of 2021: dates compare as text, and 2021-08-23 > 2021.
    static func endOfPeriod(_ date: String) -> String {
        switch date.count {
        case 4: date + "-12-31"
        case 7: date + "-31"
        default: date
        }
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

/// Columns a terminal gives a string: 2 for Han characters and other wide forms, 0 for combining marks.
/// Plain text (`PlainText.isPlain`: one scalar a character, nearly all policy text) is measured and cut over its
/// scalars, without grapheme breaking (`CharacterArray`).
enum DisplayWidth {
    static func of(_ text: String) -> Int {
        if PlainText.isPlain(text) { return text.unicodeScalars.reduce(0) { $0 + of(scalar: $1) } }
        return text.reduce(0) { $0 + of($1) }
    }

    static func of(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        return of(scalar: scalar)
    }

    /// The columns of a character that starts with this scalar.
    static func of(scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 { return 0 }
        if value < 0x300 { return 1 }   // ASCII and Latin: no combining marks before U+0300
        if value < 0x1100 { return scalar.properties.generalCategory == .nonspacingMark ? 0 : 1 }
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x20000...0x3FFFD:
            return 2
        default:
            return scalar.properties.generalCategory == .nonspacingMark ? 0 : 1
        }
    }

    /// `text` cut to at most `width` columns (with … when cut), then padded with spaces to exactly `width`.
    static func fit(_ text: String, _ width: Int, alignRight: Bool = false) -> String {
        var result = ""
        var used = 0
        let total = of(text)
        if total <= width {
            result = text
            used = total
        } else {
            // Cut over the text's characters (scalars when it is plain), as a slice of it.
            let characters = CharacterArray(text)
            var end = 0
            while end < characters.count {
                let w = of(scalar: characters.firstScalar(at: end))
                if used + w > width - 1 { break }
                used += w
                end += 1
            }
            result = characters.string(from: 0, to: end) + "…"
            used += 1
        }
        let padding = String(repeating: " ", count: max(0, width - used))
        return alignRight ? padding + result : result + padding
    }

    /// `text` on one line: each line feed a space.
    static func oneLine(_ text: String) -> String { text.replacingScalars(["\n": " "]) }

    /// `text` without the spaces and tabs at either end (CharacterSet.whitespaces: tab and the Zs spaces,
    /// U+3000 among them), without Foundation.
    static func trimmingSpaces(_ text: String) -> String {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar == " " || scalar == "\t" || (scalar.value > 0x7F && scalar.properties.generalCategory == .spaceSeparator)
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        return String(scalars[first...last])
    }

    /// The last `width` columns of `text` (for left contexts), cut at a character boundary.
    static func tail(_ text: String, _ width: Int) -> String {
        var result: [Character] = []
        var used = 0
        for character in text.reversed() {
            let w = of(character)
            if used + w > width { break }
            result.append(character)
            used += w
        }
        return String(result.reversed())
    }
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

/// Writes text to standard output.
func printOut(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// Whether standard output is a terminal (for marking matches with reverse video instead of «»).
var standardOutputIsTerminal: Bool { isatty(1) == 1 }
