import Testing
@testable import PlanKit

/// The layout pass over positioned text, without poppler: pages built as values, one fragment a line unless
/// a test needs more. Sizes and positions follow pdftohtml's output for an A4 page at its default zoom
/// (918 × 1188, 24-unit text with 38-unit line pitch, the NDRC notice's geometry).
struct PageLayoutTests {
    static let song = LayoutFont(family: "ZMRBRZ+FZFSK--GBK1-0", size: 24)
    static let hei = LayoutFont(family: "QBRDLN+FZHTK--GBK1-0", size: 24)
    static let kai = LayoutFont(family: "ELKUMU+FZKTK--GBK1-0", size: 24)
    static let times = LayoutFont(family: "WQMJUJ+TimesNewRomanPSMT", size: 24)
    static let title = LayoutFont(family: "LUMPWM+FZXBSK--GBK1-0", size: 33)
    static let left = 119.0, right = 807.0

    /// A fragment of `text` starting at `left` on the row at `top`, one Han character 24 units wide.
    static func fragment(_ text: String, left: Double = left, top: Double, font: LayoutFont = song, width: Double? = nil) -> LayoutFragment {
        LayoutFragment(text: text, left: left, top: top, width: width ?? Double(text.count) * font.size, height: 27, font: font)
    }

    /// A full line (to the right margin).
    static func full(_ text: String, top: Double, indent: Bool = false) -> LayoutFragment {
        let start = indent ? left + 48 : left
        return fragment(text, left: start, top: top, width: right - start)
    }

    static func page(_ number: Int, _ fragments: [LayoutFragment]) -> LayoutPage {
        LayoutPage(number: number, width: 918, height: 1188, fragments: fragments)
    }

    /// A body page: `rows` lines of one paragraph, each full but the last, plus what `extra` adds.
    static func bodyPage(_ number: Int, rows: Int = 8, extra: [LayoutFragment] = []) -> LayoutPage {
        var fragments: [LayoutFragment] = []
        for row in 0..<rows {
            let top = 150 + Double(row) * 38
            if row == rows - 1 {
                fragments.append(fragment("第\(number)页末行结束。", top: top))
            } else {
                fragments.append(full("正文第\(number)页第\(row + 1)行文字内容", top: top, indent: row == 0))
            }
        }
        return page(number, fragments + extra)
    }

    @Test func spacesBetweenHanAndDigitsGoButSpacesBetweenLatinWordsStay() {
        // "2019" in Times beside 仿宋, 9 units apart, as pdftohtml reports the NDRC notice's first line.
        let line = [
            Self.fragment("为贯彻落实", left: 167, top: 560),
            Self.fragment("2019", left: 296, top: 564, font: Self.times, width: 48),
            Self.fragment("年 1 月施行 RCEP 和 Hello World 规则。", left: 353, top: 560),
        ]
        let result = PageLayout.analyze([Self.page(1, line)])
        #expect(result.blocks.map(\.text) == ["为贯彻落实2019年1月施行RCEP和Hello World规则。"])
    }

    @Test func softHyphenBetweenDigitsIsADash() {
        let result = PageLayout.analyze([Self.page(1, [Self.fragment("规划纲要（2014\u{00AD}2020年）", top: 300)])])
        #expect(result.blocks.first?.text == "规划纲要（2014-2020年）")
    }

    @Test(arguments: ["— 12 —", "－12－", "- 12 -", "第 3 页", "第3页 共10页", "12"])
    func pageNumbersAtThePageBottomAreDropped(_ number: String) {
        let pages = (1...2).map { Self.bodyPage($0, extra: [Self.fragment(number, left: 440, top: 1065, width: 60)]) }
        let result = PageLayout.analyze(pages)
        let compact = number.filter { $0 != " " }
        #expect(!result.blocks.contains { $0.text.contains(compact) })
        #expect(result.blocks.count == 2)
        #expect(result.diagnostics.contains { $0.id == "ingest.page-number-dropped" && $0.page == 1 })
    }

    @Test func aBareNumberInsideThePageIsText() {
        let pages = [Self.bodyPage(1, extra: [Self.fragment("2025", left: 440, top: 600, width: 48)])]
        #expect(PageLayout.analyze(pages).blocks.contains { $0.text == "2025" })
    }

    @Test func aRunningHeaderRepeatedOnEveryPageIsDropped() {
        let header = { Self.fragment("沈阳片区“十四五”发展规划", left: 371, top: 53) }
        let result = PageLayout.analyze((1...4).map { Self.bodyPage($0, extra: [header()]) })
        #expect(!result.blocks.contains { $0.text.contains("发展规划") })
        #expect(result.diagnostics.contains { $0.id == "ingest.running-header-dropped" })
    }

