/// Turns ingested blocks into the document tree: headings nest by their numbering level, paragraphs attach
/// to the heading above them, text paragraphs split into a lead sentence and clauses, and every node gets
/// an Akoma Ntoso style id. Problems (numbering gaps, truncated paragraphs) become diagnostics; the tree
/// always comes out.
///
/// - Complexity: O(n) in the number of characters.
public enum Segmenter {
    public static func segment(_ ingested: IngestedText) -> PlanDocument {
        var builder = TreeBuilder(ingested: ingested)
        builder.build()
        var root = builder.finish()
        var diagnostics = ingested.diagnostics + builder.diagnostics
        IdentifierAssignment.assign(to: &root)
        diagnostics += NumberingCheck.check(root)
        diagnostics += TruncationCheck.check(root)
        var metadata = builder.metadata
        if metadata.title == nil, let heading = root.heading { metadata.title = heading }
        if metadata.title == nil, let (title, article) = LawTitle.inferred(from: root) {
            metadata.title = title
            diagnostics.append(Diagnostic(.note, "segment.title-inferred",
                                          "the text prints no title; “\(title)” is read from the scope it states", at: article.span.start))
        }
        diagnostics.sort { ($0.page ?? 0, $0.line ?? 0, $0.column ?? 0) < ($1.page ?? 0, $1.line ?? 0, $1.column ?? 0) }
        diagnostics = DiagnosticLimit.apply(to: diagnostics)
        return PlanDocument(metadata: metadata, root: root, diagnostics: diagnostics)
    }
}

/// Keeps a flood of one finding (a generated file where every heading repeats) readable: the first
/// `perID` of each id, then one note that counts the rest.
enum DiagnosticLimit {
    static let perID = 50

    static func apply(to diagnostics: [Diagnostic]) -> [Diagnostic] {
        var counts: [String: Int] = [:]
        var kept: [Diagnostic] = []
        for diagnostic in diagnostics {
            counts[diagnostic.id, default: 0] += 1
            if counts[diagnostic.id]! <= perID { kept.append(diagnostic) }
        }
        for (id, count) in counts.sorted(by: { $0.key < $1.key }) where count > perID {
            kept.append(Diagnostic(.warning, "segment.more-findings", "\(count - perID) more \(id) findings not shown"))
        }
        return kept
    }
}

/// Whether a document is a law (numbered 第X条 articles, whose paragraphs are 款) or a plan-like text.
enum DocumentStyle {
    case law, plan

    /// `labels` holds the label of each block, nil where it has none.
    init(labels: [Label?]) {
        let articles = labels.prefix(5_000).filter { $0?.kind == .article }.count
        self = articles >= 3 ? .law : .plan
    }
}

/// The numbering rank of a kind: a new heading closes every open heading of the same or a lower rank.
extension NodeKind {
    var rank: Double {
        switch self {
        case .document: -100
        case .attachment: 0
        case .preface, .preamble, .toc: 0.5
        case .part: 1
        case .subpart: 2
        case .chapter: 3
        case .section: 4
        case .box: 4.5
        case .article: 5
        case .paragraph: 5.5   // 款, only on the stack inside an article
        case .division: 6
        case .item: 7
        case .subitem: 8
        case .point: 9
        case .subpoint: 10
        case .listEntry: 11
        case .lead, .clause, .figure, .closing: 12
        }
    }

    /// Headings that end a preface, preamble or table of contents.
    var isMajorHeading: Bool {
        switch self {
        case .part, .subpart, .chapter, .section, .article, .division, .attachment, .preface, .box: true
        default: false
        }
    }
}

/// A node under construction.
final class DraftNode {
    var kind: NodeKind
    var num: Int?
    var label: String?
    var heading: String?
    var text: String
    var span: SourceSpan
    var children: [DraftNode] = []
    /// Whether unnumbered paragraphs that follow attach here (headings) or to an ancestor (text items).
    var acceptsParagraphs: Bool

