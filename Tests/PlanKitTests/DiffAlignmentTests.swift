import Testing
@testable import PlanKit

/// Tree alignment on small hand-built trees: one situation each, with every other node left alone.
@Suite struct DiffAlignmentTests {
    static let span = SourceSpan(startLine: 1, startColumn: 1, endLine: 1, endColumn: 1)

    static func document(_ children: [Node]) -> PlanDocument {
        PlanDocument(metadata: Metadata(title: "测试规划"), root: Node(kind: .document, text: "测试规划", span: span,
                                                                    children: children), diagnostics: [])
    }

    static func chapter(_ number: Int, _ numeral: String, _ heading: String, _ children: [Node]) -> Node {
        Node(id: "chp_\(number)", kind: .chapter, num: number, label: "第\(numeral)章", heading: heading,
             text: "第\(numeral)章 \(heading)", span: span, children: children)
    }

    static func section(_ parent: String, _ number: Int, _ numeral: String, _ heading: String, _ children: [Node]) -> Node {
        Node(id: "\(parent)__sec_\(number)", kind: .section, num: number, label: "第\(numeral)节", heading: heading,
             text: "第\(numeral)节 \(heading)", span: span, children: children)
    }

    static func paragraph(_ id: String, _ text: String) -> Node {
        Node(id: id, kind: .paragraph, text: text, span: span)
    }

    static let texts = [
        "深化投资管理体制改革，全面实行准入前国民待遇加负面清单管理制度。",
        "推进贸易便利化，建设国际贸易单一窗口，压缩整体通关时间。",
        "扩大金融领域开放，支持设立外资银行和中外合资证券公司。",
        "优化营商环境，推行证照分离改革，实现企业开办一网通办。",
        "加强知识产权保护，建立知识产权纠纷快速处理机制。",
    ]

    static func changes(_ report: DiffReport) -> [String] {
        report.changes.map { "\($0.kind.rawValue) \($0.old?.id ?? "-") → \($0.new?.id ?? "-")" }
    }

    @Test func identicalDocumentsHaveNoChanges() {
        let tree = [Self.chapter(1, "一", "总体要求", [Self.paragraph("chp_1__para_1", Self.texts[0])])]
        let report = DocumentDiff.compare(Self.document(tree), Self.document(tree))
        #expect(report.changes.isEmpty)
        #expect(report.summary["chapter"]?.unchanged == 1)
        #expect(report.summary["paragraph"]?.unchanged == 1)
    }

    @Test func everythingIsAddedToAnEmptyDocument() {
        let tree = [Self.chapter(1, "一", "总体要求", [Self.paragraph("chp_1__para_1", Self.texts[0])])]
        let report = DocumentDiff.compare(Self.document([]), Self.document(tree))
        #expect(Self.changes(report) == ["added - → chp_1", "added - → chp_1__para_1"])
    }

    /// A section moved into the next chapter, where it becomes 第二节: moved (and renumbered); its paragraphs
    /// travel with it and are not reported.
    @Test func aSectionMovedToAnotherChapter() {
        let old = [
            Self.chapter(1, "一", "总体要求", [
                Self.section("chp_1", 1, "一", "指导思想", [Self.paragraph("chp_1__sec_1__para_1", Self.texts[0])]),
                Self.section("chp_1", 2, "二", "对外开放", [Self.paragraph("chp_1__sec_2__para_1", Self.texts[1]),
                                                       Self.paragraph("chp_1__sec_2__para_2", Self.texts[2])]),
            ]),
            Self.chapter(2, "二", "重点任务", [
                Self.section("chp_2", 1, "一", "营商环境", [Self.paragraph("chp_2__sec_1__para_1", Self.texts[3])]),
            ]),
        ]
        let new = [
            Self.chapter(1, "一", "总体要求", [
                Self.section("chp_1", 1, "一", "指导思想", [Self.paragraph("chp_1__sec_1__para_1", Self.texts[0])]),
            ]),
            Self.chapter(2, "二", "重点任务", [
                Self.section("chp_2", 1, "一", "营商环境", [Self.paragraph("chp_2__sec_1__para_1", Self.texts[3])]),
                Self.section("chp_2", 2, "二", "对外开放", [Self.paragraph("chp_2__sec_2__para_1", Self.texts[1]),
                                                       Self.paragraph("chp_2__sec_2__para_2", Self.texts[2])]),
            ]),
        ]
        let report = DocumentDiff.compare(Self.document(old), Self.document(new))
        #expect(Self.changes(report) == ["moved chp_1__sec_2 → chp_2__sec_2"])
        #expect(report.changes.first?.also == nil)  // 第二节 in both chapters: the number did not change
        #expect(report.changes.first?.old?.path == "第一章 总体要求 › 第二节 对外开放")
        #expect(report.changes.first?.new?.path == "第二章 重点任务 › 第二节 对外开放")
    }

