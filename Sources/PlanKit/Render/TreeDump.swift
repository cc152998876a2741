/// A readable indented dump of a tree, one node a line, with ids and spans — the form of the golden files
/// and of `plankb parse --format tree`:
///
///     chp_5 chapter 5 「第五章」 发挥比较优势,建设竞争力强开放型产业体系 @193:1-263:40
///     ├─ chp_5__sec_4 section 4 「第四节」 跨境电商 @225:1-231:120
///     │  ├─ chp_5__sec_4__para_1 paragraph @227:3-227:200 “加快跨境电商…发展。” (3 clauses)
public enum TreeDump {
    /// How many characters of a long text the dump shows at each end.
    static let excerptLength = 14

    public static func render(_ document: PlanDocument, includeClauses: Bool = true) -> String {
        var lines: [String] = []
        let root = document.root
        lines.append("\(root.id) document “\(root.heading ?? "")” @\(root.span.compactDescription)")
        render(children: root.children, prefix: "", includeClauses: includeClauses, into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    private static func render(children: [Node], prefix: String, includeClauses: Bool, into lines: inout [String]) {
        let visible = includeClauses ? children : children.filter { $0.kind != .clause && $0.kind != .lead }
        for (index, child) in visible.enumerated() {
            let isLast = index == visible.count - 1
            lines.append(prefix + (isLast ? "└─ " : "├─ ") + describe(child, includeClauses: includeClauses))
            render(children: child.children, prefix: prefix + (isLast ? "   " : "│  "),
                   includeClauses: includeClauses, into: &lines)
        }
    }

    public static func describe(_ node: Node, includeClauses: Bool = true) -> String {
        var parts = [node.id, node.kind.rawValue]
        if let num = node.num { parts.append(String(num)) }
        if let label = node.label { parts.append("「\(label)」") }
        if let heading = node.heading { parts.append(heading) }
        parts.append("@" + node.span.compactDescription)
        if node.heading == nil || node.kind == .lead || node.kind == .clause {
            if !node.kind.isContainer || node.kind == .preamble || node.kind == .closing {
                if node.heading == nil || ![.division, .item, .subitem, .point, .subpoint].contains(node.kind) {
                    parts.append("“\(excerpt(node.text))”")
                }
            }
        }
        if !includeClauses {
            let clauses = node.children.filter { $0.kind == .clause }.count
            if clauses > 0 { parts.append("(\(clauses) clauses)") }
        }
        return parts.joined(separator: " ")
    }

    /// The text whole when short, else its first and last characters around an ellipsis.
    public static func excerpt(_ text: String) -> String {
        guard text.count > excerptLength * 2 + 1 else { return text }
        return String(text.prefix(excerptLength)) + "…" + String(text.suffix(excerptLength))
    }
}
