import Foundation
import PlanKit

/// Reads `w:body` into blocks, in document order: paragraphs (runs joined, numbering prepended), table rows
/// (cells joined with tabs), content controls and text boxes opened; deleted text, hidden text, field
/// instructions and page-number fields left out.
///
/// Spans: DOCX has no lines, so a block's line is its paragraph's ordinal in the body (every `w:p`, empty
/// ones and those in tables included, counted from 1 — the line the paragraph has in LibreOffice's text
/// export when the body has no tables), and columns count characters of the paragraph as displayed, its
/// automatic number included.
struct DOCXBody {
    var styles: DOCXStyles
    var numbering: DOCXNumbering
    /// Footnote and endnote texts by kind and id (`footnote:2`).
    var notes: [String: String] = [:]
    let documentPart: String

    private(set) var blocks: [Block] = []
    private(set) var diagnostics: [Diagnostic] = []
    private var ordinal = 0
    /// Open fields (`w:fldChar` begin … separate … end), which may span paragraphs (a TOC field does).
    private var fields: [Field] = []
    private var noteNumbers: [String: Int] = ["footnote": 0, "endnote": 0]
    private var reportedNumbering: Set<String> = []

    struct Field {
        /// The instruction's first word, upper-cased (PAGE, TOC, HYPERLINK …).
        var type: String = ""
        var instruction = ""
        var inResult = false
    }

    /// Fields whose result is page furniture or a page number: their text is dropped.
    static let droppedFields: Set<String> = ["PAGE", "NUMPAGES", "SECTIONPAGES", "PAGEREF", "SECTION"]

    init(styles: DOCXStyles, numbering: DOCXNumbering, documentPart: String) {
        self.styles = styles
        self.numbering = numbering
        self.documentPart = documentPart
    }

    // MARK: - Block level

    mutating func read(_ body: XMLElement) {
        for element in body.elements { readBlockLevel(element) }
    }

    private mutating func readBlockLevel(_ element: XMLElement) {
        switch element.name {
        case "p":
            readParagraph(element)
        case "tbl":
            readTable(element)
        case "sdt":
            if let content = element.child("sdtContent") { for child in content.elements { readBlockLevel(child) } }
        case "customXml", "ins", "moveTo", "smartTag":
            for child in element.elements { readBlockLevel(child) }
        case "AlternateContent":
            if let choice = element.child("Choice") ?? element.child("Fallback") {
                for child in choice.elements { readBlockLevel(child) }
            }
        default:
            break  // sectPr, bookmarks, deleted blocks (del, moveFrom)
        }
    }

    // MARK: - Tables

    private mutating func readTable(_ table: XMLElement) {
        for row in rows(of: table) {
            var cellTexts: [String] = []
            var allBold = true
            var firstOrdinal: Int?
            for cell in cells(of: row) {
                var texts: [String] = []
                for paragraph in flattenedParagraphs(cell) {
                    let read = readParagraphContent(paragraph)
                    if firstOrdinal == nil { firstOrdinal = read.ordinal }
                    let text = read.pieces.map(\.text).joined(separator: " ")
                    let trimmed = text.trimmingCharacters(in: .whitespaces)
                    if !trimmed.isEmpty {
                        texts.append(trimmed)
                        if !read.pieces.allSatisfy({ $0.allBold }) { allBold = false }
                    }
                }
                // A tab inside a cell would read as a cell boundary.
                cellTexts.append(texts.joined(separator: " ").replacingOccurrences(of: "\t", with: " "))
            }
            let joined = cellTexts.joined(separator: "\t").trimmingCharacters(in: .whitespaces)
            guard !joined.isEmpty, let line = firstOrdinal else { continue }
            let span = SourceSpan(startLine: line, startColumn: 1, endLine: line,
                                  endColumn: max(1, PlainText.characterCount(joined)))
            var hints: Block.Hints = [.tableRow]
            if allBold { hints.insert(.bold) }
            blocks.append(Block(text: joined, span: span, hints: hints))
        }
    }

