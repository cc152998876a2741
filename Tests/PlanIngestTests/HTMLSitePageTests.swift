import Foundation
import PlanKit
import Testing
@testable import PlanIngest

/// Three real pages with their full site chrome (corpus/html-sites). The expected first and last blocks
/// were decided by reading each page's source:
///
/// - govcn-gazette-2007: the article is `#UCAP-CONTENT` (source lines 247–258). It opens with a centred
///   `<strong>` title broken by two `<br>` over lines 249–251 (one block), then the adoption note
///   `（2007年6月29日…通过）` in the same `<p>` after a third `<br>` (line 252), then one paragraph that ends
///   `…调整为53365.53亿元。` (line 253). Everything else is header, breadcrumb, 字号/打印 toolbar, QR prompt,
///   相关稿件, link bars and two footers.
/// - sxmu-supervision-law-2018: the law is `#vsb_content` (lines 315–493). It opens with the centred bold
///   `中华人民共和国监察法` (line 315) — the same title also appears in the page header above the
///   `来源: | 发布时间: 2018-05-17` line, which is chrome — and ends with 第六十九条 (line 491).
/// - zj-fgw-deqing-2016: the article body `#zoom` (line 198) is a single paragraph from `1-10月，全县…` to
///   `（德清县发改局）`; the headline sits outside it in `p.con-title` (it becomes the metadata title).
@Suite struct HTMLSitePageTests {
    struct Expectation: Sendable {
        var file: String
        var first: String
        var firstLine: Int
        var lastPrefix: String
        var lastSuffix: String
        var blockCount: ClosedRange<Int>
        var title: String
        var date: String
    }

    static let expectations: [Expectation] = [
        Expectation(file: "html-sites/govcn-gazette-2007.html",
                    first: "全国人民代表大会常务委员会关于批准财政部发行特别国债购买外汇及调整2007年末国债余额限额的决议",
                    firstLine: 249, lastPrefix: "第十届全国人民代表大会常务委员会第二十八次会议，听取了",
                    lastSuffix: "批准2007年末国债余额限额调整为53365.53亿元。", blockCount: 3...3,
                    title: "全国人民代表大会常务委员会关于批准财政部发行特别国债购买外汇及调整2007年末国债余额限额的决议",
                    date: "2007-08-20"),
        Expectation(file: "html-sites/sxmu-supervision-law-2018.html", first: "中华人民共和国监察法", firstLine: 315,
                    lastPrefix: "第六十九条　本法自公布之日起施行。",
                    lastSuffix: "《中华人民共和国行政监察法》同时废止。", blockCount: 170...180,
                    title: "中华人民共和国监察法", date: "2018-05-17"),
        Expectation(file: "html-sites/zj-fgw-deqing-2016.html",
                    first: "1-10月，全县固定资产投资完成246.79亿元，完成年度计划82.3%，同比增长15.3%，位列三县两区第一。其中第三产业投资完成119.90亿元，同比增长15.2%，位列三县两区第二，三次产业投资占比由去年同期的1.1:50.3:48.6调整为0.7:50.7:48.6，三产占比与去年持平；生产性服务业完成投资39.66亿元，占第三产业完成投资的33.1%，位列三县两区第二；项目投资完成220.53亿元，占全部投资的89.4%，位列三县两区第二；总体全县投资结构趋稳趋优。（德清县发改局）",
                    firstLine: 198, lastPrefix: "1-10月，全县固定资产投资", lastSuffix: "（德清县发改局）",
                    blockCount: 1...1, title: "1-10月德清县固定资产投资结构趋稳趋优", date: "2016-11-22"),
    ]

    static let chrome = ["字体", "字号", "打印", "关闭", "网站标识码", "ICP", "主办单位", "版权所有", "相关链接",
                         "相关稿件", "扫一扫", "当前位置", "浏览次数", "网站纠错", "首页", "设为首页", "添加收藏夹",
                         "分享到", "国务院客户端", "公网安备", "技术支持", "发布日期", "发布时间", "信息来源"]

    @Test(arguments: 0..<3)
    func firstAndLastBlocksAreTheDocuments(index: Int) throws {
        let expected = Self.expectations[index]
        for useKnown in [true, false] {
            let result = try HTMLIngester.ingest(CorpusFiles.data(expected.file), source: expected.file,
                                                 useKnownContainers: useKnown)
            let first = try #require(result.blocks.first)
            let last = try #require(result.blocks.last)
            #expect(first.text == expected.first, "\(expected.file) known containers: \(useKnown)")
            #expect(first.span.startLine == expected.firstLine)
            #expect(last.text.hasPrefix(expected.lastPrefix) && last.text.hasSuffix(expected.lastSuffix),
                    "\(expected.file): last block \(last.text.prefix(30))")
            #expect(expected.blockCount.contains(result.blocks.count), "\(expected.file): \(result.blocks.count) blocks")
            for block in result.blocks {
                for word in Self.chrome where block.text.contains(word) {
                    Issue.record("\(expected.file): chrome \"\(word)\" in \"\(block.text.prefix(40))\"")
                }
            }
        }
    }

    @Test(arguments: 0..<3)
    func metadataComesFromTheFrame(index: Int) throws {
        let expected = Self.expectations[index]
        let result = try HTMLIngester.ingest(CorpusFiles.data(expected.file), source: expected.file)
        #expect(result.metadata.title == expected.title)
        #expect(result.metadata.date == expected.date)
        #expect(result.metadata.source == expected.file)
        #expect(result.metadata.encoding == "UTF-8")
    }

    @Test func breadcrumbsAndSources() throws {
        let gazette = try HTMLIngester.ingest(CorpusFiles.data("html-sites/govcn-gazette-2007.html"), source: nil)
        #expect(gazette.metadata.breadcrumb == ["首页", "国务院公报", "2007年第23号"])
        // 当前位置： in one cell, the items in the cells and nested table after it.
        let zhejiang = try HTMLIngester.ingest(CorpusFiles.data("html-sites/zj-fgw-deqing-2016.html"), source: nil)
        #expect(zhejiang.metadata.breadcrumb == ["首页", "发展改革工作", "投资管理和项目推进", "投资运行"])
        #expect(zhejiang.metadata.issuer == "省发改委")
    }

    @Test func gazetteTitleIsOneCentredBoldBlockAndTheNoteIsNot() throws {
        let result = try HTMLIngester.ingest(CorpusFiles.data("html-sites/govcn-gazette-2007.html"), source: nil)
        let title = try #require(result.blocks.first)
        #expect(title.hints.isSuperset(of: [.centered, .bold]))
        #expect(title.span.startLine == 249 && title.span.endLine == 251)
        let note = result.blocks[1]
        #expect(note.text == "（2007年6月29日第十届全国人民代表大会常务委员会第二十八次会议通过）")
        #expect(note.hints.contains(.centered) && !note.hints.contains(.bold))
        #expect(note.span.startLine == 252 && note.span.startColumn == 1)
    }
}
