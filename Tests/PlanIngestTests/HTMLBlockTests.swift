import Foundation
import PlanKit
import Testing
@testable import PlanIngest

/// How markup on government sites becomes blocks and hints, one construct at a time. Each page wraps its
/// snippet in an article of ordinary prose so the article is found the ordinary way.
@Suite struct HTMLBlockTests {
    static func blocks(_ snippet: String) throws -> [Block] {
        let page = """
        <html><head><title>测试页面</title></head><body>
        <ul class="nav"><li><a href="/">首页</a></li><li><a href="/news/">新闻</a></li></ul>
        <div class="article">
        \(snippet)
        <p>本段是正文的最后一段，用来确定正文所在的位置。</p>
        </div>
        <div class="footer">主办单位：某某人民政府办公厅　网站标识码：1100000000</div>
        </body></html>
        """
        let result = try HTMLIngester.ingest(Data(page.utf8), source: nil)
        return Array(result.blocks.dropLast())
    }

    @Test func boldLeadSentenceGivesItsLength() throws {
        let blocks = try Self.blocks("<p>　　<strong>（一）总体要求。</strong>以习近平新时代中国特色社会主义思想为指导，推进改革。</p>")
        let block = try #require(blocks.first)
        #expect(block.text == "（一）总体要求。以习近平新时代中国特色社会主义思想为指导，推进改革。")
        #expect(block.hints.contains(.boldLead) && block.hints.contains(.indented) && !block.hints.contains(.bold))
        #expect(block.boldPrefixLength == "（一）总体要求。".count)
    }

    @Test func wholeBoldAndCentredHeadings() throws {
        let blocks = try Self.blocks("""
        <p align="center"><b>第一章　总　则</b></p>
        <p style="text-align:center"><span style="font-weight:700">第一节 目标</span></p>
        <h2>二、主要任务</h2>
        """)
        #expect(blocks.map(\.text) == ["第一章　总　则", "第一节 目标", "二、主要任务"])
        #expect(blocks[0].hints.isSuperset(of: [.centered, .bold]) && blocks[0].boldPrefixLength == nil)
        #expect(blocks[1].hints.isSuperset(of: [.centered, .bold]))
        #expect(blocks[2].markedHeadingLevel == 2 && blocks[2].hints.contains(.bold))
    }

    @Test func lineBreaksSplitParagraphsButNotABrokenTitle() throws {
        let blocks = try Self.blocks("""
        <p align="center"><strong>国务院关于印发<br>某某方案的通知</strong></p>
        <p>　　第一句话，写在第一行。<br>　　第二句话，写在第二行。</p>
        """)
        #expect(blocks.map(\.text) == ["国务院关于印发某某方案的通知", "第一句话，写在第一行。", "第二句话，写在第二行。"])
        #expect(blocks[1].hints.contains(.indented) && blocks[2].hints.contains(.indented))
    }

    @Test func whiteSpaceCollapsesAsABrowserShowsIt() throws {
        let blocks = try Self.blocks("<p>全国人民代表大会\n常务委员会决定，\n  Free  Trade\nZone。</p><p>&nbsp;</p><p>　</p>")
        // A line break between two wide characters vanishes; next to a narrow one it is a space (CSS Text 3).
        #expect(blocks.map(\.text) == ["全国人民代表大会常务委员会决定， Free Trade Zone。"])
    }

    @Test func captionsTablesAndAlignment() throws {
        let blocks = try Self.blocks("""
        <p align="center"><img src="map.jpg"></p>
        <p align="center">图1 空间布局示意图</p>
        <table border="1"><tr><th>地区</th><th>指标</th></tr><tr><td>沈阳</td><td>45</td></tr></table>
        <p style="text-align: right;">国务院办公厅</p>
        """)
        #expect(blocks.map(\.text) == ["图1 空间布局示意图", "地区\t指标", "沈阳\t45", "国务院办公厅"])
        #expect(blocks[0].hints.contains(.figureCaption))
        #expect(blocks[1].hints.isSuperset(of: [.tableRow, .bold]))
        #expect(blocks[2].hints.contains(.tableRow) && !blocks[2].hints.contains(.bold))
        #expect(blocks[3].hints.contains(.rightAligned))
    }

    @Test func scriptsStylesFormsAndHiddenTextNeverShow() throws {
        let blocks = try Self.blocks("""
        <script>var a = "<p>脚本里的段落。</p>";</script><style>p { color: red }</style>
        <div style="display: none">隐藏的文字，不应出现。</div><noscript>请启用脚本。</noscript>
        <form><select><option>选项一</option></select><button>提交</button></form>
        <p>　　可见的段落，应当保留。</p>
        """)
        #expect(blocks.map(\.text) == ["可见的段落，应当保留。"])
    }

