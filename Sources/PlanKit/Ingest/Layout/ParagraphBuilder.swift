/// Steps 4 and 5 of `PageLayout`: lines into paragraphs, then heading hints and the title.
struct ParagraphBuilder {
    let lines: [PageLayout.Line]
    /// The font of most characters: body text.
    let body: LayoutFont
    /// Left and right margin and line pitch of each column slot, measured over body lines.
    let margins: [PageLayout.Slot: Margins]
    private(set) var paragraphs: [[Int]] = []
    private var headingLevels: [Int: Int] = [:]
    private var titleParagraph: Int?

    struct Margins { var left: Double; var right: Double; var pitch: Double }

    init(lines: [PageLayout.Line]) {
        self.lines = lines
        var counts: [LayoutFont.StyleKey: (Int, LayoutFont)] = [:]
        for line in lines {
            for run in line.runs { counts[run.font.styleKey, default: (0, run.font)].0 += run.length }
        }
        body = counts.values.max { $0.0 < $1.0 }?.1 ?? LayoutFont(family: "", size: 10)
        var margins: [PageLayout.Slot: Margins] = [:]
        let bodyKey = body.styleKey
        for slot in Set(lines.map(\.slot)) {
            let inSlot = lines.filter { $0.slot == slot }
            let bodyLines = inSlot.filter { $0.font.styleKey == bodyKey }
            let measured = bodyLines.count >= 3 ? bodyLines : inSlot
            let left = Self.mode(measured.map(\.left)) ?? 0
            let right = Self.mode(measured.map(\.right)) ?? 0
            var steps: [Double] = []
            for (a, b) in zip(measured, measured.dropFirst()) where a.page == b.page && b.top > a.top {
                let step = b.top - a.top
                if step < a.size * 3 { steps.append(step) }
            }
            steps.sort()
            let pitch = steps.isEmpty ? body.size * 1.5 : steps[steps.count / 2]
            margins[slot] = Margins(left: left, right: right, pitch: pitch)
        }
        // A page whose lines all stop well short of the slot's right margin (the balanced last page of a
        // two-column section, read as one column) has a right margin of its own.
        var pageRights: [PageSlotKey: Double] = [:]
        let size = body.size
        var byPage: [PageSlotKey: [PageLayout.Line]] = [:]
        for line in lines { byPage[PageSlotKey(page: line.page, slot: line.slot), default: []].append(line) }
        for (key, pageLines) in byPage {
            guard let right = Self.mode(pageLines.map(\.right)), let slotRight = margins[key.slot]?.right,
                  pageLines.filter({ abs($0.right - right) <= 3 }).count >= 3,
                  right < slotRight - size * 3, pageLines.allSatisfy({ $0.right <= right + size }) else { continue }
            pageRights[key] = right
        }
        self.margins = margins
        self.pageRights = pageRights
    }

    struct PageSlotKey: Hashable { var page: Int; var slot: PageLayout.Slot }
    let pageRights: [PageSlotKey: Double]

    /// The margins of the line's column on its page.
    private func margin(of line: PageLayout.Line) -> Margins? {
        guard var margin = margins[line.slot] else { return nil }
        if let right = pageRights[PageSlotKey(page: line.page, slot: line.slot)] { margin.right = right }
        return margin
    }

    /// The most common value, in buckets of 3 units (the largest value of the bucket, so that lines a hair
    /// longer still count as reaching it).
    static func mode(_ values: [Double]) -> Double? {
        var buckets: [Int: (count: Int, extreme: Double)] = [:]
        for value in values {
            let key = Int((value / 3).rounded())
            let entry = buckets[key] ?? (0, value)
            buckets[key] = (entry.count + 1, Swift.max(entry.extreme, value))
        }
        return buckets.max { ($0.value.count, -$0.key) < ($1.value.count, -$1.key) }?.value.extreme
    }

    // MARK: Paragraphs