    private func rows(of table: XMLElement) -> [XMLElement] {
        var rows: [XMLElement] = []
        func walk(_ element: XMLElement) {
            for child in element.elements {
                switch child.name {
                case "tr": rows.append(child)
                case "sdt": if let content = child.child("sdtContent") { walk(content) }
                case "customXml", "ins", "moveTo": walk(child)
                default: break
                }
            }
        }
        walk(table)
        return rows
    }

    private func cells(of row: XMLElement) -> [XMLElement] {
        var cells: [XMLElement] = []
        func walk(_ element: XMLElement) {
            for child in element.elements {
                switch child.name {
                case "tc": cells.append(child)
                case "sdt": if let content = child.child("sdtContent") { walk(content) }
                case "customXml", "ins", "moveTo": walk(child)
                default: break
                }
            }
        }
        walk(row)
        return cells
    }

    /// The paragraphs of a cell, nested tables flattened into it.
    private func flattenedParagraphs(_ container: XMLElement) -> [XMLElement] {
        var paragraphs: [XMLElement] = []
        func walk(_ element: XMLElement) {
            for child in element.elements {
                switch child.name {
                case "p": paragraphs.append(child)
                case "tbl", "tr", "tc", "customXml", "ins", "moveTo": walk(child)
                case "sdt": if let content = child.child("sdtContent") { walk(content) }
                default: break
                }
            }
        }
        walk(container)
        return paragraphs
    }

    // MARK: - Paragraphs

    /// One piece of a paragraph between line breaks, with the character offset where it starts.
    struct Piece {
        var text: String
        var offset: Int
        var allBold: Bool
        var boldPrefixLength: Int?
    }

    struct ParagraphContent {
        var ordinal: Int
        var pieces: [Piece]
        var style: DOCXStyles.Resolved
        var headingLevel: Int?
        var justification: String?
        var isTOCEntry: Bool
        var textBoxes: [XMLElement]
    }

    private mutating func readParagraph(_ paragraph: XMLElement) {
        let content = readParagraphContent(paragraph)
        var hints: Block.Hints = []
        switch content.justification {
        case "center": hints.insert(.centered)
        case "right", "end": hints.insert(.rightAligned)
        default: break
        }
        for (text, anchors) in Self.joinedAtSoftBreaks(content.pieces, isTOCEntry: content.isTOCEntry) {
            let (trimmed, leading) = Normalizer.trimBlanks(Substring(text))
            guard !trimmed.isEmpty else { continue }
            // Column of the character at `offset` in `text`: the anchor before it, counted on.
            func column(at offset: Int) -> Int {
                let anchor = anchors.last { $0.offset <= offset } ?? anchors[0]
                return anchor.column + offset - anchor.offset
            }
            let length = PlainText.characterCount(trimmed)
            let span = SourceSpan(startLine: content.ordinal, startColumn: column(at: leading), endLine: content.ordinal,
                                  endColumn: column(at: leading + length - 1))
            var blockHints = hints
            var boldPrefix: Int?
            let first = content.pieces[anchors[0].piece]
            if anchors.allSatisfy({ content.pieces[$0.piece].allBold }) {
                blockHints.insert(.bold)
            } else if let prefix = first.boldPrefixLength, prefix > leading {
                blockHints.insert(.boldLead)
                boldPrefix = prefix - leading
            }
            var block = Block(text: String(trimmed), span: span, hints: blockHints,
                              markedHeadingLevel: content.isTOCEntry ? nil : content.headingLevel,
                              boldPrefixLength: boldPrefix)
            block.anchors = anchors.compactMap { anchor in
                let offset = max(0, anchor.offset - leading)
                guard offset < length else { return nil }
                return TextAnchor(offset: offset, line: content.ordinal, column: column(at: offset + leading))
            }
            if block.anchors.isEmpty || block.anchors[0].offset != 0 {
                block.anchors.insert(TextAnchor(offset: 0, line: content.ordinal, column: span.startColumn), at: 0)
            }
            blocks.append(block)
        }
        for box in content.textBoxes {
            for child in box.elements { readBlockLevel(child) }
        }
    }

