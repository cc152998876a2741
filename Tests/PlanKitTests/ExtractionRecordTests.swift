import Foundation
import Testing
@testable import PlanKit

/// Records over small hand-built trees (each rule in isolation) and over the real Shenyang plan.
struct ExtractionRecordTests {
    // MARK: Hand-built trees

    static func span(_ line: Int, _ text: String) -> SourceSpan {
        SourceSpan(startLine: line, startColumn: 3, endLine: line, endColumn: 2 + text.count)
    }

    /// A paragraph node with the given text, no clause children (the extractor splits it itself).
    static func paragraph(_ id: String, _ line: Int, _ text: String) -> Node {
        Node(id: id, kind: .paragraph, text: text, span: span(line, text))
    }

    static func chapter(_ number: Int, _ heading: String, _ children: [Node]) -> Node {
        Node(id: "chp_\(number)", kind: .chapter, num: number, label: "第\(number)章", heading: heading,
             text: "第\(number)章\(heading)", span: span(1, heading), children: children)
    }

    static func document(title: String, date: String, _ children: [Node]) -> PlanDocument {
        PlanDocument(metadata: Metadata(title: title, date: date),
                     root: Node(id: "", kind: .document, text: title, span: span(1, title), children: children),
                     diagnostics: [])
    }

    @Test func reviewSectionsReportAchievementsWithBaselines() throws {
        let text = "营商环境对标一流,市场主体高速增长。沈阳片区累计新注册企业1.9万户,是成立时的29倍;2020年重点项目77个。"
        let plan = Self.document(title: "某“十四五”发展规划", date: "2021-08-23", [
            Self.chapter(1, "“十三五”时期主要工作成效", [Self.paragraph("chp_1__para_1", 5, text)]),
        ])
        let records = RecordExtractor.extract(from: plan)
        let enterprises = try #require(records.first { $0.quantity?.raw == "1.9万户" })
        #expect(enterprises.type == .achievement)
        #expect(enterprises.quantity?.value == 19_000)
        #expect(enterprises.baseline == Record.Baseline(ratio: 29, against: "成立时"))
        #expect(enterprises.path == ["第1章 “十三五”时期主要工作成效"])
        #expect(enterprises.node == "chp_1__para_1")
        // The ratio is the baseline, not a quantity of its own.
        #expect(!records.contains { $0.quantity?.unit == "倍" })
        let projects = try #require(records.first { $0.quantity?.raw == "77个" })
        #expect(projects.type == .achievement)
        #expect(projects.year == 2020)
        // The span points at the figure itself: column of "1.9万户" in the line.
        let column = 3 + Array(text).firstIndex(of: "1")!
        #expect(enterprises.span.startColumn == column)
        #expect(enterprises.span.endColumn == column + 4)
    }

    @Test func deadlinesMakeTargetsWithYearDirectionAndStrength() throws {
        let plan = Self.document(title: "某市“十四五”规划", date: "2021-05-01", [
            Self.chapter(3, "优化营商环境", [
                Self.paragraph("chp_3__para_1", 7, "深化“一网通办”。到2025年,力争可网办率提升至100%,确保新增就业不少于5万人。"),
                Self.paragraph("chp_3__para_2", 9, "优化审批服务。审批时限压缩至3个工作日以内。"),
                Self.paragraph("chp_3__para_3", 11, "到“十四五”末,基本建成现代化经济体系。"),
            ]),
        ])
        let records = RecordExtractor.extract(from: plan)
        let rate = try #require(records.first { $0.quantity?.raw == "100%" })
        #expect(rate.type == .target)
        #expect(rate.year == 2025)
        #expect(rate.target?.deadline == "到2025年")
        #expect(rate.target?.direction == "提升至")
        #expect(rate.quantity?.metric == "可网办率")
        let jobs = try #require(records.first { $0.quantity?.raw == "不少于5万人" })
        #expect(jobs.type == .target && jobs.target?.strength == .binding && jobs.quantity?.comparator == .atLeast)
        // Without a stated deadline, a plan's target is due at the end of its period.
        let days = try #require(records.first { $0.quantity?.raw == "3个工作日以内" })
        #expect(days.quantity?.unit == "工作日" && days.quantity?.comparator == .atMost)
        #expect(days.target?.direction == "压缩至")
        #expect(days.type == .target)
        #expect(days.year == 2025)
        let qualitative = try #require(records.first { $0.type == .target && $0.quantity == nil })
        #expect(qualitative.title == "基本建成现代化经济体系")
        #expect(qualitative.year == 2025)
        #expect(qualitative.target?.deadline == "到“十四五”末")
    }

    @Test func workReportGoalListsUseTheReportsYear() throws {
        let text = "今年发展主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人以上；居民收入增长和经济增长同步。"
        let report = Self.document(title: "2025年政府工作报告", date: "2025", [
            Node(id: "dvs_2", kind: .division, num: 2, label: "二、", heading: "2025年经济社会发展总体要求和政策取向",
                 text: "二、2025年经济社会发展总体要求和政策取向", span: Self.span(3, "x"),
                 children: [Self.paragraph("dvs_2__para_1", 5, text)]),
        ])
        let targets = RecordExtractor.extract(from: report).filter { $0.type == .target }
        #expect(targets.compactMap(\.quantity?.raw) == ["5%左右", "1200万人以上"])
        #expect(targets.allSatisfy { $0.year == 2025 })
        #expect(targets.first?.target?.strength == .expected)
        #expect(targets.compactMap(\.title) == ["居民收入增长和经济增长同步"])
    }

