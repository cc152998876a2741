/// 段落 — one paragraph of running text (or a titled item that holds its own text) with its sentences:
/// the unit every extraction pass reads.
///
/// When the segmenter has split the paragraph into a lead and clauses, those nodes are the sentences; when
/// it has not, the paragraph is split here at 。；！？ (never inside quotes, brackets or 《》) and each
/// sentence points at the paragraph's node.
public struct Passage: Sendable {
    public var node: Node
    /// `Node.displayTitle` of every ancestor that has a label or a heading, outermost first.
    public var path: [String]
    /// The same headings without their labels ("定位和步骤：“三个区”和“三步走”"), for matching words in them.
    public var headings: [String]
    public var sentences: [Sentence]

    /// One sentence or clause of a passage.
    public struct Sentence: Sendable {
        /// The id of the node the sentence is (a lead or clause), or of its paragraph.
        public var nodeID: String
        public var text: String
        public var span: SourceSpan
        /// Whether the segmenter marked it as the paragraph's lead, or it reads as one.
        public var isLead: Bool

        /// The span of `offsets` inside `text`, when the sentence sits on one line (else the sentence's span).
        public func span(of offsets: Range<Int>) -> SourceSpan {
            guard span.startLine == span.endLine, span.endColumn - span.startColumn + 1 == PlainText.characterCount(text) else { return span }
            return SourceSpan(startLine: span.startLine, startColumn: span.startColumn + offsets.lowerBound,
                              endLine: span.startLine, endColumn: span.startColumn + max(offsets.upperBound - 1, offsets.lowerBound),
                              startPage: span.startPage, endPage: span.startPage)
        }
    }

    public var text: String { sentences.map(\.text).joined() }
    public var lead: Sentence? { sentences.first.flatMap { $0.isLead ? $0 : nil } }

    /// Kinds whose nodes carry running text.
    static let textKinds: Set<NodeKind> = [
        .paragraph, .item, .subitem, .point, .subpoint, .listEntry, .article, .division, .preamble,
    ]

    /// The passages of a tree in document order.
    public static func passages(in root: Node) -> [Passage] {
        var result: [Passage] = []
        var inlineHeadings: [String: String] = [:]
        root.forEach { node, ancestors in
            guard textKinds.contains(node.kind) else { return }
            let sentenceChildren = node.children.filter { $0.kind == .lead || $0.kind == .clause }
            // A node whose children are other blocks is a heading over them, not running text.
            guard sentenceChildren.count == node.children.count else { return }
            let parentID = ancestors.last?.id ?? ""
            if node.kind != .paragraph, node.heading != nil, node.children.isEmpty,
               PlainText.characterCount(node.text) <= (node.label?.count ?? 0) + (node.heading?.count ?? 0) + 2 {
                inlineHeadings[parentID] = node.heading
                return
            }
            // "（二）基本原则。" alone on its line heads the paragraphs after it, which the tree keeps as siblings.
            if node.kind != .paragraph, let inline = inlineHeading(of: node) {
                inlineHeadings[parentID] = inline
                return
            }
            if node.kind != .paragraph { inlineHeadings[parentID] = nil }
            let titled = ancestors.filter { $0.kind != .document && ($0.label != nil || $0.heading != nil) }
            let path = titled.map(\.displayTitle)
            let headings = titled.compactMap(\.heading) + (node.kind == .paragraph ? [inlineHeadings[parentID]].compactMap { $0 } : [])
            let sentences: [Sentence]
            if sentenceChildren.isEmpty {
                sentences = split(node)
            } else {
                sentences = sentenceChildren.map {
                    Sentence(nodeID: $0.id, text: $0.text, span: $0.span, isLead: $0.kind == .lead)
                }
            }
            guard !sentences.isEmpty else { return }
            result.append(Passage(node: node, path: path, headings: headings, sentences: sentences))
        }
        return result
    }

    /// The title of a numbered node that holds nothing but a short title ("（二）基本原则。"), else nil.
    static func inlineHeading(of node: Node) -> String? {
        guard let label = node.label, node.text.hasPrefix(label) else { return nil }
        let title = String(node.text.dropFirst(label.count)).trimmingCharacters(in: "。.：:")
        // (The rest of a long paragraph is not counted through: 17 characters settle it.)
        guard !title.isEmpty, PlainText.hasAtMost(16, charactersIn: title), !title.contains(where: { "。；;，,".contains($0) })
        else { return nil }
        return title
    }

    /// Splits a paragraph's text into clauses with `SentenceSplitter` (the segmenter's own cut, so quotes and
    /// brackets are respected alike); a short first sentence that ends with 。 before more text is the lead.
    static func split(_ node: Node) -> [Sentence] {
        // One character index for the split and the pieces, which are cut from the text itself.
        let characters = CharacterArray(node.text)
        let pieces = SentenceSplitter.split(characters)
        let whole = Sentence(nodeID: node.id, text: node.text, span: node.span, isLead: false)
        return pieces.enumerated().compactMap { number, piece in
            let range = piece.start..<min(piece.end, characters.count)
            let text = characters.string(range)
            guard !text.trimmingBlanks().isEmpty else { return nil }
            let isLead = number == 0 && pieces.count > 1 && piece.terminator == "。" && range.count <= leadLengthLimit
            return Sentence(nodeID: node.id, text: text, span: whole.span(of: range), isLead: isLead)
        }
    }

    /// Lead sentences name a measure in a few words; a longer first sentence is running text.
    static let leadLengthLimit = 40
}
