import Foundation

/// Retrieval chunks (检索片段) that follow the document tree instead of a character count.
///
/// Guarantees, relied on by `ChunkerTests` over every corpus document:
/// - a chunk never crosses a heading boundary: all its text sits under one *anchor* — a chapter, section,
///   article, division, titled item or other container — and the headings of that anchor are its `path`;
/// - every paragraph (every text block of the body: 款, unnumbered paragraph, text item, list entry, figure
///   caption, closing line) is in exactly one chunk, in document order, whole; only a paragraph longer than
///   `maxCharacters` is split, and then only between its clauses (lead sentence and clauses of the tree), so
///   a chunk of a split paragraph lists those clauses' ids instead of the paragraph's;
/// - small neighbours under the same anchor are merged, joined by a line break, up to `maxCharacters`;
/// - headings are never chunk text (they are the path), and `text` never repeats: the overlap with the
///   chunk before is a separate field.
///
/// A single clause longer than `maxCharacters` stays whole (the chunk is then longer than the limit).
public struct Chunker: Sendable {
    public var maxCharacters: Int
    /// Up to this many characters of the previous chunk under the same anchor (whole clauses from its end)
    /// are given as `overlap`; 0 for none.
    public var overlapCharacters: Int

    public init(maxCharacters: Int = 500, overlapCharacters: Int = 0) {
        self.maxCharacters = max(1, maxCharacters)
        self.overlapCharacters = max(0, overlapCharacters)
    }

    /// The chunks of `document`, in document order. `key` names the document the way the knowledge base does
    /// (its source path, `path#N` for the N-th document of a JSON Lines file).
    /// - Complexity: O(n) in the length of the document's text.
    public func chunks(of document: PlanDocument, key: String) -> [Chunk] {
        let reference = Chunk.DocumentReference(key: key, metadata: document.metadata)
        var chunks: [Chunk] = []
        for group in Self.groups(of: document.root) {
            chunks += pack(group, document: reference)
        }
        return chunks
    }

    // MARK: - Units and anchors

    /// A paragraph of the body with the anchor it sits under.
    struct Unit {
        var node: Node
        var anchor: Node
        var path: [String]
    }

    /// Runs of consecutive units under the same anchor, in document order.
    static func groups(of root: Node) -> [[Unit]] {
        var groups: [[Unit]] = []
        var anchors: [(node: Node, title: String?)] = [(root, nil)]
        func walk(_ node: Node) {
            let opensAnchor = node.kind != .document && isAnchor(node)
            // 序言 and 目录 are titled; a preamble and a closing have no title to show.
            if opensAnchor { anchors.append((node, node.label == nil && node.heading == nil ? nil : node.displayTitle)) }
            if isParagraph(node) {
                let anchor = anchors.last!.node
                let unit = Unit(node: node, anchor: anchor, path: anchors.compactMap(\.title))
                if let last = groups.last?.last, last.anchor.id == anchor.id {
                    groups[groups.count - 1].append(unit)
                } else {
                    groups.append([unit])
                }
            }
            for child in node.children where !isPiece(child) { walk(child) }
            if opensAnchor { anchors.removeLast() }
        }
        walk(root)
        return groups
    }

    /// Whether a node gives its descendants a heading: containers, articles, divisions (一、, the chapters of
    /// plans and opinions, titled or not) and titled items (（一）统筹建设…).
    static func isAnchor(_ node: Node) -> Bool {
        if node.kind.isContainer || node.kind == .article || node.kind == .division { return true }
        return node.heading != nil && node.kind != .paragraph && node.kind != .listEntry && !isPiece(node)
    }

    /// The text blocks of the body, each to be in exactly one chunk: everything but the document, containers,
    /// articles (whose text is their label and first 款, a child of theirs), clauses, lead sentences, and
    /// numbered lines that are only a heading.
    public static func isParagraph(_ node: Node) -> Bool {
        if node.kind == .document || node.kind.isContainer || node.kind == .article || isPiece(node) { return false }
        if node.text.allSatisfy(\.isWhitespace) { return false }
        return !isHeadingOnly(node)
    }

    /// Lead sentences and clauses: parts of a paragraph's text, not blocks of their own.
    static func isPiece(_ node: Node) -> Bool { node.kind == .clause || node.kind == .lead }

    /// "（一）统筹建设监管工作平台" on its own line: the text is its label and heading, with at most blanks
    /// and closing punctuation besides.
    static func isHeadingOnly(_ node: Node) -> Bool {
        guard let heading = node.heading else { return false }
        func letters(_ text: some StringProtocol) -> String {
            String(text.filter { !$0.isWhitespace && !$0.isPunctuation })
        }
        return letters(node.text) == letters((node.label ?? "") + heading)
    }

    // MARK: - Packing

    /// A piece of text that goes into a chunk whole: a paragraph, or (for a paragraph too long) a run of its
    /// clauses.
    struct Atom {
        var text: String
        var length: Int
        var nodes: [String]
        var span: SourceSpan
        /// The paragraph this atom is part of, when the paragraph was split; nil for a whole paragraph.
        var splitFrom: String?
    }

