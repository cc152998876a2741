import Foundation

/// 帮助排版 — a command's discussion laid out for the terminal that shows it.
///
/// The discussions are written as paragraphs, tables (`  json      the document as …`) and lists
/// (`1. …`), wrapped in the source at about 100 columns. ArgumentParser keeps every line break it is given
/// and cuts what is longer than the screen, so in an 80-column terminal each source line came out as a long
/// line and a stub. This joins the lines of each paragraph, table row and list item, and wraps them again
/// at the screen's width (COLUMNS, else the terminal's, else 80, as ArgumentParser decides) counting
/// Han characters as two columns, with the continuation of a row or item under its description. Lines
/// with no such shape (commands in examples, JSON) are left as they are.
public enum HelpText {
    /// A command's discussion, laid out, when this process was asked for help; empty otherwise. Help is the
    /// only place ArgumentParser shows a discussion, and parsing an ordinary command builds the configuration
    /// of every command listed before it, so none of them is built (or reflowed) for nothing.
    public static func reflow(_ text: @autoclosure () -> String) -> String {
        isRequested ? reflow(text(), width: screenWidth) : ""
    }

    /// Whether the command line asks for help: `-h`, `--help`, `help …`, ArgumentParser's help dump, or no
    /// arguments at all (the root then prints its help).
    public static let isRequested: Bool = {
        let arguments = CommandLine.arguments.dropFirst()
        return arguments.isEmpty || arguments.first == "help"
            || arguments.contains { ["-h", "--help", "--experimental-dump-help"].contains($0) }
    }()

    /// The width ArgumentParser wraps help to.
    public static var screenWidth: Int {
        if let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }

    /// `text` with its paragraphs, rows and items joined and wrapped to lines of fewer than `width` columns
    /// (ArgumentParser breaks a line of exactly its width once more).
    public static func reflow(_ text: String, width: Int) -> String {
        let limit = max(width - 1, 30)
        return blocks(of: text).flatMap { $0.lines(limit: limit) }.joined(separator: "\n")
    }

    /// A unit of layout: kept as written, or words to wrap after a lead-in, continued under `hang` columns.
    enum Block: Equatable {
        case verbatim(String)
        case flowing(lead: String, words: String, hang: Int)
        /// An example's shell command: too long, it is continued with ` \` on lines indented four more.
        case command(String)

        func lines(limit: Int) -> [String] {
            switch self {
            case .verbatim(let line):
                return [line]
            case .command(let line):
                guard DisplayWidth.of(line) > limit else { return [line] }
                let indent = String(line.prefix { $0 == " " })
                var lines: [String] = [], current = indent
                for word in line.dropFirst(indent.count).split(separator: " ") {
                    let continued = current.count > indent.count
                    if continued, DisplayWidth.of(current) + 1 + DisplayWidth.of(String(word)) + 2 > limit {
                        lines.append(current + " \\")
                        current = indent + "    "
                    } else if continued {
                        current += " "
                    }
                    current += word
                }
                lines.append(current)
                return lines
            case .flowing(let lead, let words, let hang):
                var lines: [String] = []
                var line = lead, used = DisplayWidth.of(lead), lineHasWords = false
                for word in HelpText.words(of: words) {
                    let wordWidth = DisplayWidth.of(word.text)
                    if lineHasWords && used + word.gap.count + wordWidth > limit {
                        lines.append(line)
                        line = String(repeating: " ", count: hang)
                        used = hang
                        lineHasWords = false
                    }
                    if lineHasWords { line += word.gap; used += word.gap.count }
                    line += word.text
                    used += wordWidth
                    lineHasWords = true
                }
                lines.append(line)
                return lines
            }
        }
    }

    /// The blocks of a discussion: blank lines and unshaped lines verbatim; a paragraph's lines joined;
    /// a table row or list item joined with the lines indented under its description.
    static func blocks(of text: String) -> [Block] {
        var blocks: [Block] = []
        for line in text.components(separatedBy: "\n") {
            let indent = line.prefix { $0 == " " }.count
            let content = line.dropFirst(indent)
            if content.isEmpty {
                blocks.append(.verbatim(""))
                continue
            }
            // A continuation: under the description of the row or item before, or more prose.
            if case .flowing(let lead, let words, let hang)? = blocks.last {
                let leadIndent = lead.prefix { $0 == " " }.count
                let continuesRow = hang > 0 && indent > leadIndent && indent >= hang - 2
                let continuesProse = hang == 0 && indent == 0 && !startsNewBlock(String(content))
                    && !words.hasSuffix(":")
                // An unindented list item (`1. …`) goes on over unindented lines until the next item.
                let marker = lead.trimmingCharacters(in: .whitespaces)
                let isItem = marker == "-" || (marker.hasSuffix(".") && marker.dropLast().allSatisfy(\.isNumber))
                let continuesItem = isItem && leadIndent == 0 && indent == 0 && !startsNewBlock(String(content))
                if continuesRow || continuesProse || continuesItem {
                    blocks[blocks.count - 1] = .flowing(lead: lead, words: joined(words, String(content)), hang: hang)
                    continue
                }
            }
            if let (lead, rest) = rowOrItem(line) {
                blocks.append(.flowing(lead: lead, words: rest, hang: DisplayWidth.of(lead)))
            } else if indent == 0 {
                blocks.append(.flowing(lead: "", words: line, hang: 0))
            } else if ["plankb ", "curl ", "find ", "PLANKB_DB="].contains(where: content.hasPrefix) {
                blocks.append(.command(line))
            } else {
                blocks.append(.verbatim(line))
            }
        }
        return blocks
    }

