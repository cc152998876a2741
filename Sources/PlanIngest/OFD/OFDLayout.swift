import Foundation
import PlanKit

/// A line of a page put together from the runs on one baseline, left to right.
struct OFDLine: Sendable {
    var text: String
    var page: Int
    /// From 1 at the top of the page.
    var number: Int
    var x: Double
    var endX: Double
    var baseline: Double
    /// The size and font of most of the line's characters.
    var size: Double
    var fontName: String
    var bold: Bool
}

/// From positioned runs to blocks: runs → lines (by baseline, then x) → page furniture dropped (page
/// numbers, running headers and footers) → paragraphs joined across lines and pages, with typographic hints
/// (heavy font, centred, indented) for segmentation.
///
/// Paragraph joining (`joinParagraphs`) is kept apart from line assembly so that one shared layout pass
/// for PDF and OFD can take its place.
struct OFDLayout {
    let pages: [OFDPage]
    var diagnostics: [Diagnostic] = []

    init(pages: [OFDPage]) { self.pages = pages }

    mutating func blocks() -> [Block] {
        var lines = pages.flatMap(Self.lines(of:))
        dropFurniture(&lines)
        return Self.joinParagraphs(lines)
    }

    // MARK: Lines

    /// The page's runs grouped into lines: a run belongs to the line whose baseline is within a third of its
    /// size; within a line runs go left to right, a space between them only where the gap is wide and both
    /// sides are Latin letters or digits. A run drawn twice at the same place (fill, then stroke) counts once.
    static func lines(of page: OFDPage) -> [OFDLine] {
        let runs = page.runs.filter { $0.x.isFinite && $0.baseline.isFinite && $0.endX.isFinite }
            .sorted { ($0.baseline, $0.x) < ($1.baseline, $1.x) }
        var groups: [[OFDTextRun]] = []
        var groupBaseline = -Double.infinity
        for run in runs {
            if var last = groups.last, abs(run.baseline - groupBaseline) <= 0.35 * max(run.size, last[0].size) {
                last.append(run)
                groups[groups.count - 1] = last
            } else {
                groups.append([run])
                groupBaseline = run.baseline
            }
        }
        var lines: [OFDLine] = []
        for group in groups {
            let ordered = group.sorted { $0.x < $1.x }
            var text = ""
            var kept: [OFDTextRun] = []
            for run in ordered {
                if let previous = kept.last {
                    if previous.text == run.text, abs(previous.x - run.x) < 0.5 * run.size { continue }
                    // A word space between Latin letters or digits; a gap of several ems (between the fields of
                    // a form, a name and a date on one line) between anything.
                    let gap = run.x - previous.endX
                    let size = min(run.size, previous.size)
                    if let left = text.last, let right = run.text.first, !left.isWhitespace, !right.isWhitespace,
                       gap > 3 * size || (gap > 0.2 * size && isLatinOrDigit(left) && isLatinOrDigit(right)) {
                        text.append(" ")
                    }
                }
                text += run.text
                kept.append(run)
            }
            let (trimmed, _) = Normalizer.trimBlanks(Substring(text))
            guard !trimmed.isEmpty else { continue }
            // The line's style is that of most of its characters.
            var weights: [String: (count: Int, run: OFDTextRun)] = [:]
            for run in kept {
                let key = "\(run.fontName)|\(run.bold)|\((run.size * 10).rounded())"
                weights[key, default: (0, run)].count += run.text.count
            }
            let main = weights.values.max { ($0.count, $1.run.x) < ($1.count, $0.run.x) }!.run
            lines.append(OFDLine(text: String(trimmed), page: page.number, number: lines.count + 1,
                                 x: kept[0].x, endX: kept.map(\.endX).max() ?? kept[0].endX,
                                 baseline: kept[0].baseline, size: main.size, fontName: main.fontName, bold: main.bold))
        }
        return lines
    }

    // MARK: Page furniture

