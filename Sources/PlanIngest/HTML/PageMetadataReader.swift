import Foundation
import PlanKit

/// Reads what a page says about its document: gov.cn metadata tables (label cells such as `索 引 号：` with
/// spaces or U+3000 inside the label), `时间：… 来源：…` and `发布日期：…` lines, breadcrumbs (`首页 > … > …`,
/// `当前位置：…`), `<title>` and `<meta>`. It also says which lines were nothing but metadata, so that they do
/// not come out a second time as body text.
struct PageMetadataReader {
    enum Field { case title, date, writtenDate, issuer, documentNumber, indexNumber, subject, ignored }

    /// A label, the field it fills, and its rank among labels of the same field (1 = most specific).
    struct Label {
        var text: String
        var field: Field
        var rank: Int
    }

    static let labels: [Label] = [
        Label(text: "标题", field: .title, rank: 1),
        Label(text: "索引号", field: .indexNumber, rank: 1),
        Label(text: "主题分类", field: .subject, rank: 1),
        Label(text: "发文机关", field: .issuer, rank: 1),
        Label(text: "发布机构", field: .issuer, rank: 2),
        Label(text: "发文单位", field: .issuer, rank: 2),
        Label(text: "发布单位", field: .issuer, rank: 2),
        Label(text: "制发机关", field: .issuer, rank: 2),
        Label(text: "信息来源", field: .issuer, rank: 3),
        Label(text: "文章来源", field: .issuer, rank: 3),
        Label(text: "来源", field: .issuer, rank: 4),
        Label(text: "成文日期", field: .writtenDate, rank: 1),
        Label(text: "成文时间", field: .writtenDate, rank: 2),
        Label(text: "发布日期", field: .date, rank: 1),
        Label(text: "发布时间", field: .date, rank: 2),
        Label(text: "公开日期", field: .date, rank: 2),
        Label(text: "发文日期", field: .date, rank: 3),
        Label(text: "日期", field: .date, rank: 4),
        Label(text: "时间", field: .date, rank: 4),
        Label(text: "发文字号", field: .documentNumber, rank: 1),
        Label(text: "文号", field: .documentNumber, rank: 2),
        Label(text: "浏览次数", field: .ignored, rank: 9),
        Label(text: "阅读次数", field: .ignored, rank: 9),
        Label(text: "点击数", field: .ignored, rank: 9),
        Label(text: "访问次数", field: .ignored, rank: 9),
        Label(text: "作者", field: .ignored, rank: 9),
        Label(text: "责任编辑", field: .ignored, rank: 9),
        Label(text: "编辑", field: .ignored, rank: 9),
        Label(text: "字号", field: .ignored, rank: 9),
        Label(text: "主题词", field: .ignored, rank: 9),
    ]

    private static let labelsByBareText = Dictionary(labels.map { ($0.text, $0) }, uniquingKeysWith: { first, _ in first })

    /// `索 引 号：`: a label's characters may be spread with spaces, NBSP or U+3000; it starts a line or
    /// follows a separator, and a colon ends it.
    private static let labelPattern: NSRegularExpression = {
        let space = "[\\s\\u00A0\\u3000]*"
        let alternatives = labels.map(\.text).sorted { $0.count > $1.count }
            .map { $0.map { NSRegularExpression.escapedPattern(for: String($0)) }.joined(separator: space) }
        let pattern = "(?:^|(?<=[\\s\\u00A0\\u3000|｜丨/【\\[（(>]))(\(alternatives.joined(separator: "|")))\(space)[:：]"
        return try! NSRegularExpression(pattern: pattern)
    }()

