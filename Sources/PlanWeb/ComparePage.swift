import PlanIndex
import PlanKit

/// The compare page (修订对照): pick two indexed documents or upload two files, and see `plankb diff`'s
/// 修订对照表 for them.
struct ComparePage {
    var documents: [DocumentSummary]
    var selectedOld: String?
    var selectedNew: String?

    func renderForm(message: String? = nil) -> String {
        func options(selected: String?) -> String {
            documents.map { document in
                let label = (document.title ?? document.key) + (document.date.map { "（\($0)）" } ?? "")
                return "<option value=\"\(HTML.escape(document.key))\"\(document.key == selected ? " selected" : "")>"
                    + HTML.escape(label) + "</option>"
            }.joined()
        }
        var body = "<h1>修订对照</h1>\n<div class=\"compare\">\n"
        if let message { body += HTML.message(message) }
        body += """
            <form method="get" action="/compare">
            <h2>对照知识库中的两份文件</h2>
            <label>修订前<select name="old"><option value="">（选择文件）</option>\(options(selected: selectedOld))</select></label>
            <label>修订后<select name="new"><option value="">（选择文件）</option>\(options(selected: selectedNew))</select></label>
            <p><button type="submit">对照</button></p>
            </form>
            <form method="post" action="/compare" enctype="multipart/form-data">
            <h2>或上传两个文件</h2>
            <p>文本、Markdown 或 HTML（政府网站页面）均可；上传的文件只用于这次对照，不存入知识库。</p>
            <label>修订前<input type="file" name="old"></label>
            <label>修订后<input type="file" name="new"></label>
            <p><button type="submit">上传并对照</button></p>
            </form>
            </div>

            """
        return HTML.page(title: "修订对照", body: body)
    }

    /// `plankb diff --format html`'s page for `report`, with the site's navigation added at the top.
    static func renderReport(_ report: DiffReport) -> String {
        let page = DiffHTMLRenderer.render([report])
        let bar = "<nav style=\"background:#23395d;padding:.6em 1.5em;margin:-8px -8px 1em\">"
            + "<a style=\"color:#fff;margin-right:1.2em\" href=\"/\">PlanKB 规划知识库</a>"
            + "<a style=\"color:#fff\" href=\"/compare\">另选文件对照</a></nav>\n"
        guard let body = page.range(of: "<body>\n") else { return page }
        return page.replacingCharacters(in: body, with: "<body>\n" + bar)
    }
}
