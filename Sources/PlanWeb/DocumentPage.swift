import Foundation
import PlanIndex
import PlanKit

/// A document's page (文件): metadata, the tree as a table of contents, the text with every node id as an
/// anchor (`#chp_5__sec_4`), and the document's records as a table sorted by the column a link asks for.
struct DocumentPage {
    var document: StoredDocument
    var sort: RecordTable.Column
    var descending: Bool
    /// What the document cites and what cites it, when the knowledge base could say.
    var references: ReferenceResolver.Report?

    func render() -> String {
        let key = document.summary.key
        let title = document.metadata.title ?? document.summary.title ?? key
        var body = "<h1>\(HTML.escape(title))</h1>\n"
        body += metadataHTML
        body += "<div class=\"document\">\n<nav class=\"toc\"><h2>目录</h2>\n\(tableOfContents(document.root))</nav>\n"
        body += "<article class=\"text\">\n"
        for child in document.root.children { body += text(of: child, depth: 1) }
        body += "</article>\n</div>\n"
        body += "<h2 id=\"records\">记录（\(document.records.count)）</h2>\n"
        let csv = "/api/documents/\(HTML.pathSegment(key))/records?format=csv"
        body += "<p><a href=\"\(csv)\" download>下载 CSV</a> · <a href=\"/api/documents/\(HTML.pathSegment(key))/records\">JSON</a></p>\n"
        body += RecordTable(records: document.records, sort: sort, descending: descending)
            .render(pagePath: HTML.documentPath(key))
        if let references { body += ReferencesSection(report: references).render() }
        return HTML.page(title: title, body: body)
    }

    private var metadataHTML: String {
        let metadata = document.metadata
        let fields: [(String, String?)] = [
            ("发文机关", metadata.issuer), ("发文字号", metadata.documentNumber), ("发布日期", metadata.date),
            ("成文日期", metadata.writtenDate), ("索引号", metadata.indexNumber), ("主题分类", metadata.subject),
            ("来源", metadata.source ?? document.summary.source), ("网址", metadata.url),
            ("节点", String(document.summary.nodeCount)), ("记录", String(document.records.count)),
        ]
        var html = "<dl class=\"meta\">"
        for (label, value) in fields {
            guard let value, !value.isEmpty else { continue }
            html += "<dt>\(label)</dt><dd>\(HTML.escape(value))</dd>"
        }
        html += "<dt>对照</dt><dd><a href=\"/compare\(HTML.escape(HTML.query([("new", document.summary.key)])))\">与另一版本对照</a></dd>"
        return html + "</dl>\n"
    }

    /// Kinds that a table of contents lists: headings that structure the text.
    private static let contentsKinds: Set<NodeKind> = [.preface, .preamble, .part, .subpart, .chapter, .section,
                                                       .division, .attachment, .closing]

    private func tableOfContents(_ node: Node) -> String {
        let entries = node.children.filter { Self.contentsKinds.contains($0.kind) }
        guard !entries.isEmpty else { return "" }
        var html = "<ul>"
        for entry in entries {
            let title = entry.kind == .preface && entry.heading == nil ? "前言" : entry.kind == .preamble ? "题注" : entry.displayTitle
            html += "<li><a href=\"#\(HTML.escape(entry.id))\">\(HTML.escape(title))</a>\(tableOfContents(entry))</li>"
        }
        return html + "</ul>"
    }

    /// Whether a node's body lies in its children (an article's 款, a chapter's sections) rather than in its
    /// own text; leads and clauses only cut its own text into sentences.
    private static func hasBodyInChildren(_ node: Node) -> Bool {
        node.children.contains { $0.kind != .lead && $0.kind != .clause }
    }

    private func text(of node: Node, depth: Int) -> String {
        let id = HTML.escape(node.id)
        guard Self.hasBodyInChildren(node) else {
            return "<p id=\"\(id)\" class=\"\(node.kind.rawValue)\">\(sentences(of: node))</p>\n"
        }
        var html = "<section id=\"\(id)\" class=\"\(node.kind.rawValue)\">\n"
        let title = node.label.map { label in node.heading.map { label + " " + $0 } ?? label } ?? node.heading
        if let title {
            let level = min(6, depth + 1)
            html += "<h\(level)>\(HTML.escape(title))</h\(level)>\n"
        }
        for child in node.children { html += text(of: child, depth: depth + 1) }
        return html + "</section>\n"
    }

