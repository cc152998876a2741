import Foundation
import PlanKit

/// One indexed document as a list shows it (文件目录): its key, what its metadata says, and how big it is.
public struct DocumentSummary: Codable, Hashable, Sendable {
    public var key: String
    public var source: String
    public var title: String?
    public var date: String?
    public var issuer: String?
    public var documentNumber: String?
    public var nodeCount: Int
    public var recordCount: Int

    public init(key: String, source: String, title: String?, date: String?, issuer: String?,
                documentNumber: String?, nodeCount: Int, recordCount: Int) {
        self.key = key
        self.source = source
        self.title = title
        self.date = date
        self.issuer = issuer
        self.documentNumber = documentNumber
        self.nodeCount = nodeCount
        self.recordCount = recordCount
    }
}

/// One indexed document read back whole: its summary, metadata, tree and records, as `plankb index` stored
/// them (the tree is rebuilt from the `nodes` rows, so no stage is re-run to show or compare it).
public struct StoredDocument: Sendable {
    public var summary: DocumentSummary
    public var metadata: Metadata
    /// The tree under a `document` root whose text is the title (as the segmenter makes it).
    public var root: Node
    public var records: [IndexedRecord]

    public init(summary: DocumentSummary, metadata: Metadata, root: Node, records: [IndexedRecord]) {
        self.summary = summary
        self.metadata = metadata
        self.root = root
        self.records = records
    }

    /// The document as the later stages take it: records decoded back from their JSON where they decode
    /// (a record written by another version of the extractor is left out rather than guessed).
    public var planDocument: PlanDocument {
        let decoder = JSONDecoder()
        let decoded = records.compactMap { $0.record(decodingWith: decoder) }
        return PlanDocument(metadata: metadata, root: root, diagnostics: [], records: decoded)
    }

    /// Rebuilds a tree from rows in document order, each naming its parent (nil for the root's children).
    static func tree(title: String, rows: [(node: Node, parentID: String?)]) -> Node {
        var childrenByParent: [String: [Node]] = [:]
        for (node, parentID) in rows {
            let key = parentID ?? ""
            childrenByParent[key, default: []].append(node)
        }
        func attach(_ node: Node) -> Node {
            var node = node
            node.children = (childrenByParent[node.id] ?? []).map(attach)
            return node
        }
        let top = (childrenByParent[""] ?? []).map(attach)
        var span: SourceSpan?
        for node in top { span = span.map { $0.union(node.span) } ?? node.span }
        return Node(kind: .document, text: title,
                    span: span ?? SourceSpan(startLine: 1, startColumn: 1, endLine: 1, endColumn: 1), children: top)
    }
}