    init(kind: NodeKind, num: Int? = nil, label: String? = nil, heading: String? = nil, text: String,
         span: SourceSpan, acceptsParagraphs: Bool) {
        self.kind = kind
        self.num = num
        self.label = label
        self.heading = heading
        self.text = text
        self.span = span
        self.acceptsParagraphs = acceptsParagraphs
    }

    func freeze() -> Node {
        Node(kind: kind, num: num, label: label, heading: heading, text: text, span: span,
             children: children.map { $0.freeze() })
    }

    /// Extends this node's span (and its ancestors', by the caller) to cover `span`.
    func extend(to other: SourceSpan) { span = span.union(other) }
}

struct TreeBuilder {
    let blocks: [Block]
    /// The label of each block, parsed once: the builder and its checks ask for it several times a block.
    let labels: [Label?]
    let style: DocumentStyle
    var metadata: Metadata
    var diagnostics: [Diagnostic] = []

    private let root: DraftNode
    private var stack: [DraftNode]
    private var titleTaken = false
    private var sawStructure = false
    private var preamble: DraftNode?
    private var tocFirstEntry: String?
    private let closingBlocks: Set<Int>
    /// The known title in its matching form, without white space, for spotting it at the top of the body.
    private let compactTitle: String?

    init(ingested: IngestedText) {
        blocks = ingested.blocks
        labels = ingested.blocks.map { LabelParser.parse(Substring($0.text)) }
        style = DocumentStyle(labels: labels)
        metadata = ingested.metadata
        let whole: SourceSpan
        if let first = blocks.first, let last = blocks.last {
            whole = SourceSpan(from: first.span.start, to: last.span.end)
        } else {
            whole = SourceSpan(startLine: 1, startColumn: 1, endLine: 1, endColumn: 1)
        }
        root = DraftNode(kind: .document, text: metadata.title ?? "", span: whole, acceptsParagraphs: true)
        stack = [root]
        closingBlocks = ClosingBlock.indices(in: blocks, labels: labels, metadata: ingested.metadata)
        compactTitle = metadata.title.map { Normalizer.normalize($0).filter { !$0.isWhitespace } }
    }

    mutating func build() {
        for (index, block) in blocks.enumerated() {
            if closingBlocks.contains(index) {
                addClosing(block)
            } else if closingBlocks.contains(index + 1), labels[index]?.kind == .attachment {
                // "附件：…" just above the signature lists the attachments; the attachment itself follows it.
                addParagraph(block)
            } else {
                let hasNext = index + 1 < blocks.count && !closingBlocks.contains(index + 1)
                add(block, label: labels[index], next: hasNext ? (blocks[index + 1], labels[index + 1]) : nil)
            }
        }
    }

    func finish() -> Node {
        var node = root.freeze()
        node.heading = titleTaken ? root.heading : (metadata.title)
        node.text = node.heading ?? ""
        return node
    }

    // MARK: - One block

    private mutating func add(_ block: Block, label: Label?, next: (block: Block, label: Label?)?) {
        if block.hints.contains(.frontMatter) {
            appendToPreamble(block)
            return
        }
        if !sawStructure, !titleTaken, isTitle(block, label: label) {
            titleTaken = true
            root.heading = block.text
            if metadata.title == nil { metadata.title = block.text }
            return
        }
        if let toc = stack.last, toc.kind == .toc {
            let normalized = Normalizer.normalize(block.text)
            if normalized == tocFirstEntry {
                stack.removeLast()
            } else if isTOCEntry(block, label: label) {
                if tocFirstEntry == nil { tocFirstEntry = normalized }
                toc.children.append(DraftNode(kind: .paragraph, text: block.text, span: block.span, acceptsParagraphs: false))
                toc.extend(to: block.span)
                return
            } else {
                stack.removeLast()
            }
        }

        // A table row is data, even when its first cell reads like a label ("第三十一条第一款" in a table of
        // the provisions a decision suspends).
        if let label, !block.hints.contains(.tableRow), accepts(label, block: block) {
            addLabelled(block, label: label, next: next)
        } else if block.hints.contains(.figureCaption) || looksLikeFigureCaption(block) {
            while let top = stack.last, top.kind == .listEntry { stack.removeLast() }
            attachToParagraphHolder(DraftNode(kind: .figure, text: block.text, span: block.span, acceptsParagraphs: false))
        } else if sawStructure, let name = listEntryName(block) {
            while let top = stack.last, top !== root, top.kind.rank >= NodeKind.listEntry.rank || !top.acceptsParagraphs {
                stack.removeLast()
            }
            let entry = DraftNode(kind: .listEntry, heading: name, text: block.text, span: block.span, acceptsParagraphs: true)
            append(entry, to: stack.last!)
            stack.append(entry)
        } else {
            addParagraph(block)
        }
    }