    /// Drops page numbers ("— 3 —", "-3-", "第3页 共9页") near the top or bottom of a page, and running headers
    /// and footers: a line near the top or bottom whose text, digits aside, repeats on at least half of the
    /// pages (and on two or more).
    mutating func dropFurniture(_ lines: inout [OFDLine]) {
        let heights = Dictionary(pages.map { ($0.number, $0.box) }, uniquingKeysWith: { first, _ in first })
        func inMargin(_ line: OFDLine) -> Bool {
            guard let box = heights[line.page], box.height > 0 else { return false }
            let position = (line.baseline - box.y) / box.height
            return position < 0.12 || position > 0.85
        }
        let numbers = lines.filter { inMargin($0) && Self.isPageNumber($0.text) }
        var repeated: Set<String> = []
        if pages.count >= 2 {
            var pagesOf: [String: Set<Int>] = [:]
            for line in lines where inMargin(line) && !Self.isPageNumber(line.text) {
                pagesOf[Self.furnitureKey(line.text), default: []].insert(line.page)
            }
            repeated = Set(pagesOf.filter { $0.value.count >= 2 && $0.value.count * 2 >= pages.count }.keys)
        }
        let running = lines.filter { inMargin($0) && repeated.contains(Self.furnitureKey($0.text)) }
        if let first = numbers.first {
            diagnostics.append(Diagnostic(.note, "ingest.page-number-dropped",
                                          "dropped \(numbers.count) page-number line(s) such as “\(first.text)”",
                                          at: SourcePosition(line: first.number, column: 1, page: first.page)))
        }
        if let first = running.first {
            diagnostics.append(Diagnostic(.note, "ingest.running-header-dropped",
                                          "dropped \(running.count) running header or footer line(s) such as “\(first.text)”",
                                          at: SourcePosition(line: first.number, column: 1, page: first.page)))
        }
        lines.removeAll { inMargin($0) && (Self.isPageNumber($0.text) || repeated.contains(Self.furnitureKey($0.text))) }
    }

    static func furnitureKey(_ text: String) -> String {
        String(text.filter { !$0.isNumber && !$0.isWhitespace })
    }

    /// "— 12 —", "－12－", "- 3 -", "12", "第 3 页", "第3页 共9页", "3/9".
    static func isPageNumber(_ text: String) -> Bool {
        let core = text.filter { !$0.isWhitespace && !"-—–－―·".contains($0) }
        guard !core.isEmpty, core.count <= 12 else { return false }
        if core.allSatisfy(\.isNumber) { return core.count <= 4 }
        let shape = core.map { $0.isNumber ? "9" : String($0) }.joined()
            .replacingOccurrences(of: "9+", with: "9", options: .regularExpression)
        return ["第9页", "第9页共9页", "9/9", "共9页第9页", "Page9", "page9"].contains(shape)
    }

    // MARK: Paragraphs

    /// The body's measures: the size most characters are set in, the left margin most body lines start at
    /// and the right edge they reach.
    struct Measures {
        var size: Double
        var left: Double
        var right: Double

        init(_ lines: [OFDLine]) {
            var sizes: [Double: Int] = [:]
            for line in lines { sizes[(line.size * 10).rounded() / 10, default: 0] += line.text.count }
            let bodySize = sizes.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? 5
            let body = lines.filter { abs($0.size - bodySize) < 0.15 * bodySize }
            var lefts: [Double: Int] = [:]
            for line in body { lefts[(line.x * 2).rounded() / 2, default: 0] += 1 }
            let bodyLeft = lefts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? 0
            // The right edge: the far end most long body lines reach.
            let ends = body.map(\.endX).sorted()
            size = bodySize
            left = bodyLeft
            right = ends.isEmpty ? bodyLeft : ends[min(ends.count - 1, ends.count * 9 / 10)]
        }
    }

