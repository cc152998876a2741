/// A finding about a document, with its place: printed as
/// `corpus/laws/x.md:45:3: warning: 第十三条 follows 第十一条 (segment.numbering-gap)`.
///
/// Problems in a document are diagnostics, not errors: the tree still comes out. Only I/O and undecodable
/// input throw.
public struct Diagnostic: Codable, Hashable, Sendable {
    public enum Severity: String, Codable, Sendable, Comparable {
        case note, warning, error

        private var rank: Int {
            switch self {
            case .note: 0
            case .warning: 1
            case .error: 2
            }
        }
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public var severity: Severity
    /// A stable identifier, `domain.name` (`segment.numbering-gap`, `ingest.encoding-mismatch`).
    public var id: String
    public var message: String
    /// Where, in the source; nil for findings about the whole input.
    public var line: Int?
    public var column: Int?
    /// The page, where the source has pages (PDF, OFD); `line` then counts from the top of the page.
    public var page: Int?

    public init(_ severity: Severity, _ id: String, _ message: String, at position: SourcePosition? = nil) {
        self.severity = severity
        self.id = id
        self.message = message
        self.line = position?.line
        self.column = position?.column
        self.page = position?.page
    }

    /// `path:line:column: severity: message (id)`; with a page `path:p12:line:column: …`; without a position,
    /// `path: severity: …`.
    public func formatted(path: String) -> String {
        var location = path
        if let page { location += ":p\(page)" }
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return "\(location): \(severity.rawValue): \(message) (\(id))"
    }
}
