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
    var span: SourceSpan
    var parentID: String?
    /// The parent's `ordinal` (nil for a node of the document itself): SQLite keeps this instead of the path and
    /// puts paths together from the ancestors' rows when it reads them (`SQLiteNodePaths`).
    var parentOrdinal: Int? = nil
    /// The `ordinal` of the outermost heading of the path, the node's chapter as `--count-by chapter` groups: its
    /// outermost ancestor, or itself for a heading under the document, nil for a node of `kindsWithoutChapter`
    /// under the document.
    var chapterOrdinal: Int? = nil
    var ordinal: Int
    /// What the full-text index holds for this node (see `Searchable`).
    var searchable: Searchable
    /// For a lead sentence or a clause: where its text sits in its paragraph's, as UTF-8 byte offsets. The text is
    /// then stored once, in the paragraph, and `storedText` is empty; reading puts it back (`ParentSlice`).
    var textSlice: Range<Int>? = nil

    /// The text written to the `text` column: empty where `textSlice` says where it is in the parent's.
    var storedText: String { textSlice == nil ? text : "" }

    /// What of a node is indexed, so that each piece of text is indexed once and a hit is never given twice.
    enum Searchable: Int, Sendable {
        /// Not indexed: leads and clauses (their text is inside their paragraph's), a printed table of contents,
        /// and nodes without a title whose text is all in their children.
        case none = 0
        /// The node's whole text, with its heading and lead sentence in their own columns.
        case fullText = 1
        /// Only the title (label and heading): the node's text is the text of its children (an article's
        /// paragraphs, 款), which are indexed themselves.
        case titleOnly = 2
    }

    /// The text put in the index's `text` column (nil when not searchable).
    var searchText: String? {
        switch searchable {
        case .none: nil
        case .fullText: text
        case .titleOnly: titleText
        }
    }

    /// The lead put in the index's `lead` column.
    var searchLead: String? { searchable == .fullText ? lead : nil }

    /// Label and heading as `Node.displayTitle` joins them; SQL `titleTextSQL` must compute the same.
    var titleText: String? {
        switch (label, heading) {
        case let (label?, heading?): "\(label) \(heading)"
        case let (nil, heading?): heading
        case let (label?, nil): label
        case (nil, nil): nil
        }
    }

    /// `titleText` in SQL over the `nodes` table, for removing rows from the index by their values.
    static let titleTextSQL = "CASE WHEN label IS NOT NULL AND heading IS NOT NULL THEN label || ' ' || heading ELSE coalesce(heading, label) END"

    /// The rows of a document in document order, without the document node itself.
    static func rows(of document: PlanDocument) -> [NodeRow] {
        var rows: [NodeRow] = []
        var ordinal = 0
        // The path of each ancestor and whether it is inside a table of contents, by depth: the walk is depth
        // first, so entries deeper than the current node belong to finished subtrees.
        var ancestorPaths: [(path: String, insideTOC: Bool)] = []
        // The ordinals of the current node's ancestors, by depth (the same walk: deeper entries are finished).
        var ancestorOrdinals: [Int] = []
        // Where in its paragraph's text the last lead and the last clause were found, so that a sentence printed
        // twice in a paragraph is found at its own place.
        var sliceCursor: (parent: String, kind: NodeKind, end: String.Index)?
        // The paragraph whose leads and clauses are being found, read once for all of them.
        var paragraphText: (id: String, haystack: WordSearch.Haystack)?
        document.root.forEach { node, ancestors in
            guard node.kind != .document else { return }
            let headings = ancestors.lazy.filter { $0.kind != .document }
            let depth = headings.count
            if ancestorPaths.count > depth { ancestorPaths.removeLast(ancestorPaths.count - depth) }
            for heading in headings.dropFirst(ancestorPaths.count) {
                let above = ancestorPaths.last
                ancestorPaths.append((path: above.map { $0.path + PathSteps.separator + heading.displayTitle } ?? heading.displayTitle,
                                      insideTOC: (above?.insideTOC ?? false) || heading.kind == .toc))
            }
            let insideTOC = ancestorPaths.last?.insideTOC ?? false
            let segment = pathSegment(for: node)
            let path = ancestorPaths.last.map { $0.path + PathSteps.separator + segment } ?? segment
            let parent = ancestors.last.flatMap { $0.kind == .document ? nil : $0.id }
            if ancestorOrdinals.count > depth { ancestorOrdinals.removeLast(ancestorOrdinals.count - depth) }
            let parentOrdinal = depth > 0 ? ancestorOrdinals.last : nil
            let chapterOrdinal = depth > 0 ? ancestorOrdinals.first : Self.kindsWithoutChapter.contains(node.kind) ? nil : ordinal
            ancestorOrdinals.append(ordinal)
            let bodyInChildren = node.children.contains { $0.kind != .lead && $0.kind != .clause }
            var row = NodeRow(
                nodeID: node.id, kind: node.kind, num: node.num, label: node.label, heading: node.heading,
                text: node.text, lead: node.children.first { $0.kind == .lead }?.text,
                path: path,
                span: node.span, parentID: parent, parentOrdinal: parentOrdinal, chapterOrdinal: chapterOrdinal, ordinal: ordinal, searchable: .none)
            if node.kind == .lead || node.kind == .clause, let paragraph = ancestors.last, paragraph.kind != .document,
               !node.text.isEmpty {
                let text = paragraph.text
                let from = sliceCursor.flatMap { $0.parent == paragraph.id && $0.kind == node.kind ? $0.end : nil } ?? text.startIndex
                if paragraphText?.id != paragraph.id { paragraphText = (paragraph.id, WordSearch.Haystack(text)) }
                if let found = paragraphText?.haystack.firstRange(of: node.text, from: from) {
                    row.textSlice = text.utf8.distance(from: text.startIndex, to: found.lowerBound)
                        ..< text.utf8.distance(from: text.startIndex, to: found.upperBound)
                    sliceCursor = (paragraph.id, node.kind, found.upperBound)
                }
            }
            if !insideTOC && ![.lead, .clause, .toc].contains(node.kind) {
                if !bodyInChildren && !node.text.isEmpty {
                    row.searchable = .fullText
                } else if row.titleText != nil {
                    row.searchable = .titleOnly
                }
            }
            rows.append(row)
            ordinal += 1
        }
        return rows
    }

    /// Kinds that are no chapter of their own where they stand under the document (a paragraph before any
    /// heading): their path begins with no heading.
    static let kindsWithoutChapter: Set<NodeKind> = [.paragraph, .clause, .lead, .closing, .figure]

    /// 段2 for the second paragraph, 句3 for a clause, the title for headings.
    static func pathSegment(for node: Node) -> String { node.pathSegment }
}

