/// How tree chunks compare with a fixed-size splitter on the same document (`plankb chunks --compare-fixed`):
/// how many chunks cut a clause, and how many lack the heading of the text they start with.
///
/// Both are measured on one linear text of the document — each heading line, then each paragraph, one a line,
/// as a plain-text export would give them to a splitter. A chunk *cuts a clause* when its start or end falls
/// inside a clause (a sentence of the tree, split at 。；！？); it *lacks a heading* when it starts under a
/// heading (a chapter, section, article or titled item) but neither its path names that heading nor does its
/// text hold any heading line whole. Text under no heading (a preamble) lacks nothing.
public struct ChunkComparison: Sendable {
    public struct Figures: Sendable, Equatable {
        public var chunks = 0
        /// All the chunks' characters, for their mean length.
        public var characters = 0
        public var cuttingAClause = 0
        public var lackingAHeading = 0
    }

    public var tree = Figures()
    public var fixed = Figures()

    public init() {}

    /// Adds one document: its tree chunks with `maxCharacters`, and fixed chunks of `maxCharacters` each.
    public mutating func add(_ document: PlanDocument, maxCharacters: Int) {
        let layout = Layout(document.root)
        let text = layout.characters
        // Fixed size: every `maxCharacters` characters, as a plain character splitter cuts.
        var start = 0
        while start < text.count {
            let end = min(start + maxCharacters, text.count)
            fixed.chunks += 1
            fixed.characters += end - start
            if layout.cutsAClause(start, end) { fixed.cuttingAClause += 1 }
            if layout.lacksHeading(start, end, path: []) { fixed.lackingAHeading += 1 }
            start = end
        }
        // Tree chunks: found in the same text in order (their paragraphs are laid out one after the other).
        var cursor = 0
        for chunk in Chunker(maxCharacters: maxCharacters).chunks(of: document, key: "") {
            let needle = Array(chunk.text)
            guard let found = layout.find(needle, from: cursor) else { continue }
            tree.chunks += 1
            tree.characters += needle.count
            if layout.cutsAClause(found, found + needle.count) { tree.cuttingAClause += 1 }
            if layout.lacksHeading(found, found + needle.count, path: chunk.path) { tree.lackingAHeading += 1 }
            cursor = found + needle.count
        }
    }

    /// The document as lines of text, with where clauses begin and end and which heading each line is under.
    struct Layout {
        var characters: [Character] = []
        /// Offsets at which a clause, paragraph or heading line starts or ends.
        var boundaries: Set<Int> = []
        /// For each line start (ascending): the line, and the heading line over it (its range), if any.
        var lines: [(start: Int, heading: Range<Int>?, headingTitle: String?)] = []
        /// Every heading line, in order.
        var headingLines: [Range<Int>] = []

        init(_ root: Node) {
            var headings: [(range: Range<Int>, title: String)?] = []
            func append(_ text: String) -> Range<Int> {
                let start = characters.count
                characters += Array(text)
                let range = start..<characters.count
                characters.append("\n")
                boundaries.insert(range.lowerBound)
                boundaries.insert(range.upperBound)
                return range
            }
            func walk(_ node: Node) {
                let isAnchor = node.kind != .document && Chunker.isAnchor(node)
                if isAnchor {
                    if node.label != nil || node.heading != nil {
                        let start = characters.count
                        let range = append(node.displayTitle)
                        lines.append((start, range, node.displayTitle))
                        headingLines.append(range)
                        headings.append((range, node.displayTitle))
                    } else {
                        headings.append(nil)
                    }
                }
                if Chunker.isParagraph(node) {
                    let start = characters.count
                    let current = headings.last ?? nil
                    lines.append((start, current?.range, current?.title))
                    _ = append(node.text)
                    let pieces = node.children.filter(Chunker.isPiece)
                    if pieces.count >= 2, let ranges = Chunker.pieceRanges(of: node.text, pieces: pieces) {
                        for range in ranges {
                            boundaries.insert(start + node.text.distance(from: node.text.startIndex, to: range.lowerBound))
                        }
                    }
                }
                for child in node.children where !Chunker.isPiece(child) { walk(child) }
                if isAnchor { headings.removeLast() }
            }
            walk(root)
        }

        func cutsAClause(_ start: Int, _ end: Int) -> Bool {
            !isClean(start) || !isClean(end)
        }

        /// A cut is clean at a boundary, or where only line breaks separate it from one.
        private func isClean(_ offset: Int) -> Bool {
            if boundaries.contains(offset) || offset >= characters.count { return true }
            return characters[offset] == "\n" || (offset > 0 && characters[offset - 1] == "\n")
        }

        func lacksHeading(_ start: Int, _ end: Int, path: [String]) -> Bool {
            // The line holding the first character: the last line that starts at or before it.
            var low = 0, high = lines.count
            while low < high {
                let middle = (low + high) / 2
                if lines[middle].start <= start { low = middle + 1 } else { high = middle }
            }
            guard low > 0, let heading = lines[low - 1].heading, let title = lines[low - 1].headingTitle else { return false }
            if path.contains(title) || (heading.lowerBound >= start && heading.upperBound <= end) { return false }
            // Any heading line whole inside the chunk gives it a heading.
            var first = 0, last = headingLines.count
            while first < last {
                let middle = (first + last) / 2
                if headingLines[middle].lowerBound < start { first = middle + 1 } else { last = middle }
            }
            return !(first < headingLines.count && headingLines[first].upperBound <= end)
        }

        func find(_ needle: [Character], from cursor: Int) -> Int? {
            guard !needle.isEmpty, needle.count <= characters.count else { return nil }
            var index = cursor
            while index + needle.count <= characters.count {
                if characters[index] == needle[0], Array(characters[index..<index + needle.count]) == needle { return index }
                index += 1
            }
            return nil
        }
    }
}