    @Test func metadataLinesInsideTheArticleAreNotBodyText() throws {
        let page = """
        <html><body><div class="main">
        <h1>关于做好某项工作的通知</h1>
        <div>发布时间：2020-03-05　来源：市政府办公室</div>
        <p>　　各区县人民政府，市政府各部门：现将有关事项通知如下，请认真贯彻执行。</p>
        <p>　　一是加强领导，二是落实责任，三是强化督查。</p>
        </div></body></html>
        """
        let result = try HTMLIngester.ingest(Data(page.utf8), source: nil)
        #expect(result.metadata.date == "2020-03-05")
        #expect(result.metadata.issuer == "市政府办公室")
        #expect(result.metadata.title == "关于做好某项工作的通知")
        #expect(!result.blocks.contains { $0.text.contains("发布时间") || $0.text.contains("来源") })
    }

    @Test func spansGiveLineAndCharacterColumn() throws {
        let page = "<html><body>\n<div>\n<p>　　第一段，位于第三行。</p>\n  <p>第二段\n跨两行，结束于此。</p>\n</div></body></html>"
        let result = try HTMLIngester.ingest(Data(page.utf8), source: nil)
        #expect(result.blocks.count == 2)
        // Columns count Characters: "<p>　　" is five of them, so 第 is column 6.
        #expect(result.blocks[0].span == SourceSpan(startLine: 3, startColumn: 6, endLine: 3, endColumn: 15))
        #expect(result.blocks[1].span == SourceSpan(startLine: 4, startColumn: 6, endLine: 5, endColumn: 9))
    }

    @Test func labelsAndValuesInSeparateElements() throws {
        let page = """
        <html><head><title>某某市人民政府</title></head><body>
        <div class="xxgk"><div>索引号：</div><div>11370000004/2020-00012</div>
        <div>发布机构：</div><div>某某市人民政府办公厅</div><div>成文日期：</div><div>2020年03月01日</div></div>
        <div class="content"><h1>某某市关于加快发展数字经济的实施意见</h1>
        <p>　　为加快数字经济发展，现提出如下意见，请结合实际认真贯彻落实。</p>
        <p>　　一、总体要求。坚持创新驱动，推动数字产业化和产业数字化。</p></div>
        <div class="footer"><p>为了获得更好的浏览效果，建议使用1366×768分辨率，IE9以上浏览器。</p>
        <p>【我要打印】【关闭窗口】</p></div>
        </body></html>
        """
        let result = try HTMLIngester.ingest(Data(page.utf8), source: nil)
        #expect(result.metadata.indexNumber == "11370000004/2020-00012")
        #expect(result.metadata.issuer == "某某市人民政府办公厅")
        #expect(result.metadata.writtenDate == "2020-03-01")
        // <title> is only the site's name; the page's <h1> is the document's title.
        #expect(result.metadata.title == "某某市关于加快发展数字经济的实施意见")
        #expect(result.blocks.map(\.text) == ["某某市关于加快发展数字经济的实施意见",
                                              "为加快数字经济发展，现提出如下意见，请结合实际认真贯彻落实。",
                                              "一、总体要求。坚持创新驱动，推动数字产业化和产业数字化。"])
    }

    @Test func footerWordsInsideTheArticleStay() throws {
        // A conference notice names its organisers; the site footer names the site's. Only the footer goes.
        let blocks = try Self.blocks("""
        <p>　　兹定于2020年5月举办自由贸易试验区发展论坛，现将有关事项通知如下。</p>
        <p>　　主办单位：市商务局</p>
        <p>　　主办单位：市商务局　承办单位：市贸促会</p>
        <p>　　（三）强化技术支持</p>
        """)
        #expect(blocks.map(\.text) == ["兹定于2020年5月举办自由贸易试验区发展论坛，现将有关事项通知如下。",
                                       "主办单位：市商务局", "主办单位：市商务局　承办单位：市贸促会", "（三）强化技术支持"])
    }

    @Test func invisibleCharactersAndLineSeparatorsDoNotReachTheText() throws {
        let blocks = try Self.blocks("<p>\u{FEFF}第一条\u{200B}　本条例自公布之日起施行，\u{2028}原办法同时废止。</p>")
        #expect(blocks.map(\.text) == ["第一条　本条例自公布之日起施行，原办法同时废止。"])
    }

    @Test func aHeadingUnderADecorativeImageIsNoCaption() throws {
        let blocks = try Self.blocks("""
        <p align="center"><img src="banner.png"></p>
        <p align="center"><strong>第二章　发展目标</strong></p>
        <p><img src="icon.gif"></p><p>图2 产业布局</p>
        """)
        #expect(blocks.map(\.text) == ["第二章　发展目标", "图2 产业布局"])
        #expect(!blocks[0].hints.contains(.figureCaption))
        #expect(blocks[1].hints.contains(.figureCaption))
    }

    @Test func anEmptyLabelDoesNotSwallowTheArticlesFirstHeading() throws {
        let page = """
        <html><body><div class="info"><span>来源：</span></div>
        <div class="content"><p><strong>一、总体要求</strong></p>
        <p>　　坚持稳中求进工作总基调，推动高质量发展，确保各项任务落到实处。</p>
        <p>　　各地区各部门要结合实际，抓好贯彻落实，及时报送工作进展。</p></div></body></html>
        """
        let result = try HTMLIngester.ingest(Data(page.utf8), source: nil)
        #expect(result.metadata.issuer == nil)
        #expect(result.blocks.first?.text == "一、总体要求")
    }
}
