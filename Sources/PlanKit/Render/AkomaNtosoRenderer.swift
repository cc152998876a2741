/// A document as Akoma Ntoso 3.0 XML (OASIS LegalDocML): an `act` for laws (documents with articles 条),
/// a `doc` for plans, programmes, opinions and reports, with `meta` (FRBR identification, a `proprietary`
/// block for 文号 / 索引号 / issuer), `preface` (title, 文号) and a body whose elements carry the tree's ids
/// as `eId`, so that a link into the JSON, the Markdown or the XML names the same node.
///
/// Pure string generation: every text and attribute is escaped, and characters XML 1.0 forbids (control
/// characters scraped pages sometimes hold) are dropped, so the output is always well-formed.
public enum AkomaNtosoRenderer {
    /// The namespace of Akoma Ntoso 3.0.
    public static let namespace = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
    /// The namespace of PlanKB's own elements inside `proprietary`.
    public static let proprietaryNamespace = "https://plankb.example/ns/akn"

    public static func render(_ document: PlanDocument) -> String {
        var writer = XMLWriter()
        let isAct = document.root.descendants.contains { $0.kind == .article }
        writer.raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        writer.open("akomaNtoso", ["xmlns": namespace])
        if isAct {
            writer.open("act", ["name": "act"])
        } else {
            writer.open("doc", ["name": documentName(for: document.metadata.title ?? document.root.heading)])
        }
        renderMeta(document, type: isAct ? "act" : "doc", into: &writer)
        renderPreface(document, into: &writer)
        let bodyName = isAct ? "body" : "mainBody"
        writer.open(bodyName)
        let parts = document.root.children.filter { $0.kind != .lead && $0.kind != .clause }
        if parts.isEmpty {
            // The content model wants something in the body; an empty document says so.
            writer.element("p", text: "")
        }
        for node in parts { renderNode(node, into: &writer) }
        writer.close(bodyName)
        writer.close(isAct ? "act" : "doc")
        writer.close("akomaNtoso")
        return writer.output
    }

    /// The `name` of a `doc`, from the kind of document its title declares (规划 plan, 方案 programme…).
    static func documentName(for title: String?) -> String {
        guard let title else { return "document" }
        let names: [(suffix: String, name: String)] = [
            ("规划", "plan"), ("纲要", "plan"), ("计划", "plan"), ("方案", "programme"), ("意见", "opinion"),
            ("报告", "report"), ("通知", "notice"), ("决定", "decision"), ("办法", "measures"), ("条例", "regulation"),
        ]
        // The document type is the last of these words in the title: 《关于…规划的通知》 is a notice.
        var best: (position: String.Index, name: String)?
        for (word, name) in names {
            if let range = title.range(of: word, options: .backwards), best == nil || range.lowerBound > best!.position {
                best = (range.lowerBound, name)
            }
        }
        return best?.name ?? "document"
    }

    // MARK: meta

