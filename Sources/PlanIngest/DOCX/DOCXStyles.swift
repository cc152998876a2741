import Foundation

/// A reference from a paragraph (or its style) to a numbering definition: `w:numPr`.
struct NumberingReference: Hashable {
    /// `w:numId`; "0" removes the numbering a style would give.
    var numID: String?
    /// `w:ilvl`, 0-based; nil when the reference names none (the level is then the one linked to the style).
    var level: Int?

    init?(_ numPr: XMLElement?) {
        guard let numPr else { return nil }
        numID = numPr.child("numId")?.attribute("val")
        level = numPr.child("ilvl")?.attribute("val").flatMap { Int($0) }
        if numID == nil && level == nil { return nil }
    }
}

/// The paragraph and run properties PlanKB reads (`w:pPr`, `w:rPr`), as set directly or by a style.
struct ParagraphProperties {
    /// `w:outlineLvl`: 0–8 is an outline level, 9 is body text.
    var outlineLevel: Int?
    var numbering: NumberingReference?
    /// `w:jc`: center, right, end, both, left …
    var justification: String?
    var bold: Bool?
    var hidden: Bool?

    init(paragraph pPr: XMLElement?) {
        outlineLevel = pPr?.child("outlineLvl")?.attribute("val").flatMap { Int($0) }
        numbering = NumberingReference(pPr?.child("numPr"))
        justification = pPr?.child("jc")?.attribute("val")
    }

    init(run rPr: XMLElement?) {
        bold = Self.toggle(rPr?.child("b"))
        hidden = Self.toggle(rPr?.child("vanish"))
    }

    /// A toggle property: present without `w:val` (or with true, 1, on) is on; 0, false, off is off.
    static func toggle(_ element: XMLElement?) -> Bool? {
        guard let element else { return nil }
        guard let value = element.attribute("val")?.lowercased() else { return true }
        return !["0", "false", "off", "none"].contains(value)
    }
}

/// `word/styles.xml`: what a paragraph or run inherits from its style, through `w:basedOn` chains.
///
/// Styles are looked up by `w:styleId` but understood by `w:name`, because WPS Office writes numeric ids
/// ("2" for 标题 1) and localised Word writes ids such as "1" or "a": "heading N" / "标题 N" (and "Title" /
/// "标题") are headings whatever the id.
struct DOCXStyles {
    struct Style {
        var id: String
        var name: String
        var basedOn: String?
        var type: String
        var paragraph: ParagraphProperties
        var run: ParagraphProperties
    }

    /// What a paragraph style and its ancestors give, resolved once per style.
    struct Resolved {
        /// 1 = top; from the name (heading N) or `w:outlineLvl`.
        var headingLevel: Int?
        var numbering: NumberingReference?
        /// The style in the chain that carries `numbering` (a list level may name it in `w:pStyle`).
        var numberingStyleID: String?
        var justification: String?
        var bold: Bool
        var hidden: Bool
        /// A table-of-contents entry style ("toc 1", "目录 1").
        var isTOCEntry: Bool
    }

    private var styles: [String: Style] = [:]
    private var defaultParagraphStyle: String?
    private var defaultBold = false
    private var cache: [String: Resolved] = [:]

    init() {}

    init(_ root: XMLElement) {
        for element in root.children("style") {
            guard let id = element.attribute("styleId") else { continue }
            let style = Style(id: id, name: element.child("name")?.attribute("val") ?? id,
                              basedOn: element.child("basedOn")?.attribute("val"),
                              type: element.attribute("type") ?? "paragraph",
                              paragraph: ParagraphProperties(paragraph: element.child("pPr")),
                              run: ParagraphProperties(run: element.child("rPr")))
            styles[id] = style
            if style.type == "paragraph", let isDefault = element.attribute("default"), ["1", "true", "on"].contains(isDefault) {
                defaultParagraphStyle = id
            }
        }
        let defaults = root.child("docDefaults")?.child("rPrDefault")?.child("rPr")
        defaultBold = ParagraphProperties(run: defaults).bold ?? false
    }

    /// The heading level a style name gives: "heading 2", "Heading 2", "标题 2", "标题2" → 2; "Title", "标题" → 1.
    static func headingLevel(ofName name: String) -> Int? {
        let lowered = name.lowercased().trimmingCharacters(in: .whitespaces)
        if lowered == "title" || lowered == "标题" { return 1 }
        for prefix in ["heading", "标题"] where lowered.hasPrefix(prefix) {
            let rest = lowered.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
            if let level = Int(rest), (1...9).contains(level) { return level }
        }
        return nil
    }

    static func isTOCEntry(name: String) -> Bool {
        let lowered = name.lowercased()
        for prefix in ["toc ", "toc", "目录 ", "目录"] where lowered.hasPrefix(prefix) {
            if Int(lowered.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)) != nil { return true }
        }
        return lowered == "toc heading"
    }

    /// The chain from a style up through `w:basedOn`, nearest first; cycles and unknown ids end it.
    private func chain(_ id: String?) -> [Style] {
        var result: [Style] = []
        var seen: Set<String> = []
        var next = id
        while let current = next, !seen.contains(current), let style = styles[current], result.count < 32 {
            seen.insert(current)
            result.append(style)
            next = style.basedOn
        }
        return result
    }

    /// What the paragraph style `id` (or the default paragraph style) gives.
    mutating func resolved(paragraphStyle id: String?) -> Resolved {
        let key = id ?? defaultParagraphStyle ?? ""
        if let cached = cache[key] { return cached }
        let chain = chain(id ?? defaultParagraphStyle)
        var resolved = Resolved(headingLevel: nil, numbering: nil, numberingStyleID: nil, justification: nil,
                                bold: defaultBold, hidden: false, isTOCEntry: false)
        // The nearest style that says anything about headings decides: a name, or an outline level.
        for style in chain {
            if let level = Self.headingLevel(ofName: style.name) {
                resolved.headingLevel = level
                break
            }
            if let outline = style.paragraph.outlineLevel {
                resolved.headingLevel = (0...8).contains(outline) ? outline + 1 : nil
                break
            }
        }
        resolved.isTOCEntry = chain.first.map { Self.isTOCEntry(name: $0.name) } ?? false
        if let owner = chain.first(where: { $0.paragraph.numbering != nil }) {
            resolved.numbering = owner.paragraph.numbering
            resolved.numberingStyleID = owner.id
        }
        resolved.justification = chain.lazy.compactMap(\.paragraph.justification).first
        if let bold = chain.lazy.compactMap(\.run.bold).first { resolved.bold = bold }
        resolved.hidden = chain.lazy.compactMap(\.run.hidden).first ?? false
        cache[key] = resolved
        return resolved
    }

    /// Whether the character style `id` (`w:rStyle`) sets bold, and to what; nil when it does not say.
    func bold(characterStyle id: String?) -> Bool? {
        guard let id else { return nil }
        return chain(id).lazy.compactMap(\.run.bold).first
    }

    func hidden(characterStyle id: String?) -> Bool? {
        guard let id else { return nil }
        return chain(id).lazy.compactMap(\.run.hidden).first
    }

    /// The numbering a numbering style (`w:numStyleLink`) stands for.
    func numbering(ofStyle id: String) -> NumberingReference? {
        chain(id).lazy.compactMap(\.paragraph.numbering).first
    }
}
