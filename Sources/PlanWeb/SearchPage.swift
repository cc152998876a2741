import PlanIndex
import PlanKit

/// The search page (检索): the form with its filters, then the hits with paths, highlighted snippets and
/// records, counts by document and year beside them, and links to the next pages.
struct SearchPage {
    var form: SearchForm
    var documents: [DocumentSummary]
    var recordTypes: [String]

    /// The outcome of running the form: hits with counts, or a message saying what is wrong with the input.
    enum Outcome {
        case empty
        case problem(String)
        case results(hits: [SearchHit], total: Int, byDocument: [CountRow], byYear: [CountRow])
    }

    func render(_ outcome: Outcome) -> String {
        var body = "<h1>检索</h1>\n" + formBody
        switch outcome {
        case .empty:
            body += HTML.message("输入检索词：中文按连续字串匹配，\"…\" 为短语，AND / OR / NOT 与括号组合，-词 表示排除。", kind: "info")
        case .problem(let text):
            body += HTML.message(text)
        case let .results(hits, total, byDocument, byYear):
            body += results(hits: hits, total: total, byDocument: byDocument, byYear: byYear)
        }
        return HTML.page(title: form.query.isEmpty ? "检索" : form.query + " — 检索", body: body)
    }

    var formBody: String {
        func option(_ value: String, _ label: String, selected: String?) -> String {
            "<option value=\"\(HTML.escape(value))\"\(value == selected ? " selected" : "")>\(HTML.escape(label))</option>"
        }
        let documentOptions = documents.map { option($0.key, $0.title ?? $0.key, selected: form.document) }.joined()
        let typeOptions = recordTypes.map { option($0, $0, selected: form.recordType) }.joined()
        func field(_ name: String, _ label: String, _ value: String?, placeholder: String = "", type: String = "text") -> String {
            "<label>\(label)<input type=\"\(type)\" name=\"\(name)\" value=\"\(HTML.escape(value ?? ""))\" placeholder=\"\(placeholder)\"></label>"
        }
        // A document filter typed by hand (part of a title) stays in the form even if it is no document's key.
        let documentIsKey = form.document.map { key in documents.contains { $0.key == key } } ?? true
        let handTypedDocument = documentIsKey ? "" : option(form.document ?? "", form.document ?? "", selected: form.document)
        return """
            <form class="search" method="get" action="/search">
            <div class="query"><input type="search" name="q" value="\(HTML.escape(form.query))" placeholder="例如：跨境电商 或 &quot;营商环境&quot; -贸易" autofocus>\
            <button type="submit">检索</button></div>
            <label>文件<select name="doc"><option value="">全部文件</option>\(handTypedDocument)\(documentOptions)</select></label>
            <label>记录类型<select name="type"><option value="">不限</option>\(typeOptions)</select></label>
            \(field("from", "记录年份 自", form.fromYear.map(String.init), placeholder: "2021", type: "number"))
            \(field("to", "至", form.toYear.map(String.init), placeholder: "2025", type: "number"))
            \(field("issuer", "发文机关", form.issuer, placeholder: "国务院"))
            \(field("after", "发布日期 自", form.publishedAfter, placeholder: "YYYY-MM-DD"))
            \(field("before", "至", form.publishedBefore, placeholder: "YYYY-MM-DD"))
            </form>

            """
    }

    private func results(hits: [SearchHit], total: Int, byDocument: [CountRow], byYear: [CountRow]) -> String {
        guard total > 0 else { return HTML.message("没有命中“\(form.query)”的条文。", kind: "info") }
        let first = (form.page - 1) * form.pageSize + 1
        var html = "<p class=\"count\">共 <strong>\(total)</strong> 处命中，第 \(first)–\(first + hits.count - 1) 处：</p>\n"
        html += "<div class=\"results\">\n<ol class=\"hits\" start=\"\(first)\">\n"
        for hit in hits {
            let link = HTML.documentPath(hit.documentKey) + "#" + HTML.escape(hit.nodeID)
            html += "<li class=\"hit\">"
            html += "<div><a class=\"doc\" href=\"\(link)\">\(HTML.escape(hit.documentTitle))</a>"
            if let date = hit.date { html += " <span class=\"tag\">\(HTML.escape(date))</span>" }
            if let issuer = hit.issuer { html += " <span class=\"tag\">\(HTML.escape(issuer))</span>" }
            html += "</div>\n<div class=\"path\"><a href=\"\(link)\">\(HTML.escape(hit.path))</a> · <code>\(HTML.escape(hit.nodeID))</code>"
                + (hit.pageCitation.map { " · <span class=\"page\">\(HTML.escape($0))</span>" } ?? "") + "</div>\n"
            html += "<div class=\"snippet\">\(HTML.highlighted(hit.snippet))</div>\n"
            if let match = hit.matchedThroughAbbreviation {
                html += "<div class=\"via\">via abbreviation: \(HTML.escape(match.short)) = \(HTML.escape(match.full))</div>\n"
            }
            if !hit.records.isEmpty {
                html += "<div class=\"records\">"
                html += hit.records.map { "<span>\(HTML.escape($0.type))\($0.year.map { " \($0)" } ?? "")</span>" }.joined()
                html += "</div>\n"
            }
            html += "</li>\n"
        }
        html += "</ol>\n<aside>\n" + countTable("按文件", byDocument, linkDocuments: true)
        html += countTable("按年份", byYear, linkDocuments: false) + "</aside>\n</div>\n"
        html += paging(total: total)
        return html
    }

    private func countTable(_ title: String, _ rows: [CountRow], linkDocuments: Bool) -> String {
        guard !rows.isEmpty else { return "" }
        var html = "<h3>\(title)</h3>\n<table class=\"counts\">"
        for row in rows {
            var name = HTML.escape(row.key)
            // Counts by document are keyed "title  [doc_key]" (as `plankb query --count-by doc` prints them).
            if linkDocuments, let document = documents.first(where: { row.key.hasSuffix("  [\($0.key)]") }) {
                name = "<a href=\"/search\(HTML.escape(HTML.query(form.parameters(page: nil, document: .some(document.key)))))\">"
                    + HTML.escape(document.title ?? document.key) + "</a>"
            }
            html += "<tr><td>\(name)</td><td>\(row.hits)</td></tr>"
        }
        return html + "</table>\n"
    }

    private func paging(total: Int) -> String {
        let pages = (total + form.pageSize - 1) / form.pageSize
        guard pages > 1 else { return "" }
        var html = "<nav class=\"pages\">"
        if form.page > 1 {
            html += "<a rel=\"prev\" href=\"/search\(HTML.escape(HTML.query(form.parameters(page: form.page - 1))))\">‹ 上一页</a>"
        }
        let window = max(1, form.page - 4)...min(pages, max(1, form.page - 4) + 9)
        for page in window {
            html += page == form.page ? "<span>\(page)</span>"
                : "<a href=\"/search\(HTML.escape(HTML.query(form.parameters(page: page))))\">\(page)</a>"
        }
        if form.page < pages {
            html += "<a rel=\"next\" href=\"/search\(HTML.escape(HTML.query(form.parameters(page: form.page + 1))))\">下一页 ›</a>"
        }
        return html + "</nav>\n"
    }
}