    private static let breadcrumbLabel = try! NSRegularExpression(
        pattern: "(?:当前位置|您现在的位置|您的位置|现在位置|所在位置|当前的位置)[\\s\\u00A0\\u3000]*(?:是)?[:：]")
    /// A breadcrumb holds a separator or the 位 of 当前位置.
    private static func isBreadcrumbHint(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case ">", "＞", "»", "›", "→", "位": true
        default: false
        }
    }
    private static let breadcrumbSeparator = try! NSRegularExpression(pattern: "[\\s\\u00A0\\u3000]*(?:->|—>|>>|>|＞|»|›|→)[\\s\\u00A0\\u3000]*")
    private static let datePattern = try! NSRegularExpression(
        pattern: "((?:19|20)\\d\\d)[\\s\\u00A0]*[年\\-/.][\\s\\u00A0]*(\\d{1,2})[\\s\\u00A0]*[月\\-/.][\\s\\u00A0]*(\\d{1,2})")

    private(set) var metadata = Metadata()
    /// Lines (by index into the page's lines) that hold only metadata or a breadcrumb.
    private(set) var metadataLines: Set<Int> = []
    private var ranks: [Field: Int] = [:]
    /// The longest part of a `<title>` that the page does not show: used only when nothing better is found.
    private(set) var titleFromHeadOnly: String?
    /// A label that ended its line with no value after it.
    private var labelAwaitingValue: Label?

    /// `elements` (the page's) lets a label's value be taken from the next line only when that line sits
    /// beside the label, not in the article below it.
    static func read(lines: [PageLine], head: PageHead, elements: [PageElement] = []) -> PageMetadataReader {
        var reader = PageMetadataReader()
        for (index, line) in lines.enumerated() {
            if let label = reader.labelAwaitingValue {
                // `<div>发布机构：</div><div>某某市人民政府</div>`: the value is the next line.
                reader.labelAwaitingValue = nil
                if line.cells == nil, line.visibleCount <= 40, !ChromeRules.hasSentencePunctuation(line.text),
                   areSiblings(lines[index - 1].owner, line.owner, in: elements),
                   !reader.readLine(line.text, lineIndex: nil) {
                    reader.record(label, value: line.text)
                    reader.metadataLines.insert(index)
                    continue
                }
            }
            if let cells = line.cells { reader.readRow(cells, lineIndex: index) }
            else { reader.readLine(line.text, lineIndex: index) }
            // `首页` alone, then `> 要闻`, `> 山西要闻` as list items: a breadcrumb one item a line.
            let startsAtHome = line.cells == nil && isHomeWord(line.text) && index + 1 < lines.count
                && startsWithSeparator(lines[index + 1].text)
            if line.cells == nil, var crumbs = startsAtHome ? [line.text] : breadcrumb(in: line.text) {
                reader.metadataLines.insert(index)
                // `当前位置：` alone: the items follow as lines of their own (cells of a layout table).
                var next = index + 1
                while crumbs.count < 12, next < lines.count, isBreadcrumbItem(lines[next]),
                      !startsAtHome || startsWithSeparator(lines[next].text) {
                    crumbs += breadcrumbItems(in: lines[next].text)
                    reader.metadataLines.insert(next)
                    next += 1
                }
                if reader.metadata.breadcrumb == nil, !crumbs.isEmpty { reader.metadata.breadcrumb = crumbs }
            }
        }
        reader.readHead(head, lines: lines)
        return reader
    }

    // MARK: - Labelled values

    private mutating func readRow(_ cells: [String], lineIndex: Int) {
        var index = 0
        var sawLabel = false
        while index < cells.count {
            if let label = Self.label(ofCell: cells[index]) {
                sawLabel = true
                var value = ""
                if index + 1 < cells.count, Self.label(ofCell: cells[index + 1]) == nil {
                    value = cells[index + 1]
                    index += 1
                }
                record(label, value: value)
            } else if readLine(cells[index], lineIndex: nil) {
                sawLabel = true
            }
            index += 1
        }
        if sawLabel { metadataLines.insert(lineIndex) }
    }

    /// The label a table cell holds on its own (`索 引 号：`, `发文机关`), if any.
    private static func label(ofCell cell: String) -> Label? {
        var bare = bare(cell)
        if bare.hasSuffix(":") || bare.hasSuffix("：") { bare.removeLast() }
        return labelsByBareText[bare]
    }

    /// Reads `label：value` pairs in a line; returns whether the line is nothing but such pairs.
    @discardableResult
    private mutating func readLine(_ text: String, lineIndex: Int?) -> Bool {
        // A label leads the line: its colon comes within the first dozen characters.
        guard let colon = text.unicodeScalars.prefix(16).firstIndex(where: { $0 == ":" || $0 == "：" }),
              text.unicodeScalars[..<colon].count <= 14 else { return false }
        let string = text as NSString
        let matches = Self.labelPattern.matches(in: text, range: NSRange(location: 0, length: string.length))
        guard let first = matches.first else { return false }
        // Only metadata when the line starts with a label (after brackets or spaces).
        let lead = string.substring(to: first.range.location)
        let startsWithLabel = lead.unicodeScalars.allSatisfy {
            CharacterSet.whitespacesAndNewlines.contains($0) || "[【(（|".unicodeScalars.contains($0) || $0 == "\u{3000}" || $0 == "\u{A0}"
        }
        guard startsWithLabel else { return false }
        for (offset, match) in matches.enumerated() {
            let labelText = Self.bare(string.substring(with: match.range(at: 1)))
            guard let label = Self.labelsByBareText[labelText] else { continue }
            let valueEnd = offset + 1 < matches.count ? matches[offset + 1].range.location : string.length
            let valueStart = match.range.location + match.range.length
            let value = string.substring(with: NSRange(location: valueStart, length: valueEnd - valueStart))
            record(label, value: value)
            let isLast = offset == matches.count - 1
            if isLast, label.field != .ignored, Self.collapseSpaces(value).isEmpty, lineIndex != nil {
                labelAwaitingValue = label
            }
        }
        if let lineIndex { metadataLines.insert(lineIndex) }
        return true
    }

    private static let valueSeparators = CharacterSet(charactersIn: "|｜丨/【】[]").union(.whitespacesAndNewlines)
        .union(CharacterSet(charactersIn: "\u{3000}\u{A0}"))

    private mutating func record(_ label: Label, value raw: String) {
        var value = raw.trimmingCharacters(in: Self.valueSeparators)
        guard !value.isEmpty, label.field != .ignored else { return }
        if let rank = ranks[label.field], rank <= label.rank { return }
        switch label.field {
        case .date, .writtenDate:
            guard let date = Self.isoDate(in: value) else { return }
            value = date
        default:
            value = Self.collapseSpaces(value)
        }
        ranks[label.field] = label.rank
        switch label.field {
        case .title: metadata.title = value
        case .date: metadata.date = value
        case .writtenDate: metadata.writtenDate = value
        case .issuer: metadata.issuer = value
        case .documentNumber: metadata.documentNumber = value
        case .indexNumber: metadata.indexNumber = value
        case .subject: metadata.subject = value
        case .ignored: break
        }
    }

    // MARK: - Head

    private mutating func readHead(_ head: PageHead, lines: [PageLine]) {
        if metadata.date == nil, let value = head.meta("pubdate", "publishdate", "firstpublishedtime",
                                                        "article:published_time", "dc.date", "published_time") {
            metadata.date = Self.isoDate(in: value)
        }
        if metadata.issuer == nil, let value = head.meta("contentsource") {
            metadata.issuer = Self.collapseSpaces(value)
        }
        if metadata.title == nil {
            if let value = head.meta("articletitle", "og:title") {
                metadata.title = Self.collapseSpaces(value)
            } else if let title = head.title {
                metadata.title = Self.titleShownOnPage(title, lines: lines)
                titleFromHeadOnly = metadata.title == nil ? Self.longestPart(of: title) : nil
            }
        }
    }

    /// The `<title>` part the page also shows as a line of its own (the headline): `正文标题__栏目_网站` →
    /// `正文标题`, as the page sets it. Nil when no part of it is shown.
    static func titleShownOnPage(_ title: String, lines: [PageLine]) -> String? {
        let candidates = ([title] + titleParts(title)).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { $0.count >= 2 }
        // Prefer the headline as set in the page (centred or bold) over other lines with the same text.
        let ordered = lines.filter { !$0.hints.isDisjoint(with: [.centered, .bold]) } + lines
        let shown = Dictionary(ordered.map { (bare($0.text), $0.text) }, uniquingKeysWith: { first, _ in first })
        guard let match = candidates.sorted(by: { $0.count > $1.count }).first(where: { shown[bare($0)] != nil }) else {
            return nil
        }
        return shown[bare(match)]
    }

    /// The longest part of a `<title>`, the last resort when the page shows no headline.
    static func longestPart(of title: String) -> String? {
        titleParts(title).map { collapseSpaces($0) }.filter { !$0.isEmpty }.max { $0.count < $1.count }
    }

    private static func titleParts(_ title: String) -> [String] {
        let separators = try! NSRegularExpression(pattern: "\\s*(?:__?|\\||｜|--?|—{1,2}|–)\\s*")
        let string = title as NSString
        var parts: [String] = []
        var start = 0
        for match in separators.matches(in: title, range: NSRange(location: 0, length: string.length)) {
            parts.append(string.substring(with: NSRange(location: start, length: match.range.location - start)))
            start = match.range.location + match.range.length
        }
        parts.append(string.substring(from: start))
        return parts
    }

    // MARK: - Breadcrumb

    /// `首页 > 政务公开 > 规划信息` or `当前位置：首页 > …` → its items (none when the label stands alone);
    /// nil for any other line.
    static func breadcrumb(in text: String) -> [String]? {
        guard text.utf8.count <= 600, text.unicodeScalars.contains(where: isBreadcrumbHint) else { return nil }
        let string = text as NSString
        if let label = breadcrumbLabel.firstMatch(in: text, range: NSRange(location: 0, length: string.length)) {
            guard label.range.location <= 4 else { return nil }
            return breadcrumbItems(in: string.substring(from: label.range.location + label.range.length))
        }
        let items = breadcrumbItems(in: text)
        let separators = breadcrumbSeparator.numberOfMatches(in: text, range: NSRange(location: 0, length: string.length))
        guard items.count >= 2, separators > 0, let first = items.first,
              homeWords.contains(first) else { return nil }
        return items
    }

    /// The items of a breadcrumb, split at `>`, `->`, `»`, `›`, `→`; nil-free, trimmed; empty when an item is
    /// too long to be a section name.
    static func breadcrumbItems(in text: String) -> [String] {
        let string = text as NSString
        var items: [String] = []
        var start = 0
        for separator in breadcrumbSeparator.matches(in: text, range: NSRange(location: 0, length: string.length)) {
            items.append(string.substring(with: NSRange(location: start, length: separator.range.location - start)))
            start = separator.range.location + separator.range.length
        }
        items.append(string.substring(from: start))
        items = items.map { $0.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{3000}\u{A0}"))) }
            .filter { !$0.isEmpty }
        return items.allSatisfy({ $0.count <= 30 }) ? items : []
    }

    /// Two lines set in the same element or in elements with the same parent.
    private static func areSiblings(_ first: Int, _ second: Int, in elements: [PageElement]) -> Bool {
        guard first >= 0, second >= 0, first < elements.count, second < elements.count else { return elements.isEmpty }
        return first == second || elements[first].parent == elements[second].parent
    }

    /// A line that continues a breadcrumb: short, a link or starting with a separator.
    private static func isBreadcrumbItem(_ line: PageLine) -> Bool {
        guard line.text.count <= (line.cells == nil ? 30 : 80) else { return false }
        return startsWithSeparator(line.text) || line.linkDensity > 0.5
    }

    private static func startsWithSeparator(_ text: String) -> Bool {
        [">", "＞", "»", "›", "→", "->", "—>"].contains { text.hasPrefix($0) }
    }

    private static let homeWords: Set<String> = ["首页", "网站首页", "主页", "Home", "HOME", "home"]

    /// `homeWords.contains(text)` without hashing long lines: a string equal to a word of four characters
    /// takes at most 16 bytes (four scalars, since each of the words' characters is one).
    private static func isHomeWord(_ text: String) -> Bool {
        text.utf8.count <= 16 && homeWords.contains(text)
    }

    // MARK: - Helpers

    /// A label's text without its inner spaces (`索 引 号：` → `索引号：`).
    static func bare(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { !isWhitespace($0) }))
    }

    /// `properties.isWhitespace`, answered at once for ASCII letters, digits and marks and for Hanzi.
    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value > 0x20 && scalar.value < 0x7F || (0x4E00...0x9FFF).contains(scalar.value) { return false }
        return scalar.properties.isWhitespace
    }

    static func collapseSpaces(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            .joined(separator: " ")
            .trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{3000}\u{A0}")))
    }

    /// The first date in `text` as `yyyy-mm-dd` (`2019年01月27日`, `2018-05-17`, `2018/5/7`).
    static func isoDate(in text: String) -> String? {
        let string = text as NSString
        guard let match = datePattern.firstMatch(in: text, range: NSRange(location: 0, length: string.length)),
              let year = Int(string.substring(with: match.range(at: 1))),
              let month = Int(string.substring(with: match.range(at: 2))),
              let day = Int(string.substring(with: match.range(at: 3))),
              (1...12).contains(month), (1...31).contains(day) else { return nil }
        return String(format: "%04d-%02d-%02d", year, month, day)
    }
}
