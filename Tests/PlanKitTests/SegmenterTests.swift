import Foundation
import Testing
@testable import PlanKit

/// The Shenyang plan: the document the project started from. Expectations read off the text itself
/// (corpus/plans/shenyang-ftz-plan-2021.txt, lines 7–405).
struct ShenyangPlanTests {
    let document: PlanDocument

    init() throws { document = try segmentCorpusText("plans/shenyang-ftz-plan-2021.txt") }

    @Test func prefaceAndNineChaptersWithTheirSections() throws {
        let root = document.root
        #expect(root.children.map(\.kind) == [.preface] + Array(repeating: .chapter, count: 9))
        let chapters = root.children(ofKind: .chapter)
        #expect(chapters.map(\.num) == Array(1...9))
        #expect(chapters.map { $0.children(ofKind: .section).count } == [3, 3, 3, 3, 8, 3, 3, 3, 3])
        #expect(chapters.map(\.id) == (1...9).map { "chp_\($0)" })
    }

    /// A node owns the records of its own text: its clauses' and its lead's, not those of the nodes below it
    /// (a chapter's paragraphs have their own), and never a sibling's whose id it prefixes (para_1, para_10).
    @Test func aNodeOwnsItsClausesAndLeadButNothingFurtherDown() throws {
        var owned = 0, below = 0
        let nodes = [document.root] + document.root.descendants
        for node in nodes {
            #expect(IdentifierAssignment.owns(node.id, recordOn: node.id))
            for child in node.children {
                let ownText = child.kind == .clause || child.kind == .lead
                #expect(IdentifierAssignment.owns(node.id, recordOn: child.id) == ownText, "\(node.id) → \(child.id)")
                if ownText { owned += 1 }
                for grandchild in child.descendants where !IdentifierAssignment.owns(child.id, recordOn: grandchild.id) {
                    #expect(!IdentifierAssignment.owns(node.id, recordOn: grandchild.id), "\(node.id) → \(grandchild.id)")
                    below += 1
                }
            }
        }
        let prefixing = nodes.filter { node in nodes.contains { $0.id != node.id && $0.id.hasPrefix(node.id) && !$0.id.hasPrefix(node.id + "__") } }
        for node in prefixing {
            for other in nodes where other.id != node.id && other.id.hasPrefix(node.id) && !other.id.hasPrefix(node.id + "__") {
                #expect(!IdentifierAssignment.owns(node.id, recordOn: other.id), "\(node.id) → \(other.id)")
            }
        }
        #expect(owned > 100 && below > 100 && !prefixing.isEmpty, "\(owned) clauses and leads, \(below) nodes further down, \(prefixing.count) prefixing ids")
    }

    @Test func exactHeadings() throws {
        let chapters = document.root.children(ofKind: .chapter)
        #expect(chapters[0].heading == "“十三五”时期创新试验情况")
        #expect(chapters[4].heading == "发挥比较优势,建设竞争力强开放型产业体系")
        #expect(chapters[8].heading == "强化保障措施,推进规划落地实施")
        let sections = chapters[4].children(ofKind: .section)
        #expect(sections.map(\.heading) == ["高端制造", "服务贸易", "保税经济", "跨境电商", "临空产业", "数字经济", "金融服务", "医疗医药"])
        #expect(sections[3].id == "chp_5__sec_4")
        #expect(sections[3].label == "第四节")
        #expect(chapters[1].children(ofKind: .section)[1].heading == "定位和步骤:“三个区”和“三步走”")
    }

    /// "  第一节优化总体空间布局" (line 269) is indented; it is still a heading, and its span starts at column 3.
    @Test func indentedHeading() throws {
        let section = try #require(document.root.node(withID: "chp_6__sec_1"))
        #expect(section.heading == "优化总体空间布局")
        #expect(section.span.startLine == 269)
        #expect(section.span.startColumn == 3)
    }

    /// "第三步,到2035年…" (line 87) is a paragraph of 第二章第二节, not a heading.
    @Test func stepsAreParagraphs() throws {
        let section = try #require(document.root.node(withID: "chp_2__sec_2"))
        let steps = section.children.filter { $0.text.hasPrefix("第一步") || $0.text.hasPrefix("第二步") || $0.text.hasPrefix("第三步") }
        #expect(steps.count == 3)
        #expect(steps.allSatisfy { $0.kind == .paragraph })
        #expect(steps.last?.span.startLine == 87)
    }