    func atoms(of unit: Unit) -> [Atom] {
        let text = unit.node.text
        let length = PlainText.characterCount(text)   // counted over scalars when plain: no grapheme breaking
        let pieces = unit.node.children.filter(Self.isPiece)
        guard length > maxCharacters, pieces.count >= 2,
              let ranges = Self.pieceRanges(of: text, pieces: pieces) else {
            return [Atom(text: text, length: length, nodes: [unit.node.id], span: unit.node.span, splitFrom: nil)]
        }
        return zip(pieces, ranges).map { piece, range in
            let pieceText = String(text[range])
            return Atom(text: pieceText, length: PlainText.characterCount(pieceText), nodes: [piece.id], span: piece.span,
                        splitFrom: unit.node.id)
        }
    }

    /// The paragraph's text cut at the start of each clause: the first range begins at the paragraph's
    /// start (a label such as （一） goes with the first clause), the last ends at its end, and the ranges
    /// cover the text exactly. Nil when a clause is not found in order in the text.
    static func pieceRanges(of text: String, pieces: [Node]) -> [Range<String.Index>]? {
        var starts: [String.Index] = []
        var cursor = text.startIndex
        for piece in pieces {
            guard let found = text.range(of: piece.text, range: cursor..<text.endIndex) else { return nil }
            starts.append(found.lowerBound)
            cursor = found.upperBound
        }
        starts[0] = text.startIndex
        return starts.indices.map { index in
            starts[index]..<(index + 1 < starts.count ? starts[index + 1] : text.endIndex)
        }
    }

    func pack(_ group: [Unit], document: Chunk.DocumentReference) -> [Chunk] {
        guard let first = group.first else { return [] }
        var chunks: [Chunk] = []
        var current: [Atom] = []
        var currentLength = 0
        func joiner(_ previous: Atom, _ next: Atom) -> String {
            previous.splitFrom != nil && previous.splitFrom == next.splitFrom ? "" : "\n"
        }
        func flush() {
            guard !current.isEmpty else { return }
            var text = current[0].text
            var span = current[0].span
            for (previous, atom) in zip(current, current.dropFirst()) {
                text += joiner(previous, atom) + atom.text
                span = span.union(atom.span)
            }
            let overlap = chunks.last.map { Self.tail(of: $0.text, upTo: overlapCharacters) } ?? ""
            let anchor = first.anchor.kind == .document ? IdentifierAssignment.rootID : first.anchor.id
            chunks.append(Chunk(id: current[0].nodes[0], document: document, anchor: anchor, path: first.path,
                                text: text, nodes: current.flatMap(\.nodes), span: span,
                                overlap: overlap.isEmpty ? nil : overlap))
            current = []
            currentLength = 0
        }
        for unit in group {
            for atom in atoms(of: unit) {
                if let last = current.last, currentLength + joiner(last, atom).count + atom.length > maxCharacters {
                    flush()
                }
                currentLength += (current.last.map { joiner($0, atom).count } ?? 0) + atom.length
                current.append(atom)
            }
        }
        flush()
        return chunks
    }

    /// Whole clauses from the end of `text`, as many as fit in `limit` characters.
    static func tail(of text: String, upTo limit: Int) -> String {
        guard limit > 0 else { return "" }
        let characters = Array(text)
        var start = characters.count
        for piece in SentenceSplitter.split(text).reversed() {
            guard characters.count - piece.start <= limit else { break }
            start = piece.start
        }
        return String(characters[start...]).trimmingBlanks()
    }
}

/// One retrieval chunk: its text, where it sits (headings, node ids, span) and which document it is from,
/// everything a citation needs (schemas/chunk.schema.json).
public struct Chunk: Codable, Hashable, Sendable {
    /// The id of the first node it covers: stable across re-parses as node ids are.
    public var id: String
    public var document: DocumentReference
    /// The id of the heading node the chunk sits under (a section, an article), `doc` for text directly under
    /// the document.
    public var anchor: String
    /// The headings above the text, outermost first (`第五章 …`, `第四节 跨境电商`): ready to prepend as context.
    public var path: [String]
    public var text: String
    /// The ids of the paragraphs it holds, or of the clauses of a paragraph that had to be split.
    public var nodes: [String]
    public var span: SourceSpan
    /// The end of the chunk before it under the same heading (whole clauses), when an overlap was asked for.
    public var overlap: String?

    /// The document a chunk is from, as a citation names it.
    public struct DocumentReference: Codable, Hashable, Sendable {
        public var key: String
        public var title: String?
        public var issuer: String?
        public var date: String?
        /// 发文字号 (文号), e.g. 国发〔2019〕3号.
        public var documentNumber: String?

        public init(key: String, metadata: Metadata) {
            self.key = key
            title = metadata.title
            issuer = metadata.issuer
            date = metadata.date
            documentNumber = metadata.documentNumber
        }
    }

    /// The text with its headings before it, one line each: what to embed or show a model.
    public var contextualText: String {
        (path + [text]).joined(separator: "\n")
    }
}

/// Chunks as JSON Lines, one chunk a line with sorted keys: what `plankb chunks --json`, `convert --to chunks`
/// and the MCP server write.
public enum ChunkJSONLines {
    public static func render(_ chunks: [Chunk]) throws -> String {
        let encoder = SortedJSONEncoder()
        return try chunks.map { try encoder.encodeToString($0) + "\n" }.joined()
    }
}
