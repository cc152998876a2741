/// The diff as one self-contained HTML page in the form of a 修订对照表: old text on the left, new on the right,
/// one row per changed node, grouped under the chapter it stands in, with deleted characters in `<del>` and
/// inserted ones in `<ins>`, a table of contents by chapter, and moved nodes linked to their former place.
/// Every piece of document text is HTML-escaped; the page loads nothing from elsewhere.
public enum DiffHTMLRenderer {
    public static func render(_ reports: [DiffReport]) -> String {
        var html = """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>修订对照表 \(escape(reports.first.map { DiffTextRenderer.describe($0.new) } ?? ""))</title>
        <style>\(style)</style>
        </head>
        <body>

        """
        for (number, report) in reports.enumerated() {
            html += section(report, prefix: reports.count > 1 ? "v\(number + 1)-" : "")
        }
        html += "</body>\n</html>\n"
        return html
    }

    /// Escapes text for HTML content and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// The outermost heading of a path ("第二章 公司登记 › 第三十条" → "第二章 公司登记").
    static func outermost(_ path: String?) -> String {
        guard let first = path?.components(separatedBy: " › ").first, !first.isEmpty else { return "正文" }
        switch first {
        case "preamble": return "题注"
        case "preface": return "前言"
        default: return first
        }
    }

