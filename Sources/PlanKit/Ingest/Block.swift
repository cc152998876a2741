/// One block of body text as an ingester found it — a line of a text file, a reflowed paragraph of PDF text,
/// a `<p>` of an HTML page — with its place in the source and the typographic hints that help segmentation.
///
/// Ingesters (text, Markdown, HTML, JSON Lines) produce blocks; `Segmenter` turns blocks into the tree.
/// Guarantees an ingester gives: `text` is not empty and has no line breaks, and no leading or trailing
/// white space (indentation is recorded in `hints` instead); blocks are in reading order; site chrome is
/// already gone.
public struct Block: Hashable, Sendable {
    public var text: String
    public var span: SourceSpan
    public var hints: Hints
    /// A heading level the source marked explicitly (`<h2>`, `## `), 1 = top.
    public var markedHeadingLevel: Int?
    /// With `.boldLead`: how many characters of `text` the bold run covers.
    public var boldPrefixLength: Int?
    /// Where characters of `text` sit in the source, for blocks joined from several lines (reflowed PDF
    /// text): each anchor gives the source position of the character at `offset`. The first anchor is the
    /// span's start; a block from one line needs no other.
    public var anchors: [TextAnchor]

    public init(text: String, span: SourceSpan, hints: Hints = [], markedHeadingLevel: Int? = nil,
                boldPrefixLength: Int? = nil) {
        self.text = text
        self.span = span
        self.hints = hints
        self.markedHeadingLevel = markedHeadingLevel
        self.boldPrefixLength = boldPrefixLength
        self.anchors = [TextAnchor(offset: 0, line: span.startLine, column: span.startColumn, page: span.startPage)]
    }

    /// The source position of the character at `offset` in `text`.
    public func position(ofCharacterAt offset: Int) -> SourcePosition {
        let anchor = anchors.last(where: { $0.offset <= offset }) ?? anchors[0]
        return SourcePosition(line: anchor.line, column: anchor.column + offset - anchor.offset, page: anchor.page)
    }

    /// The span of `text[start..<end]` (character offsets, `end` exclusive and greater than `start`).
    public func span(ofCharactersFrom start: Int, to end: Int) -> SourceSpan {
        let first = position(ofCharacterAt: start)
        let last = position(ofCharacterAt: max(start, end - 1))
        return SourceSpan(from: first, to: last)
    }

    /// Typographic hints from the source.
    public struct Hints: OptionSet, Hashable, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Centred (`align="center"`, `text-align: center`) — headings on government sites.
        public static let centered = Hints(rawValue: 1 << 0)
        /// The whole block is bold.
        public static let bold = Hints(rawValue: 1 << 1)
        /// The block starts with a bold run (a lead sentence set in bold).
        public static let boldLead = Hints(rawValue: 1 << 2)
        /// Indented with spaces, U+3000 or `text-indent`.
        public static let indented = Hints(rawValue: 1 << 3)
        /// A caption under an image.
        public static let figureCaption = Hints(rawValue: 1 << 4)
        /// A row of a table, cells joined with tabs.
        public static let tableRow = Hints(rawValue: 1 << 5)
        /// Right-aligned (signatures and dates at the end of a notice).
        public static let rightAligned = Hints(rawValue: 1 << 6)
        /// The source marks the block as standing before the body (a Markdown law's enactment history).
        public static let frontMatter = Hints(rawValue: 1 << 7)
    }
}

/// The source position of one character of a block's text.
public struct TextAnchor: Hashable, Sendable {
    public var offset: Int
    public var line: Int
    public var column: Int
    /// The page, where the source has pages.
    public var page: Int?
    public init(offset: Int, line: Int, column: Int, page: Int? = nil) {
        self.offset = offset
        self.line = line
        self.column = column
        self.page = page
    }

    /// The anchor of a character at `offset` placed at `position`.
    public init(offset: Int, at position: SourcePosition) {
        self.init(offset: offset, line: position.line, column: position.column, page: position.page)
    }
}

/// What an ingester hands to segmentation: the body blocks, the metadata it found, and its findings.
public struct IngestedText: Sendable {
    public var blocks: [Block]
    public var metadata: Metadata
    public var diagnostics: [Diagnostic]

    public init(blocks: [Block], metadata: Metadata = Metadata(), diagnostics: [Diagnostic] = []) {
        self.blocks = blocks
        self.metadata = metadata
        self.diagnostics = diagnostics
    }
}