    /// Joins lines into paragraphs. A line continues the paragraph above when the line above reaches the
    /// right edge, this one starts at the left margin (a new paragraph is indented), both are set alike, and
    /// they follow each other (on the same page, or the last body line of a page and the first of the next).
    /// Lines set heavy (黑体, 小标宋, bold) or larger than the body are headings and are joined only to lines
    /// like them; consecutive centred title lines are one title.
    static func joinParagraphs(_ lines: [OFDLine]) -> [Block] {
        let measures = Measures(lines)
        var blocks: [Block] = []
        var previous: OFDLine?
        var firstOfPage: [Int: Int] = [:]
        for (index, line) in lines.enumerated().reversed() { firstOfPage[line.page] = index }
        for (index, line) in lines.enumerated() {
            defer { previous = line }
            if let above = previous, var block = blocks.last,
               continues(line, after: above, startsItsPage: firstOfPage[line.page] == index, measures) {
                let glue = isLatinOrDigit(block.text.last) && isLatinOrDigit(line.text.first) ? " " : ""
                block.anchors.append(TextAnchor(offset: PlainText.characterCount(block.text) + glue.count,
                                                line: line.number, column: 1, page: line.page))
                block.text += glue + line.text
                block.span.endLine = line.number
                block.span.endColumn = PlainText.characterCount(line.text)
                block.span.endPage = line.page
                blocks[blocks.count - 1] = block
                continue
            }
            let span = SourceSpan(startLine: line.number, startColumn: 1, endLine: line.number,
                                  endColumn: PlainText.characterCount(line.text), startPage: line.page)
            blocks.append(Block(text: line.text, span: span, hints: hints(line, measures)))
        }
        return blocks
    }

    private static func isHeavy(_ line: OFDLine, _ measures: Measures) -> Bool {
        line.bold || line.size > measures.size * 1.15
    }

    private static func isCentred(_ line: OFDLine, _ measures: Measures) -> Bool {
        let leftGap = line.x - measures.left
        let rightGap = measures.right - line.endX
        return leftGap > 2 * measures.size && rightGap > 2 * measures.size && abs(leftGap - rightGap) < 2 * measures.size
    }

    private static func hints(_ line: OFDLine, _ measures: Measures) -> Block.Hints {
        var hints: Block.Hints = []
        if isHeavy(line, measures) { hints.insert(.bold) }
        if isCentred(line, measures) {
            hints.insert(.centered)
        } else if line.x - measures.left > 0.8 * measures.size {
            if measures.right - line.endX < measures.size, line.x - measures.left > measures.size * 6 {
                hints.insert(.rightAligned)
            } else {
                hints.insert(.indented)
            }
        }
        return hints
    }

    /// `above` is the line before `line` in reading order; across a page break it is the previous page's last.
    private static func continues(_ line: OFDLine, after above: OFDLine, startsItsPage: Bool, _ measures: Measures) -> Bool {
        let size = max(above.size, line.size)
        if line.page == above.page {
            guard line.baseline > above.baseline, line.baseline - above.baseline < 2.6 * size else { return false }
        } else {
            guard line.page == above.page + 1, startsItsPage else { return false }
        }
        guard abs(line.size - above.size) < 0.1 * size, line.bold == above.bold, line.fontName == above.fontName else {
            return false
        }
        // A title set larger than the body, wrapped onto a centred second line.
        if above.size > measures.size * 1.15, isCentred(line, measures) || isCentred(above, measures) {
            return line.page == above.page
        }
        guard above.endX >= measures.right - 1.5 * size else { return false }
        guard line.x <= measures.left + 0.5 * size else { return false }
        // A line ending a sentence and a next line starting with the next label: a new unit, even unindented.
        if let last = above.text.last, "。；：！？".contains(last), LabelParser.parse(Substring(line.text)) != nil {
            return false
        }
        return true
    }

    // MARK: Characters

    static func isLatinOrDigit(_ character: Character?) -> Bool {
        guard let character, character.isASCII else { return false }
        return character.isLetter || character.isNumber
    }

    /// Han characters, kana, Hangul and full-width forms take a full em.
    static func isWide(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return true
        case 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026:  // — ‘ ’ “ ” … in Chinese fonts
            return true
        default:
            return false
        }
    }
}