    /// Where a piece of joined text starts: its offset in the text, the piece, and its column in the paragraph.
    struct PieceAnchor {
        var offset: Int
        var piece: Int
        var column: Int
    }

    /// The paragraph's pieces joined where a line break is only layout (a title broken over two lines) and
    /// kept apart where the next piece starts with a numbering label ("（二）…" after a break): each result
    /// becomes a block.
    static func joinedAtSoftBreaks(_ pieces: [Piece], isTOCEntry: Bool) -> [(String, [PieceAnchor])] {
        var result: [(String, [PieceAnchor])] = []
        for (index, piece) in pieces.enumerated() {
            let text = isTOCEntry ? withoutPageNumber(piece.text) : piece.text
            let (trimmed, leading) = Normalizer.trimBlanks(Substring(text))
            if trimmed.isEmpty { continue }
            if var last = result.last, LabelParser.parse(trimmed) == nil {
                // Latin words on both sides keep a space between them; Chinese runs on.
                let (previous, _) = Normalizer.trimBlanks(Substring(last.0))
                let needsSpace = previous.last.map { $0.isASCII && $0.isLetter } == true && trimmed.first.map { $0.isASCII && $0.isLetter } == true
                var joined = String(previous) + (needsSpace ? " " : "")
                let offset = PlainText.characterCount(joined)
                joined += trimmed
                last.1.append(PieceAnchor(offset: offset, piece: index, column: piece.offset + leading + 1))
                result[result.count - 1] = (joined, last.1)
            } else {
                result.append((String(trimmed), [PieceAnchor(offset: 0, piece: index, column: piece.offset + leading + 1)]))
            }
        }
        return result
    }

    /// "第一章 总则\t3" in a table of contents → "第一章 总则".
    static func withoutPageNumber(_ text: String) -> String {
        var result = Substring(text)
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        let digits = result.reversed().prefix { $0.isNumber && $0.isASCII }.count
        let beforeDigits = result.dropLast(digits)
        if digits > 0, let separator = beforeDigits.last, separator == "\t" || separator == " " || separator == "." || separator == "…" {
            result = beforeDigits
            while let last = result.last, " \t.…·".contains(last) { result.removeLast() }
        }
        return String(result)
    }

    private mutating func readParagraphContent(_ paragraph: XMLElement) -> ParagraphContent {
        ordinal += 1
        let ordinal = self.ordinal
        let pPr = paragraph.child("pPr")
        let styleID = pPr?.child("pStyle")?.attribute("val")
        let style = styles.resolved(paragraphStyle: styleID)
        let direct = ParagraphProperties(paragraph: pPr)
        var headingLevel = style.headingLevel
        if let outline = direct.outlineLevel { headingLevel = (0...8).contains(outline) ? outline + 1 : nil }
        let inTOCField = fields.contains { $0.type == "TOC" && $0.inResult }

        var collector = RunCollector(paragraphBold: style.bold, paragraphHidden: style.hidden)
        walkRuns(paragraph, into: &collector)

        // Automatic numbering: direct w:numPr, else the style's; the level from w:ilvl or the style's link.
        var label: String?
        if let reference = direct.numbering ?? style.numbering {
            let numID = reference.numID ?? style.numbering?.numID
            if let numID {
                let level = reference.level
                    ?? (direct.numbering?.numID == nil ? style.numbering?.level : nil)
                    ?? numbering.level(linkedTo: styleID ?? style.numberingStyleID, numID: numID, styles: styles)
                    ?? 0
                switch numbering.number(numID: numID, level: level, styles: styles) {
                case .none: break
                case .label(let text, let separator): label = text + separator
                case .missing(let reason):
                    if !reportedNumbering.contains(reason) {
                        reportedNumbering.insert(reason)
                        diagnostics.append(Diagnostic(.warning, "ingest.docx-numbering",
                                                      "\(reason) (paragraph \(ordinal) of \(documentPart)); its number is left out",
                                                      at: SourcePosition(line: ordinal, column: 1)))
                    }
                }
            }
        }
        var pieces = collector.pieces()
        if let label, !pieces.isEmpty {
            let labelLength = PlainText.characterCount(label)
            pieces[0].text = label + pieces[0].text
            if let prefix = pieces[0].boldPrefixLength { pieces[0].boldPrefixLength = prefix + labelLength }
            for index in pieces.indices.dropFirst() { pieces[index].offset += labelLength }
        }
        return ParagraphContent(ordinal: ordinal, pieces: pieces, style: style, headingLevel: headingLevel,
                                justification: direct.justification ?? style.justification,
                                isTOCEntry: style.isTOCEntry || inTOCField, textBoxes: collector.textBoxes)
    }

