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

    public init(text: String, span: SourceSpan, hints: Hints = [], markedHeadingLevel: Int? = nil,
                boldPrefixLength: Int? = nil) {
        self.text = text
        self.span = span
        self.hints = hints
        self.markedHeadingLevel = markedHeadingLevel
        self.boldPrefixLength = boldPrefixLength
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