    /// A list label standing alone ("一核:", "五区:"): a short name and a colon; the entries follow it.
    private func listEntryName(_ block: Block) -> String? {
        let text = block.text
        guard !PlainText.hasAtMost(1, charactersIn: text), PlainText.hasAtMost(12, charactersIn: text),
              let last = text.last, last == ":" || last == "：" else { return nil }
        let name = text.dropLast()
        guard !name.contains(where: { "，,。；;：:、".contains($0) }) else { return nil }
        return String(name)
    }

    /// A caption line in text: short, no closing punctuation, naming a figure ("…空间布局规划图", "图1 …").
    private func looksLikeFigureCaption(_ block: Block) -> Bool {
        let text = block.text
        guard PlainText.hasAtMost(40, charactersIn: text), let last = text.last, !"。；：:，,！？".contains(last) else {
            return false
        }
        if text.hasSuffix("图") || text.hasSuffix("示意图") { return true }
        let afterFigure = text.dropFirst()
        return text.hasPrefix("图") && (afterFigure.first?.isNumber ?? false)
    }

    /// The document's own title, repeated at the top of the body.
    private func isTitle(_ block: Block, label: Label?) -> Bool {
        if let titleText = compactTitle {
            let blockText = Normalizer.normalize(block.text).filter { !$0.isWhitespace }
            return !blockText.isEmpty && (blockText == titleText
                || (block.hints.contains(.centered) && titleText.contains(blockText) && blockText.count >= 6))
        }
        // No known title: a first block set as a heading (centred, bold or marked) is the title.
        return PlainText.hasAtMost(100, charactersIn: block.text) && (block.markedHeadingLevel == 1
            || (block.hints.contains(.centered) && block.hints.contains(.bold)))
            && label == nil
    }

    private func accepts(_ label: Label, block: Block) -> Bool {
        switch label.kind {
        case .part, .subpart, .chapter, .section:
            // "第五章规定的…" in running text is not a heading.
            return block.markedHeadingLevel != nil
                || (PlainText.hasAtMost(60, charactersIn: label.rest) && !label.rest.contains("。"))
        case .preface, .toc:
            return true
        default:
            return true
        }
    }

    private func isTOCEntry(_ block: Block, label: Label?) -> Bool {
        guard PlainText.hasAtMost(40, charactersIn: block.text), !block.text.contains("。") else { return false }
        if let label { return [.part, .subpart, .chapter, .section, .preface, .attachment].contains(label.kind) }
        return true
    }

    // MARK: - Labelled blocks

