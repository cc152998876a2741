import CLibXML2
import Foundation
import PlanKit

/// Walks libxml2's tree once, in document order, and renders the page into lines the way a browser would
/// break them: a line per block element, `<br>` breaking lines, table rows of data tables as one line with
/// tab-separated cells, scripts, styles, forms and hidden elements left out. Each line keeps its typographic
/// hints (centred, bold, bold lead, indented, heading level, caption).
///
/// The walk is iterative (parent/next pointers, no recursion), so nesting depth costs no stack.
/// - Complexity: O(n) in the size of the tree, plus a bounded look-ahead into each `<table>` to tell data
///   tables from layout tables.
struct PageReader {
    private(set) var elements: [PageElement] = []
    private(set) var lines: [PageLine] = []
    private(set) var head = PageHead()

    private var styles: [InheritedStyle] = []
    private var openBlocks: [Int] = []
    private var line = LineAccumulator()
    private var row: RowAccumulator?
    /// An image was seen since the last line with text: the next short line may be its caption.
    private var imagePending = false

    static func read(_ document: htmlDocPtr) -> PageReader {
        var reader = PageReader()
        // libxml2 can leave more than one top-level element (a comment after `</html>` followed by more
        // markup starts a second `<html>`), so walk every child of the document.
        var top = document.pointee.children
        while let node = top {
            if node.pointee.type == XML_ELEMENT_NODE { reader.walk(from: node) }
            top = node.pointee.next
        }
        return reader
    }

    // MARK: - The walk

    private mutating func walk(from root: xmlNodePtr) {
        var node: xmlNodePtr = root
        var elementStack: [(node: xmlNodePtr, index: Int)] = []
        walking: while true {
            if node.pointee.type == XML_ELEMENT_NODE {
                if let index = enter(node) {
                    if let child = node.pointee.children {
                        elementStack.append((node, index))
                        node = child
                        continue walking
                    }
                    leave(node, index: index)
                }
            } else if node.pointee.type == XML_TEXT_NODE || node.pointee.type == XML_CDATA_SECTION_NODE {
                text(node)
            }
            // Climb until a next sibling exists, leaving the elements climbed out of.
            var current = node
            while current.pointee.next == nil || current == root {
                guard let top = elementStack.popLast() else { break walking }
                leave(top.node, index: top.index)
                current = top.node
                if current == root { break walking }
            }
            node = current.pointee.next!
        }
        flushLine(byBreak: false)
    }

    /// Enters an element; returns its index, or nil when its content is skipped.
    private mutating func enter(_ node: xmlNodePtr) -> Int? {
        let tag = node.pointee.name.map { String(cString: $0).lowercased() } ?? ""
        let attributes = Attributes(node)

        switch tag {
        case "title":
            if head.title == nil { head.title = textContent(of: node) }
            return nil
        case "meta":
            let name = (attributes.name ?? attributes.property ?? attributes.httpEquiv ?? "").lowercased()
            if !name.isEmpty, let content = attributes.content { head.metas.append((name, content)) }
            return nil
        case "br":
            if row != nil { row?.cell.appendSoftBreak() } else { flushLine(byBreak: true) }
            return nil
        case "img":
            if !attributes.isHidden, line.visibleCount == 0 { imagePending = true }
            return nil
        default:
            break
        }
        if PageReader.skippedTags.contains(tag) || attributes.isHidden { return nil }

        let parentIndex = openElementIndex
        let parentStyle = styles.last ?? InheritedStyle()
        let style = parentStyle.applying(tag: tag, attributes: attributes)
        let index = elements.count
        elements.append(PageElement(tag: tag, parent: parentIndex, subtreeEnd: index + 1,
                                    id: attributes.id ?? "", className: attributes.className ?? ""))
        styles.append(style)
        openElements.append(index)

        if tag == "table" { tableKinds.append(isDataTable(node)) }
        if PageReader.blockTags.contains(tag) {
            if row != nil {
                if tag == "td" || tag == "th" { row?.startCell() } else { row?.cell.appendSoftBreak() }
            } else if tag == "tr", tableKinds.last == true {
                flushLine(byBreak: false)
                row = RowAccumulator(owner: index)
            } else {
                flushLine(byBreak: false)
            }
            openBlocks.append(index)
        }
        if tag == "figcaption" { line.isCaption = true }
        return index
    }

