/// A node as the diff sees it: an outline node (part, chapter, section, a numbered heading with blocks below it)
/// or a leaf (an article with all its paragraphs, or a paragraph of a plan), with the keys used to align it.
///
/// Articles are leaves as a whole: their paragraphs (款), items (项) and clauses are compared as text, so that
/// an amendment inside an article shows as an edit of the article rather than as added and removed paragraphs.
struct DiffUnit {
    /// Index of the unit among its document's units, in document order.
    let position: Int
    /// The node, without its children.
    let node: Node
    let isOutline: Bool
    /// The full text: the node's own text, and for articles every paragraph below it, one per line.
    let text: String
    /// `text` without its label, normalised: equal bodies mean equal content whatever the numbering.
    let body: String
    /// The normalised heading, for outline units ("" when there is none).
    let headingKey: String
    /// The normalised label ("第三节"), absent for unnumbered nodes.
    let labelKey: String?
    /// Position of the enclosing outline unit, nil at the top.
    let parent: Int?
    /// Display titles of the enclosing outline units, outermost first.
    let ancestry: [String]
    /// Sorted distinct character bigrams of `body` (of the heading, for outline units).
    let shingles: [UInt64]
    /// Positions of the leaf units below an outline unit.
    var leafPositions: [Int] = []

    /// A container with no text of its own (a preamble holding the enactment lines): it groups nodes that are
    /// reported themselves, and has nothing to report.
    var isBlankContainer: Bool { isOutline && text.isEmpty && node.label == nil && (node.heading ?? "").isEmpty }

    /// The node's kind, as the key for matching: only units of the same kind are aligned with each other.
    var kind: NodeKind { node.kind }

    /// A short name for reports: the label ("第十五条"), else the heading, else the id.
    var label: String {
        if let label = node.label, !label.isEmpty { return label }
        if let heading = node.heading, !heading.isEmpty { return heading }
        return node.id
    }

    /// "第二章 公司登记 › 第三十二条".
    var path: String {
        let own = isOutline ? node.displayTitle : label
        return (ancestry + [own]).joined(separator: " › ")
    }

    func reference() -> NodeReference {
        NodeReference(id: node.id, kind: node.kind.rawValue, path: path, label: label, text: text)
    }

    /// The units of a document tree in document order. The table of contents is skipped: its entries repeat
    /// the headings, which are compared where they stand.
    static func units(of root: Node) -> [DiffUnit] {
        var units: [DiffUnit] = []
        func isPartOfText(_ node: Node) -> Bool { node.kind == .lead || node.kind == .clause }
        func visit(_ node: Node, parent: Int?, ancestry: [String]) {
            for child in node.children where !isPartOfText(child) && child.kind != .toc {
                let hasBlocksBelow = child.children.contains { !isPartOfText($0) }
                let isLeaf = child.kind == .article || (!child.kind.isContainer && !hasBlocksBelow)
                var bare = child
                bare.children = []
                let position = units.count
                if isLeaf {
                    let text = fullText(of: child)
                    let body = DiffNormalizer.normalize(textWithoutLabel(text, label: child.label))
                    units.append(DiffUnit(position: position, node: bare, isOutline: false, text: text, body: body,
                                          headingKey: "", labelKey: child.label.map(DiffNormalizer.normalize),
                                          parent: parent, ancestry: ancestry, shingles: shingles(of: body)))
                } else {
                    let heading = DiffNormalizer.normalize(child.heading ?? "")
                    let body = DiffNormalizer.normalize(textWithoutLabel(child.text, label: child.label))
                    units.append(DiffUnit(position: position, node: bare, isOutline: true, text: child.text, body: body,
                                          headingKey: heading, labelKey: child.label.map(DiffNormalizer.normalize),
                                          parent: parent, ancestry: ancestry,
                                          shingles: shingles(of: heading.isEmpty ? body : heading)))
                    visit(child, parent: position, ancestry: ancestry + [child.displayTitle])
                }
            }
        }
        visit(root, parent: nil, ancestry: [])
        for unit in units where !unit.isOutline {
            var parent = unit.parent
            while let outline = parent {
                units[outline].leafPositions.append(unit.position)
                parent = units[outline].parent
            }
        }
        return units
    }