    @Test func metadataFromThePastedPageHeader() {
        let metadata = document.metadata
        #expect(metadata.title == "沈阳市“十四五”中国(辽宁)自由贸易试验区沈阳片区发展规划")
        #expect(metadata.date == "2021-08-23")
        #expect(metadata.issuer == "市发展改革委")
        #expect(metadata.breadcrumb == ["首页", "政务公开", "法定主动公开内容", "规划信息", "专项规划"])
    }

    /// The toolbar residue "[字体: ] 打印" is dropped, with a note saying so; it appears in no node.
    @Test func toolbarIsDroppedAndSaid() {
        #expect(!document.root.descendants.contains { $0.text.contains("打印") })
        #expect(document.diagnostics.contains { $0.id == "ingest.chrome-dropped" && $0.line == 4 })
    }

    /// Line 329 stops mid-sentence ("…赴境外设立离岸研发中心,").
    @Test func truncatedParagraphIsReported() throws {
        let truncated = document.diagnostics.filter { $0.id == "segment.truncated-paragraph" }
        #expect(truncated.map(\.line) == [329])
    }

    /// "实施高标准的外商投资准入。" opens 第三章第一节's second paragraph (line 125) as its lead sentence.
    @Test func leadSentence() throws {
        let paragraph = try #require(document.root.node(withID: "chp_3__sec_1__para_2"))
        let lead = try #require(paragraph.children.first)
        #expect(lead.kind == .lead)
        #expect(lead.id == "chp_3__sec_1__para_2__lead")
        #expect(lead.text == "实施高标准的外商投资准入。")
        #expect(lead.span == SourceSpan(startLine: 125, startColumn: 3, endLine: 125, endColumn: 15))
        #expect(paragraph.children.dropFirst().allSatisfy { $0.kind == .clause })
    }

    /// Clauses cover their paragraph's text in order, and each span points at its own text in the source.
    @Test func clauseSpansPointAtTheirText() throws {
        let lines = try String(contentsOf: corpusURL.appendingPathComponent("plans/shenyang-ftz-plan-2021.txt"), encoding: .utf8)
            .components(separatedBy: "\n").map(Array.init)
        for paragraph in document.root.all(ofKind: .paragraph) where !paragraph.children.isEmpty {
            #expect(paragraph.children.map(\.text).joined() == paragraph.text.filter { !$0.isWhitespace }
                    || paragraph.children.map(\.text).joined().count <= paragraph.text.count)
            for clause in paragraph.children {
                let line = lines[clause.span.startLine - 1]
                let fromSource = String(line[(clause.span.startColumn - 1)..<clause.span.endColumn])
                #expect(fromSource == clause.text, "\(clause.id)")
            }
        }
    }
}

/// Ids depend on numbering, not on position in the file, so an edit elsewhere leaves them alone.
struct IdentifierStabilityTests {
    @Test func unrelatedEditsKeepIds() throws {
        let original = try String(contentsOf: corpusURL.appendingPathComponent("plans/shenyang-ftz-plan-2021.txt"), encoding: .utf8)
        var lines = original.components(separatedBy: "\n")
        // Insert a paragraph into 第一章第一节 and delete one from 第三章第二节.
        lines.insert("  新增的一段文字,用于检验标识的稳定性。", at: 17)
        let deleted = try #require(lines.firstIndex { $0.hasPrefix("  强化金融科技创新。") })
        lines.remove(at: deleted)
        let before = segment(original)
        let after = segment(lines.joined(separator: "\n"))
        func ids(_ document: PlanDocument, under id: String) -> [String: String] {
            let node = document.root.node(withID: id)!
            return Dictionary(uniqueKeysWithValues: node.descendants.map { ($0.id, $0.text) })
        }
        for untouched in ["chp_2", "chp_5", "chp_9", "preface", "chp_3__sec_1"] {
            #expect(ids(before, under: untouched) == ids(after, under: untouched), "\(untouched)")
        }
    }

    @Test func duplicatesTakeASuffix() {
        let document = segment("第一章 总则\n第一条 甲。\n第一条 乙。\n第二条 丙。\n")
        #expect(document.root.descendants.filter { $0.kind == .article }.map(\.id) == ["art_1", "art_1_2", "art_2"])
        #expect(document.diagnostics.contains { $0.id == "segment.numbering-repeat" && $0.line == 3 })
    }
}