    private mutating func leave(_ node: xmlNodePtr, index: Int) {
        let tag = elements[index].tag
        elements[index].subtreeEnd = elements.count
        if tag == "table" { tableKinds.removeLast() }
        if PageReader.blockTags.contains(tag) {
            if let row {
                if tag == "tr", row.owner == index {
                    finishRow()
                } else if tag == "td" || tag == "th" {
                    self.row?.finishCell()
                } else {
                    self.row?.cell.appendSoftBreak()
                }
            } else {
                flushLine(byBreak: false)
            }
            if openBlocks.last == index { openBlocks.removeLast() }
        }
        if openElements.last == index { openElements.removeLast() }
        styles.removeLast()
    }

    private var openElements: [Int] = []
    /// For each open `<table>`: does it hold data (rows become lines) or only lay the page out?
    private var tableKinds: [Bool] = []
    private var openElementIndex: Int { openElements.last ?? -1 }

    private mutating func text(_ node: xmlNodePtr) {
        guard let content = node.pointee.content else { return }
        let text = String(cString: content)
        let style = styles.last ?? InheritedStyle()
        let sourceLine = Int(xmlGetLineNo(node))
        if row != nil {
            row?.cell.append(text, bold: style.bold, link: style.inLink, sourceLine: sourceLine)
            if style.inLink, let href = style.href { row?.links.append(href) }
            return
        }
        if style.preformatted {
            let pieces = text.split(separator: "\n", omittingEmptySubsequences: false)
            for (offset, piece) in pieces.enumerated() {
                if offset > 0 { flushLine(byBreak: true) }
                line.append(String(piece), bold: style.bold, link: style.inLink, sourceLine: sourceLine)
            }
        } else {
            line.append(text, bold: style.bold, link: style.inLink, sourceLine: sourceLine)
        }
        if style.inLink, let href = style.href, !line.links.contains(href) { line.links.append(href) }
        if line.followsImage == nil, line.visibleCount > 0 { line.followsImage = imagePending }
    }

    // MARK: - Lines

    private mutating func flushLine(byBreak: Bool) {
        defer { line = LineAccumulator() }
        guard line.visibleCount > 0, let rendered = line.render() else { return }
        let owner = openBlocks.last ?? max(openElementIndex, 0)
        let style = blockStyle(owner)
        var result = rendered
        result.owner = owner
        result.endedByBreak = byBreak
        if style.align == .center { result.hints.insert(.centered) }
        if style.align == .right { result.hints.insert(.rightAligned) }
        if style.textIndent, !result.hints.contains(.centered) { result.hints.insert(.indented) }
        if result.hints.contains(.centered) { result.hints.remove(.indented) }
        result.headingLevel = style.headingLevel
        if line.isCaption || (line.followsImage == true && Self.looksLikeCaption(result.text)) {
            result.hints.insert(.figureCaption)
        }
        imagePending = false
        if let previous = lines.last, Self.continuesTitle(previous, with: result) {
            lines[lines.count - 1] = Self.joined(previous, result)
        } else {
            lines.append(result)
        }
    }

    /// A title set over several centred bold lines split by `<br>` (the gov.cn and 国务院公报 headlines)
    /// is one line.
    private static func continuesTitle(_ previous: PageLine, with line: PageLine) -> Bool {
        guard previous.endedByBreak, previous.owner == line.owner, previous.cells == nil,
              previous.hints.isSuperset(of: [.centered, .bold]), line.hints.isSuperset(of: [.centered, .bold]),
              let last = previous.text.last, !"。！？；.!?;".contains(last) else { return false }
        return previous.text.count + line.text.count <= 120
    }