    private mutating func addLabelled(_ block: Block, label: Label, next: (block: Block, label: Label?)?) {
        let kind = label.kind
        sawStructure = true
        // Close open headings of the same or a lower level; a major heading also closes a preface.
        while let top = stack.last, top !== root,
              top.kind.rank >= kind.rank || (kind.isMajorHeading && [.preface, .preamble, .toc].contains(top.kind)) {
            stack.removeLast()
        }
        let parent = stack.last!
        let printedRest = String(label.rest)
        switch kind {
        case .preface, .toc, .part, .subpart, .chapter, .section, .box, .attachment:
            let heading = stripTrailingPunctuation(printedRest)
            let node = DraftNode(kind: kind, num: label.number, label: kind == .preface || kind == .toc ? nil : label.printed,
                                 heading: heading.isEmpty ? (kind == .preface || kind == .toc ? label.printed : nil) : heading,
                                 text: block.text, span: block.span, acceptsParagraphs: true)
            append(node, to: parent)
            stack.append(node)
            if kind == .toc { tocFirstEntry = nil }
        case .article:
            let node = DraftNode(kind: .article, num: label.number, label: label.printed, text: block.text,
                                 span: block.span, acceptsParagraphs: true)
            append(node, to: parent)
            stack.append(node)
            if !label.rest.isEmpty {
                let paragraph = textNode(.paragraph, block: block, bodyOffset: label.length)
                append(paragraph, to: node)
                stack.append(paragraph)
            }
        default:
            let node: DraftNode
            if isHeadingLike(label, block: block) || titlesFollowingParagraph(label, next: next) {
                node = DraftNode(kind: kind, num: label.number, label: label.printed,
                                 heading: stripTrailingPunctuation(printedRest),
                                 text: block.text, span: block.span, acceptsParagraphs: true)
            } else {
                node = textNode(kind, block: block, bodyOffset: label.length)
                node.num = label.number
                node.label = label.printed
                node.text = block.text
                node.span = block.span
                if let bold = block.boldPrefixLength, bold > label.length, block.hints.contains(.boldLead) {
                    let title = String(block.text.dropFirst(label.length).prefix(bold - label.length))
                    node.heading = stripTrailingPunctuation(title.trimmingBlanks())
                } else if kind == .division, let lead = node.children.first(where: { $0.kind == .lead }) {
                    // 一、研究制定指导性文件。此后… (State Council replies and notices): the lead sentence titles the
                    // division, as a measure's lead sentence is its title, so its path reads 一、研究制定指导性文件.
                    node.heading = stripTrailingPunctuation(lead.text)
                }
            }
            append(node, to: parent)
            stack.append(node)
        }
    }

    /// "（一）统筹建设监管工作平台。" alone on its line, with an unnumbered paragraph after it: a title set as a
    /// sentence, so the paragraphs below belong to it.
    private func titlesFollowingParagraph(_ label: Label, next: (block: Block, label: Label?)?) -> Bool {
        guard style == .plan, let next, PlainText.hasAtMost(30, charactersIn: label.rest), next.label == nil,
              !PlainText.hasAtMost(label.rest.count, charactersIn: next.block.text) else { return false }
        let pieces = SentenceSplitter.split(String(label.rest))
        return pieces.count == 1 && pieces[0].terminator == "。"
    }

    /// A numbered line that titles what follows (一、总体要求) rather than carrying text of its own.
    private func isHeadingLike(_ label: Label, block: Block) -> Bool {
        let rest = label.rest
        if rest.isEmpty { return true }
        if block.hints.contains(.bold) || block.markedHeadingLevel != nil { return PlainText.hasAtMost(60, charactersIn: rest) }
        if let bold = block.boldPrefixLength, block.hints.contains(.boldLead),
           PlainText.hasAtMost(bold, charactersIn: block.text) { return true }
        guard PlainText.hasAtMost(40, charactersIn: rest) else { return false }
        return !Self.containsSentencePunctuation(rest)
    }

    private static let sentencePunctuationScalars: [Unicode.Scalar] = ["。", "；", "！", "？", "，", ",", ";", "!", "?"]
    private static let sentencePunctuation = Set(sentencePunctuationScalars.map(Character.init))

    private static func containsSentencePunctuation(_ text: Substring) -> Bool {
        // In plain text a character is punctuation exactly when its scalar is.
        if PlainText.isPlain(text) { return text.unicodeScalars.contains(where: sentencePunctuationScalars.contains) }
        return text.contains(where: sentencePunctuation.contains)
    }