    mutating func build() {
        for index in lines.indices {
            if let last = paragraphs.last?.last, continues(lines[last], with: lines[index]) {
                paragraphs[paragraphs.count - 1].append(index)
            } else {
                paragraphs.append([index])
            }
        }
    }

    private func isCentered(_ line: PageLayout.Line) -> Bool {
        guard let margin = margin(of: line) else { return false }
        let leftGap = line.left - margin.left
        let rightGap = margin.right - line.right
        return leftGap >= line.size && rightGap >= line.size && abs(leftGap - rightGap) <= line.size * 1.5
    }

    private func isIndented(_ line: PageLayout.Line) -> Bool {
        guard let margin = margin(of: line) else { return false }
        return line.left - margin.left >= line.size * 0.8
    }

    /// The line stops before the right margin: the paragraph (or heading) ends there.
    private func isShort(_ line: PageLayout.Line) -> Bool {
        guard let margin = margin(of: line) else { return false }
        return margin.right - line.right >= line.size * 1.5
    }

    /// The face and size class of a font: a change of class between lines ends a paragraph.
    private func styleClass(_ font: LayoutFont) -> Int {
        isHeadingFont(font) ? 1_000 + font.emphasis * 100 + Int(font.size.rounded()) : 0
    }

    /// Set apart from body text: a heavier face or a larger size (not smaller text such as notes).
    func isHeadingFont(_ font: LayoutFont) -> Bool {
        guard font.styleKey != body.styleKey, font.size >= body.size * 0.95 else { return false }
        return font.emphasis > body.emphasis || font.size >= body.size * 1.1
    }

    private func continues(_ previous: PageLayout.Line, with line: PageLayout.Line) -> Bool {
        if previous.page == line.page, previous.slot == line.slot, let margin = margins[line.slot],
           line.top > previous.top, line.top - previous.top > margin.pitch * 1.6 {
            return false
        }
        let previousCentered = isCentered(previous)
        let centered = isCentered(line)
        if previousCentered || centered {
            // A title or heading set over two lines in one heading face, the last line centred.
            return centered && (previousCentered || !isShort(previous)) && previous.page == line.page
                && previous.font.styleKey == line.font.styleKey && isHeadingFont(line.font)
        }
        if styleClass(previous.lastFont) != styleClass(line.firstFont) { return false }
        if isIndented(line) || isShort(previous) { return false }
        if let last = previous.text.last, Reflow.paragraphEnders.contains(last),
           LabelParser.parse(Substring(line.text)) != nil { return false }
        return true
    }

    // MARK: Headings and title

    /// The dominant font of a paragraph.
    private func font(of paragraph: [Int]) -> LayoutFont {
        var counts: [LayoutFont.StyleKey: (Int, LayoutFont)] = [:]
        for index in paragraph {
            for run in lines[index].runs { counts[run.font.styleKey, default: (0, run.font)].0 += run.length }
        }
        return counts.values.max { $0.0 < $1.0 }!.1
    }

    /// Every run in a heading face: a heading, not a paragraph opening with a bold lead.
    private func isSetInHeadingFaces(_ paragraph: [Int]) -> Bool {
        paragraph.allSatisfy { lines[$0].runs.allSatisfy { isHeadingFont($0.font) } }
    }

    private func characterCount(of paragraph: [Int]) -> Int {
        paragraph.reduce(0) { $0 + lines[$1].characterCount }
    }

