/// Turns positioned text (`LayoutPage`s) into body blocks in reading order: the layout pass of PDF (and any
/// fixed-layout) input.
///
/// What it guarantees to segmentation, in order of the steps:
/// 1. **Columns**: a page whose text leaves a vertical gutter is read column by column; text spanning the
///    gutter (a heading over both columns) cuts the page into bands read top to bottom.
/// 2. **Lines**: fragments on one baseline are one line, left to right. The spaces text extraction puts
///    between Han and digits or Latin ("2019 年") are removed; spaces between Latin words stay.
/// 3. **Furniture**: page numbers ("— 12 —", "－12－", "- 12 -", "第 3 页", a bare number at the bottom) and
///    running headers and footers (the same text at the same height on many pages) are dropped, with a note.
/// 4. **Paragraphs**: a line continues the paragraph above unless it is indented, the line above ended before
///    the right margin, the font changes between heading and body faces, a wide gap opens, or the line above
///    ends a sentence and this one starts a numbered unit — across columns and pages alike.
/// 5. **Headings and title**: blocks set in a face or size other than the body's get `markedHeadingLevel`
///    (biggest and heaviest first) and `.bold`; a paragraph opening with such a run gets `.boldLead`; centred
///    lines `.centered`. The title is the largest non-red heading on the first page, else its first centred
///    line.
///
/// Lines count from the top of each page in reading order (dropped furniture included), columns in
/// characters of the line's text after the spaces are removed; every block carries an anchor per line.
public enum PageLayout {
    /// What the pass found.
    public struct Result: Sendable {
        public var blocks: [Block]
        /// The title set on the first page, when there is one.
        public var title: String?
        public var diagnostics: [Diagnostic]
        /// Pages that hold no text at all (scanned pages).
        public var pagesWithoutText: [Int]
    }

    public static func analyze(_ pages: [LayoutPage]) -> Result {
        var lines: [Line] = []
        var pagesWithoutText: [Int] = []
        for page in pages {
            let pageLines = LineBuilder.lines(of: page)
            if pageLines.isEmpty { pagesWithoutText.append(page.number) }
            lines += pageLines
        }
        var diagnostics: [Diagnostic] = []
        let furniture = Furniture.find(in: lines, pages: pages)
        if let first = furniture.pageNumbers.min() {
            diagnostics.append(Diagnostic(.note, "ingest.page-number-dropped",
                                          "dropped \(furniture.pageNumbers.count) page number(s) such as “\(lines[first].text)”",
                                          at: lines[first].start))
        }
        if let first = furniture.runningLines.min() {
            diagnostics.append(Diagnostic(.note, "ingest.running-header-dropped",
                                          "dropped \(furniture.runningLines.count) running header or footer line(s) such as “\(lines[first].text)”",
                                          at: lines[first].start))
        }
        let dropped = furniture.pageNumbers.union(furniture.runningLines)
        let body = lines.indices.filter { !dropped.contains($0) }.map { lines[$0] }
        var paragraphs = ParagraphBuilder(lines: body)
        paragraphs.build()
        let title = paragraphs.markHeadingsAndTitle()
        return Result(blocks: paragraphs.blocks(), title: title, diagnostics: diagnostics,
                      pagesWithoutText: pagesWithoutText)
    }

    /// One line of a page, assembled from its fragments.
    struct Line {
        var page: Int
        /// From 1, from the top of the page in reading order.
        var number: Int
        var text: String
        /// The font of each run of `text` (character counts), fragments without Han taking their neighbour's.
        var runs: [(length: Int, font: LayoutFont)]
        var left: Double
        var right: Double
        var top: Double
        var bottom: Double
        /// The column this line sits in (0 on one-column pages) and how many columns its page has.
        var column: Int
        var columns: Int
        var pageHeight: Double

        var start: SourcePosition { SourcePosition(line: number, column: 1, page: page) }
        var characterCount: Int { runs.reduce(0) { $0 + $1.length } }
        /// The font of most of the line's characters.
        var font: LayoutFont {
            var counts: [LayoutFont.StyleKey: (Int, LayoutFont)] = [:]
            for run in runs { counts[run.font.styleKey, default: (0, run.font)].0 += run.length }
            return counts.values.max { $0.0 < $1.0 }?.1 ?? runs[0].font
        }
        var size: Double { font.size }
        var firstFont: LayoutFont { runs[0].font }
        var lastFont: LayoutFont { runs[runs.count - 1].font }
        var slot: Slot { Slot(columns: columns, column: column) }
    }