    @Test func aParagraphRunsOnAcrossAPageBreak() {
        // Page 1 ends on a full line; page 2 starts at the margin, not indented.
        let first = Self.page(1, [Self.full("这一段从第一页开始并且一直写到页面的右边", top: 150, indent: true),
                                  Self.full("界没有结束而是继续到下一页的文字", top: 188)])
        let second = Self.page(2, [Self.fragment("接着在第二页结束。", top: 150),
                                   Self.full("新的一段首行缩进两个字符并且写满整行文字", top: 188, indent: true),
                                   Self.fragment("结束。", top: 226)])
        let blocks = PageLayout.analyze([first, second]).blocks
        #expect(blocks.map(\.text) == ["这一段从第一页开始并且一直写到页面的右边界没有结束而是继续到下一页的文字接着在第二页结束。",
                                       "新的一段首行缩进两个字符并且写满整行文字结束。"])
        #expect(blocks[0].span.startPage == 1 && blocks[0].span.endPage == 2)
        #expect(blocks[0].anchors.map(\.page) == [1, 1, 2])
        // The character after the page break sits on page 2, line 1, column 1.
        let offset = "这一段从第一页开始并且一直写到页面的右边界没有结束而是继续到下一页的文字".count
        #expect(blocks[0].position(ofCharacterAt: offset) == SourcePosition(line: 1, column: 1, page: 2))
        #expect(blocks[1].span.startLine == 2 && blocks[1].span.startPage == 2)
    }

    @Test func aTwoColumnPageIsReadColumnByColumn() {
        // Columns 119–443 and 475–807, their rows not on the same baselines (as LibreOffice sets them).
        var fragments: [LayoutFragment] = []
        for row in 0..<7 {
            let top = 150 + Double(row) * 38
            fragments.append(Self.fragment(row == 6 ? "左栏结束。" : "左栏第\(row + 1)行文字内容填满", left: Self.left, top: top,
                                           width: row == 6 ? 120 : 324))
            fragments.append(Self.fragment(row == 6 ? "右栏结束。" : "右栏第\(row + 1)行文字内容填满", left: 475, top: top + 12,
                                           width: row == 6 ? 120 : 332))
        }
        let blocks = PageLayout.analyze([Self.page(1, fragments)]).blocks
        #expect(blocks.count == 2)
        #expect(blocks.first?.text.hasPrefix("左栏第1行") == true && blocks.first?.text.hasSuffix("左栏结束。") == true)
        #expect(blocks.last?.text.hasPrefix("右栏第1行") == true && blocks.last?.text.hasSuffix("右栏结束。") == true)
    }

    @Test func headingFacesGiveLevelsAndTheLargestFirstPageHeadingIsTheTitle() {
        let fragments = [
            Self.fragment("关于加强个人所得税纳税信用建设的通知", left: 166, top: 385, font: Self.title),
            Self.fragment("一、总体要求", left: 167, top: 450, font: Self.hei),
            Self.fragment("（一）全面实施申报信用承诺制。", left: 167, top: 488, font: Self.kai, width: 360),
            Self.fragment("税务部门设立信用承诺书。", left: 527, top: 488, width: 280),
            Self.full("各地区各部门要以习近平新时代中国特色社会主义思想为", top: 526, indent: true),
            Self.full("指导，全面贯彻党的十九大和十九届二中、三中全会精", top: 564),
            Self.full("神，按照党中央、国务院关于社会信用体系建设的总体", top: 602),
            Self.fragment("要求。", top: 640),
        ]
        let result = PageLayout.analyze([Self.page(1, fragments)])
        #expect(result.title == "关于加强个人所得税纳税信用建设的通知")
        #expect(result.blocks.map(\.markedHeadingLevel) == [1, 2, nil, nil])
        #expect(result.blocks[1].hints.contains(.bold))
        // The 楷体 run opening a 仿宋 paragraph is its lead.
        #expect(result.blocks[2].hints.contains(.boldLead))
        #expect(result.blocks[2].boldPrefixLength == "（一）全面实施申报信用承诺制。".count)
    }

    @Test func typefacesAreJudgedFromFamilyNames() {
        #expect(LayoutFont(family: "LUMPWM+FZXBSK--GBK1-0", size: 1).typeface == .display)
        #expect(LayoutFont(family: "SimHei", size: 1).typeface == .hei)
        #expect(LayoutFont(family: "CAAAAA+WenQuanYiMicroHei", size: 1).typeface == .hei)
        #expect(LayoutFont(family: "KaiTi_GB2312", size: 1).typeface == .kai)
        #expect(LayoutFont(family: "FangSong_GB2312", size: 1).typeface == .body)
        #expect(LayoutFont(family: "LNUHNF+SimSun", size: 1).typeface == .body)
    }
}