    /// Gives heading levels to short paragraphs set in heading faces (biggest, then heaviest, first) and finds
    /// the title; returns the title's text.
    mutating func markHeadingsAndTitle() -> String? {
        var candidates: [Int: LayoutFont] = [:]
        for (index, paragraph) in paragraphs.enumerated() where isSetInHeadingFaces(paragraph) {
            let font = font(of: paragraph)
            if !font.isRed, characterCount(of: paragraph) <= 60 { candidates[index] = font }
        }
        let ranked = Array(Set(candidates.values.map(\.styleKey))).sorted { a, b in
            let fa = candidates.values.first { $0.styleKey == a }!, fb = candidates.values.first { $0.styleKey == b }!
            return (fa.size, fa.emphasis, a.family) > (fb.size, fb.emphasis, b.family)
        }
        for (index, font) in candidates { headingLevels[index] = ranked.firstIndex(of: font.styleKey)! + 1 }

        // The title: the largest heading on the first page, before the body starts; else its first centred line.
        let firstPage = paragraphs.indices.prefix { lines[paragraphs[$0][0]].page == lines.first?.page }
        let opening = firstPage.prefix { index in
            guard let label = LabelParser.parse(Substring(text(of: paragraphs[index]))) else { return true }
            return ![.part, .chapter, .section, .article, .division, .preface, .toc].contains(label.kind)
        }
        if let largest = opening.filter({ candidates[$0] != nil }).max(by: { candidates[$0]!.size < candidates[$1]!.size }),
           candidates[largest]!.size >= body.size * 1.2 {
            titleParagraph = largest
        } else if let centered = opening.first(where: { index in
            let paragraph = paragraphs[index]
            let text = text(of: paragraph)
            return paragraph.allSatisfy { isCentered(lines[$0]) } && !font(of: paragraph).isRed
                && characterCount(of: paragraph) <= 60 && !text.contains("。")
        }) {
            titleParagraph = centered
        }
        guard let titleParagraph else { return nil }
        headingLevels[titleParagraph] = 1
        for (index, level) in headingLevels where index != titleParagraph && level == 1 { headingLevels[index] = 2 }
        return text(of: paragraphs[titleParagraph])
    }

    private func text(of paragraph: [Int]) -> String { joined(paragraph).text }

    /// The paragraph's text, lines joined (with a space only between Latin letters or digits), and an anchor
    /// at the start of each line.
    private func joined(_ paragraph: [Int]) -> (text: String, anchors: [TextAnchor]) {
        var text = ""
        var count = 0
        var anchors: [TextAnchor] = []
        for index in paragraph {
            let line = lines[index]
            if let last = text.last, let first = line.text.first, last.isASCII, first.isASCII,
               last.isLetter || last.isNumber, first.isLetter || first.isNumber {
                text += " "
                count += 1
            }
            anchors.append(TextAnchor(offset: count, line: line.number, column: 1, page: line.page))
            text += line.text
            count += line.characterCount
        }
        return (text, anchors)
    }

    // MARK: Blocks

    func blocks() -> [Block] {
        paragraphs.enumerated().map { index, paragraph in
            let first = lines[paragraph[0]], last = lines[paragraph[paragraph.count - 1]]
            let (text, anchors) = joined(paragraph)
            let span = SourceSpan(startLine: first.number, startColumn: 1, endLine: last.number,
                                  endColumn: last.characterCount, startPage: first.page, endPage: last.page)
            var hints: Block.Hints = []
            if paragraph.allSatisfy({ isCentered(lines[$0]) }) {
                hints.insert(.centered)
            } else if isIndented(first) {
                hints.insert(.indented)
            }
            let font = font(of: paragraph)
            if isSetInHeadingFaces(paragraph), font.emphasis > body.emphasis { hints.insert(.bold) }
            var block = Block(text: text, span: span, hints: hints, markedHeadingLevel: headingLevels[index])
            block.anchors = anchors
            // A paragraph opening with a run in a heading face: "（一）加强组织领导。" in 楷体, then 仿宋.
            if !hints.contains(.bold), isHeadingFont(first.firstFont), first.firstFont.emphasis > body.emphasis {
                var length = 0
                for lineIndex in paragraph {
                    let runs = lines[lineIndex].runs
                    guard runs[0].font.styleKey == first.firstFont.styleKey else { break }
                    length += runs[0].length
                    if runs.count > 1 { break }
                }
                if length < PlainText.characterCount(text) {
                    block.hints.insert(.boldLead)
                    block.boldPrefixLength = length
                }
            }
            return block
        }
    }
}
