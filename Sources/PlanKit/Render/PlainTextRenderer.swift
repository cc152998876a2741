/// A document as plain text: the title, then every heading and paragraph on its own line, blank lines
/// between — what a reader would copy out of the page, without the site around it.
public enum PlainTextRenderer {
    public static func render(_ document: PlanDocument) -> String {
        var lines: [String] = []
        if let title = document.root.heading { lines.append(title) }
        document.root.forEach { node, ancestors in
            switch node.kind {
            case .document, .lead, .clause: return
            default:
                // An article's first paragraph is already in the article's own line.
                if node.kind == .paragraph, let parent = ancestors.last, parent.kind == .article,
                   parent.children.first?.id == node.id { return }
                if !node.text.isEmpty { lines.append(node.text) }
            }
        }
        return lines.joined(separator: "\n\n") + "\n"
    }
}