    // MARK: - Paragraphs

    private mutating func addParagraph(_ block: Block) {
        if !sawStructure, stack.count == 1 {
            appendToPreamble(block)
            return
        }
        // Text items do not take paragraphs; in a law a new paragraph is a new 款 of the article.
        while let top = stack.last, top !== root, !top.acceptsParagraphs || top.kind == .paragraph {
            stack.removeLast()
        }
        let parent = stack.last!
        let paragraph = textNode(.paragraph, block: block, bodyOffset: 0)
        append(paragraph, to: parent)
        if parent.kind == .article { stack.append(paragraph) }
    }

    private mutating func appendToPreamble(_ block: Block) {
        let holder: DraftNode
        if let preamble {
            holder = preamble
        } else {
            holder = DraftNode(kind: .preamble, text: "", span: block.span, acceptsParagraphs: true)
            append(holder, to: root)
            preamble = holder
        }
        append(textNode(.paragraph, block: block, bodyOffset: 0), to: holder)
    }

    private mutating func addClosing(_ block: Block) {
        let closing: DraftNode
        if let last = root.children.last, last.kind == .closing {
            closing = last
        } else {
            closing = DraftNode(kind: .closing, text: "", span: block.span, acceptsParagraphs: true)
            append(closing, to: root)
        }
        append(DraftNode(kind: .paragraph, text: block.text, span: block.span, acceptsParagraphs: false), to: closing)
    }

    private mutating func attachToParagraphHolder(_ node: DraftNode) {
        while let top = stack.last, top !== root, !top.acceptsParagraphs { stack.removeLast() }
        append(node, to: stack.last!)
    }

    private func append(_ node: DraftNode, to parent: DraftNode) {
        parent.children.append(node)
        if parent.kind == .preamble || parent.kind == .closing, parent.children.count == 1 {
            parent.span = node.span
        }
        // Every open ancestor's span grows to cover the new node.
        parent.extend(to: node.span)
        for open in stack where open !== root { open.extend(to: node.span) }
    }

    // MARK: - Text, lead and clauses

    /// A node carrying text, with its lead sentence and clauses as children.
    private func textNode(_ kind: NodeKind, block: Block, bodyOffset: Int) -> DraftNode {
        let characters = CharacterArray(block.text)
        let bodyStart = min(bodyOffset, characters.count)
        let body = bodyStart == 0 ? block.text : characters.string(from: bodyStart, to: characters.count)
        let bodySpan = body.isEmpty ? block.span
            : block.span(ofCharactersFrom: bodyOffset, to: characters.count)
        let node = DraftNode(kind: kind, text: kind == .paragraph ? body : block.text,
                             span: kind == .paragraph ? bodySpan : block.span, acceptsParagraphs: false)
        let pieces = SentenceSplitter.split(characters, from: bodyStart)
        let leadLength = leadSentenceLength(body: body, bodyLength: characters.count - bodyStart, pieces: pieces,
                                            block: block, blockLength: characters.count, bodyOffset: bodyOffset)
        guard leadLength != nil || pieces.count >= 2 else { return node }

        var clauseStart = 0
        if let leadLength {
            let (text, span) = piece(characters, from: bodyOffset, to: bodyOffset + leadLength, block: block)
            node.children.append(DraftNode(kind: .lead, text: text, span: span, acceptsParagraphs: false))
            clauseStart = leadLength
        }
        for piece in pieces where piece.end > clauseStart {
            let start = max(piece.start, clauseStart)
            let (text, span) = self.piece(characters, from: bodyOffset + start, to: bodyOffset + piece.end, block: block)
            guard !text.isEmpty else { continue }
            node.children.append(DraftNode(kind: .clause, text: text, span: span, acceptsParagraphs: false))
        }
        return node
    }

