/// Finds numbering problems: gaps (第十三条 after 第十一条), repeats and numbers going backwards.
/// Articles are checked across the whole document, other kinds among siblings.
enum NumberingCheck {
    static func check(_ root: Node) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var lastArticle: Node?
        // The last number of each kind at each depth, for documents that number 一、 on across chapters.
        var lastAtDepth: [DepthKey: Int] = [:]
        root.forEach { node, ancestors in
            if node.kind == .article, ancestors.allSatisfy({ $0.kind != .toc }) {
                if let number = node.num {
                    diagnostics += compare(previous: lastArticle, current: node, expectedFirst: 1)
                    _ = number
                }
                lastArticle = node
            }
            guard node.kind != .toc else { return }
            var previous: [NodeKind: Node] = [:]
            for child in node.children where child.num != nil && child.kind != .article {
                let depthKey = DepthKey(kind: child.kind, depth: ancestors.count + 1)
                let continues = previous[child.kind] == nil && child.num == (lastAtDepth[depthKey] ?? -1) + 1
                if !continues {
                    diagnostics += compare(previous: previous[child.kind], current: child, expectedFirst: 1)
                }
                previous[child.kind] = child
                lastAtDepth[depthKey] = child.num
            }
        }
        return diagnostics
    }

    /// A kind of numbered node at a depth of the tree.
    private struct DepthKey: Hashable {
        var kind: NodeKind
        var depth: Int
    }

    private static func compare(previous: Node?, current: Node, expectedFirst: Int) -> [Diagnostic] {
        guard let number = current.num else { return [] }
        let label = current.label ?? "\(number)"
        let position = current.span.start
        guard let previous, let before = previous.num else {
            if number != expectedFirst {
                return [Diagnostic(.warning, "segment.numbering-gap",
                                   "\(label) is the first of its kind here; numbering should start at \(expectedFirst)",
                                   at: position)]
            }
            return []
        }
        let previousLabel = previous.label ?? "\(before)"
        if number == before {
            return [Diagnostic(.warning, "segment.numbering-repeat", "\(label) repeats \(previousLabel)", at: position)]
        }
        if number < before {
            return [Diagnostic(.warning, "segment.numbering-order", "\(label) follows \(previousLabel) (out of order)",
                               at: position)]
        }
        if number > before + 1 {
            return [Diagnostic(.warning, "segment.numbering-gap", "\(label) follows \(previousLabel)", at: position)]
        }
        return []
    }
}

/// Finds paragraphs that stop mid-sentence: a long text block that ends without closing punctuation.
enum TruncationCheck {
    static let closers: Set<Character> = ["。", "；", "：", "！", "？", "”", "」", "』", ";", ":", "!", "?", ".", "…", "）", ")", "》", "】"]

    static func check(_ root: Node) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        root.forEach { node, ancestors in
            // Table rows (cells joined with tabs) end where their last cell ends.
            guard node.kind == .paragraph, !PlainText.hasAtMost(29, charactersIn: node.text), !containsTab(node.text),
                  !ancestors.contains(where: { $0.kind == .toc || $0.kind == .preamble || $0.kind == .closing }),
                  let last = node.text.last, !closers.contains(last) else { return }
            let tail = String(node.text.suffix(12))
            diagnostics.append(Diagnostic(.warning, "segment.truncated-paragraph",
                                          "paragraph ends mid-sentence: “…\(tail)”",
                                          at: node.span.end))
        }
        return diagnostics
    }

    /// Whether `text` holds a tab: byte 0x09 is always U+0009, so the bytes tell without a folding search.
    private static func containsTab(_ text: String) -> Bool {
        text.utf8.contains(0x09)
    }
}
