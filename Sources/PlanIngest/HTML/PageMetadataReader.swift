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
    private static let breadcrumbSeparator = try! NSRegularExpression(pattern: "[\\s\\u00A0\\u3000]*(?:->|—>|>>|>|＞|»|›|→)[\\s\\u00A0\\u3000]*")
    private static let datePattern = try! NSRegularExpression(
        pattern: "((?:19|20)\\d\\d)[\\s\\u00A0]*[年\\-/.][\\s\\u00A0]*(\\d{1,2})[\\s\\u00A0]*[月\\-/.][\\s\\u00A0]*(\\d{1,2})")

    private(set) var metadata = Metadata()
    /// Lines (by index into the page's lines) that hold only metadata or a breadcrumb.
    private(set) var metadataLines: Set<Int> = []
    private var ranks: [Field: Int] = [:]

    static func read(lines: [PageLine], head: PageHead) -> PageMetadataReader {
        var reader = PageMetadataReader()
        for (index, line) in lines.enumerated() {
            if let cells = line.cells { reader.readRow(cells, lineIndex: index) }
            else { reader.readLine(line.text, lineIndex: index) }
            if line.cells == nil, let crumbs = breadcrumb(in: line.text) {
                if reader.metadata.breadcrumb == nil { reader.metadata.breadcrumb = crumbs }
                reader.metadataLines.insert(index)
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
        guard text.count <= 300, text.contains(":") || text.contains("：") else { return false }
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
        }
        if let lineIndex { metadataLines.insert(lineIndex) }
        return true
    }

    private mutating func record(_ label: Label, value raw: String) {
        let separators = CharacterSet(charactersIn: "|｜丨/【】[]").union(.whitespacesAndNewlines)
            .union(CharacterSet(charactersIn: "\u{3000}\u{A0}"))
        var value = raw.trimmingCharacters(in: separators)
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
                metadata.title = Self.cleanTitle(title, lines: lines)
            }
        }
    }

    /// `正文标题__栏目_网站` → the part that the page shows as a line of its own (the headline), else the
    /// longest part.
    static func cleanTitle(_ title: String, lines: [PageLine]) -> String? {
        let separators = try! NSRegularExpression(pattern: "\\s*(?:__?|\\||｜|--?|—{1,2}|–)\\s*")
        let string = title as NSString
        var parts: [String] = []
        var start = 0
        for match in separators.matches(in: title, range: NSRange(location: 0, length: string.length)) {
            parts.append(string.substring(with: NSRange(location: start, length: match.range.location - start)))
            start = match.range.location + match.range.length
        }
        parts.append(string.substring(from: start))
        let candidates = ([title] + parts).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
        // Prefer the headline as set in the page (centred or bold) over other lines with the same text.
        let ordered = lines.filter { !$0.hints.isDisjoint(with: [.centered, .bold]) } + lines
        let shown = Dictionary(ordered.map { (bare($0.text), $0.text) }, uniquingKeysWith: { first, _ in first })
        if let match = candidates.sorted(by: { $0.count > $1.count }).first(where: { shown[bare($0)] != nil }) {
            return shown[bare(match)]
        }
        return parts.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.max { $0.count < $1.count }
            .map(collapseSpaces)
    }

    // MARK: - Breadcrumb

    /// `首页 > 政务公开 > 规划信息` or `当前位置：首页 > …` → its items; nil for any other line.
    static func breadcrumb(in text: String) -> [String]? {
        guard text.count <= 200 else { return nil }
        var rest = text as NSString
        let hasLabel: Bool
        if let label = breadcrumbLabel.firstMatch(in: text, range: NSRange(location: 0, length: rest.length)) {
            rest = rest.substring(from: label.range.location + label.range.length) as NSString
            hasLabel = true
        } else {
            hasLabel = false
        }
        let body = rest as String
        let separators = breadcrumbSeparator.matches(in: body, range: NSRange(location: 0, length: rest.length))
        var items: [String] = []
        var start = 0
        for separator in separators {
            items.append(rest.substring(with: NSRange(location: start, length: separator.range.location - start)))
            start = separator.range.location + separator.range.length
        }
        items.append(rest.substring(from: start))
        items = items.map { $0.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{3000}\u{A0}"))) }
            .filter { !$0.isEmpty }
        guard items.allSatisfy({ $0.count <= 30 }) else { return nil }
        if hasLabel { return items.isEmpty ? nil : items }
        guard items.count >= 2, !separators.isEmpty,
              let first = items.first, ["首页", "网站首页", "主页", "Home", "HOME", "home"].contains(first) else { return nil }
        return items
    }

    // MARK: - Helpers

    /// A label's text without its inner spaces (`索 引 号：` → `索引号：`).
    static func bare(_ text: String) -> String {
        String(text.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init))
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
