/// A record as the diff compares it — 指标 target, 成效 achievement, 举措 measure — reduced to what a reader
/// compares across versions: what it is about and its figure. Extraction's records map onto this one to one
/// (type → kind, node → nodeID, quantity.metric or title → name, quantity.raw → value, year).
public struct RecordSnapshot: Hashable, Sendable {
    /// "target", "achievement", "measure".
    public var kind: String
    /// The id of the node the record was read from.
    public var nodeID: String
    /// What it is about: the metric ("可网办率") for figures, the title for measures.
    public var name: String
    /// The figure as printed, without comparator words ("100%", "1200万人").
    public var value: String?
    public var unit: String?
    /// "=", ">=", "<=", ">", "<", "~".
    public var comparator: String?
    public var year: Int?

    public init(kind: String, nodeID: String, name: String, value: String? = nil, unit: String? = nil,
                comparator: String? = nil, year: Int? = nil) {
        self.kind = kind
        self.nodeID = nodeID
        self.name = name
        self.value = value
        self.unit = unit
        self.comparator = comparator
        self.year = year
    }

    /// "≥95%" — the figure with its comparator as a reader writes it; a figure printed with its comparator
    /// words ("1200万人以上", "不低于95%") stays as printed.
    var figure: String {
        let words = ["以上", "以下", "以内", "控制在", "不低于", "不少于", "不超过", "不高于", "超过", "低于", "至少", "左右", "约", "≥", "≤"]
        if let value, words.contains(where: value.contains) { return value }
        let symbol: String = switch comparator {
        case ">=": "≥"
        case "<=": "≤"
        case ">": ">"
        case "<": "<"
        case "~": "约"
        default: ""
        }
        return symbol + (value ?? "—")
    }
}

/// 指标变化 — which targets, achievements and measures were added, removed or changed between two versions.
public enum RecordDiff {
    /// Pairs records by name, preferring a record read from the node aligned with the old record's node
    /// (`nodePartners`, old id → new id), and reports what differs in value, unit, comparator and year.
    public static func compare(_ old: [RecordSnapshot], _ new: [RecordSnapshot],
                               nodePartners: [String: String]) -> [RecordChange] {
        var changes: [RecordChange] = []
        var usedNew = Set<Int>()
        let key = { (record: RecordSnapshot) in record.kind + "\u{1F}" + DiffNormalizer.normalize(record.name) }
        var newByKey: [String: [Int]] = [:]
        for (index, record) in new.enumerated() { newByKey[key(record), default: []].append(index) }

        for record in old {
            let candidates = (newByKey[key(record)] ?? []).filter { !usedNew.contains($0) }
            let partner = nodePartners[record.nodeID]
            /// Whether a new record was read from the partner node or from inside it (a paragraph of the article).
            func fromPartner(_ index: Int) -> Bool {
                guard let partner else { return false }
                return new[index].nodeID == partner || new[index].nodeID.hasPrefix(partner + "__")
            }
            let sameYear = candidates.filter { new[$0].year == record.year }
            guard let match = candidates.first(where: { fromPartner($0) && new[$0].year == record.year })
                ?? candidates.first(where: fromPartner)
                ?? (sameYear.count == 1 ? sameYear.first : nil)
                ?? (candidates.count == 1 ? candidates.first : nil) else {
                changes.append(RecordChange(kind: .removed, recordKind: record.kind, name: record.name, fields: [],
                                            oldNodeID: record.nodeID, newNodeID: nil,
                                            summary: "\(describe(record)): removed"))
                continue
            }
            usedNew.insert(match)
            let updated = new[match]
            var fields: [RecordChange.FieldChange] = []
            if record.value != updated.value { fields.append(.init(field: "value", old: record.value, new: updated.value)) }
            if record.unit != updated.unit { fields.append(.init(field: "unit", old: record.unit, new: updated.unit)) }
            if record.comparator != updated.comparator {
                fields.append(.init(field: "comparator", old: record.comparator, new: updated.comparator))
            }
            if record.year != updated.year {
                fields.append(.init(field: "year", old: record.year.map(String.init), new: updated.year.map(String.init)))
            }
            guard !fields.isEmpty else { continue }
            let years = record.year == updated.year
                ? record.year.map { " \($0)" } ?? ""
                : " \(record.year.map(String.init) ?? "—") → \(updated.year.map(String.init) ?? "—")"
            changes.append(RecordChange(kind: .changed, recordKind: record.kind, name: record.name, fields: fields,
                                        oldNodeID: record.nodeID, newNodeID: updated.nodeID,
                                        summary: "\(record.name) \(record.kind)\(years): \(record.figure) → \(updated.figure)"))
        }
        for (index, record) in new.enumerated() where !usedNew.contains(index) {
            changes.append(RecordChange(kind: .added, recordKind: record.kind, name: record.name, fields: [],
                                        oldNodeID: nil, newNodeID: record.nodeID, summary: "\(describe(record)): added"))
        }
        return changes
    }

    /// "可网办率 target 2025 ≥95%", or for a measure "measure 实施高标准的外商投资准入".
    static func describe(_ record: RecordSnapshot) -> String {
        if record.value == nil { return "\(record.kind) \(record.name)" }
        return "\(record.name) \(record.kind)\(record.year.map { " \($0)" } ?? "") \(record.figure)"
    }
}

extension DocumentDiff {
    /// Old node id → new node id for every aligned node, for pairing records read from them.
    public static func nodePartners(_ old: PlanDocument, _ new: PlanDocument) -> [String: String] {
        nodePartners(TreeAlignment(old: DiffUnit.units(of: old.root), new: DiffUnit.units(of: new.root)))
    }

    static func nodePartners(_ alignment: TreeAlignment) -> [String: String] {
        var partners: [String: String] = [:]
        for unit in alignment.old {
            if let partner = alignment.partnerOfOld[unit.position] { partners[unit.node.id] = alignment.new[partner].node.id }
        }
        return partners
    }

    /// `compare(_:_:options:)` with record changes: `oldRecords` and `newRecords` are the records extracted
    /// from each version. A record read from inside an article (`art_12__para_2`) is paired through the article.
    public static func compare(_ old: PlanDocument, _ new: PlanDocument, oldRecords: [RecordSnapshot],
                               newRecords: [RecordSnapshot], options: DiffOptions = DiffOptions()) -> DiffReport {
        let alignment = TreeAlignment(old: DiffUnit.units(of: old.root), new: DiffUnit.units(of: new.root))
        var report = report(old, new, alignment, options)
        guard !oldRecords.isEmpty || !newRecords.isEmpty else { return report }
        var partners = nodePartners(alignment)
        let unitIDs = partners.keys.sorted { $0.count > $1.count }
        for record in oldRecords where partners[record.nodeID] == nil {
            if let unit = unitIDs.first(where: { record.nodeID.hasPrefix($0 + "__") }) {
                partners[record.nodeID] = partners[unit]
            }
        }
        let wanted = Set(["target", "achievement", "measure"])
        report.recordChanges = RecordDiff.compare(oldRecords.filter { wanted.contains($0.kind) },
                                                  newRecords.filter { wanted.contains($0.kind) }, nodePartners: partners)
        return report
    }
}

extension RecordSnapshot {
    /// The snapshot of an extracted record: its metric (or measure title, or text) as name, its figure as printed.
    public init(_ record: Record) {
        let name = record.name ?? record.text
        self.init(kind: record.type.rawValue, nodeID: record.node, name: name, value: record.quantity?.raw,
                  unit: record.quantity?.unit, comparator: record.quantity?.comparator.rawValue, year: record.year)
    }
}
