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
            if style.inLink, let href = style.href, (row?.links.count ?? 0) < 32 { row?.links.append(href) }
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
        if style.inLink, let href = style.href, line.links.count < 32, !line.links.contains(href) {
            line.links.append(href)
        }
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
        if line.isCaption || (line.followsImage == true && Self.looksLikeCaption(result)) {
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

    /// A short line under an image, centred or starting with 图, that is not a numbered heading
    /// (`第二章…`, `一、…`, `（一）…`) and does not end like a sentence.
    private static func looksLikeCaption(_ line: PageLine) -> Bool {
        let text = line.text
        guard text.count <= 60, let last = text.last, !"。；，,;：:".contains(last) else { return false }
        guard line.hints.contains(.centered) || text.hasPrefix("图") else { return false }
        return text.prefixMatch(of: numberedHeading) == nil
    }

    private static var numberedHeading: Regex<Substring> {
        /第[一二三四五六七八九十百零〇0-9]+[章节条编]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、．]/
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
            // Only the attributes looked at below are turned into strings.
            guard Self.namesRead.contains(attributeName) else { continue }
            var value = ""
            if let child = current.pointee.children, let content = child.pointee.content {
                value = String(cString: content)
            }
            switch attributeName {
            case "id": id = value
            case "class": className = value
            case "style":
                // ASCII-lowercased, white space dropped: `font-weight:bold;text-align:center`.
                style = String(unsafeUninitializedCapacity: value.utf8.count) { buffer in
                    var length = 0
                    var source = value
                    source.withUTF8 { bytes in
                        for byte in bytes {
                            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C { continue }
                            buffer[length] = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
                            length += 1
                        }
                    }
                    return length
                }
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

    private static let namesRead: Set<String> = [
        "id", "class", "style", "align", "href", "name", "property", "http-equiv", "content", "hidden",
    ]

    var isHidden: Bool {
        if hiddenAttribute { return true }
        // "hide" and "hidden" have no other canonical forms, so a class list without the bytes "hid" holds neither.
        if let className, className.containsBytes(of: "hid"),
           className.split(separator: " ").contains(where: { $0 == "hide" || $0 == "hidden" }) {
            return true
        }
        guard let style, style.utf8.count >= 11 else { return false }
        return style.containsBytes(of: "display:none") || style.containsBytes(of: "visibility:hidden")
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
        // On a table or an image, `align` floats the box; it does not align the text inside.
        if let align = attributes.align, tag != "table", tag != "img" {
            switch align {
            case "center", "middle": style.align = .center
            case "right": style.align = .right
            case "left", "justify": style.align = .left
            default: break
            }
        }
        // font-weight, text-align and text-indent all hold the bytes "t-" (their letters have no other
        // canonical forms), so most styles — fonts, sizes, margins — are passed over without parsing.
        if let css = attributes.style, css.containsBytes(of: "t-") {
            let (plain, declarations) = Self.declarations(in: css)
            // In plain text a character is one scalar, so the bytes of ASCII words compare as the characters do.
            func starts(_ value: Substring, _ word: String) -> Bool { plain ? value.utf8.starts(with: word.utf8) : value.hasPrefix(word) }
            func isOne(_ value: Substring, of words: [Substring]) -> Bool {
                plain ? words.contains { value.utf8.elementsEqual($0.utf8) } : words.contains(value)
            }
            for (property, value) in declarations {
                switch property {
                case .fontWeight:
                    if starts(value, "bold") || isOne(value, of: ["600", "700", "800", "900"]) { style.bold = true }
                    if starts(value, "normal") || starts(value, "lighter")
                        || isOne(value, of: ["100", "200", "300", "400", "500"]) { style.bold = false }
                case .textAlign:
                    if starts(value, "center") { style.align = .center }
                    else if starts(value, "right") { style.align = .right }
                    else if starts(value, "left") || starts(value, "justify") { style.align = .left }
                case .textIndent:
                    style.textIndent = !(starts(value, "0") || starts(value, "-") || value.isEmpty)
                }
            }
        }
        return style
    }

    /// The properties `applying` reads.
    enum Property: CaseIterable {
        case fontWeight, textAlign, textIndent

        var name: String {
            switch self {
            case .fontWeight: "font-weight"
            case .textAlign: "text-align"
            case .textIndent: "text-indent"
            }
        }
    }

    /// The `property:value` declarations of a style attribute that set one of `Property`'s, each value cut at
    /// `!important`; declarations without a colon are skipped. `plain` says whether `css` is plain text.
    ///
    /// Plain text (see `PlainText`) is read on its UTF-8 bytes — there `;`, `:` and `!` are always characters
    /// of their own, and a property's bytes are its characters — and anything else on `Character`s, with the
    /// same result.
    static func declarations(in css: String) -> (plain: Bool, [(property: Property, value: Substring)]) {
        var result: [(property: Property, value: Substring)] = []
        if PlainText.isPlain(css) {
            var css = css
            let ranges = css.withUTF8 { bytes in
                var ranges: [(property: Property, value: Range<Int>)] = []
                var start = 0
                while start < bytes.count {
                    var end = start
                    while end < bytes.count, bytes[end] != UInt8(ascii: ";") { end += 1 }
                    var colon = start
                    while colon < end, bytes[colon] != UInt8(ascii: ":") { colon += 1 }
                    if colon < end, let property = Property.allCases.first(where: { $0.name.utf8.elementsEqual(bytes[start..<colon]) }) {
                        var bang = colon + 1
                        while bang < end, bytes[bang] != UInt8(ascii: "!") { bang += 1 }
                        ranges.append((property, (colon + 1)..<bang))
                    }
                    start = end + 1
                }
                return ranges
            }
            let utf8 = css.utf8
            return (true, ranges.map { property, range in
                (property, css[utf8.index(utf8.startIndex, offsetBy: range.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: range.upperBound)])
            })
        }
        for declaration in css.split(separator: ";") {
            guard let colon = declaration.firstIndex(of: ":"),
                  let property = Property.allCases.first(where: { declaration[..<colon] == $0.name }) else { continue }
            var value = declaration[declaration.index(after: colon)...]
            if let bang = value.firstIndex(of: "!") { value = value[..<bang] }
            result.append((property, value))
        }
        return (false, result)
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
        // One pass over the UTF-8: newlines, and where the visible text starts and ends. NBSP (C2 A0) and
        // U+3000 (E3 80 80) are white space here, as in HTML rendering.
        var newlines = 0
        var firstVisibleNewlines: Int?
        var lastVisibleNewlines = 0
        var visible = 0
        var utf8 = text.utf8.makeIterator()
        var pending: [UInt8] = []
        while let byte = utf8.next() {
            switch byte {
            case 0x0A: newlines += 1
            case 0x20, 0x09, 0x0D, 0x0C: break
            case 0xC2, 0xE3:
                // Possibly the start of NBSP or U+3000: look at what follows.
                pending = [byte]
                var isSpace = false
                if byte == 0xC2, let next = utf8.next() {
                    pending.append(next)
                    isSpace = next == 0xA0
                } else if byte == 0xE3, let second = utf8.next(), let third = utf8.next() {
                    pending += [second, third]
                    isSpace = second == 0x80 && third == 0x80
                }
                if !isSpace {
                    visible += 1
                    if firstVisibleNewlines == nil { firstVisibleNewlines = newlines }
                    lastVisibleNewlines = newlines
                }
            default:
                if byte & 0xC0 != 0x80 {  // count characters, not continuation bytes
                    visible += 1
                    if firstVisibleNewlines == nil { firstVisibleNewlines = newlines }
                    lastVisibleNewlines = newlines
                }
            }
        }
        guard visible > 0, let firstVisible = firstVisibleNewlines else { return }
        visibleCount += visible
        if first == nil { first = (sourceLine, newlines, firstVisible) }
        last = (sourceLine, newlines, lastVisibleNewlines)
    }

    mutating func appendSoftBreak() { runs.append((" ", false, false)) }

    /// The line as text with hints; nil when nothing visible remains.
    ///
    /// Works on Unicode scalars (grapheme clusters only matter for the bold prefix, counted at the end):
    /// runs of ASCII white space collapse to one space, dropped between two wide characters when they hold
    /// a line break (CSS Text 3); NBSP and U+3000 are kept inside the text and, at its start, mark it
    /// indented.
    func render() -> PageLine? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(runs.reduce(0) { $0 + $1.text.utf8.count })
        var pendingSpace = false
        var pendingBreak = false
        var linkCount = 0
        var previous: Unicode.Scalar?
        // Byte offsets: start of the first visible scalar, end of the last, end of the leading bold run.
        var firstVisible: Int?
        var lastVisibleEnd = 0
        var allBold = true
        var inLead = true
        var leadEnd: Int?
        var visible = 0
        for run in runs {
            for scalar in run.text.unicodeScalars {
                switch scalar.value {
                case 0x20, 0x09, 0x0C:
                    pendingSpace = true
                    continue
                case 0x0A, 0x0D, 0x0B, 0x85, 0x2028, 0x2029:
                    pendingSpace = true
                    pendingBreak = true
                    continue
                case 0xFEFF, 0x200B, 0x00AD:
                    continue  // invisible: a stray byte-order mark, zero-width space, soft hyphen
                default:
                    break
                }
                if pendingSpace, let previous {
                    if !(pendingBreak && previous.isWide && scalar.isWide) { bytes.append(0x20) }
                }
                pendingSpace = false
                pendingBreak = false
                let start = bytes.count
                if scalar.value < 0x80 {
                    bytes.append(UInt8(scalar.value))
                } else {
                    UTF8.encode(scalar) { bytes.append($0) }
                }
                previous = scalar
                if !scalar.isWhiteSpace {
                    if firstVisible == nil { firstVisible = start }
                    lastVisibleEnd = bytes.count
                    visible += 1
                    if run.link { linkCount += 1 }
                    if run.bold {
                        if inLead { leadEnd = bytes.count }
                    } else {
                        allBold = false
                        inLead = false
                    }
                }
            }
        }
        guard let start = firstVisible else { return nil }
        let text = String(decoding: bytes[start..<lastVisibleEnd], as: UTF8.self)
        var result = PageLine(text: text, owner: 0)
        if start > 0, bytes[..<start].contains(where: { $0 != 0x20 }) { result.hints.insert(.indented) }
        if allBold {
            result.hints.insert(.bold)
        } else if let leadEnd {
            result.hints.insert(.boldLead)
            result.boldPrefixLength = String(decoding: bytes[start..<leadEnd], as: UTF8.self).count
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

private extension Unicode.Scalar {
    /// East Asian wide: Hanzi, kana, Hangul, full-width forms and CJK punctuation.
    var isWide: Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }

    /// White space, with a fast answer for the common cases (ASCII letters, Hanzi).
    var isWhiteSpace: Bool {
        if value > 0x20 && value < 0x7F { return false }
        if value >= 0x4E00 && value <= 0x9FFF { return false }
        return properties.isWhitespace
    }
}
