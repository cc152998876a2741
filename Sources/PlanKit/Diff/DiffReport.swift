/// 修订比对结果 — what changed between two versions of a document: typed changes to its nodes, changes to its
/// metadata, changes to its extracted records, and counts. Encodes to the JSON of `schemas/diff.schema.json`.
public struct DiffReport: Codable, Hashable, Sendable {
    /// The two versions compared.
    public var old: DocumentReference
    public var new: DocumentReference
    /// Changes in document order of the new version (removed nodes at their former place); metadata first.
    public var changes: [Change]
    /// Targets, achievements and measures that changed. Empty until record extraction is available.
    public var recordChanges: [RecordChange]
    /// Counts per node kind ("chapter", "section", "article", …).
    public var summary: [String: ChangeCounts]

    public init(old: DocumentReference, new: DocumentReference, changes: [Change], recordChanges: [RecordChange],
                summary: [String: ChangeCounts]) {
        self.old = old
        self.new = new
        self.changes = changes
        self.recordChanges = recordChanges
        self.summary = summary
    }
}

/// Which document a side of the comparison is: where it came from, its title and date.
public struct DocumentReference: Codable, Hashable, Sendable {
    public var source: String?
    public var title: String?
    public var date: String?

    public init(source: String?, title: String?, date: String?) {
        self.source = source
        self.title = title
        self.date = date
    }
}

/// 变更类型 — the kind of a change, as JSON `kind`.
public enum ChangeKind: String, Codable, Hashable, Sendable, CaseIterable {
    /// Only in the new version.
    case added
    /// Only in the old version.
    case removed
    /// The same node, its text changed.
    case modified
    /// Under another heading, or out of its former order (both paths are given).
    case moved
    /// The same text under a new number (第三节 → 第二节).
    case renumbered
    /// One old node became several new ones (`newParts`).
    case split
    /// Several old nodes became one new node (`oldParts`).
    case merged
    /// A heading changed over an unchanged body.
    case retitled
    /// Only punctuation width or white space changed.
    case formatOnly = "format-only"
    /// A metadata field changed (`field`).
    case metadata
}

/// One side of a change: a node as it stands in one version.
public struct NodeReference: Codable, Hashable, Sendable {
    public var id: String?
    /// The node kind ("article", "section").
    public var kind: String?
    /// Headings above the node and the node's own title, outermost first, joined with " › ".
    public var path: String?
    /// The label as printed ("第十五条"), or the heading for unlabelled headed nodes.
    public var label: String?
    /// The node's text (for an article, all its paragraphs, one per line).
    public var text: String

    public init(id: String?, kind: String?, path: String?, label: String?, text: String) {
        self.id = id
        self.kind = kind
        self.path = path
        self.label = label
        self.text = text
    }
}

/// One change between two versions.
public struct Change: Codable, Hashable, Sendable {
    public var kind: ChangeKind
    /// Further kinds that also apply: a modified article that was also renumbered, a moved one also modified.
    public var also: [ChangeKind]?
    /// For `metadata` changes: the field ("title", "date", "documentNumber").
    public var field: String?
    public var old: NodeReference?
    public var new: NodeReference?
    /// For `split`: every new part, in order. For `merged`: every old part, in order.
    public var newParts: [NodeReference]?
    public var oldParts: [NodeReference]?
    /// How similar the two texts are (0…1, character bigrams), for aligned pairs.
    public var similarity: Double?
    /// The edit script from old to new text, for changes with both sides.
    public var edits: [TextEdit]?

    public init(kind: ChangeKind, also: [ChangeKind]? = nil, field: String? = nil, old: NodeReference? = nil,
                new: NodeReference? = nil, newParts: [NodeReference]? = nil, oldParts: [NodeReference]? = nil,
                similarity: Double? = nil, edits: [TextEdit]? = nil) {
        self.kind = kind
        self.also = also
        self.field = field
        self.old = old
        self.new = new
        self.newParts = newParts
        self.oldParts = oldParts
        self.similarity = similarity
        self.edits = edits
    }

    /// Whether this change has `kind` as its kind or among `also`.
    public func includes(_ kind: ChangeKind) -> Bool {
        self.kind == kind || (also?.contains(kind) ?? false)
    }
}

/// A change to an extracted record (指标 target, 成就 achievement, 举措 measure): "可网办率 target 2025: 100% → ≥95%".
public struct RecordChange: Codable, Hashable, Sendable {
    /// What happened to the record.
    public enum Kind: String, Codable, Hashable, Sendable {
        case added, removed, changed
    }

    /// One field of a record that differs.
    public struct FieldChange: Codable, Hashable, Sendable {
        /// "value", "unit", "comparator", "year".
        public var field: String
        public var old: String?
        public var new: String?

        public init(field: String, old: String?, new: String?) {
            self.field = field
            self.old = old
            self.new = new
        }
    }

    public var kind: Kind
    /// "target", "achievement", "measure".
    public var recordKind: String
    /// What the record is about ("可网办率").
    public var name: String
    public var fields: [FieldChange]
    public var oldNodeID: String?
    public var newNodeID: String?
    /// A one-line reading: "可网办率 target 2025: 100% → ≥95%".
    public var summary: String

    public init(kind: Kind, recordKind: String, name: String, fields: [FieldChange], oldNodeID: String?,
                newNodeID: String?, summary: String) {
        self.kind = kind
        self.recordKind = recordKind
        self.name = name
        self.fields = fields
        self.oldNodeID = oldNodeID
        self.newNodeID = newNodeID
        self.summary = summary
    }
}

/// How many nodes of one kind were added, removed, … and left unchanged.
public struct ChangeCounts: Codable, Hashable, Sendable {
    public var added = 0
    public var removed = 0
    public var modified = 0
    public var moved = 0
    public var renumbered = 0
    public var split = 0
    public var merged = 0
    public var retitled = 0
    public var formatOnly = 0
    public var unchanged = 0

    public init() {}

    /// Counts one more node under its primary change kind (or unchanged, for nil).
    public mutating func count(_ kind: ChangeKind?) {
        switch kind {
        case nil: unchanged += 1
        case .added?: added += 1
        case .removed?: removed += 1
        case .modified?: modified += 1
        case .moved?: moved += 1
        case .renumbered?: renumbered += 1
        case .split?: split += 1
        case .merged?: merged += 1
        case .retitled?: retitled += 1
        case .formatOnly?: formatOnly += 1
        case .metadata?: break
        }
    }
}

/// Options of a comparison.
public struct DiffOptions: Hashable, Sendable {
    /// Leave out format-only changes and format-only edits (`--ignore-format`).
    public var ignoreFormat: Bool

    public init(ignoreFormat: Bool = false) {
        self.ignoreFormat = ignoreFormat
    }
}
