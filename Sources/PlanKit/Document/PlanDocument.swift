/// A finished document: metadata, tree, typed records and the findings made on the way. Every later stage
/// (index, convert, diff, serve) consumes this and never re-runs ingest, segmentation or extraction.
public struct PlanDocument: Codable, Hashable, Sendable {
    public var metadata: Metadata
    public var root: Node
    public var diagnostics: [Diagnostic]
    /// Targets, achievements, milestones, measures and references found in the tree (`RecordExtractor`).
    public var records: [Record]

    public init(metadata: Metadata, root: Node, diagnostics: [Diagnostic], records: [Record] = []) {
        self.metadata = metadata
        self.root = root
        self.diagnostics = diagnostics
        self.records = records
    }

    enum CodingKeys: String, CodingKey { case metadata, root, diagnostics, records }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try container.decode(Metadata.self, forKey: .metadata)
        root = try container.decode(Node.self, forKey: .root)
        diagnostics = try container.decodeIfPresent([Diagnostic].self, forKey: .diagnostics) ?? []
        records = try container.decodeIfPresent([Record].self, forKey: .records) ?? []
    }

    /// The most serious diagnostic's severity, or nil when there is none.
    public var worstSeverity: Diagnostic.Severity? { diagnostics.map(\.severity).max() }
}

/// The stages after ingest, in order: segmentation, then the extraction passes. Ingesters hand their
/// blocks here; nothing else runs a stage.
public enum Pipeline {
    public static func process(_ ingested: IngestedText, extractRecords: Bool = true,
                               settings: ExtractionSettings = .standard) -> PlanDocument {
        var document = Segmenter.segment(ingested)
        let abbreviations = AbbreviationFinder.abbreviations(in: document.root)
        if !abbreviations.isEmpty { document.metadata.abbreviations = abbreviations }
        guard extractRecords else { return document }
        let (records, diagnostics) = RecordExtractor.extractWithDiagnostics(from: document, settings: settings)
        document.records = records
        document.diagnostics += diagnostics
        return document
    }
}