/// Puts back the text of leads and clauses stored as slices of their paragraph's text (`NodeRow.textSlice`), for
/// every backend's reading of a document or a node.
enum ParentSlice {
    /// A slice as stored, from its two columns (either may be NULL); an end before the start is an empty slice.
    static func range(start: Int?, end: Int?) -> Range<Int>? {
        guard let start, let end else { return nil }
        return start..<max(start, end)
    }

    /// The text `slice` (UTF-8 offsets) cuts out of `parent`; nil when it does not fall on character boundaries.
    static func text(of parent: String, _ slice: Range<Int>) -> String? {
        let utf8 = parent.utf8
        guard slice.lowerBound >= 0, slice.upperBound <= utf8.count else { return nil }
        let start = utf8.index(utf8.startIndex, offsetBy: slice.lowerBound)
        let end = utf8.index(utf8.startIndex, offsetBy: slice.upperBound)
        guard let lower = start.samePosition(in: parent), let upper = end.samePosition(in: parent) else { return nil }
        return String(parent[lower..<upper])
    }

    /// Rows in document order (parents before children) with the texts of sliced rows filled in from their parent.
    static func restore(_ rows: [(node: Node, parentID: String?, slice: Range<Int>?)]) -> [(node: Node, parentID: String?)] {
        var texts: [String: String] = [:]
        return rows.map { row in
            var node = row.node
            if let slice = row.slice, let parentID = row.parentID, let parent = texts[parentID],
               let text = text(of: parent, slice) {
                node.text = text
            }
            texts[node.id] = node.text
            return (node, row.parentID)
        }
    }
}