    @Test func stagedParagraphsAreMilestones() {
        let plan = Self.document(title: "某规划", date: "2021-01-01", [
            Self.chapter(2, "总体安排", [
                Self.paragraph("chp_2__para_1", 3, "第一步,到2022年,取得重要阶段性成果。"),
                Self.paragraph("chp_2__para_2", 5, "第二步,到2025年,全面完成规划任务。"),
                Self.paragraph("chp_2__para_3", 7, "第三步,到2035年,迈出重要步伐。"),
            ]),
        ])
        let milestones = RecordExtractor.extract(from: plan).filter { $0.type == .milestone }
        #expect(milestones.map(\.milestone?.step) == [1, 2, 3])
        #expect(milestones.map(\.year) == [2022, 2025, 2035])
        #expect(milestones.map(\.id) == ["chp_2__para_1#milestone_1", "chp_2__para_2#milestone_1", "chp_2__para_3#milestone_1"])
    }

    @Test func measuresAreNamedByTheirLeadSentence() throws {
        let plan = Self.document(title: "某规划", date: "2021-01-01", [
            Self.chapter(4, "深化改革", [
                Self.paragraph("chp_4__para_1", 3, "实施高标准的外商投资准入。严格落实外商投资准入前国民待遇加负面清单管理制度。"),
                Self.paragraph("chp_4__para_2", 5, "探索跨境电商新零售模式创新。鼓励大企业转型。"),
                Self.paragraph("chp_4__para_3", 7, "制度集成创新持续深化。对标国际规则。"),
            ]),
        ])
        let measures = RecordExtractor.extract(from: plan).filter { $0.type == .measure }
        #expect(measures.map(\.title) == ["实施高标准的外商投资准入", "探索跨境电商新零售模式创新"])
        #expect(measures.first?.measure?.verbs == ["实施"])
        #expect(measures.first?.measure?.strength == .mandatory)
        #expect(measures.last?.measure?.strength == .exploratory)
    }

    @Test func referencesNameTitlesAgreementsAndDocumentNumbers() {
        let found = ReferencePass.references(in: "依据《中华人民共和国外商投资法》和《国务院关于促进综合保税区高水平开放高质量发展的若干意见》（国发〔2019〕3号），完成RCEP签署和中欧全面投资协定谈判，高质量共建“一带一路”。")
        #expect(found.map(\.0) == ["中华人民共和国外商投资法", "国务院关于促进综合保税区高水平开放高质量发展的若干意见",
                                   "国发〔2019〕3号", "RCEP", "中欧全面投资协定", "一带一路"])
        #expect(found.map(\.1) == [.title, .title, .documentNumber, .agreement, .agreement, .agreement])
    }

    @Test func deadlineForms() {
        let forms = TimeExpressions.deadlines(in: "到2025年，到“十四五”末，“十三五”时期，展望2035年远景，到二〇三五年")
        #expect(forms.map(\.year) == [2025, 2025, 2020, 2035, 2035])
        #expect(forms[2].startYear == 2016)
        #expect(TimeExpressions.deadlines(in: "以《…和2035年远景目标纲要》为指导").isEmpty)
        #expect(TimeExpressions.deadlines(in: "争取三年内实现全覆盖", documentYear: 2019).first?.year == 2022)
    }

    // MARK: The real plan

    static func shenyang() throws -> PlanDocument {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("corpus/plans/shenyang-ftz-plan-2021.txt")
        let decoded = try TextDecoder.decode(try Data(contentsOf: url))
        return Segmenter.segment(TextIngester.ingest(decoded.text, flavor: .plain, metadata: Metadata(source: url.path)))
    }

    @Test func shenyangPlanRecordsHaveStableUniqueIdsAndRealNodes() throws {
        let document = try Self.shenyang()
        let records = RecordExtractor.extract(from: document)
        #expect(Set(records.map(\.id)).count == records.count)
        for record in records {
            #expect(document.root.node(withID: record.node) != nil, "\(record.id)")
            #expect(record.id.hasPrefix(record.node + "#\(record.type.rawValue)_"))
        }
        // Extraction is a pure function of the document: the same ids come out again.
        #expect(RecordExtractor.extract(from: document).map(\.id) == records.map(\.id))
        #expect(records.filter { $0.type == .milestone }.count == 3)
        #expect(records.filter { $0.type == .measure }.count >= 80)
        let references = records.filter { $0.type == .reference }.compactMap(\.name)
        #expect(references.contains("RCEP") && references.contains("CPTPP") && references.contains("一带一路"))
    }

    @Test func shenyangPlanReadsNoCodeAsAQuantity() throws {
        let records = RecordExtractor.extract(from: try Self.shenyang())
        let raws = records.compactMap(\.quantity?.raw)
        for code in ["1210", "9610", "220", "17", "1+5", "1", "2", "2.0", "2021", "08", "23"] {
            #expect(!raws.contains(code), "\(code) read as a quantity")
        }
        #expect(!raws.contains { $0.hasSuffix("年") && $0.count >= 5 })
    }
}
