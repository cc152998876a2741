import PlanKit

/// One node flattened for storage: its place (path, parent, order), its text, and whether full-text search
/// indexes it. Built the same way for every backend.
struct NodeRow: Sendable {
    var nodeID: String
    var kind: NodeKind
    var num: Int?
    var label: String?
    var heading: String?
    var text: String
    /// The text of the node's lead sentence (首句), indexed in its own, heavier column.
    var lead: String?
    var path: String
    /// The outermost heading above the node (its chapter, part or division), for `--count-by chapter`.
    var chapter: String?
    var span: SourceSpan
    var parentID: String?
    var ordinal: Int
    /// Paragraphs, headings and other blocks are searchable; leads and clauses are not (their text is inside
    /// their paragraph's, and would otherwise give every hit twice), nor is a printed table of contents.
    var searchable: Bool

    /// The rows of a document in document order, without the document node itself.
    static func rows(of document: PlanDocument) -> [NodeRow] {
        var rows: [NodeRow] = []
        var ordinal = 0
        document.root.forEach { node, ancestors in
            guard node.kind != .document else { return }
            let headings = ancestors.filter { $0.kind != .document }
            let insideTOC = headings.contains { $0.kind == .toc }
            let segments = headings.map(\.displayTitle) + [pathSegment(for: node)]
            let parent = ancestors.last.flatMap { $0.kind == .document ? nil : $0.id }
            rows.append(NodeRow(
                nodeID: node.id, kind: node.kind, num: node.num, label: node.label, heading: node.heading,
                text: node.text, lead: node.children.first { $0.kind == .lead }?.text,
                path: segments.joined(separator: " › "),
                chapter: headings.first?.displayTitle ?? (node.kind.isContainer ? node.displayTitle : nil),
                span: node.span, parentID: parent, ordinal: ordinal,
                searchable: !insideTOC && ![.lead, .clause, .toc].contains(node.kind)
                    && !node.text.isEmpty))
            ordinal += 1
        }
        return rows
    }

    /// 段2 for the second paragraph, 句3 for a clause, the title for headings.
    static func pathSegment(for node: Node) -> String {
        let number = node.num ?? node.id.split(separator: "_").last.flatMap { Int($0) }
        switch node.kind {
        case .paragraph: return "段" + (number.map(String.init) ?? "")
        case .clause: return "句" + (number.map(String.init) ?? "")
        case .lead: return "首句"
        default: return node.displayTitle
        }
    }
}