/// Laws: articles, their paragraphs (款) and items (项).
struct LawSegmentationTests {
    /// 反垄断法 2022, read: "## 第一章 总 则" holds 第一条–第十五条 (第十六条 opens 第二章 垄断协议); 第十七条 is one
    /// paragraph ending in a colon with six items （一）–（六）; 第十六条 is a single paragraph.
    @Test func antimonopolyLaw() throws {
        let document = try segmentCorpusText("laws/law-antimonopoly-2007-2022/antimonopoly-law-2022.md")
        #expect(document.metadata.title == "中华人民共和国反垄断法")
        #expect(document.metadata.date == "2022-06-24")
        #expect(document.metadata.issuer == "全国人民代表大会常务委员会")
        let chapters = document.root.children(ofKind: .chapter)
        #expect(chapters.count == 8)
        #expect(chapters[0].heading == "总 则")
        #expect(chapters[1].heading == "垄断协议")
        #expect(chapters[0].children(ofKind: .article).map(\.num) == Array(1...15))
        let article = try #require(document.root.node(withID: "art_17"))
        #expect(article.children.map(\.id) == ["art_17__para_1"])
        #expect(article.children[0].children(ofKind: .item).map(\.id) == (1...6).map { "art_17__para_1__item_\($0)" })
        #expect(article.children[0].children(ofKind: .item)[4].text == "（五）联合抵制交易；")
        #expect(document.root.node(withID: "art_16")?.children.count == 1)
        #expect(document.diagnostics.filter { $0.severity >= .warning }.isEmpty)
    }

    /// 公司法 2023: 15 chapters, 266 articles, no numbering problem; 第一百零一条 parses as 101.
    @Test func companyLaw() throws {
        let document = try segmentCorpusText("laws/law-company-2018-2023/company-law-2023.md")
        let articles = document.root.all(ofKind: .article)
        #expect(articles.count == 266)
        #expect(articles.map(\.num) == Array(1...266))
        #expect(document.root.children(ofKind: .chapter).count == 15)
        #expect(document.diagnostics.filter { $0.severity >= .warning }.isEmpty)
    }

    /// 动物防疫法 1997 (PDF text): a title line, the enactment line, a printed 目录 that must not become
    /// chapters, then 7 chapters and 58 articles (the last, line 126: "第五十八条 本法自1998年1月1日起施行").
    @Test func tableOfContentsIsNotTakenForChapters() throws {
        let document = try segmentCorpusText("laws/law-animal-epidemic-1997-2021-drafts/1997.txt")
        #expect(document.metadata.title == "中华人民共和国动物防疫法")
        #expect(document.metadata.date == "1997-07-03")
        let toc = try #require(document.root.children(ofKind: .toc).first)
        #expect(toc.children.count == 7)
        #expect(document.root.children(ofKind: .chapter).map(\.num) == Array(1...7))
        #expect(document.root.all(ofKind: .article).map(\.num) == Array(1...58))
    }

    /// draft_1 is PDF text broken every ~25 characters and across page breaks ("— 22 —"): reflowed, every
    /// article is one article, and "第四条 根据…危害程" / "度,本法规定…" (a sentence broken over a blank
    /// line) is one paragraph.
    @Test func pdfTextIsReflowed() throws {
        let document = try segmentCorpusText("laws/law-animal-epidemic-1997-2021-drafts/draft_1.txt")
        #expect(document.diagnostics.contains { $0.id == "ingest.reflow" })
        let articles = document.root.all(ofKind: .article)
        #expect(articles.map(\.num) == Array(1...articles.count))
        let article4 = try #require(document.root.node(withID: "art_4__para_1"))
        #expect(article4.text == "根据动物疫病对养殖业生产和人体健康的危害程度,本法规定管理的动物疫病分为下列三类:")
        #expect(article4.span.startLine == 19)
        #expect(!document.root.descendants.contains { $0.text.contains("— ") && $0.text.count < 8 })
        // No heading was glued to the text that follows it.
        #expect(document.root.children(ofKind: .chapter).allSatisfy { ($0.heading ?? "").count < 20 })
    }
}