    private static func joined(_ previous: PageLine, _ line: PageLine) -> PageLine {
        var result = previous
        let needsSpace = (previous.text.last.map { $0.isASCII && $0.isLetter } ?? false)
            && (line.text.first.map { $0.isASCII && $0.isLetter } ?? false)
        result.text += (needsSpace ? " " : "") + line.text
        result.visibleCount += line.visibleCount
        result.linkCount += line.linkCount
        result.links += line.links
        result.endedByBreak = line.endedByBreak
        result.endLineRange = line.endLineRange
        return result
    }

    private mutating func finishRow() {
        guard var row else { return }
        self.row = nil
        guard var rendered = row.render() else { return }
        rendered.owner = row.owner
        lines.append(rendered)
        imagePending = false
    }

    /// The style of the block element a line sits in: the innermost open block's computed style.
    private func blockStyle(_ owner: Int) -> InheritedStyle {
        // `styles` runs parallel to `openElements`; find the owner's entry.
        if let position = openElements.lastIndex(of: owner) { return styles[position] }
        return styles.last ?? InheritedStyle()
    }

    private static func looksLikeCaption(_ text: String) -> Bool {
        guard text.count <= 60, let last = text.last else { return false }
        return !"。；，,;：:".contains(last)
    }

    // MARK: - Tables

    /// A data table holds no other table and has a row of two cells or more; any other table only lays the
    /// page out, and its cells are ordinary blocks.
    private func isDataTable(_ table: xmlNodePtr) -> Bool {
        var sawWideRow = false
        var visited = 0
        var node = table.pointee.children
        while let current = node {
            visited += 1
            if visited > 50_000 { return false }
            if current.pointee.type == XML_ELEMENT_NODE {
                let name = Self.name(of: current)
                if name == "table" { return false }
                if name == "tr" {
                    var cells = 0
                    var child = current.pointee.children
                    while let cell = child {
                        let cellName = Self.name(of: cell)
                        if cellName == "td" || cellName == "th" { cells += 1 }
                        child = cell.pointee.next
                    }
                    if cells >= 2 { sawWideRow = true }
                }
                if let child = current.pointee.children {
                    node = child
                    continue
                }
            }
            var cursor = current
            while cursor.pointee.next == nil {
                guard let parent = cursor.pointee.parent, parent != table else { return sawWideRow }
                cursor = parent
            }
            node = cursor.pointee.next
        }
        return sawWideRow
    }

    private static func name(of node: xmlNodePtr) -> String {
        guard node.pointee.type == XML_ELEMENT_NODE, let name = node.pointee.name else { return "" }
        return String(cString: name).lowercased()
    }

    private func textContent(of node: xmlNodePtr) -> String? {
        guard let content = xmlNodeGetContent(node) else { return nil }
        defer { plankb_xmlFree(content) }
        let text = String(cString: content).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    static let skippedTags: Set<String> = [
        "script", "style", "noscript", "template", "iframe", "frame", "frameset", "object", "embed",
        "applet", "select", "option", "button", "input", "textarea", "svg", "math", "canvas", "map", "audio",
        "video", "link", "base",
    ]

    static let blockTags: Set<String> = [
        "html", "body", "address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "div",
        "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "thead",
        "tfoot", "tr", "td", "th", "ul", "caption", "legend", "menu", "dir", "listing", "xmp", "plaintext",
    ]
}


// MARK: - Attributes and inherited style

/// The attributes the ingester looks at.
private struct Attributes {
    var id: String?
    var className: String?
    var style: String?
    var align: String?
    var href: String?
    var name: String?
    var property: String?
    var httpEquiv: String?
    var content: String?
    var hiddenAttribute = false

    init(_ node: xmlNodePtr) {
        var attribute = node.pointee.properties
        while let current = attribute {
            defer { attribute = current.pointee.next }
            guard let rawName = current.pointee.name else { continue }
            let attributeName = String(cString: rawName).lowercased()
            var value = ""
            if let child = current.pointee.children, let content = child.pointee.content {
                value = String(cString: content)
            }
            switch attributeName {
            case "id": id = value
            case "class": className = value
            case "style": style = value.lowercased().filter { !$0.isWhitespace }
            case "align": align = value.lowercased().trimmingCharacters(in: .whitespaces)
            case "href": href = value
            case "name": name = value
            case "property": property = value
            case "http-equiv": httpEquiv = value
            case "content": content = value
            case "hidden": hiddenAttribute = true
            default: break
            }
        }
    }