    /// A paragraph's text with its clauses as anchored spans (`#para_3__clause_2`) when the clauses make up the
    /// text, else the text whole with empty anchors in front, so that every clause id still leads here.
    private func sentences(of node: Node) -> String {
        let clauses = node.children.filter { $0.kind == .clause }
        let anchors = node.children.filter { $0.kind == .lead }.map { "<span id=\"\(HTML.escape($0.id))\"></span>" }.joined()
        let joined = clauses.map(\.text).joined()
        guard !clauses.isEmpty, let range = node.text.range(of: joined) else {
            return anchors + clauses.map { "<span id=\"\(HTML.escape($0.id))\"></span>" }.joined() + HTML.escape(node.text)
        }
        var html = anchors + HTML.escape(String(node.text[..<range.lowerBound]))
        html += clauses.map { "<span id=\"\(HTML.escape($0.id))\">\(HTML.escape($0.text))</span>" }.joined()
        return html + HTML.escape(String(node.text[range.upperBound...]))
    }
}

/// A document's records as a table whose column headings are links that sort it (no JavaScript needed),
/// and as CSV.
struct RecordTable {
    var records: [IndexedRecord]
    var sort: Column
    var descending: Bool

    /// The columns, by the name a `?sort=` link uses.
    enum Column: String, CaseIterable, Sendable {
        case node, type, year, text

        var heading: String {
            switch self {
            case .node: "节点"
            case .type: "类型"
            case .year: "年份"
            case .text: "原文"
            }
        }
    }

    /// The sentence a record was found in, from its JSON (`text`).
    static func text(of record: IndexedRecord) -> String {
        guard case .object(let fields)? = try? JSONDecoder().decode(JSONValue.self, from: Data(record.json.utf8)),
              case .string(let text)? = fields["text"] else { return "" }
        return text
    }

    /// The records in the order asked for; ties keep document order.
    var sorted: [IndexedRecord] {
        let indexed = Array(records.enumerated())
        func compare(_ a: (offset: Int, element: IndexedRecord), _ b: (offset: Int, element: IndexedRecord)) -> Bool {
            let order: ComparisonResult
            switch sort {
            case .node: order = a.offset < b.offset ? .orderedAscending : a.offset > b.offset ? .orderedDescending : .orderedSame
            case .type: order = a.element.type.compare(b.element.type)
            case .year:
                // Records without a year go last either way.
                switch (a.element.year, b.element.year) {
                case let (x?, y?): order = x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame
                case (nil, nil): order = .orderedSame
                case (nil, _): return false
                case (_, nil): return true
                }
            case .text: order = Self.text(of: a.element).compare(Self.text(of: b.element))
            }
            if order == .orderedSame { return a.offset < b.offset }
            return descending ? order == .orderedDescending : order == .orderedAscending
        }
        return indexed.sorted(by: compare).map(\.element)
    }

    func render(pagePath: String) -> String {
        guard !records.isEmpty else { return HTML.message("这份文件没有抽取到记录。", kind: "info") }
        var html = "<table class=\"data records\">\n<thead><tr>"
        for column in Column.allCases {
            let flips = column == sort && !descending
            let link = pagePath + HTML.query([("sort", column.rawValue), ("order", flips ? "desc" : nil)]) + "#records"
            let arrow = column == sort ? (descending ? " ▼" : " ▲") : ""
            html += "<th><a href=\"\(HTML.escape(link))\">\(column.heading)\(arrow)</a></th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for record in sorted {
            html += "<tr><td><a href=\"#\(HTML.escape(record.nodeID))\"><code>\(HTML.escape(record.nodeID))</code></a></td>"
            html += "<td>\(HTML.escape(record.type))</td><td>\(record.year.map(String.init) ?? "")</td>"
            html += "<td>\(HTML.escape(Self.text(of: record)))</td></tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    /// The records CSV every command writes (`RecordCSVExporter`), in the order shown, `source` being the
    /// document's key. A record stored by another version of the extractor, which no longer decodes, is left out.
    func csv(documentKey: String) -> String {
        let decoder = JSONDecoder()
        let rows = sorted.compactMap { stored in
            stored.record(decodingWith: decoder).map { (source: documentKey, record: $0) }
        }
        return RecordCSVExporter.render(rows)
    }
}