    // MARK: - Runs

    /// Walks the inline content of a paragraph (runs, hyperlinks, insertions, fields, content controls).
    private mutating func walkRuns(_ element: XMLElement, into collector: inout RunCollector) {
        for child in element.elements {
            switch child.name {
            case "r":
                readRun(child, into: &collector)
            case "hyperlink", "ins", "moveTo", "smartTag", "customXml", "bdo", "dir", "rubyBase":
                walkRuns(child, into: &collector)
            case "sdt":
                if let content = child.child("sdtContent") { walkRuns(content, into: &collector) }
            case "fldSimple":
                let instruction = child.attribute("instr") ?? ""
                fields.append(Field(type: Self.fieldType(instruction), instruction: instruction, inResult: true))
                walkRuns(child, into: &collector)
                fields.removeLast()
            case "ruby":
                if let base = child.child("rubyBase") { walkRuns(base, into: &collector) }
            case "oMath", "oMathPara":
                collector.append(child.descendants("t").map(\.text).joined(), bold: false, visible: textVisible)
            default:
                break  // pPr, del, moveFrom, bookmarks, proofErr, comment ranges
            }
        }
    }

    /// Whether text now belongs to the page: not inside a field's instruction, nor in a page-number field.
    private var textVisible: Bool {
        for field in fields {
            if !field.inResult { return false }
            if Self.droppedFields.contains(field.type) { return false }
        }
        return true
    }

    static func fieldType(_ instruction: String) -> String {
        instruction.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map { $0.uppercased() } ?? ""
    }

    private mutating func readRun(_ run: XMLElement, into collector: inout RunCollector) {
        let rPr = run.child("rPr")
        let direct = ParagraphProperties(run: rPr)
        let characterStyle = rPr?.child("rStyle")?.attribute("val")
        let bold = direct.bold ?? styles.bold(characterStyle: characterStyle) ?? collector.paragraphBold
        let hidden = direct.hidden ?? styles.hidden(characterStyle: characterStyle) ?? collector.paragraphHidden
        for child in run.elements {
            let visible = textVisible && !hidden
            switch child.name {
            case "t":
                collector.append(child.text, bold: bold, visible: visible)
            case "tab", "ptab":
                collector.append("\t", bold: bold, visible: visible)
            case "br":
                let type = child.attribute("type") ?? "textWrapping"
                if type == "textWrapping", visible { collector.lineBreak() }
            case "cr":
                if visible { collector.lineBreak() }
            case "noBreakHyphen":
                collector.append("-", bold: bold, visible: visible)
            case "sym":
                if let symbol = Self.symbol(child) { collector.append(symbol, bold: bold, visible: visible) }
            case "fldChar":
                switch child.attribute("fldCharType") {
                case "begin": fields.append(Field())
                case "separate": if !fields.isEmpty { fields[fields.count - 1].inResult = true }
                case "end": if !fields.isEmpty { fields.removeLast() }
                default: break
                }
            case "instrText":
                if !fields.isEmpty, !fields[fields.count - 1].inResult {
                    fields[fields.count - 1].instruction += child.text
                    fields[fields.count - 1].type = Self.fieldType(fields[fields.count - 1].instruction)
                }
            case "footnoteReference", "endnoteReference":
                let kind = child.name == "footnoteReference" ? "footnote" : "endnote"
                guard visible, let id = child.attribute("id") else { break }
                noteNumbers[kind, default: 0] += 1
                if let note = notes["\(kind):\(id)"], !note.isEmpty {
                    let mark = kind == "footnote" ? "注" : "尾注"
                    collector.append("（\(mark)\(noteNumbers[kind]!)：\(note)）", bold: false, visible: true)
                }
            case "drawing", "pict", "object", "AlternateContent":
                collector.textBoxes += Self.textBoxes(in: child)
            case "ruby":
                if let base = child.child("rubyBase") { walkRuns(base, into: &collector) }
            default:
                break  // rPr, delText, lastRenderedPageBreak, softHyphen, annotation references
            }
        }
    }