    /// A column position shared by pages of the same layout: margins are measured per slot.
    struct Slot: Hashable { var columns: Int; var column: Int }
}

// MARK: - Columns and lines

/// Step 1 and 2: columns, lines, spaces.
enum LineBuilder {
    static func lines(of page: LayoutPage) -> [PageLayout.Line] {
        let fragments = page.fragments.filter { !$0.text.allSatisfy(Normalizer.isBlank) && $0.width >= 0 }
        guard !fragments.isEmpty else { return [] }
        var ordered: [(fragments: [LayoutFragment], column: Int, columns: Int)] = []
        if let gutter = gutter(of: fragments, width: page.width) {
            // Fragments across the gutter cut the page into bands; each band is read left column, right column.
            // A row with text across the gutter (a heading, a centred "— 21 —") spans both columns.
            var spanning: [LayoutFragment] = [], left: [LayoutFragment] = [], right: [LayoutFragment] = []
            let middle = (gutter.lowerBound + gutter.upperBound) / 2
            for row in group(fragments) {
                let leftEdge = row.filter { ($0.left + $0.right) / 2 < middle }.map(\.right).max()
                let rightEdge = row.filter { ($0.left + $0.right) / 2 >= middle }.map(\.left).min()
                let continuous = leftEdge.flatMap { l in rightEdge.map { r in r - l < max(gutter.upperBound - gutter.lowerBound, 2) / 2 } } ?? false
                if continuous || row.contains(where: { $0.left < middle && $0.right > middle }) {
                    spanning += row
                } else {
                    for fragment in row {
                        if (fragment.left + fragment.right) / 2 < middle { left.append(fragment) } else { right.append(fragment) }
                    }
                }
            }
            let spanningLines = group(spanning)
            let leftLines = group(left)
            let rightLines = group(right)
            var l = 0, r = 0
            for cut in spanningLines {
                let cutTop = cut.map(\.top).min()!
                while l < leftLines.count, leftLines[l].map(\.top).min()! < cutTop { ordered.append((leftLines[l], 0, 2)); l += 1 }
                while r < rightLines.count, rightLines[r].map(\.top).min()! < cutTop { ordered.append((rightLines[r], 1, 2)); r += 1 }
                ordered.append((cut, 0, 1))
            }
            ordered += leftLines[l...].map { ($0, 0, 2) }
            ordered += rightLines[r...].map { ($0, 1, 2) }
        } else {
            ordered = group(fragments).map { ($0, 0, 1) }
        }
        var lines: [PageLayout.Line] = []
        for (fragments, column, columns) in ordered {
            guard var line = assemble(fragments, page: page) else { continue }
            line.number = lines.count + 1
            line.column = column
            line.columns = columns
            lines.append(line)
        }
        return lines
    }

    /// The gutter between two columns: an x in the middle of the page that rows of text on its left and rows
    /// starting at one left edge on its right leave free (rows of a single-column part of the page, above or
    /// below, cross it). The two columns' baselines need not line up.
    ///
    /// - Complexity: O(fragments) for each of ~100 positions tried.
    static func gutter(of fragments: [LayoutFragment], width: Double) -> ClosedRange<Double>? {
        let rows = group(fragments)
        guard rows.count >= 6, width > 0 else { return nil }
        var best: (score: Int, range: ClosedRange<Double>)?
        var x = width * 0.3
        while x <= width * 0.7 {
            var leftEnds: [Double] = [], rightStarts: [Double] = []
            for row in rows where !row.contains(where: { $0.left < x && $0.right > x }) {
                if let end = row.filter({ $0.right <= x }).map(\.right).max() { leftEnds.append(end) }
                if let start = row.filter({ $0.left >= x }).map(\.left).min() { rightStarts.append(start) }
            }
            // The right column: at least five rows starting at one edge; the left: five rows reaching near x.
            if let edge = ParagraphBuilder.mode(rightStarts.map { -$0 }).map({ -$0 }), let reach = leftEnds.max() {
                let aligned = rightStarts.filter { abs($0 - edge) <= 4 }.count
                let size = rows[0][0].font.size
                let score = aligned + leftEnds.count
                if aligned >= 5, leftEnds.count >= 5, edge - reach >= size * 0.8, x - reach <= size * 3,
                   score > (best?.score ?? 0) {
                    best = (score, reach...edge)
                }
            }
            x += 2
        }
        return best?.range
    }