    static func section(_ report: DiffReport, prefix: String) -> String {
        var html = "<section class=\"report\">\n"
        html += "<h1>修订对照表</h1>\n"
        html += "<p class=\"versions\"><span class=\"old-doc\">修订前：\(escape(DiffTextRenderer.describe(report.old)))</span>"
        html += "<span class=\"new-doc\">修订后：\(escape(DiffTextRenderer.describe(report.new)))</span></p>\n"
        html += "<ul class=\"summary\">\n"
        for line in DiffTextRenderer.summaryLines(report.summary) { html += "<li>\(escape(line))</li>\n" }
        html += "</ul>\n"

        // Groups in the order they first appear; a moved node also leaves a pointer in its former chapter.
        var groups: [String] = []
        var rows: [String: [String]] = [:]
        func add(_ row: String, to group: String) {
            if rows[group] == nil { groups.append(group) }
            rows[group, default: []].append(row)
        }
        // Old chapters map to the new chapter most of their nodes went to, so that a removed node and a moved
        // node's former place are listed under the chapter a reader finds in the new version.
        var votes: [String: [String: Int]] = [:]
        for change in report.changes where !change.includes(.moved) {
            if let old = change.old, let new = change.new {
                votes[DiffNormalizer.normalize(outermost(old.path)), default: [:]][outermost(new.path), default: 0] += 1
            }
        }
        func groupForOld(_ path: String?) -> String {
            let own = outermost(path)
            return votes[DiffNormalizer.normalize(own)]?.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? own
        }
        var firstNewSide: [String: Int] = [:]
        for (index, change) in report.changes.enumerated() {
            let id = "\(prefix)c\(index + 1)"
            if change.new != nil || change.kind == .metadata {
                let group = change.kind == .metadata ? "文件信息" : outermost(change.new?.path)
                if firstNewSide[group] == nil { firstNewSide[group] = index }
            }
            let group = change.kind == .metadata ? "文件信息"
                : change.new != nil ? outermost(change.new?.path) : groupForOld(change.old?.path)
            add(row(for: change, id: id), to: group)
            if change.includes(.moved), let old = change.old, let new = change.new {
                let pointer = "<tr id=\"\(id)-from\" class=\"pointer\"><td>\(escape(old.label ?? ""))"
                    + " <span class=\"path\">\(escape(old.path ?? ""))</span></td>"
                    + "<td><a href=\"#\(id)\">→ 移至 \(escape(new.path ?? ""))</a></td></tr>\n"
                add(pointer, to: groupForOld(old.path))
            }
        }
        if !report.recordChanges.isEmpty {
            for record in report.recordChanges {
                add("<tr class=\"record\"><td colspan=\"2\">\(escape(record.summary))</td></tr>\n", to: "指标与举措")
            }
        }

        // Chapters in the new version's order; chapters only the old version had, after them.
        let appearance = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1, $0) })
        groups.sort { (firstNewSide[$0] ?? Int.max, appearance[$0]!) < (firstNewSide[$1] ?? Int.max, appearance[$1]!) }
        html += "<nav class=\"toc\"><h2>目录</h2><ol>\n"
        for (index, group) in groups.enumerated() {
            let count = rows[group]!.filter { !$0.contains("class=\"pointer\"") }.count
            html += "<li><a href=\"#\(prefix)g\(index + 1)\">\(escape(group))</a> <span class=\"count\">\(count)</span></li>\n"
        }
        html += "</ol></nav>\n"

        html += "<table class=\"compare\">\n<colgroup><col class=\"side\"><col class=\"side\"></colgroup>\n"
        html += "<thead><tr><th>修订前</th><th>修订后</th></tr></thead>\n"
        for (index, group) in groups.enumerated() {
            html += "<tbody><tr class=\"group\" id=\"\(prefix)g\(index + 1)\"><th colspan=\"2\">\(escape(group))</th></tr>\n"
            html += rows[group]!.joined()
            html += "</tbody>\n"
        }
        html += "</table>\n"
        if report.changes.isEmpty { html += "<p>两个版本相同。</p>\n" }
        html += "</section>\n"
        return html
    }

    static func row(for change: Change, id: String) -> String {
        let kinds = [change.kind] + (change.also ?? [])
        let badge = kinds.map { "<span class=\"kind k-\($0.rawValue)\">\(kindName($0))</span>" }.joined()
        var oldCell = ""
        var newCell = ""
        if change.kind == .metadata {
            oldCell = escape(change.old?.text ?? "")
            newCell = escape(change.new?.text ?? "")
            if let edits = change.edits { (oldCell, newCell) = cells(edits) }
            return "<tr id=\"\(id)\" class=\"r-metadata\"><td>\(badge) <b>\(escape(change.field ?? ""))</b> \(oldCell)</td>"
                + "<td>\(newCell)</td></tr>\n"
        }
        if let edits = change.edits {
            (oldCell, newCell) = cells(edits)
        } else {
            oldCell = change.old.map { "<del>\(multiline($0.text))</del>" } ?? ""
            newCell = change.new.map { "<ins>\(multiline($0.text))</ins>" } ?? ""
            if change.old != nil && change.new != nil {
                oldCell = multiline(change.old!.text)
                newCell = multiline(change.new!.text)
            }
        }
        func heading(_ node: NodeReference?, side: String) -> String {
            guard let node else { return "" }
            var text = "<div class=\"where\">\(escape(node.label ?? "")) <span class=\"id\">\(escape(node.id ?? ""))</span>"
            if change.includes(.moved) {
                text += side == "old" ? " <a href=\"#\(id)-from\">原位置</a>" : ""
                text += "<div class=\"path\">\(escape(node.path ?? ""))</div>"
            }
            return text + "</div>"
        }
        var newHeading = heading(change.new, side: "new")
        if let parts = change.newParts {
            newHeading = "<div class=\"where\">" + parts.map { escape("\($0.label ?? "") \($0.id ?? "")") }
                .joined(separator: " + ") + "</div>"
        }
        var oldHeading = heading(change.old, side: "old")
        if let parts = change.oldParts {
            oldHeading = "<div class=\"where\">" + parts.map { escape("\($0.label ?? "") \($0.id ?? "")") }
                .joined(separator: " + ") + "</div>"
        }
        let oldClass = change.old == nil ? " class=\"empty\"" : ""
        let newClass = change.new == nil ? " class=\"empty\"" : ""
        return "<tr id=\"\(id)\" class=\"r-\(change.kind.rawValue)\">"
            + "<td\(oldClass)>\(change.old == nil ? "" : badge + oldHeading + "<div class=\"text\">" + oldCell + "</div>")</td>"
            + "<td\(newClass)>\(change.new == nil ? badge : badge + newHeading + "<div class=\"text\">" + newCell + "</div>")</td></tr>\n"
    }

    /// The old and the new cell of an edit script: kept text in both, deletions left, insertions right.
    static func cells(_ edits: [TextEdit]) -> (old: String, new: String) {
        var old = ""
        var new = ""
        for edit in edits {
            let text = multiline(edit.text)
            let format = edit.formatOnly == true ? " class=\"format\"" : ""
            switch edit.op {
            case .equal:
                old += text
                new += text
            case .delete: old += "<del\(format)>\(text)</del>"
            case .insert: new += "<ins\(format)>\(text)</ins>"
            }
        }
        return (old, new)
    }

    static func multiline(_ text: String) -> String {
        escape(text).replacingOccurrences(of: "\n", with: "<br>")
    }

    static func kindName(_ kind: ChangeKind) -> String {
        switch kind {
        case .added: "新增"
        case .removed: "删除"
        case .modified: "修改"
        case .moved: "移动"
        case .renumbered: "序号调整"
        case .split: "拆分"
        case .merged: "合并"
        case .retitled: "标题修改"
        case .formatOnly: "仅格式"
        case .metadata: "文件信息"
        }
    }

    static let style = """
    body{font-family:"Noto Serif CJK SC","Songti SC",SimSun,serif;margin:1.5em;line-height:1.7;color:#222}
    h1{font-size:1.5em}.versions span{display:block}.summary{color:#555}
    .toc ol{columns:2}.toc .count{color:#888;font-size:.85em}
    table.compare{border-collapse:collapse;width:100%;table-layout:fixed}
    .compare td,.compare th{border:1px solid #ccc;padding:.4em .6em;vertical-align:top;width:50%}
    .compare thead th{background:#eee;position:sticky;top:0}
    tr.group th{background:#f4f1e8;text-align:left;font-size:1.05em}
    del{background:#fdd;color:#a00}ins{background:#dfd;color:#060;text-decoration:none;border-bottom:1px solid #060}
    del.format,ins.format{background:#eee;color:#666;border:0}
    td.empty{background:#fafafa}.where{font-weight:bold}.id{color:#888;font-weight:normal;font-size:.8em}
    .path{color:#777;font-weight:normal;font-size:.85em}.kind{font-size:.75em;border-radius:3px;padding:0 .3em;margin-right:.3em;color:#fff;background:#777}
    .k-added{background:#2a7}.k-removed{background:#c33}.k-modified{background:#d80}.k-moved{background:#36c}
    .k-renumbered{background:#888}.k-split,.k-merged{background:#84c}.k-retitled{background:#a60}
    tr.pointer td{color:#36c;font-size:.9em;background:#f5f8ff}
    """
}
