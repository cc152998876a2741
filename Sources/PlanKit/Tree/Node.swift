/// One node of a document tree: a heading with what it contains, a paragraph, or a clause.
///
/// The tree is independent of where the document came from (text, Markdown, HTML, a JSON line):
/// every node keeps its original text and its span in the source, and its `id` is derived from numbering
/// alone, so that it survives changes elsewhere in the document.
public struct Node: Codable, Hashable, Sendable {
    /// Akoma Ntoso style id: parent id + `__` + alias + `_` + number (`chp_5__sec_4__para_2`).
    public var id: String
    public var kind: NodeKind
    /// The number of a numbered node (第一百二十三条 → 123); for unnumbered nodes, absent.
    public var num: Int?
    /// The label as printed ("第五章", "（三）", "1."), absent for unnumbered nodes.
    public var label: String?
    /// The title without its label ("发挥比较优势，建设竞争力强开放型产业体系"), for headings and titled items.
    public var heading: String?
    /// The original text of the block (label included), as printed in the source.
    public var text: String
    public var span: SourceSpan
    public var children: [Node]

    public init(id: String = "", kind: NodeKind, num: Int? = nil, label: String? = nil, heading: String? = nil,
                text: String, span: SourceSpan, children: [Node] = []) {
        self.id = id
        self.kind = kind
        self.num = num
        self.label = label
        self.heading = heading
        self.text = text
        self.span = span
        self.children = children
    }

    /// The heading as a reader names the node: "第五章 发挥比较优势…" for headings, else the label or kind.
    public var displayTitle: String { Self.displayTitle(kind: kind.rawValue, label: label, heading: heading) }

    /// `displayTitle` from a node's stored fields (`kind` as its raw value), for rows read back from storage.
    public static func displayTitle(kind: String, label: String?, heading: String?) -> String {
        switch (label, heading) {
        case let (label?, heading?): return "\(label) \(heading)"
        case let (nil, heading?): return heading
        case let (label?, nil): return label
        case (nil, nil): return kind
        }
    }

    /// The last non-empty piece of an id between underscores as a number ("sec_2__para_3" → 3), found
    /// from the end without splitting the id.
    static func lastNumber(in id: String) -> Int? {
        let utf8 = id.utf8
        var end = utf8.endIndex
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == UInt8(ascii: "_") { end = utf8.index(before: end) }
        let start = utf8[..<end].lastIndex(of: UInt8(ascii: "_")).map { utf8.index(after: $0) } ?? utf8.startIndex
        guard start < end else { return nil }
        return Int(id[start..<end])
    }

    /// The node's step in a path: 段2 for the second paragraph, 句3 for a clause, 首句 for a lead sentence,
    /// the title for headings.
    public var pathSegment: String {
        Self.pathSegment(id: id, kind: kind.rawValue, num: num, label: label, heading: heading)
    }

    /// `pathSegment` from a node's stored fields (`kind` as its raw value), for rows read back from storage.
    public static func pathSegment(id: String, kind: String, num: Int?, label: String?, heading: String?) -> String {
        switch kind {
        case NodeKind.paragraph.rawValue: return "段" + ((num ?? lastNumber(in: id)).map(String.init) ?? "")
        case NodeKind.clause.rawValue: return "句" + ((num ?? lastNumber(in: id)).map(String.init) ?? "")
        case NodeKind.lead.rawValue: return "首句"
        default: return displayTitle(kind: kind, label: label, heading: heading)
        }
    }

    /// Where a node stands, as hits and reports print it: its ancestors' titles and its own step,
    /// `第五章 … › 第四节 跨境电商 › 段2` (`ancestors` as `forEach` gives them, the document first).
    public static func path(of node: Node, ancestors: [Node]) -> String {
        (ancestors.filter { $0.kind != .document }.map(\.displayTitle) + [node.pathSegment]).joined(separator: " › ")
    }

    /// All nodes below this one in document order (pre-order), not including `self`.
    public var descendants: [Node] {
        var result: [Node] = []
        func walk(_ node: Node) {
            for child in node.children {
                result.append(child)
                walk(child)
            }
        }
        walk(self)
        return result
    }

    /// Calls `body` for each node below and including `self`, in document order, with the headings above it.
    public func forEach(_ body: (_ node: Node, _ ancestors: [Node]) throws -> Void) rethrows {
        var stack: [Node] = []
        func walk(_ node: Node) throws {
            try body(node, stack)
            stack.append(node)
            for child in node.children { try walk(child) }
            stack.removeLast()
        }
        try walk(self)
    }

    /// The node with the given id, searching `self` and its descendants.
    /// - Complexity: O(n) in the number of nodes.
    public func node(withID id: String) -> Node? {
        if self.id == id { return self }
        for child in children {
            if let found = child.node(withID: id) { return found }
        }
        return nil
    }
}
