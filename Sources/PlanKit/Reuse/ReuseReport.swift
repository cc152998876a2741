/// The result of comparing a target document with one or more sources: the pairs and, per source, the share of
/// the target's text that reuses it.
public struct ReuseReport: Codable, Hashable, Sendable {
    public struct DocumentSide: Codable, Hashable, Sendable {
        public var key: String
        public var title: String?
        public init(key: String, title: String?) {
            self.key = key
            self.title = title
        }
    }

    public var target: DocumentSide
    public var sources: [DocumentSide]
    public var pairs: [ReusePair]
    public var shares: [ReuseShare]

    public init(target: DocumentSide, sources: [DocumentSide], pairs: [ReusePair], targetUnits: [ReuseUnit]) {
        self.target = target
        self.sources = sources
        self.pairs = pairs
        shares = sources.map { source in
            ReuseShare(target: target.key, source: source.key,
                       pairs: pairs.filter { $0.source.document == source.key }, targetUnits: targetUnits)
        }
    }

    /// Compares two documents in memory.
    public static func compare(target: PlanDocument, targetKey: String, source: PlanDocument, sourceKey: String,
                               settings: ReuseSettings = ReuseSettings()) -> ReuseReport {
        let targetUnits = ReuseUnit.units(of: target.root, document: targetKey, minimumLength: settings.minimumUnitLength)
        let sourceUnits = ReuseUnit.units(of: source.root, document: sourceKey, minimumLength: settings.minimumUnitLength)
        let finder = ReuseFinder(sources: sourceUnits, settings: settings)
        return ReuseReport(target: DocumentSide(key: targetKey, title: target.metadata.title),
                           sources: [DocumentSide(key: sourceKey, title: source.metadata.title)],
                           pairs: finder.matches(for: targetUnits), targetUnits: targetUnits)
    }
}

/// `plankb reuse` as text for a terminal: one block a pair.
public enum ReuseTextRenderer {
    /// 12%, 0.4%, or "<0.1%" — never a 0% for a share that is there.
    static func percent(_ share: Double) -> String {
        let value = share * 100
        if value >= 10 { return "\(Int(value.rounded()))%" }
        if value >= 0.1 { return String(format: "%.1f%%", value) }
        return value > 0 ? "<0.1%" : "0%"
    }

    public static func render(_ report: ReuseReport) -> String {
        var out = "target: \(report.target.title ?? report.target.key)\n"
        for share in report.shares {
            let title = report.sources.first { $0.key == share.source }?.title ?? share.source
            out += "source: \(title) — \(share.paragraphs) \(share.paragraphs == 1 ? "paragraph reuses" : "paragraphs reuse") it, "
                + "\(percent(share.share)) of the target's text\n"
        }
        for pair in report.pairs {
            out += "\n\(pair.kind.rawValue) \(String(format: "%.2f", pair.similarity))  \(pair.target.id) ← "
                + "\(pair.source.document.map { $0 + " " } ?? "")\(pair.source.id)\n"
            out += "  target: \(pair.target.path)\n  source: \(pair.source.path)\n"
            for passage in pair.shared { out += "  = \(passage)\n" }
        }
        if report.pairs.isEmpty { out += "\nno reused text found\n" }
        return out
    }
}

/// `plankb reuse --format html`: the two documents' reused paragraphs side by side, the shared passages marked
/// and linked to each other, like the 修订对照表 of `plankb diff`. Every piece of text is escaped.
public enum ReuseHTMLRenderer {
    public static func render(_ report: ReuseReport) -> String {
        let escape = DiffHTMLRenderer.escape
        var html = """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>文本复用 \(escape(report.target.title ?? report.target.key))</title>
        <style>\(style)</style>
        </head>
        <body>
        <h1>文本复用对照</h1>
        <p class="documents">目标 <b>\(escape(report.target.title ?? report.target.key))</b></p>

        """
        html += "<table class=\"shares\"><tr><th>来源</th><th>复用段落</th><th>复用文字占比</th></tr>\n"
        for share in report.shares {
            let title = report.sources.first { $0.key == share.source }?.title ?? share.source
            html += "<tr><td>\(escape(title))</td><td>\(share.paragraphs)</td>"
                + "<td>\(String(format: "%.1f%%", share.share * 100))</td></tr>\n"
        }
        html += "</table>\n"
        if report.pairs.isEmpty {
            html += "<p class=\"empty\">未发现复用文字。</p>\n"
        } else {
            html += "<table class=\"pairs\">\n<thead><tr><th>目标</th><th>来源</th></tr></thead>\n<tbody>\n"
            for (number, pair) in report.pairs.enumerated() {
                let prefix = "p\(number + 1)"
                html += "<tr id=\"\(prefix)\" class=\"\(pair.kind.rawValue)\">"
                html += "<td><div class=\"path\"><a href=\"#\(prefix)\">\(escape(pair.target.path))</a></div>"
                html += marked(pair.target.text, ranges: pair.targetRanges, prefix: prefix, side: "t", other: "s") + "</td>"
                html += "<td><div class=\"path\">\(escape(pair.source.path)) "
                    + "<span class=\"kind\">\(kindName(pair.kind)) \(String(format: "%.2f", pair.similarity))</span></div>"
                html += marked(pair.source.text, ranges: pair.sourceRanges, prefix: prefix, side: "s", other: "t") + "</td>"
                html += "</tr>\n"
            }
            html += "</tbody>\n</table>\n"
        }
        html += "</body>\n</html>\n"
        return html
    }

    static func kindName(_ kind: ReuseKind) -> String {
        switch kind {
        case .verbatim: "原文照搬"
        case .adapted: "改写"
        case .partial: "部分复用"
        }
    }

    /// The text with each shared passage in a `<mark>` linked to the same passage on the other side.
    static func marked(_ text: String, ranges: [ScalarRange], prefix: String, side: String, other: String) -> String {
        let scalars = Array(text.unicodeScalars)
        func slice(_ from: Int, _ to: Int) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[max(0, from)..<min(scalars.count, to)])
            return DiffHTMLRenderer.escape(String(view))
        }
        var out = "<div class=\"text\">"
        var position = 0
        // Passages in this side's order, each keeping its number so both sides link the same pair.
        let ordered = ranges.enumerated().sorted { $0.element.start < $1.element.start }
        for (number, range) in ordered where range.start >= position {
            out += slice(position, range.start)
            out += "<mark id=\"\(prefix)-\(side)\(number + 1)\"><a href=\"#\(prefix)-\(other)\(number + 1)\">"
                + slice(range.start, range.end) + "</a></mark>"
            position = range.end
        }
        out += slice(position, scalars.count) + "</div>"
        return out
    }

    static let style = """
    body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:1.5em;color:#222}
    table.pairs{border-collapse:collapse;width:100%;table-layout:fixed}
    table.pairs td,table.pairs th{border:1px solid #ccc;padding:.5em;vertical-align:top}
    table.shares td,table.shares th{padding:.2em .8em;text-align:left}
    .path{font-size:.85em;color:#555;margin-bottom:.3em}
    .kind{float:right;color:#036}
    mark{background:#fde68a}
    mark a{color:inherit;text-decoration:none}
    tr.verbatim mark{background:#fca5a5}
    """
}
