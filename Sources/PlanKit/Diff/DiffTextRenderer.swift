/// The diff as a report for a terminal: summary, then one entry per change with its edits marked inline
/// (`[-deleted-]{+inserted+}`, or red and green when `colored`). Long unchanged stretches are shortened.
public enum DiffTextRenderer {
    /// Characters of unchanged text kept on each side of an edit.
    static let context = 24

    public static func render(_ report: DiffReport, colored: Bool) -> String {
        let style = Style(colored: colored)
        var out = ""
        out += style.bold("修订比对 \(describe(report.old)) → \(describe(report.new))") + "\n"
        out += summaryLines(report.summary).map { "  \($0)\n" }.joined()
        if report.changes.isEmpty { out += "  no changes\n" }
        for change in report.changes {
            out += "\n" + render(change, style: style)
        }
        if !report.recordChanges.isEmpty {
            out += "\n" + style.bold("Records") + "\n"
            for record in report.recordChanges { out += "  [\(record.kind.rawValue)] \(record.summary)\n" }
        }
        return out
    }

    /// A history of one node through versions (`--history`).
    public static func render(history: [HistoryStep], id: String, colored: Bool) -> String {
        let style = Style(colored: colored)
        guard !history.isEmpty else { return "\(id): not found in any version\n" }
        var out = style.bold("History of \(id)") + "\n"
        for step in history {
            let where_ = step.source ?? "version \(step.version + 1)"
            var kinds = step.change.map { [$0.rawValue] } ?? (step.version == history[0].version ? ["first seen"] : ["unchanged"])
            kinds += (step.also ?? []).map(\.rawValue)
            out += "\n" + style.kind("[\(kinds.joined(separator: ", "))]") + " \(where_)"
            if let node = step.node {
                out += ": \(node.label ?? "") (\(node.id ?? ""))\n"
                out += "  \(node.path ?? "")\n"
                if let edits = step.edits { out += indent(inline(edits, style: style)) } else { out += indent(node.text) }
            } else {
                out += "\n"
            }
        }
        return out
    }

    static func describe(_ document: DocumentReference) -> String {
        [document.title, document.date, document.source].compactMap { $0 }.first.map { value in
            if let source = document.source, value != source { return "\(source) (\(value))" }
            return value
        } ?? "?"
    }

    /// "article: 12 added, 3 removed, …" for each node kind, chapters and articles first.
    static func summaryLines(_ summary: [String: ChangeCounts]) -> [String] {
        let order = ["part", "chapter", "section", "article", "division", "item", "paragraph"]
        let kinds = summary.keys.sorted { a, b in
            let ia = order.firstIndex(of: a) ?? order.count
            let ib = order.firstIndex(of: b) ?? order.count
            return ia != ib ? ia < ib : a < b
        }
        return kinds.map { kind in
            let counts = summary[kind]!
            let parts: [(String, Int)] = [
                ("added", counts.added), ("removed", counts.removed), ("modified", counts.modified),
                ("moved", counts.moved), ("renumbered", counts.renumbered), ("retitled", counts.retitled),
                ("split", counts.split), ("merged", counts.merged), ("format-only", counts.formatOnly),
                ("unchanged", counts.unchanged),
            ]
            return "\(kind): " + parts.filter { $0.1 > 0 }.map { "\($0.1) \($0.0)" }.joined(separator: ", ")
        }
    }

    static func render(_ change: Change, style: Style) -> String {
        let kinds = ([change.kind] + (change.also ?? [])).map(\.rawValue).joined(separator: ", ")
        var out = style.kind("[\(kinds)]") + " "
        if change.kind == .metadata {
            out += "\(change.field ?? ""): \(change.old?.text ?? "—") → \(change.new?.text ?? "—")\n"
            return out
        }
        switch (change.old, change.new) {
        case let (old?, new?):
            let oldName = "\(old.label ?? "") (\(old.id ?? ""))"
            let newName = "\(new.label ?? "") (\(new.id ?? ""))"
            out += oldName == newName ? oldName : "\(oldName) → \(newName)"
            out += "\n"
            if change.includes(.moved) { out += "  from \(old.path ?? "")\n  to   \(new.path ?? "")\n" }
            else { out += "  \(new.path ?? "")\n" }
        case let (old?, nil):
            out += "\(old.label ?? "") (\(old.id ?? ""))\n  \(old.path ?? "")\n"
            return out + indent(style.deleted(old.text))
        case let (nil, new?):
            out += "\(new.label ?? "") (\(new.id ?? ""))\n  \(new.path ?? "")\n"
            return out + indent(style.inserted(new.text))
        case (nil, nil):
            return out + "\n"
        }
        if let parts = change.newParts {
            out += "  into " + parts.map { "\($0.label ?? "") (\($0.id ?? ""))" }.joined(separator: " + ") + "\n"
        }
        if let parts = change.oldParts {
            out += "  from " + parts.map { "\($0.label ?? "") (\($0.id ?? ""))" }.joined(separator: " + ") + "\n"
        }
        if let edits = change.edits, edits.contains(where: { $0.op != .equal }) {
            out += indent(inline(edits, style: style))
        }
        return out
    }

    /// The edits as one text with deletions and insertions marked and long kept stretches shortened.
    static func inline(_ edits: [TextEdit], style: Style) -> String {
        var out = ""
        for (index, edit) in edits.enumerated() {
            switch edit.op {
            case .delete: out += style.deleted(edit.text)
            case .insert: out += style.inserted(edit.text)
            case .equal:
                let characters = Array(edit.text)
                let keepBefore = index > 0 ? context : 0
                let keepAfter = index < edits.count - 1 ? context : 0
                if characters.count > keepBefore + keepAfter + 3 {
                    out += String(characters[0..<keepBefore]) + "…" + String(characters[(characters.count - keepAfter)...])
                } else {
                    out += edit.text
                }
            }
        }
        return out
    }

    static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n") + "\n"
    }

    /// ANSI colours when writing to a terminal, bracket marks otherwise.
    struct Style {
        let colored: Bool
        func deleted(_ text: String) -> String { colored ? "\u{1B}[31;9m\(text)\u{1B}[0m" : "[-\(text)-]" }
        func inserted(_ text: String) -> String { colored ? "\u{1B}[32;4m\(text)\u{1B}[0m" : "{+\(text)+}" }
        func kind(_ text: String) -> String { colored ? "\u{1B}[36m\(text)\u{1B}[0m" : text }
        func bold(_ text: String) -> String { colored ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    }
}
