import Foundation
import PlanKit
import Testing
@testable import PlanIngest

/// The Shenyang plan served as a web page (see `ShenyangPlanPage`): whatever the encoding and its
/// declaration, the blocks are exactly the plan's lines from 前言 on, and none of the chrome.
@Suite struct ShenyangPlanPageTests {
    static let chrome = ["字体", "打印", "关闭", "扫一扫", "相关链接", "网站标识码", "ICP备", "主办单位", "承办单位",
                         "网站地图", "当前位置", "政民互动", "简体版", "统计", "现代综合交通运输体系发展规划",
                         "科技创新发展规划"]

    static let variants: [(name: String, encoding: String, make: @Sendable () throws -> Data)] = [
        ("GBK declared gb2312", "GB18030", { try ShenyangPlanPage.gbkDeclaredGB2312() }),
        ("UTF-8 undeclared", "UTF-8", { try ShenyangPlanPage.utf8Undeclared() }),
        ("UTF-8 declared gb2312", "UTF-8", { Data(try ShenyangPlanPage.html(charset: "gb2312").utf8) }),
    ]

    @Test(arguments: 0..<3)
    func blocksAreThePlanLines(variant: Int) throws {
        let (name, encoding, make) = Self.variants[variant]
        let result = try HTMLIngester.ingest(try make(), source: "shenyang.html")
        let expected = try ShenyangPlanPage.expectedBlockTexts()
        let texts = result.blocks.map(\.text)
        #expect(texts.count == expected.count, "\(name)")
        for (offset, pair) in zip(texts, expected).enumerated() where pair.0 != pair.1 {
            Issue.record("\(name): block \(offset) is \"\(pair.0.prefix(40))\", the plan has \"\(pair.1.prefix(40))\"")
            break
        }
        #expect(result.metadata.encoding == encoding, "\(name)")
        for block in result.blocks {
            for word in Self.chrome where block.text.contains(word) {
                Issue.record("\(name): chrome \"\(word)\" in block \"\(block.text.prefix(40))\"")
            }
        }
    }

    @Test func declaredGB2312OverUTF8BytesIsReportedAsAMismatch() throws {
        let result = try HTMLIngester.ingest(Data(try ShenyangPlanPage.html(charset: "gb2312").utf8), source: nil)
        #expect(result.diagnostics.contains { $0.id == "ingest.encoding-mismatch" && $0.severity == .warning })
    }

    @Test func metadataComesFromTheFrameNotTheBody() throws {
        let header = try ShenyangPlanPage.header()
        let result = try HTMLIngester.ingest(try ShenyangPlanPage.gbkDeclaredGB2312(), source: "shenyang.html")
        #expect(result.metadata.title == header.title)
        #expect(result.metadata.date == "2021-08-23")
        #expect(result.metadata.issuer == "市发展改革委")
        #expect(result.metadata.breadcrumb == header.breadcrumb)
        #expect(result.metadata.source == "shenyang.html")
    }

    @Test func hintsFollowTheMarkup() throws {
        let result = try HTMLIngester.ingest(try ShenyangPlanPage.utf8Undeclared(), source: nil)
        let blocks = Dictionary(result.blocks.map { ($0.text, $0) }, uniquingKeysWith: { first, _ in first })
        let preface = try #require(blocks["前言"])
        #expect(preface.hints.isSuperset(of: [.centered, .bold]))
        let section = try #require(blocks["第一节沈阳片区成立以来主要工作成效"])
        #expect(section.hints.contains(.bold) && !section.hints.contains(.centered))
        // The indented heading of the text file is set as an indented paragraph.
        #expect(blocks["第一节优化总体空间布局"]?.hints.contains(.indented) == true)
        #expect(blocks["辽宁自贸试验区沈阳片区空间布局规划图"]?.hints.contains(.figureCaption) == true)
        #expect(blocks["综保区桃仙园区建设布局"]?.hints == [])
        let paragraphs = result.blocks.filter { $0.text.count > 60 }
        #expect(!paragraphs.isEmpty && paragraphs.allSatisfy { $0.hints.contains(.indented) })
    }

    @Test func spansPointAtTheTextInTheSource() throws {
        let html = try ShenyangPlanPage.html(charset: nil)
        let sourceLines = html.split(separator: "\n", omittingEmptySubsequences: false).map(Array.init)
        let result = try HTMLIngester.ingest(Data(html.utf8), source: nil)
        for block in result.blocks {
            let line = sourceLines[block.span.startLine - 1]
            let start = block.span.startColumn - 1
            let found = String(line[start..<min(line.count, start + block.text.count)])
            #expect(found.hasPrefix(String(block.text.prefix(4))),
                    "block \"\(block.text.prefix(20))\" at \(block.span.compactDescription) reads \"\(found.prefix(20))\"")
        }
    }

    /// The whole chain: the page and the text segment into the same tree (ids, kinds, labels, headings,
    /// texts — spans differ, as the sources do) with the same metadata but for source and encoding.
    @Test(arguments: 0..<2)
    func pageAndTextGiveTheSameTree(variant: Int) throws {
        let (name, _, make) = Self.variants[variant]
        let page = try DocumentLoader.load(data: try make(), source: "shenyang.html", pathExtension: "html")
        let text = try DocumentLoader.load(data: try CorpusFiles.data(ShenyangPlanPage.planPath),
                                           source: "shenyang.txt", pathExtension: "txt")
        let pageTree = try #require(page.first).root.descendants.map(Self.signature)
        let textTree = try #require(text.first).root.descendants.map(Self.signature)
        #expect(pageTree.count == textTree.count, "\(name)")
        if let mismatch = zip(pageTree, textTree).first(where: { $0.0 != $0.1 }) {
            Issue.record("\(name): page node \(mismatch.0) ≠ text node \(mismatch.1)")
        }
        var pageMetadata = try #require(page.first).metadata
        var textMetadata = try #require(text.first).metadata
        (pageMetadata.source, pageMetadata.encoding, pageMetadata.format) = (nil, nil, nil)
        (textMetadata.source, textMetadata.encoding, textMetadata.format) = (nil, nil, nil)
        #expect(pageMetadata == textMetadata, "\(name)")
        let chapters = try #require(page.first).root.children.filter { $0.kind == .chapter }
        #expect(chapters.count == 9)
    }

    static func signature(_ node: Node) -> String {
        [node.id, node.kind.rawValue, node.label ?? "", node.heading ?? "", node.text].joined(separator: "|")
    }
}