    var isHidden: Bool {
        if hiddenAttribute { return true }
        guard let style else { return false }
        return style.contains("display:none") || style.contains("visibility:hidden")
    }
}

/// What a block or run inherits from its ancestors.
private struct InheritedStyle {
    enum Alignment { case none, left, center, right }
    var bold = false
    var align = Alignment.none
    var textIndent = false
    var headingLevel: Int?
    var inLink = false
    var href: String?
    var preformatted = false

    func applying(tag: String, attributes: Attributes) -> InheritedStyle {
        var style = self
        switch tag {
        case "b", "strong": style.bold = true
        case "h1", "h2", "h3", "h4", "h5", "h6":
            style.headingLevel = Int(String(tag.last!))
            style.bold = true
        case "th": style.bold = true
        case "center": style.align = .center
        case "a":
            if attributes.href != nil {
                style.inLink = true
                style.href = attributes.href
            }
        case "pre", "listing", "xmp", "plaintext": style.preformatted = true
        default: break
        }
        if let align = attributes.align {
            switch align {
            case "center", "middle": style.align = .center
            case "right": style.align = .right
            case "left", "justify": style.align = .left
            default: break
            }
        }
        if let css = attributes.style {
            if let weight = Self.value(of: "font-weight:", in: css) {
                if weight.hasPrefix("bold") || ["600", "700", "800", "900"].contains(weight) { style.bold = true }
                if weight.hasPrefix("normal") || weight.hasPrefix("lighter") || ["100", "200", "300", "400", "500"].contains(weight) {
                    style.bold = false
                }
            }
            if let align = Self.value(of: "text-align:", in: css) {
                if align.hasPrefix("center") { style.align = .center }
                else if align.hasPrefix("right") { style.align = .right }
                else if align.hasPrefix("left") || align.hasPrefix("justify") { style.align = .left }
            }
            if let indent = Self.value(of: "text-indent:", in: css) {
                style.textIndent = !(indent.hasPrefix("0") || indent.hasPrefix("-") || indent.isEmpty)
            }
        }
        return style
    }

    /// The value of a CSS property in a lowercased style attribute without white space, up to `;`.
    private static func value(of property: String, in css: String) -> String? {
        guard let range = css.range(of: property) else { return nil }
        // Make sure we matched a whole property name (`text-indent`, not `mso-text-indent`).
        if range.lowerBound > css.startIndex {
            let before = css[css.index(before: range.lowerBound)]
            if before != ";" && before != "{" { return nil }
        }
        let rest = css[range.upperBound...]
        return String(rest.prefix { $0 != ";" && $0 != "!" })
    }
}

// MARK: - Line building

/// The text runs of one line, with their boldness and links, until the line is rendered.
private struct LineAccumulator {
    private var runs: [(text: String, bold: Bool, link: Bool)] = []
    var links: [String] = []
    var visibleCount = 0
    var isCaption = false
    var followsImage: Bool?
    /// libxml2 line and newline counts of the first and last text nodes that have visible text.
    private var first: (line: Int, newlines: Int, before: Int)?
    private var last: (line: Int, newlines: Int, before: Int)?

    mutating func append(_ text: String, bold: Bool, link: Bool, sourceLine: Int) {
        runs.append((text, bold, link))
        var newlines = 0
        var firstVisibleNewlines: Int?
        var lastVisibleNewlines = 0
        var visible = 0
        for scalar in text.unicodeScalars {
            if scalar == "\n" { newlines += 1; continue }
            if !scalar.properties.isWhitespace {
                visible += 1
                if firstVisibleNewlines == nil { firstVisibleNewlines = newlines }
                lastVisibleNewlines = newlines
            }
        }
        guard visible > 0, let firstVisible = firstVisibleNewlines else { return }
        visibleCount += visible
        if first == nil { first = (sourceLine, newlines, firstVisible) }
        last = (sourceLine, newlines, lastVisibleNewlines)
    }