    private static func renderMeta(_ document: PlanDocument, type: String, into writer: inout XMLWriter) {
        let metadata = document.metadata
        let date = metadata.date ?? metadata.writtenDate
        let workURI = "/akn/cn/\(type)/\(date ?? "undated")/\(workName(metadata))"
        let expressionURI = workURI + "/zho" + (date.map { "@" + $0 } ?? "")
        writer.open("meta")
        writer.open("identification", ["source": "#plankb"])

        writer.open("FRBRWork")
        writer.empty("FRBRthis", ["value": workURI + "/!main"])
        writer.empty("FRBRuri", ["value": workURI])
        if let written = metadata.writtenDate ?? date { writer.empty("FRBRdate", ["date": written, "name": "adoption"]) }
        writer.empty("FRBRauthor", ["href": metadata.issuer == nil ? "#plankb" : "#issuer"])
        writer.empty("FRBRcountry", ["value": "cn"])
        if let number = metadata.documentNumber { writer.empty("FRBRnumber", ["value": number]) }
        if let title = metadata.title ?? document.root.heading { writer.empty("FRBRname", ["value": title]) }
        writer.close("FRBRWork")

        writer.open("FRBRExpression")
        writer.empty("FRBRthis", ["value": expressionURI + "/!main"])
        writer.empty("FRBRuri", ["value": expressionURI])
        if let date { writer.empty("FRBRdate", ["date": date, "name": "publication"]) }
        writer.empty("FRBRauthor", ["href": metadata.issuer == nil ? "#plankb" : "#issuer"])
        writer.empty("FRBRlanguage", ["language": "zho"])
        writer.close("FRBRExpression")

        writer.open("FRBRManifestation")
        writer.empty("FRBRthis", ["value": expressionURI + "/!main.xml"])
        writer.empty("FRBRuri", ["value": expressionURI + ".akn"])
        // The manifestation date is the expression's, not the time of conversion: the output stays the same
        // from run to run.
        if let date { writer.empty("FRBRdate", ["date": date, "name": "transformation"]) }
        writer.empty("FRBRauthor", ["href": "#plankb"])
        if let source = metadata.url ?? metadata.source { writer.empty("FRBRportion", ["showAs": source]) }
        writer.close("FRBRManifestation")
        writer.close("identification")

        writer.open("references", ["source": "#plankb"])
        writer.empty("TLCOrganization", ["eId": "plankb", "href": "/ontology/organization/plankb", "showAs": "PlanKB"])
        if let issuer = metadata.issuer {
            writer.empty("TLCOrganization", ["eId": "issuer", "href": "/ontology/organization/cn/" + issuer, "showAs": issuer])
        }
        writer.close("references")

        writer.open("proprietary", ["source": "#plankb"])
        writer.open("plankb:metadata", ["xmlns:plankb": proprietaryNamespace])
        let fields: [(String, String?)] = [
            ("title", metadata.title), ("documentNumber", metadata.documentNumber), ("indexNumber", metadata.indexNumber),
            ("issuer", metadata.issuer), ("date", metadata.date), ("writtenDate", metadata.writtenDate),
            ("subject", metadata.subject), ("source", metadata.source), ("url", metadata.url),
            ("encoding", metadata.encoding),
        ]
        for case let (name, value?) in fields { writer.element("plankb:" + name, text: value) }
        if let crumbs = metadata.breadcrumb {
            writer.open("plankb:breadcrumb")
            for crumb in crumbs { writer.element("plankb:crumb", text: crumb) }
            writer.close("plankb:breadcrumb")
        }
        writer.close("plankb:metadata")
        writer.close("proprietary")
        writer.close("meta")
    }

    /// The work's name in its FRBR URI: the 文号 when there is one, else the source file's name.
    private static func workName(_ metadata: Metadata) -> String {
        if let number = metadata.documentNumber { return number.filter { !$0.isWhitespace && $0 != "/" } }
        guard let source = metadata.source else { return "untitled" }
        var name = Substring(source)
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            let suffix = name[dot...].split(separator: "#", maxSplits: 1)
            name = name[..<dot] + (suffix.count == 2 ? "-" + suffix[1] : "")
        }
        return String(name).replacingAll("#", with: "-").filter { !$0.isWhitespace }
    }

    private static func renderPreface(_ document: PlanDocument, into writer: inout XMLWriter) {
        let title = document.metadata.title ?? document.root.heading
        guard title != nil || document.metadata.documentNumber != nil else { return }
        writer.open("preface")
        if let title {
            writer.open("p", ["class": "title"])
            writer.element("docTitle", text: title)
            writer.close("p")
        }
        if let number = document.metadata.documentNumber {
            writer.open("p", ["class": "number"])
            writer.element("docNumber", text: number)
            writer.close("p")
        }
        writer.close("preface")
    }

    // MARK: body

    /// The Akoma Ntoso element of a node kind; kinds without one become `hcontainer` with the kind as name.
    static func elementName(for kind: NodeKind) -> String? {
        switch kind {
        case .part: "part"
        case .subpart: "subpart"
        case .chapter: "chapter"
        case .section: "section"
        case .article: "article"
        case .paragraph: "paragraph"
        case .division: "division"
        case .item: "item"
        case .point: "point"
        default: nil
        }
    }

    private static func renderNode(_ node: Node, into writer: inout XMLWriter) {
        let structural = node.children.filter { $0.kind != .lead && $0.kind != .clause }
        let sentences = node.children.filter { $0.kind == .lead || $0.kind == .clause }
        var attributes = ["eId": node.id]
        let name: String
        if let known = elementName(for: node.kind) {
            name = known
        } else {
            name = "hcontainer"
            attributes["name"] = node.kind.rawValue
        }
        writer.open(name, attributes)
        if let label = node.label { writer.element("num", text: label) }
        if let heading = node.heading { writer.element("heading", text: heading) }
        let text = bodyText(of: node)
        if structural.isEmpty {
            // A leaf: its text, with its sentences as spans carrying their own ids when they tile it.
            if !text.isEmpty || node.heading == nil {
                writer.open("content")
                renderParagraphText(text, sentences: sentences, into: &writer)
                writer.close("content")
            }
        } else {
            // An article's text is its first paragraph's (款) text; the paragraph carries it, once.
            let repeatedByChild = structural.first.map { $0.text == text || bodyText(of: $0) == text } ?? false
            if !text.isEmpty, !repeatedByChild, !node.kind.isContainer || node.kind == .preamble || node.kind == .closing {
                writer.open("intro")
                renderParagraphText(text, sentences: sentences, into: &writer)
                writer.close("intro")
            }
            for child in structural { renderNode(child, into: &writer) }
        }
        writer.close(name)
    }

    /// The text a node holds beyond its number and heading.
    static func bodyText(of node: Node) -> String {
        if node.kind.isContainer && node.kind != .preamble && node.kind != .closing && node.kind != .attachment {
            return ""
        }
        var text = Substring(node.text)
        if let label = node.label, text.hasPrefix(label) { text = text.dropFirst(label.count) }
        let trimmed = text.drop(while: { $0 == " " || $0 == "\u{3000}" })
        if let heading = node.heading, trimmed == heading { return "" }
        return String(trimmed)
    }

    private static func renderParagraphText(_ text: String, sentences: [Node], into writer: inout XMLWriter) {
        writer.indent()
        writer.raw("<p>")
        // Sentences become spans only when they rebuild the text exactly, so that no character is lost.
        // Compared as bytes: the sentences are slices of the paragraph's text.
        let joined = sentences.map(\.text).joined()
        if !sentences.isEmpty, text.utf8HasSuffix(joined) {
            writer.text(String(decoding: text.utf8.dropLast(joined.utf8.count), as: UTF8.self))
            for sentence in sentences {
                writer.raw("<span eId=\"\(XMLWriter.escapeAttribute(sentence.id))\">")
                writer.text(sentence.text)
                writer.raw("</span>")
            }
        } else {
            writer.text(text)
        }
        writer.raw("</p>\n")
    }
}

