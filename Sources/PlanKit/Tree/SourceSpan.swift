/// Where a piece of text sits in its source: lines and columns count from 1, columns in `Character`s
/// (a Hanzi is one column, not three UTF-8 bytes). The end is inclusive: the position of the last character.
public struct SourceSpan: Codable, Hashable, Sendable, Comparable {
    public var startLine: Int
    public var startColumn: Int
    public var endLine: Int
    public var endColumn: Int

    public init(startLine: Int, startColumn: Int, endLine: Int, endColumn: Int) {
        self.startLine = startLine
        self.startColumn = startColumn
        self.endLine = endLine
        self.endColumn = endColumn
    }

    /// The start of the span, for diagnostics.
    public var start: SourcePosition { SourcePosition(line: startLine, column: startColumn) }

    /// A span covering both `self` and `other`.
    public func union(_ other: SourceSpan) -> SourceSpan {
        let (first, _) = self < other ? (self, other) : (other, self)
        let lastEnd = (endLine, endColumn) >= (other.endLine, other.endColumn)
            ? (endLine, endColumn) : (other.endLine, other.endColumn)
        return SourceSpan(startLine: first.startLine, startColumn: first.startColumn,
                          endLine: lastEnd.0, endColumn: lastEnd.1)
    }

    public static func < (lhs: SourceSpan, rhs: SourceSpan) -> Bool {
        (lhs.startLine, lhs.startColumn) < (rhs.startLine, rhs.startColumn)
    }

    /// Printed as `12:3-12:40`, the form the tree dump uses.
    public var compactDescription: String { "\(startLine):\(startColumn)-\(endLine):\(endColumn)" }
}

/// A line and column (both from 1; the column in `Character`s).
public struct SourcePosition: Codable, Hashable, Sendable {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}
