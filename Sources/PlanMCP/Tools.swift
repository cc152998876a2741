import Foundation
import MCP
import PlanIndex
import PlanKit

/// One tool of the server: its definition (name, description that teaches a model to use it, input schema)
/// and what a call does. The list is `PlanKBTools.all`; the server registers nothing else.
protocol PlanKBTool {
    static var definition: Tool { get }
    static func call(_ arguments: ToolArguments, library: Library) throws -> ToolOutput
}

/// What a tool returns: readable text for the model (citations first) and the same as structured JSON.
struct ToolOutput {
    var text: String
    var structured: Value?
}

enum PlanKBTools {
    static var all: [any PlanKBTool.Type] { [SearchTool.self, ReadNodeTool.self, RecordsTool.self, DocumentsTool.self] }

    static func tool(named name: String) -> (any PlanKBTool.Type)? {
        all.first { $0.definition.name == name }
    }

    /// The query language, explained once for every tool that takes a query.
    static let queryLanguage = """
        Query language (as `plankb query`): a Chinese term matches as a contiguous string anywhere \
        (电商 finds 跨境电商), so give key terms, not questions, and do not put spaces inside a Chinese word; \
        words separated by spaces must all occur (AND); Latin letters and digits match whole words \
        (RCEP, 5G, 2025); "自由贸易 试验区" is a phrase; A OR B; A NOT B or A -B; ( ) groups; AND, OR, NOT \
        only in capitals. A malformed query comes back as an error naming its column.
        """

    /// The filters of `plankb query`, as schema properties.
    static let filterProperties: [String: Value] = [
        "document": Schema.string("Only this document: its key (from documents or a hit), or part of its title or path."),
        "type": Schema.string("Only nodes holding a record of this type.", enumeration: Record.RecordType.allCases.map(\.rawValue)),
        "year": Schema.integer("Only nodes holding a record (target, achievement …) of this year."),
        "from": Schema.integer("Only nodes holding a record of this year or later."),
        "to": Schema.integer("Only nodes holding a record of this year or earlier."),
        "issuer": Schema.string("Only documents whose issuer (发文机关) contains this text, e.g. 国务院."),
        "published_after": Schema.string("Only documents published on or after this date: YYYY, YYYY-MM or YYYY-MM-DD."),
        "published_before": Schema.string("Only documents published on or before this date: YYYY, YYYY-MM or YYYY-MM-DD."),
        "kind": Schema.strings("Only nodes of these kinds or inside one, e.g. [\"article\"] for 条 of laws.",
                               enumeration: NodeKind.allCases.map(\.rawValue)),
    ]