    mutating func appendSoftBreak() { runs.append((" ", false, false)) }

    /// The line as text with hints; nil when nothing visible remains.
    func render() -> PageLine? {
        var characters: [Character] = []
        var boldFlags: [Bool] = []
        var pendingSpace = false
        var pendingBreak = false
        var linkCount = 0
        for run in runs {
            for character in run.text {
                if character == " " || character == "\n" || character == "\t" || character == "\r\n"
                    || character == "\r" || character == "\u{0C}" {
                    pendingSpace = true
                    if character == "\n" || character == "\r\n" || character == "\r" { pendingBreak = true }
                    continue
                }
                if pendingSpace, let previous = characters.last {
                    // CSS drops a line break between two wide (CJK) characters instead of showing a space.
                    if !(pendingBreak && previous.isWide && character.isWide) {
                        characters.append(" ")
                        boldFlags.append(false)
                    }
                }
                pendingSpace = false
                pendingBreak = false
                characters.append(character)
                boldFlags.append(run.bold)
                if run.link, !character.isWhitespace { linkCount += 1 }
            }
        }
        // Indentation (NBSP, U+3000) is a hint, not text.
        guard let start = characters.firstIndex(where: { !$0.isWhitespace }),
              let end = characters.lastIndex(where: { !$0.isWhitespace }) else { return nil }
        let text = String(characters[start...end])
        var result = PageLine(text: text, owner: 0)
        if start > 0 { result.hints.insert(.indented) }

        var allBold = true
        var leadEnd: Int?
        var inLead = true
        var visible = 0
        for offset in start...end where !characters[offset].isWhitespace {
            visible += 1
            if boldFlags[offset] {
                if inLead { leadEnd = offset - start + 1 }
            } else {
                allBold = false
                inLead = false
            }
        }
        if allBold {
            result.hints.insert(.bold)
        } else if let leadEnd {
            result.hints.insert(.boldLead)
            result.boldPrefixLength = leadEnd
        }
        result.visibleCount = visible
        result.linkCount = linkCount
        result.links = links
        if let first {
            let low = max(1, first.line - first.newlines + first.before)
            result.startLineRange = low...max(low, first.line + first.before)
        }
        if let last {
            let low = max(result.startLineRange.lowerBound, last.line - last.newlines + last.before)
            result.endLineRange = low...max(low, last.line + last.before)
        }
        return result
    }
}

/// A data-table row being read: one accumulator per cell.
private struct RowAccumulator {
    let owner: Int
    var cells: [PageLine?] = []
    var cell = LineAccumulator()
    var links: [String] = []
    private var cellOpen = false

    init(owner: Int) { self.owner = owner }

    mutating func startCell() {
        if cellOpen { finishCell() }
        cell = LineAccumulator()
        cellOpen = true
    }

    mutating func finishCell() {
        cells.append(cell.render())
        cell = LineAccumulator()
        cellOpen = false
    }

    mutating func render() -> PageLine? {
        if cellOpen { finishCell() }
        let texts = cells.map { $0?.text ?? "" }
        let joined = texts.joined(separator: "\t").trimmingCharacters(in: .whitespaces)
        guard !joined.isEmpty else { return nil }
        let present = cells.compactMap { $0 }
        var line = PageLine(text: joined, owner: owner)
        line.hints = [.tableRow]
        if !present.isEmpty, present.allSatisfy({ $0.hints.contains(.bold) }) { line.hints.insert(.bold) }
        line.cells = texts
        line.visibleCount = present.reduce(0) { $0 + $1.visibleCount }
        line.linkCount = present.reduce(0) { $0 + $1.linkCount }
        line.links = links
        if let first = present.first, let last = present.last {
            line.startLineRange = first.startLineRange
            line.endLineRange = last.endLineRange
        }
        return line
    }
}

private extension Character {
    /// East Asian wide: Hanzi, kana, Hangul, full-width forms and CJK punctuation.
    var isWide: Bool {
        guard let scalar = unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}