/// Builds indented XML text; escapes every text and attribute value and drops characters XML 1.0 forbids.
struct XMLWriter {
    private(set) var output = ""
    private var depth = 0

    mutating func raw(_ text: String) { output += text }

    mutating func text(_ text: String) { output += XMLWriter.escapeText(text) }

    mutating func open(_ name: String, _ attributes: [String: String] = [:]) {
        indent()
        output += "<" + name + XMLWriter.attributes(attributes) + ">\n"
        depth += 1
    }

    mutating func close(_ name: String) {
        depth -= 1
        indent()
        output += "</" + name + ">\n"
    }

    mutating func empty(_ name: String, _ attributes: [String: String]) {
        indent()
        output += "<" + name + XMLWriter.attributes(attributes) + "/>\n"
    }

    mutating func element(_ name: String, text: String) {
        indent()
        output += "<" + name + ">" + XMLWriter.escapeText(text) + "</" + name + ">\n"
    }

    /// Starts a line at the current depth, for inline content written with `raw` and `text`.
    mutating func indent() {
        output += String(repeating: "  ", count: depth)
    }

    /// Attributes in a stable order (sorted by name, namespace declarations first), so output is deterministic.
    private static func attributes(_ attributes: [String: String]) -> String {
        attributes.sorted { ($0.key.hasPrefix("xmlns") ? 0 : 1, $0.key) < ($1.key.hasPrefix("xmlns") ? 0 : 1, $1.key) }
            .map { " \($0.key)=\"\(escapeAttribute($0.value))\"" }.joined()
    }

    static func escapeText(_ text: String) -> String { escape(text, inAttribute: false) }

    static func escapeAttribute(_ text: String) -> String { escape(text, inAttribute: true) }

    /// `&`, `<`, `>` always; in attributes also `"` and the line breaks and tabs a parser would turn into
    /// spaces. Characters XML 1.0 forbids are dropped (HTML escaping, as in the diff page, keeps them).
    private static func escape(_ text: String, inAttribute: Bool) -> String {
        guard needsEscaping(text, inAttribute: inAttribute) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars where isAllowed(scalar) {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"" where inAttribute: result += "&quot;"
            case "\n" where inAttribute: result += "&#10;"
            case "\r" where inAttribute: result += "&#13;"
            case "\t" where inAttribute: result += "&#9;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Whether `escape` would change `text`: one of & < > (and in attributes " and the line breaks and tab), a
    /// control character XML forbids, or U+FFFE / U+FFFF (EF BF BE, EF BF BF in UTF-8). Most texts have none.
    private static func needsEscaping(_ text: String, inAttribute: Bool) -> Bool {
        var previous: (UInt8, UInt8) = (0, 0)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"): return true
            case UInt8(ascii: "\""), 0x9, 0xA, 0xD: if inAttribute { return true }
            case ..<0x20: return true
            case 0xBE, 0xBF: if previous == (0xEF, 0xBF) { return true }
            default: break
            }
            previous = (previous.1, byte)
        }
        return false
    }

    /// XML 1.0's Char production: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000 and above.
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
