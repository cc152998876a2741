/// 修订比对 — compares two versions of a document and reports typed changes: a pure function of two finished
/// `PlanDocument`s, never re-running ingest or segmentation.
public enum DocumentDiff {
    /// Everything that changed from `old` to `new`, with record changes when the documents carry records.
    /// - Complexity: near-linear in the documents' sizes; two 100 KB laws compare in a fraction of a second.
    public static func compare(_ old: PlanDocument, _ new: PlanDocument, options: DiffOptions = DiffOptions()) -> DiffReport {
        compare(old, new, oldRecords: old.records.map(RecordSnapshot.init), newRecords: new.records.map(RecordSnapshot.init),
                options: options)
    }

    /// The report over an alignment already made.
    static func report(_ old: PlanDocument, _ new: PlanDocument, _ alignment: TreeAlignment,
                       _ options: DiffOptions) -> DiffReport {
        var changes = metadataChanges(old.metadata, new.metadata)
        var summary: [String: ChangeCounts] = [:]
        let moved = movedUnits(alignment)

        var placed: [(key: (Int, Int, Int), change: Change)] = []
        for b in alignment.new where !b.isBlankContainer {
            guard let partner = alignment.partnerOfNew[b.position] else {
                summary[b.kind.rawValue, default: ChangeCounts()].count(.added)
                placed.append(((b.position, 0, 0), Change(kind: .added, new: b.reference())))
                continue
            }
            let a = alignment.old[partner]
            if let parts = alignment.merges[b.position] {
                summary[b.kind.rawValue, default: ChangeCounts()].count(.merged)
                let oldParts = parts.map { alignment.old[$0] }
                let oldText = oldParts.map(\.text).joined(separator: "\n")
                let change = Change(kind: .merged, old: oldParts[0].reference(), new: b.reference(),
                                    oldParts: oldParts.map { $0.reference() },
                                    similarity: similarity(oldParts.map(\.shingles), [b.shingles]),
                                    edits: edits(oldText, b.text, options))
                placed.append(((b.position, 0, 0), change))
                continue
            }
            if let parts = alignment.splits[partner] {
                guard parts.first == b.position else { continue }  // reported once, at its first part
                summary[a.kind.rawValue, default: ChangeCounts()].count(.split)
                let newParts = parts.map { alignment.new[$0] }
                let newText = newParts.map(\.text).joined(separator: "\n")
                let change = Change(kind: .split, old: a.reference(), new: b.reference(),
                                    newParts: newParts.map { $0.reference() },
                                    similarity: similarity([a.shingles], newParts.map(\.shingles)),
                                    edits: edits(a.text, newText, options))
                placed.append(((b.position, 0, 0), change))
                continue
            }
            let kinds = changeKinds(a, b, moved: moved.contains(a.position))
            guard let primary = kinds.first, !(options.ignoreFormat && kinds == [.formatOnly]) else {
                summary[b.kind.rawValue, default: ChangeCounts()].count(nil)
                continue
            }
            summary[b.kind.rawValue, default: ChangeCounts()].count(primary)
            var also = Array(kinds.dropFirst())
            if options.ignoreFormat { also.removeAll { $0 == .formatOnly } }
            let change = Change(kind: primary, also: also.isEmpty ? nil : also, old: a.reference(), new: b.reference(),
                                similarity: Shingles.dice(a.shingles, b.shingles), edits: edits(a.text, b.text, options))
            placed.append(((b.position, 0, 0), change))
        }
        for a in alignment.old where alignment.partnerOfOld[a.position] == nil && !a.isBlankContainer {
            summary[a.kind.rawValue, default: ChangeCounts()].count(.removed)
            // Removed nodes stand after the new place of the nearest aligned node before them.
            let anchor = (0..<a.position).reversed().lazy.compactMap { alignment.partnerOfOld[$0] }.first ?? -1
            placed.append(((anchor, 1, a.position), Change(kind: .removed, old: a.reference())))
        }
        placed.sort { $0.key < $1.key }
        changes += placed.map(\.change)
        return DiffReport(old: reference(to: old), new: reference(to: new), changes: changes, recordChanges: [],
                          summary: summary)
    }

