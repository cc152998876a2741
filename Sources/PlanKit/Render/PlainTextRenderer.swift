/// A document as plain text: the title, then every heading and paragraph on its own line, blank lines
/// between — what a reader would copy out of the page, without the site around it.
public enum PlainTextRenderer {
    public static func render(_ document: PlanDocument) -> String {
        renderWithLines(document).text
    }

    /// The text, and for each node that has a line of its own the offset where its line starts, in Unicode
    /// scalars (what REFI-QDA's positions count) — `QDAProject` cuts records' clauses out of it.
    public static func renderWithLines(_ document: PlanDocument) -> (text: String, lineStarts: [String: (offset: Int, text: String)]) {
        var lines: [String] = []
        var starts: [String: (offset: Int, text: String)] = [:]
        var offset = 0
        func append(_ line: String, id: String?) {
            if !lines.isEmpty { offset += 2 }
            if let id { starts[id] = (offset, line) }
            lines.append(line)
            offset += line.unicodeScalars.count
        }
        if let title = document.root.heading { append(title, id: nil) }
        document.root.forEach { node, ancestors in
            switch node.kind {
            case .document, .lead, .clause: return
            default:
                // An article's first paragraph is already in the article's own line.
                if node.kind == .paragraph, let parent = ancestors.last, parent.kind == .article,
                   parent.children.first?.id == node.id { return }
                if !node.text.isEmpty { append(node.text, id: node.id) }
            }
        }
        return (lines.joined(separator: "\n\n") + "\n", starts)
    }
}
