/// A finished document: metadata, tree and the findings made on the way. Every later stage (records, index,
/// convert, diff, serve) consumes this and never re-runs ingest or segmentation.
public struct PlanDocument: Codable, Hashable, Sendable {
    public var metadata: Metadata
    public var root: Node
    public var diagnostics: [Diagnostic]

    public init(metadata: Metadata, root: Node, diagnostics: [Diagnostic]) {
        self.metadata = metadata
        self.root = root
        self.diagnostics = diagnostics
    }

    /// The most serious diagnostic's severity, or nil when there is none.
    public var worstSeverity: Diagnostic.Severity? { diagnostics.map(\.severity).max() }
}