    /// The change kinds that apply to an aligned pair, the primary first; empty when nothing changed.
    static func changeKinds(_ a: DiffUnit, _ b: DiffUnit, moved: Bool) -> [ChangeKind] {
        let labelChanged = a.labelKey != b.labelKey || a.node.num != b.node.num
        let oldHeading = DiffNormalizer.normalize(a.node.heading ?? "")
        let newHeading = DiffNormalizer.normalize(b.node.heading ?? "")
        let headingChanged = oldHeading != newHeading
        let restChanged = remainder(a.body, after: oldHeading) != remainder(b.body, after: newHeading)
        let formatChanged = DiffUnit.textWithoutLabel(a.text, label: a.node.label)
            != DiffUnit.textWithoutLabel(b.text, label: b.node.label)
            || (a.node.label != b.node.label && !labelChanged)
        var kinds: [ChangeKind] = []
        if moved { kinds.append(.moved) }
        if restChanged { kinds.append(.modified) }
        if headingChanged { kinds.append(.retitled) }
        if labelChanged { kinds.append(.renumbered) }
        if kinds.isEmpty || kinds == [.moved] || kinds == [.renumbered] || kinds == [.moved, .renumbered] {
            if formatChanged && !restChanged && !headingChanged { kinds.append(.formatOnly) }
        }
        return kinds
    }

    /// The body after its heading, so that a heading change and a body change are told apart.
    private static func remainder(_ body: String, after heading: String) -> String {
        guard !heading.isEmpty, body.hasPrefix(heading) else { return body }
        return String(body.dropFirst(heading.count))
    }

    /// Old positions of aligned units that changed place: under a heading that does not correspond to their
    /// former one, or out of order with their aligned neighbours of the same kind.
    static func movedUnits(_ alignment: TreeAlignment) -> Set<Int> {
        var moved = Set<Int>()
        for a in alignment.old {
            guard let partner = alignment.partnerOfOld[a.position], alignment.partnerOfNew[partner] == a.position else {
                continue
            }
            let b = alignment.new[partner]
            // Compare the nearest aligned headings above each side: a node whose former heading now stands
            // elsewhere, or whose section vanished into another chapter, has moved.
            func nearestAligned(_ start: Int?, in units: [DiffUnit], partners: [Int?]) -> Int? {
                var cursor = start
                while let position = cursor {
                    if partners[position] != nil { return position }
                    cursor = units[position].parent
                }
                return nil
            }
            let oldAnchor = nearestAligned(a.parent, in: alignment.old, partners: alignment.partnerOfOld)
            let newAnchor = nearestAligned(b.parent, in: alignment.new, partners: alignment.partnerOfNew)
            let directParentsDiffer = a.parent.flatMap { alignment.partnerOfOld[$0] } != nil
                && b.parent.flatMap { alignment.partnerOfNew[$0] } != nil
                && alignment.partnerOfOld[a.parent!] != b.parent
            if oldAnchor.flatMap({ alignment.partnerOfOld[$0] }) != newAnchor || directParentsDiffer {
                moved.insert(a.position)
            }
        }
        // Order among siblings: within one aligned parent, per kind, a node out of order with the others moved.
        // (Nodes that changed parent are already counted; a section moving away leaves its former neighbours
        // in order.)
        var siblings: [String: [Int]] = [:]
        for a in alignment.old where !moved.contains(a.position) {
            guard let partner = alignment.partnerOfOld[a.position], alignment.partnerOfNew[partner] == a.position else {
                continue
            }
            siblings["\(a.parent ?? -1) \(a.kind.rawValue)", default: []].append(a.position)
        }
        for positions in siblings.values where positions.count > 1 {
            let newPositions = positions.map { alignment.partnerOfOld[$0]! }
            let kept = Set(TreeAlignment.longestIncreasingSubsequence(newPositions))
            for (index, position) in positions.enumerated() where !kept.contains(index) {
                moved.insert(position)
            }
        }
        return moved
    }