    /// A search request from a query and the filters, with the CLI's validation and messages.
    static func request(_ arguments: ToolArguments, limit: Int, offset: Int) throws -> SearchRequest {
        let text = try arguments.requiredString("query")
        let query: SearchQuery
        do {
            query = try SearchQuery(parsing: text)
        } catch {
            throw ToolError(Messages.queryError(error, query: text))
        }
        var kinds: [NodeKind] = []
        for name in try arguments.strings("kind") {
            guard let kind = NodeKind(rawValue: name) else {
                throw ToolError("unknown kind '\(name)'; one of: " + NodeKind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            kinds.append(kind)
        }
        let year = try arguments.integer("year"), from = try arguments.integer("from"), to = try arguments.integer("to")
        if year != nil && (from != nil || to != nil) { throw ToolError("give either year or from/to, not both") }
        if let from, let to, from > to { throw ToolError("from \(from) is after to \(to)") }
        var years: ClosedRange<Int>?
        if let year { years = year...year }
        if from != nil || to != nil { years = (from ?? Int.min)...(to ?? Int.max) }
        return SearchRequest(
            query: query, document: try arguments.string("document"), recordType: try recordType(arguments),
            recordYears: years, issuer: try arguments.string("issuer"),
            publishedAfter: try date(arguments, "published_after"),
            publishedBefore: try date(arguments, "published_before"),
            kinds: kinds, limit: limit, offset: offset)
    }

    /// The `type` filter of search and records, refused when it names no record type.
    static func recordType(_ arguments: ToolArguments) throws -> Record.RecordType? {
        guard let name = try arguments.string("type") else { return nil }
        guard let type = Record.RecordType(rawValue: name) else {
            throw ToolError("unknown type '\(name)'; one of: " + Record.RecordType.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return type
    }

    static func date(_ arguments: ToolArguments, _ name: String) throws -> PublicationDate? {
        guard let text = try arguments.string(name) else { return nil }
        guard let date = PublicationDate(text) else { throw ToolError("“\(name)” \(text) is no date; give \(PublicationDate.forms)") }
        return date
    }
}

/// How an answer quotes a node: 《title》 and the labels of the headings above it (第五章第四节, 第十二条).
enum Citation {
    /// With `pages` (a PDF's or OFD's "p. 12") after the labels: 《title》第五章第四节, p. 12.
    static func text(title: String, path: String, pages: String? = nil) -> String {
        "《\(title)》" + PathSteps.split(path).compactMap(label).joined() + (pages.map { ", " + $0 } ?? "")
    }

    /// The label of one path step when it is a numbered heading: 第五章, 第四节, 第十二条, 一、→ 一, （三）.
    static func label(_ step: String) -> String? {
        let token = String(step.prefix { !$0.isWhitespace })
        if token.hasPrefix("第"), let last = token.last, "编章节条款".contains(last) { return token }
        if token.hasPrefix("（"), token.hasSuffix("）") { return token }
        if token.hasSuffix("、"), token.count > 1 { return String(token.dropLast()) }
        if token.hasPrefix("专栏") || token.hasPrefix("附件") { return token }
        return nil
    }
}

// MARK: - search

struct SearchTool: PlanKBTool {
    static let definition = Tool(
        name: "search",
        title: "Search Chinese policy documents",
        description: """
            Full-text search over the knowledge base of Chinese policy documents (five-year plans 规划, programmes \
            方案, opinions 意见, laws 法, government work reports). Returns paragraphs, clauses and headings, best \
            first; each hit cites its document (title and key), node id, heading path (第五章 … › 第四节 … › 段2), \
            a ready citation (《title》第五章第四节) and the matched text with «» around the match. Answer with those \
            citations and quote the text; call read_node with the hit's document_key and node_id for the whole \
            text and what surrounds it, records for targets and figures.

            """ + PlanKBTools.queryLanguage,
        inputSchema: Schema.object(PlanKBTools.filterProperties.merging([
            "query": Schema.string("What to search for, e.g. 跨境电商, \"营商环境\" 优化, 金融 -贸易."),
            "limit": Schema.integer("How many hits (default 10).", minimum: 1, maximum: 50),
            "offset": Schema.integer("How many hits to skip, for the next page.", minimum: 0),
        ]) { first, _ in first }, required: ["query"]),
        annotations: .init(readOnlyHint: true, openWorldHint: false)
    )

    struct Hit: Codable {
        var rank: Int
        var documentKey: String
        var documentTitle: String
        var issuer: String?
        var date: String?
        var nodeID: String
        var kind: String
        var path: String
        var citation: String
        var match: String
        var text: String
        var records: [String]
    }

    static func call(_ arguments: ToolArguments, library: Library) throws -> ToolOutput {
        let limit = try arguments.integer("limit", default: 10, in: 1...50)
        let offset = try arguments.integer("offset", default: 0, in: 0...100_000)
        let request = try PlanKBTools.request(arguments, limit: limit, offset: offset)
        let hits = try library.knowledgeBase.search(request).enumerated().map { index, hit in
            Hit(rank: offset + index + 1, documentKey: hit.documentKey, documentTitle: hit.documentTitle,
                issuer: hit.issuer, date: hit.date, nodeID: hit.nodeID, kind: hit.kind, path: hit.path,
                citation: Citation.text(title: hit.documentTitle, path: hit.path, pages: hit.pageCitation),
                match: hit.snippet.rendered(open: "«", close: "»"),
                text: (try? library.knowledgeBase.nodeText(documentKey: hit.documentKey, nodeID: hit.nodeID)) ?? hit.snippet.text,
                records: hit.records.map { "\($0.type)\($0.year.map { " \($0)" } ?? "")" })
        }
        var text = hits.isEmpty ? "No hits for \(try arguments.requiredString("query")).\n" : ""
        for hit in hits {
            text += "[\(hit.rank)] \(hit.citation)\n"
            text += "    document_key: \(hit.documentKey)   node_id: \(hit.nodeID)   (\(hit.kind))\n"
            text += "    path: \(hit.path)\n"
            text += "    match: \(hit.match.replacingOccurrences(of: "\n", with: " "))\n"
            if !hit.records.isEmpty { text += "    records: \(hit.records.joined(separator: ", "))\n" }
        }
        if hits.count == limit { text += "(more hits may follow: offset \(offset + limit))\n" }
        return ToolOutput(text: text, structured: try Value(["hits": hits]))
    }
}

// MARK: - read_node

struct ReadNodeTool: PlanKBTool {
    static let definition = Tool(
        name: "read_node",
        title: "Read a node of a document",
        description: """
            Reads one node of a document — a chapter, section, article (条), paragraph (款/段) or clause — by the \
            document_key and node_id a search hit gives, with its heading path, citation and full text. \
            context gives the text of that many nodes before and after it (its siblings), so a clause can be \
            read in its paragraph; include "children" lists what is inside (id, kind, title, first words), to \
            walk a chapter or the whole document (node_id "doc" is the document: its metadata and top level).
            """,
        inputSchema: Schema.object([
            "document_key": Schema.string("The document's key, from a search hit or the documents tool."),
            "node_id": Schema.string("The node's id, e.g. chp_5__sec_4__para_2 or art_12; \"doc\" for the whole document."),
            "include": Schema.string("text (default): the node's text; children: also the list of its children.",
                                     enumeration: ["text", "children"]),
            "context": Schema.integer("How many sibling nodes before and after to give (default 1, 0 for none).",
                                      minimum: 0, maximum: 10),
        ], required: ["document_key", "node_id"]),
        annotations: .init(readOnlyHint: true, openWorldHint: false)
    )

    struct Child: Codable {
        var nodeID: String
        var kind: String
        var title: String
        var excerpt: String
    }

    struct Neighbour: Codable {
        var nodeID: String
        var text: String
    }

    struct Result: Codable {
        var documentKey: String
        var documentTitle: String
        var nodeID: String
        var kind: String
        var title: String?
        var path: String
        var citation: String
        var text: String
        /// Whether `text` stops at `maximumText` characters (read the children for the rest).
        var truncated: Bool
        var span: SourceSpan
        var before: [Neighbour]
        var after: [Neighbour]
        var children: [Child]?
    }

    /// A chapter read whole can be tens of thousands of characters; beyond this the model reads its children.
    static let maximumText = 6_000

    static func call(_ arguments: ToolArguments, library: Library) throws -> ToolOutput {
        let key = try arguments.requiredString("document_key")
        let nodeID = try arguments.requiredString("node_id")
        let include = try arguments.string("include") ?? "text"
        guard ["text", "children"].contains(include) else { throw ToolError("include must be text or children") }
        let context = try arguments.integer("context", default: 1, in: 0...10)
        let document = try library.document(key)
        let root = document.stored.root
        let isRoot = nodeID == "doc" || nodeID.isEmpty
        guard let node = isRoot ? root : root.node(withID: nodeID) else {
            throw ToolError(LookupError.unknownNode(id: nodeID, documentKey: key).description)
        }
        let path = isRoot ? "" : document.paths[nodeID] ?? node.displayTitle
        var before: [Neighbour] = [], after: [Neighbour] = []
        if !isRoot, context > 0, let parent = document.parents[nodeID],
           let index = parent.children.firstIndex(where: { $0.id == nodeID }) {
            before = parent.children[max(0, index - context)..<index].map { Neighbour(nodeID: $0.id, text: fullText($0)) }
            after = parent.children[(index + 1)..<min(parent.children.count, index + 1 + context)]
                .map { Neighbour(nodeID: $0.id, text: fullText($0)) }
        }
        let wantsChildren = include == "children" || isRoot
        let children = wantsChildren ? node.children.map { child in
            Child(nodeID: child.id, kind: child.kind.rawValue, title: child.displayTitle, excerpt: String(fullText(child).prefix(60)))
        } : nil
        var nodeText = isRoot ? "" : fullText(node)
        var truncated = false
        if nodeText.count > maximumText {
            nodeText = String(nodeText.prefix(maximumText))
            truncated = true
        }
        let result = Result(
            documentKey: key, documentTitle: document.title, nodeID: isRoot ? "doc" : node.id, kind: node.kind.rawValue,
            title: node.label != nil || node.heading != nil ? node.displayTitle : nil, path: path,
            citation: Citation.text(title: document.title, path: path, pages: isRoot ? nil : node.span.pageCitation),
            text: nodeText, truncated: truncated, span: node.span, before: before, after: after, children: children)

        var text = "\(result.citation)\ndocument_key: \(key)   node_id: \(result.nodeID)   (\(result.kind))\n"
        if isRoot {
            let metadata = document.stored.metadata
            for (name, value) in [("issuer", metadata.issuer), ("date", metadata.date), ("文号", metadata.documentNumber)] {
                if let value { text += "\(name): \(value)\n" }
            }
        } else {
            text += "path: \(path)\n\n\(result.text)\n"
            if truncated { text += "[… cut at \(maximumText) characters: read its children for the rest]\n" }
        }
        if !before.isEmpty { text += "\nbefore:\n" + before.map { "  [\($0.nodeID)] \($0.text)" }.joined(separator: "\n") + "\n" }
        if !after.isEmpty { text += "\nafter:\n" + after.map { "  [\($0.nodeID)] \($0.text)" }.joined(separator: "\n") + "\n" }
        if let children {
            text += "\nchildren (\(children.count)):\n"
                + children.map { "  \($0.nodeID)  \($0.kind)  \($0.title == $0.kind ? $0.excerpt : $0.title)" }.joined(separator: "\n") + "\n"
        }
        return ToolOutput(text: text, structured: try Value(result))
    }

    /// A node's text with what is inside it: a heading's text is its heading line, an article's is its first
    /// 款, so the text of headings and articles is their title followed by their children's text.
    static func fullText(_ node: Node) -> String {
        let blocks = node.children.filter { $0.kind != .clause && $0.kind != .lead }
        guard !blocks.isEmpty else { return node.text }
        let title = node.label != nil || node.heading != nil ? node.displayTitle : nil
        return ([title].compactMap { $0 } + blocks.map(fullText)).joined(separator: "\n")
    }
}

// MARK: - records

struct RecordsTool: PlanKBTool {
    static let definition = Tool(
        name: "records",
        title: "Targets, measures and achievements",
        description: """
            Records extracted from the documents: targets (目标, with a quantity and the year to reach it), \
            achievements (成就, figures reached), milestones, measures (措施, with their lead sentence), \
            references (《…》, 国发〔2019〕3号) and bare quantities. Each gives its type, year, quantity (value in \
            base units: 1.9万户 → 19000 户, unit, comparator ≥ ≤ ~, the printed form), the clause it comes from, \
            and the node id, path and citation to quote. Give document_key for one document's records, or query \
            (with the search filters) for the records of the nodes that match; narrow with type and year/from/to.

            """ + PlanKBTools.queryLanguage,
        inputSchema: Schema.object(PlanKBTools.filterProperties.merging([
            "document_key": Schema.string("One document's key: its records (query is then optional and narrows to matching nodes)."),
            "query": Schema.string("Records of the nodes matching this query, e.g. 跨境电商 or 就业."),
            "limit": Schema.integer("How many records (default 30).", minimum: 1, maximum: 200),
        ]) { first, _ in first }),
        annotations: .init(readOnlyHint: true, openWorldHint: false)
    )

    struct Item: Codable {
        var documentKey: String
        var documentTitle: String
        var nodeID: String
        var path: String
        var citation: String
        var record: Record
    }

    static func call(_ arguments: ToolArguments, library: Library) throws -> ToolOutput {
        let limit = try arguments.integer("limit", default: 30, in: 1...200)
        let type = try PlanKBTools.recordType(arguments)?.rawValue
        let year = try arguments.integer("year"), from = try arguments.integer("from"), to = try arguments.integer("to")
        func yearMatches(_ record: Record) -> Bool {
            guard year != nil || from != nil || to != nil else { return true }
            guard let value = record.year else { return false }
            if let year { return value == year }
            return value >= (from ?? Int.min) && value <= (to ?? Int.max)
        }
        let decoder = JSONDecoder()
        var items: [Item] = []
        let key = try arguments.string("document_key")
        if try arguments.string("query") != nil {
            var request = try PlanKBTools.request(arguments, limit: 50, offset: 0)
            if let key { request.document = key }
            for hit in try library.knowledgeBase.search(request) {
                for stored in hit.records {
                    guard let record = stored.record(decodingWith: decoder) else { continue }
                    let citation = Citation.text(title: hit.documentTitle, path: hit.path, pages: record.span.pageCitation)
                    items.append(Item(documentKey: hit.documentKey, documentTitle: hit.documentTitle, nodeID: record.node,
                                      path: hit.path, citation: citation, record: record))
                }
            }
        } else if let key {
            let document = try library.document(key)
            for stored in document.stored.records {
                guard let record = stored.record(decodingWith: decoder) else { continue }
                let path = document.paths[record.node] ?? record.path.joined(separator: " › ")
                items.append(Item(documentKey: key, documentTitle: document.title, nodeID: record.node, path: path,
                                  citation: Citation.text(title: document.title, path: path, pages: record.span.pageCitation),
                                  record: record))
            }
        } else {
            throw ToolError("give document_key, query, or both")
        }
        items = items.filter { (type == nil || $0.record.type.rawValue == type) && yearMatches($0.record) }
        let total = items.count
        items = Array(items.prefix(limit))
        var text = items.isEmpty ? "No records.\n" : "\(total) records\(total > limit ? ", the first \(limit)" : ""):\n"
        for item in items {
            let record = item.record
            var line = "- \(record.type.rawValue)"
            if let year = record.year { line += " \(year)" }
            if let quantity = record.quantity {
                line += " | \(quantity.metric.map { $0 + " " } ?? "")\(quantity.comparator.rawValue) \(number(quantity.value)) \(quantity.unit ?? "") (\(quantity.raw))"
            }
            if case .reference(let reference) = record.facts { line += " | \(reference.name)" }
            else if let title = record.title { line += " | \(title)" }
            text += line + "\n    \(record.text)\n    \(item.citation)  [document_key: \(item.documentKey)  node_id: \(item.nodeID)]\n"
        }
        return ToolOutput(text: text, structured: try Value(["total": Value.int(total), "records": try Value(items)]))
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

// MARK: - documents

struct DocumentsTool: PlanKBTool {
    static let definition = Tool(
        name: "documents",
        title: "List the documents",
        description: """
            Lists the documents in the knowledge base, by date then title: key, title, issuer (发文机关), \
            publication date, 文号 (document number), and how many nodes and records each holds. Filter by part \
            of the title or key, by issuer, and by publication date. Use a key as document_key in read_node and \
            records, or as the document filter of search.
            """,
        inputSchema: Schema.object([
            "title": Schema.string("Only documents whose title or key contains this text, e.g. 公司法 or 2023."),
            "issuer": Schema.string("Only documents whose issuer contains this text, e.g. 国务院办公厅."),
            "published_after": Schema.string("Only documents published on or after this date: YYYY, YYYY-MM or YYYY-MM-DD."),
            "published_before": Schema.string("Only documents published on or before this date: YYYY, YYYY-MM or YYYY-MM-DD."),
            "limit": Schema.integer("How many documents (default 100).", minimum: 1, maximum: 1000),
        ]),
        annotations: .init(readOnlyHint: true, openWorldHint: false)
    )

    static func call(_ arguments: ToolArguments, library: Library) throws -> ToolOutput {
        let limit = try arguments.integer("limit", default: 100, in: 1...1000)
        let title = try arguments.string("title"), issuer = try arguments.string("issuer")
        let after = try PlanKBTools.date(arguments, "published_after")?.lowerBound
        let before = try PlanKBTools.date(arguments, "published_before")?.upperBound
        let matching = try library.knowledgeBase.documents().filter { document in
            if let title, !(document.title ?? "").contains(title) && !document.key.contains(title) { return false }
            if let issuer, !(document.issuer ?? "").contains(issuer) { return false }
            if let after, (document.date ?? "") < after { return false }
            if let before, document.date == nil || document.date! > before { return false }
            return true
        }
        let shown = Array(matching.prefix(limit))
        var text = "\(matching.count) documents\(matching.count > limit ? ", the first \(limit)" : ""):\n"
        for document in shown {
            text += "- 《\(document.title ?? document.key)》 key: \(document.key)\n    "
            text += [document.date, document.issuer, document.documentNumber].compactMap { $0 }.joined(separator: " · ")
            text += (document.date == nil && document.issuer == nil && document.documentNumber == nil ? "" : " · ")
                + "\(document.nodeCount) nodes, \(document.recordCount) records\n"
        }
        return ToolOutput(text: text, structured: try Value(["total": Value.int(matching.count), "documents": try Value(shown)]))
    }
}
