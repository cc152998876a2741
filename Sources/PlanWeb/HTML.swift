import Foundation
import PlanIndex
import PlanKit

/// Building blocks of the server-rendered pages: escaping, the page frame with its style sheet, links.
/// Every piece of text that comes from a document or a request goes through `escape` before it is written;
/// markup is only ever added around escaped text.
enum HTML {
    /// Escapes text for element content and for attribute values in double or single quotes.
    static func escape(_ text: String) -> String { DiffHTMLRenderer.escape(text) }

    /// A snippet with its matches in `<mark>`: each piece is escaped first, then the marks go around it.
    static func highlighted(_ snippet: Highlighter.Snippet) -> String {
        let characters = Array(snippet.text)
        var html = ""
        var position = 0
        for mark in snippet.marks.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            let lower = min(max(mark.lowerBound, position), characters.count)
            let upper = min(max(mark.upperBound, lower), characters.count)
            html += escape(String(characters[position..<lower]))
            html += "<mark>" + escape(String(characters[lower..<upper])) + "</mark>"
            position = upper
        }
        html += escape(String(characters[position...]))
        return html
    }

    /// A whole page: the navigation bar, then `body`.
    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="zh-CN">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title)) · PlanKB</title>
        <style>\(style)</style>
        </head>
        <body>
        \(navigation)
        <main>
        \(body)
        </main>
        </body>
        </html>

        """
    }

    static let navigation = """
        <nav class="site"><a class="brand" href="/">PlanKB 规划知识库</a> <a href="/search">检索</a> \
        <a href="/documents">文件</a> <a href="/compare">修订对照</a> <a href="/reuse">文本复用</a> <a href="/statistics">统计</a></nav>
        """

    /// The path of a document's page; the key (a source path) is one percent-encoded path segment.
    static func documentPath(_ key: String) -> String { "/documents/" + pathSegment(key) }

    /// A key percent-encoded so that it stays one path segment (`/` becomes `%2F`).
    static func pathSegment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// A query string from parameters, leaving out empty values.
    static func query(_ parameters: [(String, String?)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let pairs = parameters.compactMap { name, value -> String? in
            guard let value, !value.isEmpty else { return nil }
            return name + "=" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)
        }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }

    /// A message box (errors in the query, a missing document).
    static func message(_ text: String, kind: String = "error") -> String {
        "<p class=\"message \(kind)\">\(escape(text))</p>"
    }

    static let style = """
        body{margin:0;font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;\
        color:#1d2430;background:#f7f7f4;line-height:1.7}
        nav.site{background:#23395d;padding:.6em 1.5em}nav.site a{color:#fff;margin-right:1.2em;text-decoration:none}
        nav.site a.brand{font-weight:bold}
        main{max-width:1100px;margin:0 auto;padding:1em 1.5em 3em}
        a{color:#1f5fa8}mark{background:#ffe066;padding:0 1px}
        form.search{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:.5em 1em;background:#fff;\
        padding:1em;border:1px solid #d9dde3;border-radius:6px}
        form.search .query{grid-column:1/-1;display:flex;gap:.5em}form.search .query input{flex:1;font-size:1.15em;padding:.35em}
        form label{display:flex;flex-direction:column;font-size:.85em;color:#555}
        input,select,button{font:inherit;padding:.25em}button{background:#23395d;color:#fff;border:0;border-radius:4px;padding:.35em 1.2em}
        .message{padding:.6em 1em;border-radius:4px}.message.error{background:#fde2e1;border:1px solid #e5a3a0}
        .message.info{background:#e6f0fb;border:1px solid #a9c4e6}
        .results{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,1fr);gap:1.5em;margin-top:1em}
        ol.hits{list-style:none;padding:0;margin:0}ol.hits li{background:#fff;border:1px solid #e1e4e8;border-radius:6px;\
        padding:.6em 1em;margin-bottom:.7em}
        .hit .doc{font-weight:bold}.hit .path{font-size:.85em;color:#5c6670}.hit .snippet{margin:.3em 0}
        .records span,.tag{display:inline-block;font-size:.8em;background:#eef2f7;border:1px solid #d4dbe5;border-radius:3px;\
        padding:0 .4em;margin-right:.3em}
        aside table{width:100%;font-size:.85em}aside h3{margin:.2em 0;font-size:1em}
        table.data{border-collapse:collapse;width:100%;background:#fff}table.data th,table.data td{border:1px solid #dde1e6;\
        padding:.3em .5em;text-align:left;vertical-align:top;font-size:.9em}table.data th a{color:inherit}
        .pages{margin:1em 0}.pages a,.pages span{margin-right:.8em}
        .document{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,3fr);gap:1.5em}
        nav.toc{font-size:.85em;position:sticky;top:0;max-height:100vh;overflow:auto}nav.toc ul{padding-left:1em;margin:0}
        article.text section{margin-left:.6em}article.text p{margin:.4em 0}
        article.text section.article{margin:.6em 0 0}article.text section.article>:is(h2,h3,h4,h5,h6){font-size:1em;margin:0}
        article.text :target{background:#fff3b0;outline:2px solid #f0c419}
        dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;background:#fff;padding:.8em;border:1px solid #e1e4e8}
        dl.meta dt{color:#5c6670}dl.meta dd{margin:0}
        .compare form{background:#fff;border:1px solid #d9dde3;border-radius:6px;padding:1em;margin-bottom:1em}
        """
}