    /// Fragments grouped into lines (same baseline band), top to bottom, each left to right.
    static func group(_ fragments: [LayoutFragment]) -> [[LayoutFragment]] {
        let sorted = fragments.sorted { ($0.top, $0.left) < ($1.top, $1.left) }
        var lines: [[LayoutFragment]] = []
        var band: (top: Double, bottom: Double) = (0, 0)
        for fragment in sorted {
            if var last = lines.popLast() {
                // On one baseline band: centres close (a tall masthead word beside two lines belongs to neither).
                let bandCenter = (band.top + band.bottom) / 2
                if abs(fragment.centerY - bandCenter) <= max(band.bottom - band.top, fragment.height) * 0.35 {
                    last.append(fragment)
                    band = (min(band.top, fragment.top), max(band.bottom, fragment.bottom))
                    lines.append(last)
                    continue
                }
                lines.append(last)
            }
            lines.append([fragment])
            band = (fragment.top, fragment.bottom)
        }
        return lines.map { $0.sorted { $0.left < $1.left } }
    }

    /// A line's text and font runs from its fragments (left to right).
    static func assemble(_ fragments: [LayoutFragment], page: LayoutPage) -> PageLayout.Line? {
        var characters: [Character] = []
        var fonts: [Int] = []
        var previousRight: Double?
        for (index, fragment) in fragments.enumerated() {
            if let previousRight, fragment.left - previousRight > fragment.font.size * 0.25,
               let last = characters.last, !Normalizer.isBlank(last) {
                characters.append(" ")
                fonts.append(index)
            }
            for character in fragment.text where character != "\n" && character != "\r" {
                characters.append(character)
                fonts.append(index)
            }
            previousRight = fragment.right
        }
        let cleaned = removeExtractionSpaces(characters, fonts: fonts)
        let trimmed = trim(cleaned)
        guard !trimmed.characters.isEmpty else { return nil }
        // Fragments without Han (digits, Latin, punctuation in a Latin face) take their neighbour's font, so
        // that "2019" set in Times inside 仿宋 text is not a change of style.
        let hasHan = fragments.map { $0.text.unicodeScalars.contains(where: Normalizer.isHan) }
        var effective = Array(fragments.indices)
        if let firstHan = hasHan.firstIndex(of: true) {
            var current = firstHan
            for index in fragments.indices {
                if hasHan[index] { current = index }
                effective[index] = current
            }
        }
        var runs: [(length: Int, font: LayoutFont)] = []
        for fragmentIndex in trimmed.fonts {
            let font = fragments[effective[fragmentIndex]].font
            if let last = runs.last, last.font.styleKey == font.styleKey {
                runs[runs.count - 1].length += 1
            } else {
                runs.append((1, font))
            }
        }
        return PageLayout.Line(page: page.number, number: 0, text: String(trimmed.characters), runs: runs,
                               left: fragments.map(\.left).min()!, right: fragments.map(\.right).max()!,
                               top: fragments.map(\.top).min()!, bottom: fragments.map(\.bottom).max()!,
                               column: 0, columns: 1, pageHeight: page.height)
    }

    /// Without the spaces text extraction inserts next to Han (or CJK punctuation): "2019 年" → "2019年",
    /// "〔 2019 〕" → "〔2019〕", and the gaps of justified or letter-spaced Han ("改 造 升 级", "总 纲"), which
    /// Chinese never writes as spaces. Spaces between Latin words and numbers stay. A soft hyphen after a
    /// letter or digit (how some PDFs encode "-", as in "2014­2020") becomes "-".
    static func removeExtractionSpaces(_ characters: [Character], fonts: [Int]) -> (characters: [Character], fonts: [Int]) {
        var outCharacters: [Character] = []
        var outFonts: [Int] = []
        outCharacters.reserveCapacity(characters.count)
        outFonts.reserveCapacity(characters.count)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == " " || character == "\u{00A0}" {
                var end = index
                while end < characters.count, characters[end] == " " || characters[end] == "\u{00A0}" { end += 1 }
                let before = outCharacters.last
                let after = end < characters.count ? characters[end] : nil
                if let before, let after, isWide(before) || isWide(after) {
                    index = end
                    continue
                }
                // Keep one space for a run.
                outCharacters.append(" ")
                outFonts.append(fonts[index])
                index = end
                continue
            }
            if character == "\u{00AD}" {
                index += 1
                if let before = outCharacters.last, index < characters.count, before.isNumber || before.isLetter {
                    outCharacters.append("-")
                    outFonts.append(fonts[index - 1])
                }
                continue
            }
            outCharacters.append(character)
            outFonts.append(fonts[index])
            index += 1
        }
        return (outCharacters, outFonts)
    }

    private static func trim(_ line: (characters: [Character], fonts: [Int])) -> (characters: [Character], fonts: [Int]) {
        var start = 0, end = line.characters.count
        while start < end, Normalizer.isBlank(line.characters[start]) { start += 1 }
        while end > start, Normalizer.isBlank(line.characters[end - 1]) { end -= 1 }
        return (Array(line.characters[start..<end]), Array(line.fonts[start..<end]))
    }

    /// Han, kana, hangul or CJK punctuation: text set on the square grid, where spaces are not word breaks.
    static func isWide(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        return Normalizer.isHan(scalar) || Normalizer.isCJKPunctuation(scalar)
            || (0xFF00...0xFFEF).contains(scalar.value) || (0x3040...0x30FF).contains(scalar.value)
            || (0xAC00...0xD7AF).contains(scalar.value)
    }
}