    /// A table row (`  term    description`: two or more spaces after the term) or a list item (`1. …`,
    /// `- …`, indented or not), split into its lead-in (through the gap) and its text.
    static func rowOrItem(_ line: String) -> (lead: String, text: String)? {
        let scalars = Array(line.unicodeScalars)
        var index = 0
        while index < scalars.count, scalars[index] == " " { index += 1 }
        let start = index
        // A list item: digits and ". ", or "- ".
        var marker = index
        while marker < scalars.count, ("0"..."9").contains(scalars[marker]) { marker += 1 }
        if marker > start, marker + 1 < scalars.count, scalars[marker] == ".", scalars[marker + 1] == " " {
            return split(scalars, at: marker + 2)
        }
        if start + 1 < scalars.count, scalars[start] == "-", scalars[start + 1] == " " {
            return split(scalars, at: start + 2)
        }
        // A row: a term of up to 26 columns, indented or ending with a colon (`JSON:  /api/…`), then a gap of
        // two or more spaces.
        while index < scalars.count {
            if scalars[index] == " ", index + 1 < scalars.count, scalars[index + 1] == " " {
                var end = index
                while end < scalars.count, scalars[end] == " " { end += 1 }
                guard end < scalars.count, start > 0 || scalars[index - 1] == ":",
                      DisplayWidth.of(String(String.UnicodeScalarView(scalars[..<index]))) <= 26
                else { return nil }
                return split(scalars, at: end)
            }
            index += 1
        }
        return nil
    }

    private static func split(_ scalars: [Unicode.Scalar], at index: Int) -> (lead: String, text: String) {
        (String(String.UnicodeScalarView(scalars[..<index])), String(String.UnicodeScalarView(scalars[index...])))
    }

    /// Whether an unindented line begins a block of its own rather than continuing a paragraph: a list
    /// item, or a label such as `JSON:` followed by its text.
    private static func startsNewBlock(_ line: String) -> Bool {
        if rowOrItem(line) != nil { return true }
        guard let colon = line.firstIndex(of: ":") else { return false }
        let label = line[..<colon]
        return !label.isEmpty && label.count <= 12 && label.allSatisfy { $0.isLetter && $0.isASCII }
            && line[colon...].dropFirst().first == " "
    }

    /// Two lines of a paragraph as one: a space between them, except between two Han characters.
    private static func joined(_ first: String, _ second: String) -> String {
        if let last = first.unicodeScalars.last, let next = second.unicodeScalars.first, isHan(last), isHan(next) {
            return first + second
        }
        return first + " " + second
    }

    /// The pieces a line may break between, each with the spaces written before it (kept as written, so
    /// that `A OR B  either` keeps its two spaces): words at spaces, and each Han character of a run on its
    /// own (a line may break between two of them; nothing is written there).
    static func words(of text: String) -> [(text: String, gap: String)] {
        var words: [(text: String, gap: String)] = []
        var current = "", gap = "", spaces = ""
        for character in text {
            if character == " " {
                if !current.isEmpty { words.append((current, gap)); current = "" }
                spaces.append(" ")
                continue
            }
            let han = character.unicodeScalars.first.map(isHan) ?? false
            if han, !current.isEmpty, current.unicodeScalars.last.map(isHan) ?? false {
                words.append((current, gap)); current = ""
            }
            if current.isEmpty { gap = spaces; spaces = "" }
            current.append(character)
        }
        if !current.isEmpty { words.append((current, gap)) }
        return words
    }

    private static func isHan(_ scalar: Unicode.Scalar) -> Bool {
        (0x4E00...0x9FFF).contains(scalar.value) || (0x3400...0x4DBF).contains(scalar.value)
    }
}
