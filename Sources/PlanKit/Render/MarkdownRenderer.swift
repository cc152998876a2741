/// A document as Markdown: metadata as a front-matter block, headings from the tree with ids as anchors,
/// paragraphs as text.
public enum MarkdownRenderer {
    public static func render(_ document: PlanDocument) -> String {
        var out = "---\n"
        let metadata = document.metadata
        let fields: [(String, String?)] = [
            ("title", metadata.title), ("date", metadata.date), ("writtenDate", metadata.writtenDate),
            ("issuer", metadata.issuer), ("documentNumber", metadata.documentNumber),
            ("indexNumber", metadata.indexNumber), ("subject", metadata.subject),
            ("source", metadata.source), ("url", metadata.url), ("encoding", metadata.encoding),
        ]
        for case let (key, value?) in fields { out += "\(key): \(yamlQuoted(value))\n" }
        if let crumbs = metadata.breadcrumb {
            out += "breadcrumb: [" + crumbs.map(yamlQuoted).joined(separator: ", ") + "]\n"
        }
        out += "---\n\n"
        if let title = document.root.heading { out += "# \(title)\n\n" }
        render(document.root.children, depth: 2, into: &out)
        return out
    }

    private static func render(_ nodes: [Node], depth: Int, into out: inout String) {
        for node in nodes {
            switch node.kind {
            case .lead, .clause:
                continue
            case .paragraph, .figure:
                out += "<a id=\"\(node.id)\"></a>\(escape(node.text))\n\n"
            default:
                if node.kind.isContainer || node.heading != nil {
                    let level = String(repeating: "#", count: min(depth, 6))
                    out += "\(level) <a id=\"\(node.id)\"></a>\(escape(node.displayTitle))\n\n"
                    render(node.children, depth: depth + 1, into: &out)
                } else {
                    out += "<a id=\"\(node.id)\"></a>\(escape(node.text))\n\n"
                    render(node.children.filter { $0.kind != .lead && $0.kind != .clause }, depth: depth + 1, into: &out)
                }
                continue
            }
            render(node.children.filter { $0.kind != .lead && $0.kind != .clause }, depth: depth, into: &out)
        }
    }

    /// Markdown-significant characters at the start of a line would change the meaning; HTML must not pass.
    private static func escape(_ text: String) -> String {
        var result = text.utf8.contains(UInt8(ascii: "<")) ? text.replacingAll("<", with: "&lt;") : text
        if let first = result.first, "#>-+*=|".contains(first) { result = "\\" + result }
        return result
    }

    private static func yamlQuoted(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") }) else { return "\"" + value + "\"" }
        return "\"" + value.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