/// Hostile and unusual input: each ends in a result or one clear error, never a crash or a hang.
struct DecodingTests {
    @Test func emptyInputIsAnError() {
        #expect(throws: IngestError.empty) { try TextDecoder.decode(Data()) }
    }

    @Test func binaryInputIsAnError() {
        let bytes = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D])
        #expect(throws: IngestError.binary(offset: 8)) { try TextDecoder.decode(bytes) }
    }

    @Test func utf16WithAndWithoutBOM() throws {
        let text = "第一章 总则\n第一条 为了规范公司的组织和行为，制定本法。\n"
        let withBOM = Data([0xFF, 0xFE]) + text.data(using: .utf16LittleEndian)!
        #expect(try TextDecoder.decode(withBOM).text == text)
        #expect(try TextDecoder.decode(withBOM).encoding == .utf16LE)
        let bigEndian = Data([0xFE, 0xFF]) + text.data(using: .utf16BigEndian)!
        #expect(try TextDecoder.decode(bigEndian).text == text)
        let latinHeavy = "Article 1 RCEP CPTPP 2025\n第一条 适用。\n"
        #expect(try TextDecoder.decode(latinHeavy.data(using: .utf16LittleEndian)!).text == latinHeavy)
    }

    @Test func undeclaredGB18030() throws {
        let text = "朱镕基同志在第一章第一条中指出：加快建设。"
        let bytes = try #require(text.data(using: TextEncoding.gb18030.foundationEncoding))
        let decoded = try TextDecoder.decode(bytes)
        #expect(decoded.encoding == .gb18030)
        #expect(decoded.text == text)
    }

    @Test func truncatedMidCharacter() throws {
        let full = Data("第一条 为了规范公司的组织和行为。".utf8)
        let decoded = try TextDecoder.decode(full.dropLast(2))
        #expect(decoded.encoding == .utf8)
        #expect(decoded.text == "第一条 为了规范公司的组织和行为")
        #expect(decoded.diagnostics.map(\.id) == ["ingest.truncated-character"])
        let gb = try #require("第一条 为了规范公司。".data(using: TextEncoding.gb18030.foundationEncoding))
        let cut = try TextDecoder.decode(gb.dropLast(1))
        #expect(cut.text == "第一条 为了规范公司")
        #expect(cut.diagnostics.first?.id == "ingest.truncated-character")
    }

    @Test func lineEndings() {
        let crlf = segment("第一章 总则\r\n第一条 甲。\r\n\r\n第二条 乙。\r")
        let cr = segment("第一章 总则\r第一条 甲。\r第二条 乙。")
        #expect(crlf.root.all(ofKind: .article).map(\.span.startLine) == [2, 4])
        #expect(cr.root.all(ofKind: .article).map(\.span.startLine) == [2, 3])
    }

    @Test func deepAndLongInputFinish() {
        let manyLines = String(repeating: "一、标题\n（一）内容。\n", count: 20_000)
        let document = segment(manyLines)
        #expect(document.root.children.count == 20_000)
    }
}

/// The opening lines of pasted page text.
struct FrontMatterTests {
    /// A title holding markup or a ">" is a title, not a breadcrumb; it becomes the document's heading.
    @Test func titleWithAngleBracketsIsNotABreadcrumb() {
        let document = segment("关于<script>alert(1)</script>跨境电商的\"通知\"\n\n一、总体要求\n\n加快跨境电商发展。\n")
        #expect(document.metadata.breadcrumb == nil)
        #expect(document.metadata.title == "关于<script>alert(1)</script>跨境电商的\"通知\"")
        #expect(document.root.heading == document.metadata.title)
    }

    @Test func breadcrumbForms() {
        #expect(FrontMatter.breadcrumb(in: "首页 > 政务公开 > 规划信息") == ["首页", "政务公开", "规划信息"])
        #expect(FrontMatter.breadcrumb(in: "当前位置：首页>新闻中心") == ["首页", "新闻中心"])
        #expect(FrontMatter.breadcrumb(in: "增速>5%的地区>10个") == nil)
    }
}

struct BinaryLookingLikeUTF16Tests {
    /// Four control bytes have NULs in every other position, as UTF-16 does, but are not text.
    @Test func controlBytesAreNotUTF16Text() {
        #expect(throws: IngestError.self) { try TextDecoder.decode(Data([0x00, 0x01, 0x02, 0x03])) }
    }
}