    private static func edits(_ old: String, _ new: String, _ options: DiffOptions) -> [TextEdit]? {
        if old == new { return nil }
        let script = TextDiff.diff(old, new)
        return options.ignoreFormat ? TextDiff.ignoringFormat(script) : script
    }

    private static func similarity(_ old: [[UInt64]], _ new: [[UInt64]]) -> Double {
        Shingles.dice(Shingles.union(old), Shingles.union(new))
    }

    private static func reference(to document: PlanDocument) -> DocumentReference {
        DocumentReference(source: document.metadata.source, title: document.metadata.title, date: document.metadata.date)
    }

    /// Changed metadata fields that a reader cares about (title, dates, issuer, numbers).
    static func metadataChanges(_ old: Metadata, _ new: Metadata) -> [Change] {
        let fields: [(String, String?, String?)] = [
            ("title", old.title, new.title),
            ("date", old.date, new.date),
            ("writtenDate", old.writtenDate, new.writtenDate),
            ("issuer", old.issuer, new.issuer),
            ("documentNumber", old.documentNumber, new.documentNumber),
            ("indexNumber", old.indexNumber, new.indexNumber),
            ("subject", old.subject, new.subject),
        ]
        return fields.compactMap { name, oldValue, newValue in
            guard oldValue != newValue else { return nil }
            return Change(kind: .metadata, field: name,
                          old: oldValue.map { NodeReference(id: nil, kind: nil, path: nil, label: name, text: $0) },
                          new: newValue.map { NodeReference(id: nil, kind: nil, path: nil, label: name, text: $0) },
                          edits: oldValue.flatMap { o in newValue.map { TextDiff.diff(o, $0) } })
        }
    }
}

/// One version in the history of a node (`plankb diff --history ID`).
public struct HistoryStep: Codable, Hashable, Sendable {
    /// Index of the version among the documents given, from 0.
    public var version: Int
    public var source: String?
    /// How the node changed from the version before; absent for the first version and when unchanged.
    public var change: ChangeKind?
    public var also: [ChangeKind]?
    /// The node in this version; absent once it has been removed.
    public var node: NodeReference?
    public var edits: [TextEdit]?
}

extension DocumentDiff {
    /// Follows one node (an article, a section) through successive versions, aligning each consecutive pair.
    /// The node is looked up by id in the first version that has it; an id inside an article
    /// (`art_12__para_2`) follows the article. The history ends when the node is removed.
    public static func history(ofNodeWithID id: String, through documents: [PlanDocument]) -> [HistoryStep] {
        var steps: [HistoryStep] = []
        var current: (version: Int, position: Int, units: [DiffUnit])?
        for (version, document) in documents.enumerated() {
            let units = DiffUnit.units(of: document.root)
            guard let previous = current else {
                if let unit = units.first(where: { $0.node.id == id })
                    ?? units.first(where: { !$0.isOutline && id.hasPrefix($0.node.id + "__") }) {
                    current = (version, unit.position, units)
                    steps.append(HistoryStep(version: version, source: document.metadata.source, node: unit.reference()))
                }
                continue
            }
            let alignment = TreeAlignment(old: previous.units, new: units)
            guard let partner = alignment.partnerOfOld[previous.position] else {
                steps.append(HistoryStep(version: version, source: document.metadata.source, change: .removed))
                break
            }
            let a = previous.units[previous.position]
            let b = units[partner]
            let kinds: [ChangeKind]
            if alignment.splits[a.position] != nil {
                kinds = [.split]
            } else if alignment.merges[partner] != nil {
                kinds = [.merged]
            } else {
                kinds = changeKinds(a, b, moved: movedUnits(alignment).contains(a.position))
            }
            steps.append(HistoryStep(version: version, source: document.metadata.source, change: kinds.first,
                                     also: kinds.count > 1 ? Array(kinds.dropFirst()) : nil, node: b.reference(),
                                     edits: a.text == b.text || kinds.isEmpty ? nil : TextDiff.diff(a.text, b.text)))
            current = (version, partner, units)
        }
        return steps
    }
}