    /// The text-box contents (`w:txbxContent`) of a drawing, once: of `mc:AlternateContent` only the choice
    /// is read, since the fallback repeats it.
    static func textBoxes(in element: XMLElement) -> [XMLElement] {
        if element.name == "AlternateContent" {
            guard let choice = element.child("Choice") ?? element.child("Fallback") else { return [] }
            return textBoxes(in: choice)
        }
        if element.name == "txbxContent" { return [element] }
        return element.elements.flatMap { textBoxes(in: $0) }
    }

    /// `w:sym`: a character of a symbol font; private-use codes (F0xx) of the Symbol font mapped where known.
    static func symbol(_ element: XMLElement) -> String? {
        guard let code = element.attribute("char").flatMap({ UInt32($0, radix: 16) }) else { return nil }
        if code < 0xF000 { return Unicode.Scalar(code).map { String(Character($0)) } }
        let symbolFont: [UInt32: String] = [0xB7: "•", 0xD7: "×", 0xB8: "÷", 0xA3: "≤", 0xB3: "≥", 0xB1: "±",
                                            0xAE: "→", 0xAC: "←", 0x2D: "−", 0xB0: "°", 0x3D: "=", 0x2B: "+"]
        return symbolFont[code - 0xF000]
    }
}

/// Collects a paragraph's text with its bold runs, split at line breaks.
struct RunCollector {
    let paragraphBold: Bool
    let paragraphHidden: Bool
    var textBoxes: [XMLElement] = []

    private var finished: [DOCXBody.Piece] = []
    private var text = ""
    private var offset = 0
    /// Characters in the current piece.
    private var length = 0
    private var allBold = true
    /// Where the bold run at the start of the piece ends, while no plain character has come yet.
    private var boldLeadEnd = 0
    private var leadOpen = true
    private var sawVisible = false
    private var anyText = false

    init(paragraphBold: Bool, paragraphHidden: Bool) {
        self.paragraphBold = paragraphBold
        self.paragraphHidden = paragraphHidden
    }

    /// Whether the paragraph has no text at all.
    var isEmpty: Bool { !anyText }

    mutating func append(_ piece: String, bold: Bool, visible: Bool) {
        guard visible, !piece.isEmpty else { return }
        let count = PlainText.characterCount(piece)
        if !piece.allSatisfy({ Normalizer.isBlank($0) }) {
            anyText = true
            sawVisible = true
            if bold {
                if leadOpen { boldLeadEnd = length + count }
            } else {
                allBold = false
                leadOpen = false
            }
        }
        text += piece
        length += count
    }

    mutating func lineBreak() {
        finishPiece()
        offset += length + 1
        length = 0
    }

    private mutating func finishPiece() {
        let whole = sawVisible && allBold
        finished.append(DOCXBody.Piece(text: text, offset: offset, allBold: whole,
                                       boldPrefixLength: !whole && boldLeadEnd > 0 ? boldLeadEnd : nil))
        text = ""
        allBold = true
        boldLeadEnd = 0
        leadOpen = true
        sawVisible = false
    }

    /// The pieces of the paragraph, each with its start offset.
    mutating func pieces() -> [DOCXBody.Piece] {
        finishPiece()
        return finished
    }
}