    /// A node's text with the text of the blocks below it, one block per line. Blocks whose text the node
    /// already contains (a first paragraph repeated as the article's text) are not repeated.
    static func fullText(of node: Node) -> String {
        var lines = [node.text]
        func visit(_ parent: Node) {
            for child in parent.children where child.kind != .lead && child.kind != .clause {
                if !child.text.isEmpty, !node.text.contains(child.text) { lines.append(child.text) }
                visit(child)
            }
        }
        visit(node)
        return lines.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// The text after its printed label ("第十五条　公司……" → "公司……").
    static func textWithoutLabel(_ text: String, label: String?) -> String {
        guard let label, !label.isEmpty, text.hasPrefix(label) else { return text }
        return String(text.dropFirst(label.count).drop { $0 == " " || $0 == "\u{3000}" || $0 == "\u{00A0}" })
    }

    /// Sorted distinct character bigrams; a one-character text gives its one character.
    /// - Complexity: O(n log n) in the length of `text`.
    static func shingles(of text: String) -> [UInt64] {
        let scalars = text.unicodeScalars.filter { $0 != " " && $0 != "\n" }.map { UInt64($0.value) }
        if scalars.count < 2 { return scalars }
        var result: [UInt64] = []
        result.reserveCapacity(scalars.count - 1)
        for index in 1..<scalars.count {
            result.append(scalars[index - 1] << 32 | scalars[index])
        }
        result.sort()
        var unique: [UInt64] = []
        unique.reserveCapacity(result.count)
        for value in result where unique.last != value { unique.append(value) }
        return unique
    }
}

/// Similarity measures over sorted bigram arrays.
enum Shingles {
    /// The number of bigrams two sorted arrays share.
    static func intersectionCount(_ a: [UInt64], _ b: [UInt64]) -> Int {
        var i = 0
        var j = 0
        var count = 0
        while i < a.count, j < b.count {
            if a[i] == b[j] {
                count += 1
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return count
    }

    /// Dice's coefficient, 2|A∩B| / (|A|+|B|): 1 for equal sets, 0 for disjoint ones.
    static func dice(_ a: [UInt64], _ b: [UInt64]) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        if a.isEmpty || b.isEmpty { return 0 }
        return 2 * Double(intersectionCount(a, b)) / Double(a.count + b.count)
    }

    /// The similarity used to align leaves: Dice's coefficient, or for a short text that stands almost whole
    /// inside a longer one (an article that gained a paragraph) 0.6 × its containment, whichever is higher.
    static func leafSimilarity(_ a: [UInt64], _ b: [UInt64]) -> Double {
        let shared = Double(intersectionCount(a, b))
        guard !a.isEmpty, !b.isEmpty else { return a.isEmpty && b.isEmpty ? 1 : 0 }
        let dice = 2 * shared / Double(a.count + b.count)
        let smaller = min(a.count, b.count)
        guard smaller >= 8 else { return dice }
        return max(dice, 0.6 * shared / Double(smaller))
    }

    /// How much of `part` lies within `whole`: |P∩W| / |P|.
    static func containment(of part: [UInt64], in whole: [UInt64]) -> Double {
        if part.isEmpty { return 0 }
        return Double(intersectionCount(part, whole)) / Double(part.count)
    }

    /// Sorted union of sorted arrays.
    static func union(_ arrays: [[UInt64]]) -> [UInt64] {
        var all = arrays.flatMap { $0 }
        all.sort()
        var unique: [UInt64] = []
        for value in all where unique.last != value { unique.append(value) }
        return unique
    }
}

/// An inverted index from bigram to units, to find the few units worth comparing with a given one.
struct ShingleIndex {
    private var postings: [UInt64: [Int]] = [:]
    private let commonCutoff: Int

    /// Indexes `units` (positions into the document's unit array).
    init(_ units: [DiffUnit]) {
        for unit in units {
            for shingle in unit.shingles { postings[shingle, default: []].append(unit.position) }
        }
        // Bigrams found in many units (的，公司, 应当) say little about which units correspond.
        commonCutoff = max(12, units.count / 8)
    }

    /// Up to `limit` units sharing the most informative bigrams with `shingles`, best first.
    func candidates(for shingles: [UInt64], limit: Int) -> [Int] {
        var counts: [Int: Int] = [:]
        var usedRare = false
        for shingle in shingles {
            guard let list = postings[shingle], list.count <= commonCutoff else { continue }
            usedRare = true
            for position in list { counts[position, default: 0] += 1 }
        }
        if !usedRare {
            for shingle in shingles {
                for position in postings[shingle] ?? [] { counts[position, default: 0] += 1 }
            }
        }
        return counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .prefix(limit).map(\.key)
    }
}