// MARK: - Furniture

/// Step 3: page numbers and running headers and footers.
enum Furniture {
    struct Found { var pageNumbers: Set<Int> = []; var runningLines: Set<Int> = [] }

    static func find(in lines: [PageLayout.Line], pages: [LayoutPage]) -> Found {
        var found = Found()
        // The first and last two lines of each page are where furniture sits.
        var edges: [Int] = []
        var byPage: [Int: [Int]] = [:]
        for (index, line) in lines.enumerated() { byPage[line.page, default: []].append(index) }
        for indices in byPage.values {
            edges += indices.prefix(2)
            edges += indices.suffix(2).filter { !indices.prefix(2).contains($0) }
        }
        for index in edges {
            let line = lines[index]
            let nearBottom = line.top > line.pageHeight * 0.8
            let nearTop = line.bottom < line.pageHeight * 0.2
            guard nearTop || nearBottom else { continue }
            switch pageNumber(line.text) {
            case .decorated: found.pageNumbers.insert(index)
            case .bare where nearBottom: found.pageNumbers.insert(index)
            default: break
            }
        }
        // Running lines: the same text (digits aside) at the same height on many pages.
        let pageCount = Set(lines.map(\.page)).count
        guard pageCount >= 3 else { return found }
        var groups: [String: [Int]] = [:]
        for index in edges where !found.pageNumbers.contains(index) {
            let line = lines[index]
            let key = String(line.text.map { $0.isNumber ? "#" : $0 }) + "@" + String(Int((line.top / 8).rounded()))
            groups[key, default: []].append(index)
        }
        for indices in groups.values {
            let pagesWithIt = Set(indices.map { lines[$0].page }).count
            if pagesWithIt >= 3, pagesWithIt * 10 >= pageCount * 3 { found.runningLines.formUnion(indices) }
        }
        return found
    }

    enum PageNumberForm { case decorated, bare }

    /// "— 12 —", "－12－", "- 12 -", "·12·", "第 3 页", "第3页 共10页", "3/10", "Page 3": decorated; "12": bare.
    static func pageNumber(_ text: String) -> PageNumberForm? {
        let compact = text.filter { !Normalizer.isBlank($0) }
        guard !compact.isEmpty, compact.count <= 16 else { return nil }
        let digits = compact.filter { $0.isASCIIDigit || $0.isFullWidthDigit }
        guard !digits.isEmpty, digits.count <= 8 else { return nil }
        if compact.allSatisfy({ $0.isASCIIDigit || $0.isFullWidthDigit }) { return digits.count <= 4 ? .bare : nil }
        let dashes: Set<Character> = ["-", "—", "–", "－", "─", "·", "•", "‐", "−"]
        let core = compact.drop(while: dashes.contains).reversed().drop(while: dashes.contains).reversed()
        if core.count < compact.count, !core.isEmpty, core.allSatisfy({ $0.isASCIIDigit || $0.isFullWidthDigit }) {
            return .decorated
        }
        // 第 3 页, 第3页共10页, 第3页/共10页, 共10页 第3页.
        let withoutDigits = String(compact.filter { !($0.isASCIIDigit || $0.isFullWidthDigit) })
        if ["第页", "第页共页", "第页/共页", "共页第页", "页"].contains(withoutDigits) { return .decorated }
        if withoutDigits == "/" { return .decorated }
        if withoutDigits.lowercased() == "page" || withoutDigits.lowercased() == "pageof" { return .decorated }
        return nil
    }
}
