import Foundation
import PlanIndex
import PlanKit

/// `/reuse`: what a document reuses of the rest of the knowledge base (`?doc=KEY`), or the reuse between two
/// chosen documents (`?source=KEY&target=KEY`), as the side-by-side report of `plankb reuse --format html`.
struct ReusePage {
    var documents: [DocumentSummary]

    func renderForm(message: String? = nil, selectedSource: String? = nil, selectedTarget: String? = nil) -> String {
        var body = "<h1>文本复用</h1>\n"
        if let message { body += HTML.message(message) }
        body += "<form method=\"get\" action=\"/reuse\" class=\"reuse\">\n"
        body += "<label>来源 <select name=\"source\">\(options(selected: selectedSource))</select></label>\n"
        body += "<label>目标 <select name=\"target\">\(options(selected: selectedTarget))</select></label>\n"
        body += "<button type=\"submit\">比对</button>\n</form>\n"
        body += "<p>或在文件页面点击“这份文件复用了哪些文本”，与知识库中所有其他文件比对。</p>\n"
        return HTML.page(title: "文本复用", body: body)
    }

    private func options(selected: String?) -> String {
        documents.map { document in
            let isSelected = document.key == selected ? " selected" : ""
            return "<option value=\"\(HTML.escape(document.key))\"\(isSelected)>\(HTML.escape(document.title ?? document.key))</option>"
        }.joined()
    }
}

/// The references section of a document's page: what it cites (linked to the cited document and article
/// where the knowledge base has it) and what cites it.
struct ReferencesSection {
    var report: ReferenceResolver.Report

    func render() -> String {
        var html = "<h2 id=\"references\">引用（\(report.cites.count)）与被引（\(report.citedBy.count)）</h2>\n"
        html += "<p><a href=\"/reuse\(HTML.query([("doc", report.document)]))\">这份文件复用了哪些文本？</a></p>\n"
        if report.cites.isEmpty {
            html += HTML.message("这份文件没有引用其他文件。", kind: "info")
        } else {
            html += "<table class=\"data references\">\n<thead><tr><th>引用</th><th>所在</th><th>知识库中的文件</th></tr></thead>\n<tbody>\n"
            for citation in report.cites {
                let name = citation.kind == "title" ? "《\(citation.name)》" : citation.name
                var found = "—"
                if let target = citation.resolved {
                    let anchor = target.node.map { "#" + $0 } ?? ""
                    found = "<a href=\"\(HTML.documentPath(target.document))\(anchor)\">\(HTML.escape(target.title ?? target.document))"
                        + (target.article.map { "第\($0)条" } ?? "") + "</a>"
                }
                html += "<tr><td>\(HTML.escape(name))</td>"
                html += "<td><a href=\"#\(HTML.escape(citation.node))\">\(HTML.escape(citation.path))</a></td><td>\(found)</td></tr>\n"
            }
            html += "</tbody>\n</table>\n"
        }
        if !report.citedBy.isEmpty {
            html += "<h3>被以下文件引用</h3>\n<ul class=\"cited-by\">\n"
            for citing in report.citedBy {
                html += "<li><a href=\"\(HTML.documentPath(citing.document))#\(HTML.escape(citing.node))\">"
                    + "\(HTML.escape(citing.title ?? citing.document))</a> · \(HTML.escape(citing.path))</li>\n"
            }
            html += "</ul>\n"
        }
        return html
    }
}
