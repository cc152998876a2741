import Foundation
import PlanKit

/// The Shenyang plan (`corpus/plans/shenyang-ftz-plan-2021.txt`) served as a municipal government web page:
/// a header with a logo and a menu of links, a banner, a breadcrumb, the headline and a `时间：… 来源：…` line, a
/// toolbar `[字体：大 中 小] [打印] [关闭]`, then the plan (前言 on) as the site's CMS sets it — chapter titles
/// centred and bold, sections bold, paragraphs indented with U+3000 or `&nbsp;` and now and then two of them
/// in one `<p>` split by `<br>`, the map as an image with its title under it — then a QR prompt, a
/// 相关链接 list and a footer with 主办单位, 网站标识码 and ICP备.
///
/// The lead's end-to-end test uses this to check that the page gives the same tree as the text.
enum ShenyangPlanPage {
    static let planPath = "plans/shenyang-ftz-plan-2021.txt"

    /// The plan's lines from 前言 on, as the text file has them (leading spaces mark paragraphs).
    static func planLines() throws -> [Substring] {
        let text = try CorpusFiles.text(planPath)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "前言" }) else {
            return []
        }
        return Array(lines[start...])
    }

    /// The body text the page must yield: the plan's non-empty lines from 前言 on, trimmed, in order.
    static func expectedBlockTexts() throws -> [String] {
        try planLines().map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The page header of the text file: breadcrumb, title, `时间:…来源:…`.
    static func header() throws -> (breadcrumb: [String], title: String, date: String, source: String) {
        let lines = try CorpusFiles.text(planPath).split(separator: "\n").map(String.init)
        let breadcrumb = lines[0].components(separatedBy: "->").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let dateLine = lines[2]  // 时间:2021年08月23日来源:市发展改革委
        let date = dateLine.components(separatedBy: "来源")[0].replacingOccurrences(of: "时间:", with: "")
        let source = dateLine.components(separatedBy: "来源:").last ?? ""
        return (breadcrumb, lines[1], date, source)
    }

    /// The page as HTML text; `charset` is written into a `<meta http-equiv>` when given.
    static func html(charset: String?) throws -> String {
        let (breadcrumb, title, date, source) = try header()
        var page = "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\">\n<html>\n<head>\n"
        if let charset {
            page += "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=\(charset)\">\n"
        }
        page += """
        <title>\(escape(title))_沈阳市人民政府</title>
        <meta name="keywords" content="沈阳,自贸试验区,十四五">
        <link rel="stylesheet" href="/images/common.css">
        <style>.nav li{float:left;margin:0 8px}.content p{line-height:2em;font-size:16px}</style>
        <script type="text/javascript">var _hmt = _hmt || []; if (a < b && c > d) { document.write("<a href='#'>统计</a>"); }</script>
        </head>
        <body>
        <div class="top"><div class="logo"><a href="/"><img src="/images/logo.png" alt="沈阳市人民政府"></a></div>
        <div class="topbar"><a href="/">简体版</a> | <a href="/big5/">繁體版</a> | <a href="/wza/">无障碍</a> | <a href="/en/">English</a></div></div>
        <ul class="nav">
        <li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zmhd/">政民互动</a></li>
        <li><a href="/bsfw/">办事服务</a></li><li><a href="/zjsy/">走进沈阳</a></li><li><a href="/tzsy/">投资沈阳</a></li>
        </ul>
        <div class="banner"><a href="/zt/2021/"><img src="/images/banner-2021.jpg" alt="专题"></a></div>
        <div class="location">当前位置：
        """
        page += breadcrumb.enumerated().map { offset, item in
            "<a href=\"/path\(offset)/\">\(escape(item))</a>"
        }.joined(separator: " -&gt; ")
        page += """
        </div>
        <div class="article">
        <h1 class="article-title">\(escape(title))</h1>
        <div class="article-info"><span>时间：\(escape(date))</span>&nbsp;&nbsp;<span>来源：\(escape(source))</span></div>
        <div class="toolbar">[字体：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>] [<a href="javascript:window.print()">打印</a>] [<a href="javascript:window.close()">关闭</a>]</div>
        <div class="content" id="zoom">

        """
        page += try body()
        page += """
        </div>
        <div class="qr"><img src="/images/qr.png" alt=""><p>扫一扫在手机打开当前页</p></div>
        <div class="related"><h3>相关链接</h3><ul>
        <li><a href="/zwgk/ghxx/1.html">沈阳市国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要</a></li>
        <li><a href="/zwgk/ghxx/2.html">沈阳市“十四五”现代综合交通运输体系发展规划</a></li>
        <li><a href="/zwgk/ghxx/3.html">沈阳市“十四五”科技创新发展规划</a></li>
        </ul></div>
        </div>
        <div class="footer">
        <p><a href="/wzdt/">网站地图</a> | <a href="/lxwm/">联系我们</a> | <a href="/wzsm/">网站声明</a></p>
        <p>主办单位：沈阳市人民政府办公室　承办单位：沈阳市大数据管理局</p>
        <p>网站标识码：2101000044　<a href="https://beian.miit.gov.cn/">辽ICP备05008893号</a>　辽公网安备 21010202000123号</p>
        </div>
        </body>
        </html>

        """
        return page
    }

    /// The plan as the CMS sets it.
    private static func body() throws -> String {
        let lines = try planLines().filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        var html = ""
        var paragraphCount = 0
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let text = escape(line.trimmingCharacters(in: .whitespaces))
            let isParagraph = line.hasPrefix(" ")
            if !isParagraph, isFigureCaption(line) {
                html += "<p align=\"center\"><img src=\"/images/map\(index).jpg\" width=\"600\" alt=\"\"></p>\n"
                html += "<p align=\"center\"><span style=\"font-size:14px\">\(text)</span></p>\n"
            } else if !isParagraph, !isHeading(line) {
                // An unnumbered line that is neither: as plain as the text file has it.
                html += "<p>\(text)</p>\n"
            } else if !isParagraph {
                let centred = line == "前言" || (line.hasPrefix("第") && line.prefix(5).contains("章"))
                html += centred
                    ? "<p style=\"text-align: center;\"><strong>\(text)</strong></p>\n"
                    : "<p><span style=\"font-weight: bold;\">\(text)</span></p>\n"
            } else {
                paragraphCount += 1
                // Every seventh paragraph shares its <p> with the next one, split by <br> (as CMS editors do).
                if paragraphCount % 7 == 0, index + 1 < lines.count, lines[index + 1].hasPrefix(" ") {
                    let next = escape(lines[index + 1].trimmingCharacters(in: .whitespaces))
                    html += "<p>\u{3000}\u{3000}\(text)<br>\n\u{3000}\u{3000}\(next)</p>\n"
                    index += 1
                } else if paragraphCount % 2 == 0 {
                    html += "<p style=\"text-indent: 2em;\">\(text)</p>\n"
                } else {
                    html += "<p>&nbsp;&nbsp;&nbsp;&nbsp;\(text)</p>\n"
                }
            }
            index += 1
        }
        return html
    }

    /// The map title (`…规划图`) stands alone, unindented; the page shows the map above it.
    private static func isFigureCaption(_ line: Substring) -> Bool {
        !isHeading(line) && line.hasSuffix("图")
    }

    private static func isHeading(_ line: Substring) -> Bool {
        line == "前言" || (line.hasPrefix("第") && (line.prefix(5).contains("章") || line.prefix(5).contains("节")))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// The page in GBK (as GB18030 bytes) declaring `charset=gb2312`, the way many government sites serve.
    static func gbkDeclaredGB2312() throws -> Data {
        let page = try html(charset: "gb2312")
        guard let data = page.data(using: TextEncoding.gb18030.foundationEncoding) else {
            throw CocoaError(.fileWriteInapplicableStringEncoding)
        }
        return data
    }

    /// The page in UTF-8 with no charset declaration at all.
    static func utf8Undeclared() throws -> Data {
        Data(try html(charset: nil).utf8)
    }
}