    /// A chapter renumbered and retitled over an unchanged body: retitled, also renumbered; nothing inside.
    @Test func aChapterRetitledAndRenumbered() {
        let old = [
            Self.chapter(1, "一", "总体要求", [Self.paragraph("chp_1__para_1", Self.texts[0])]),
            Self.chapter(2, "二", "重点任务", [Self.paragraph("chp_2__para_1", Self.texts[1])]),
            Self.chapter(3, "三", "保障措施", [Self.paragraph("chp_3__para_1", Self.texts[2])]),
        ]
        let new = [
            Self.chapter(1, "一", "总体要求", [Self.paragraph("chp_1__para_1", Self.texts[0])]),
            Self.chapter(2, "二", "保障体系", [Self.paragraph("chp_2__para_1", Self.texts[2])]),
        ]
        let report = DocumentDiff.compare(Self.document(old), Self.document(new))
        #expect(Self.changes(report) == ["removed chp_2 → -", "removed chp_2__para_1 → -", "retitled chp_3 → chp_2"])
        #expect(report.change(old: "chp_3")?.also == [.renumbered])
    }

    /// Repeated identical paragraphs: removing one of them reports that one, not a shuffle of the others.
    @Test func repeatedParagraphsStayInOrder() {
        let a = Self.texts[0], b = Self.texts[1], c = Self.texts[4]
        let old = [Self.chapter(1, "一", "总体要求", [a, b, a, c, a].enumerated().map {
            Self.paragraph("chp_1__para_\($0.offset + 1)", $0.element)
        })]
        let new = [Self.chapter(1, "一", "总体要求", [a, a, c, a].enumerated().map {
            Self.paragraph("chp_1__para_\($0.offset + 1)", $0.element)
        })]
        let report = DocumentDiff.compare(Self.document(old), Self.document(new))
        #expect(Self.changes(report) == ["removed chp_1__para_2 → -"])
    }

    /// A short item rewritten in its place keeps its identity: modified, not removed and added.
    @Test func aShortItemRewrittenInPlace() {
        func item(_ number: Int, _ numeral: String, _ text: String) -> Node {
            Node(id: "chp_1__item_\(number)", kind: .item, num: number, label: "（\(numeral)）", text: "（\(numeral)）\(text)",
                 span: Self.span)
        }
        let old = [Self.chapter(1, "一", "罚则", [item(1, "一", "警告；"), item(2, "二", "罚款；"), item(3, "三", "没收违法所得。")])]
        let new = [Self.chapter(1, "一", "罚则", [item(1, "一", "警告；"), item(2, "二", "通报批评；"), item(3, "三", "没收违法所得。")])]
        let report = DocumentDiff.compare(Self.document(old), Self.document(new))
        #expect(Self.changes(report) == ["modified chp_1__item_2 → chp_1__item_2"])
        #expect(report.changes.first?.edits?.filter { $0.op != .equal }.map(\.text) == ["罚款", "通报批评"])
    }

    /// Metadata fields that changed are reported first, with their field name.
    @Test func metadataChanges() {
        var old = Self.document([])
        var new = Self.document([])
        old.metadata.documentNumber = "国发〔2019〕3号"
        new.metadata.documentNumber = "国发〔2020〕5号"
        new.metadata.date = "2020-03-01"
        let report = DocumentDiff.compare(old, new)
        #expect(report.changes.map(\.field) == ["date", "documentNumber"])
        #expect(report.changes[0].old == nil && report.changes[0].new?.text == "2020-03-01")
    }
}