    /// The characters `from..<to` of the block with blanks trimmed, and their span.
    private func piece(_ characters: CharacterArray, from: Int, to: Int, block: Block) -> (String, SourceSpan) {
        var start = from
        var end = to
        while start < end, characters.isBlank(at: start) { start += 1 }
        while end > start, characters.isBlank(at: end - 1) { end -= 1 }
        guard end > start else { return ("", block.span) }
        return (characters.string(from: start, to: end), block.span(ofCharactersFrom: start, to: end))
    }

    /// The length of the lead sentence at the start of `body`, when there is one: the bold run a site set,
    /// or in plans a short first sentence followed by more text that is not a time phrase ("过去一年，…").
    private func leadSentenceLength(body: String, bodyLength: Int, pieces: [SentenceSplitter.Piece], block: Block,
                                    blockLength: Int, bodyOffset: Int) -> Int? {
        if block.hints.contains(.boldLead), let bold = block.boldPrefixLength, bold > bodyOffset,
           bold < blockLength {
            return bold - bodyOffset
        }
        guard style == .plan, pieces.count >= 2, let first = pieces.first, first.terminator == "。" || first.terminator == "！",
              (4...30).contains(first.end - first.start) else { return nil }
        let sentence = body.prefix(first.end)
        if Self.timePhrases.contains(where: { sentence.hasPrefix($0) }) { return nil }
        if let firstCharacter = sentence.first, firstCharacter.isNumber || firstCharacter == "“" && sentence.contains("时期") {
            return nil
        }
        // The rest must be the body the lead announces, not one more sentence of the same weight.
        return bodyLength - first.end >= first.end ? first.end : nil
    }

    private static let timePhrases = ["过去", "今年", "去年", "一年来", "近年来", "目前", "当前", "同时", "此外", "其中"]

    private func stripTrailingPunctuation(_ text: String) -> String {
        var result = text.trimmingBlanks()
        while let last = result.last, "。：:；;，,".contains(last) { result.removeLast() }
        return result
    }
}

/// The closing blocks of a notice: signature, date line, "（此件公开发布）" — at the end of the document or
/// just before its attachments.
enum ClosingBlock {
    /// How many blocks a closing may take.
    static let maximumLength = 4

    /// The indices of closing blocks.
    /// `labels` holds the label of each block, nil where it has none.
    static func indices(in blocks: [Block], labels: [Label?], metadata: Metadata) -> Set<Int> {
        var ends = [blocks.count]
        for index in blocks.indices where index > 0 && labels[index]?.kind == .attachment { ends.append(index) }
        var result: Set<Int> = []
        for end in ends {
            var index = end - 1
            var run: [Int] = []
            while index > 0, run.count < maximumLength, isClosing(blocks[index], metadata: metadata) {
                run.append(index)
                index -= 1
            }
            // A lone right-aligned line is not enough; a closing has a date or a signature.
            if run.contains(where: { isDateOrSignature(blocks[$0], metadata: metadata) }) { result.formUnion(run) }
        }
        return result
    }

    static func isDateOrSignature(_ block: Block, metadata: Metadata) -> Bool {
        isClosing(block, metadata: metadata) && !block.hints.contains(.rightAligned) || DateText.firstDate(in: block.text) != nil
    }

    static func isClosing(_ block: Block, metadata: Metadata) -> Bool {
        let text = block.text
        guard PlainText.hasAtMost(30, charactersIn: text), LabelParser.parse(Substring(text)) == nil else { return false }
        if text.hasPrefix("（此件") || text.hasPrefix("(此件") { return true }
        if let match = DateText.firstMatch(in: text), text.distance(from: match.range.lowerBound, to: match.range.upperBound) + 2 >= text.count {
            return true
        }
        if let issuer = metadata.issuer, Normalizer.normalize(text) == Normalizer.normalize(issuer) { return true }
        return block.hints.contains(.rightAligned)
    }
}
