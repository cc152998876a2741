/// Where a piece of text sits in its source: lines and columns count from 1, columns in `Character`s
/// (a Hanzi is one column, not three UTF-8 bytes). The end is inclusive: the position of the last character.
///
/// Sources with pages (PDF, OFD) also give the page, from 1; their lines then count from the top of that page.
/// Sources without pages leave `startPage` and `endPage` nil, and their JSON has no page fields.
public struct SourceSpan: Codable, Hashable, Sendable, Comparable {
    public var startLine: Int
    public var startColumn: Int
    public var endLine: Int
    public var endColumn: Int
    /// The page the span starts on, where the source has pages.
    public var startPage: Int?
    /// The page the span ends on, where the source has pages.
    public var endPage: Int?

    public init(startLine: Int, startColumn: Int, endLine: Int, endColumn: Int,
                startPage: Int? = nil, endPage: Int? = nil) {
        self.startLine = startLine
        self.startColumn = startColumn
        self.endLine = endLine
        self.endColumn = endColumn
        self.startPage = startPage
        self.endPage = endPage ?? startPage
    }

    /// A span from one position to another (both inclusive).
    public init(from start: SourcePosition, to end: SourcePosition) {
        self.init(startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column,
                  startPage: start.page, endPage: end.page)
    }

    /// The start of the span, for diagnostics.
    public var start: SourcePosition { SourcePosition(line: startLine, column: startColumn, page: startPage) }
    /// The end of the span (its last character).
    public var end: SourcePosition { SourcePosition(line: endLine, column: endColumn, page: endPage) }

    /// A span covering both `self` and `other`.
    public func union(_ other: SourceSpan) -> SourceSpan {
        let first = start <= other.start ? start : other.start
        let last = end >= other.end ? end : other.end
        return SourceSpan(from: first, to: last)
    }

    public static func < (lhs: SourceSpan, rhs: SourceSpan) -> Bool { lhs.start < rhs.start }

    /// Printed as `12:3-12:40`, the form the tree dump uses; with pages `p2:12:3-p3:1:40`.
    public var compactDescription: String { "\(start.compactDescription)-\(end.compactDescription)" }
}

/// A line and column (both from 1; the column in `Character`s), and the page where the source has pages.
public struct SourcePosition: Codable, Hashable, Sendable, Comparable {
    public var line: Int
    public var column: Int
    /// The page, from 1, where the source has pages (its lines then count from the page's top).
    public var page: Int?

    public init(line: Int, column: Int, page: Int? = nil) {
        self.line = line
        self.column = column
        self.page = page
    }

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
        (lhs.page ?? 0, lhs.line, lhs.column) < (rhs.page ?? 0, rhs.line, rhs.column)
    }

    /// `12:3`, or `p2:12:3` where the source has pages.
    public var compactDescription: String {
        (page.map { "p\($0):" } ?? "") + "\(line):\(column)"
    }
}

extension SourceSpan {
    /// How a citation names the span's pages: "p. 12", or "pp. 12–13" for a span over two pages; nil where the
    /// source has no pages.
    public var pageCitation: String? { Self.pageCitation(from: startPage, to: endPage) }

    /// `pageCitation` for a span known only by its first and last page.
    public static func pageCitation(from start: Int?, to end: Int?) -> String? {
        guard let start else { return nil }
        guard let end, end != start else { return "p. \(start)" }
        return "pp. \(start)–\(end)"
    }
}
