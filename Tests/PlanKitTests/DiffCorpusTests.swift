import Foundation
import Testing
@testable import PlanKit

/// Loads a corpus document the way `DocumentLoader` does for text and Markdown (decode, ingest, segment).
enum DiffCorpus {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../corpus").standardized

    static func load(_ path: String) throws -> PlanDocument {
        let url = root.appendingPathComponent(path)
        let decoded = try TextDecoder.decode(try Data(contentsOf: url))
        let flavor: TextIngester.Flavor = url.pathExtension == "md" ? .markdown : .plain
        return Segmenter.segment(TextIngester.ingest(decoded.text, flavor: flavor,
                                                     metadata: Metadata(source: path, encoding: decoded.encoding.rawValue)))
    }

    static func compare(_ old: String, _ new: String, options: DiffOptions = DiffOptions()) throws -> DiffReport {
        DocumentDiff.compare(try load(old), try load(new), options: options)
    }
}

extension DiffReport {
    func change(old id: String) -> Change? { changes.first { $0.old?.id == id && $0.kind != .metadata } }
    func change(new id: String) -> Change? { changes.first { $0.new?.id == id && $0.kind != .metadata } }
    /// Ids of nodes of `kind` (NodeKind raw value) whose change has `changeKind` as its primary kind.
    func ids(_ changeKind: ChangeKind, of kind: String) -> Set<String> {
        Set(changes.filter { $0.kind == changeKind && ($0.new ?? $0.old)?.kind == kind }.compactMap { ($0.new ?? $0.old)?.id })
    }
}

/// The diff on real revisions of laws. Every expectation was checked by reading the two texts; each test says how.
@Suite struct DiffCorpusTests {
    static let antimonopoly = "laws/law-antimonopoly-2007-2022/antimonopoly-law-"
    static let company = "laws/law-company-2018-2023/company-law-"
    static let legislation = "laws/law-legislation-2015-2023/legislation-law-"
    static let animal = "laws/law-animal-epidemic-1997-2021-drafts/"

    /// 反垄断法 2007 → 2022. Checked by reading both files: 公平竞争审查 (2022 第五条) and 数据和算法 (第九条) occur
    /// nowhere in 2007; 2007 第五条 and 2022 第六条 are the same sentence; 2022 第一条 inserts "鼓励创新，";
    /// 2007 第十三条 ends with the definition of 垄断协议, which 2022 made its own 第十六条 before the list in 第十七条.
    /// 2007 has 57 articles and 2022 has 70: 12 new articles plus the split account for the 13, none was deleted.
    @Test func antimonopolyLaw2007To2022() throws {
        let report = try DiffCorpus.compare(Self.antimonopoly + "2007.md", Self.antimonopoly + "2022.md")
        #expect(report.change(new: "art_5")?.kind == .added)
        #expect(report.change(new: "art_5")?.new?.text.contains("公平竞争审查") == true)
        #expect(report.change(new: "art_9")?.kind == .added)

        let renumbered = report.change(old: "art_5")
        #expect(renumbered?.kind == .renumbered)
        #expect(renumbered?.new?.id == "art_6")
        #expect(renumbered?.also == nil)

        let first = report.change(old: "art_1")
        #expect(first?.kind == .modified)
        #expect(first?.edits?.filter { $0.op != .equal } == [TextEdit(.insert, "鼓励创新，")])

        let split = report.change(old: "art_13")
        #expect(split?.kind == .split)
        #expect(split?.newParts?.compactMap(\.id) == ["art_16", "art_17"])

        #expect(report.ids(.removed, of: "article").isEmpty)
        #expect(report.summary["article"]?.added == 12)
        #expect(report.changes.contains { $0.kind == .metadata && $0.field == "date" && $0.new?.text == "2022-06-24" })
    }

    /// 公司法 2018 → 2023, where most articles changed number. Checked by reading both files: 2018 第三十五条
    /// "公司成立后，股东不得抽逃出资。" is the first paragraph of 2023 第五十三条, which adds a second; 2018 第十一条
    /// became 2023 第五条 with 必须 → 应当; "无记名股票" (2018 第一百四十条) and "一人有限责任公司" (2018 第二章第三节)
    /// occur nowhere in 2023; 2018 第六十六条 (国有独资公司不设股东会, 第二章第四节) is 2023 第一百七十二条 in the new
    /// 第七章 国家出资公司组织机构的特别规定; the two paragraphs of 2018 第二百零四条 (合并、分立… notices; hiding assets
    /// in liquidation) are 2023 第二百五十五条 and 第二百五十六条.
    @Test func companyLaw2018To2023() throws {
        let report = try DiffCorpus.compare(Self.company + "2018.md", Self.company + "2023.md")
        let withdrawal = report.change(old: "art_35")
        #expect(withdrawal?.new?.id == "art_53")
        #expect(withdrawal?.includes(.modified) == true)
        #expect(withdrawal?.includes(.renumbered) == true)

        let charter = report.change(old: "art_11")
        #expect(charter?.new?.id == "art_5")
        #expect(charter?.edits?.contains(TextEdit(.delete, "必须")) == true)
        #expect(charter?.edits?.contains(TextEdit(.insert, "应当")) == true)

        #expect(report.change(old: "art_140")?.kind == .removed)
        #expect(report.change(old: "chp_2__sec_3")?.kind == .removed)

        let stateOwned = report.change(old: "art_66")
        #expect(stateOwned?.new?.id == "art_172")
        #expect(stateOwned?.kind == .moved)
        #expect(stateOwned?.old?.path?.contains("国有独资公司的特别规定") == true)
        #expect(stateOwned?.new?.path?.contains("国家出资公司组织机构的特别规定") == true)

        let penalties = report.change(old: "art_204")
        #expect(penalties?.kind == .split)
        #expect(penalties?.newParts?.compactMap(\.id) == ["art_255", "art_256"])

        // Renumbering is the rule here, not the exception: most aligned articles changed number.
        let renumbered = report.changes.filter { $0.old?.kind == "article" && $0.includes(.renumbered) }.count
        #expect(renumbered > 150)
    }

    /// 立法法 2015 → 2023. Checked by reading both files: 2015 第十三条 (授权 … 暂时调整或者停止适用法律) is 2023
    /// 第十六条, reworded; 2023 第七十九条 "国务院可以根据改革发展的需要" is new (absent from 2015) though it shares
    /// most of its wording with 第十三条 — position, not only wording, decides.
    @Test func legislationLaw2015To2023() throws {
        let report = try DiffCorpus.compare(Self.legislation + "2015.md", Self.legislation + "2023.md")
        let authorisation = report.change(old: "art_13")
        #expect(authorisation?.new?.id == "art_16")
        #expect(authorisation?.kind == .modified)
        #expect(report.change(new: "art_79")?.kind == .added)
        #expect(report.ids(.removed, of: "article").isEmpty)
    }

    /// 动物防疫法 2007 → 2013 → 2015 (PDF text). Checked by reading the files: the 2013 amendment changed only
    /// 第五十四条 (执业兽医资格证书 now issued by 省、自治区、直辖市 rather than 国务院 兽医主管部门); the rest differs
    /// only in U+3000 after labels and bracket width; the 2013 file ends at 第八十四条 (no 第十章 附则). The 2015
    /// amendment deleted the 工商登记 sentences of 第二十条, 第五十一条 and 第五十二条 (grep 工商: 2013 only).
    @Test func animalEpidemicLaw2007To2013To2015() throws {
        let first = try DiffCorpus.compare(Self.animal + "2007.txt", Self.animal + "2013.txt")
        #expect(first.ids(.modified, of: "article") == ["art_54"])
        #expect(first.ids(.removed, of: "article") == ["art_85"])
        #expect(first.ids(.added, of: "article").isEmpty)
        #expect((first.summary["article"]?.formatOnly ?? 0) > 10)
        let ignoring = try DiffCorpus.compare(Self.animal + "2007.txt", Self.animal + "2013.txt",
                                              options: DiffOptions(ignoreFormat: true))
        #expect(!ignoring.changes.contains { $0.includes(.formatOnly) })
        #expect(ignoring.change(old: "art_54")?.edits?.contains { $0.formatOnly == true } == false)

        let second = try DiffCorpus.compare(Self.animal + "2013.txt", Self.animal + "2015.txt")
        #expect(second.ids(.modified, of: "article") == ["art_20", "art_51", "art_52"])
        #expect(second.change(old: "art_52")?.edits?.contains { $0.op == .delete && $0.text.contains("工商变更登记") } == true)
    }

    /// 动物防疫法 drafts. Checked by reading: draft_1 第十六条 (监测 and 预警, then 陆路边境省… in the same article)
    /// is draft_2 第十八条 and 第十九条 ("第十九条 陆路边境省、自治区人民政府…"); 2021 第十条 (人畜共患传染病防治的
    /// 协作机制) and 第八十二条 (组建动物防疫服务团队) are absent from draft_2, and draft_2 第六十五条 (负责官方兽医、
    /// 执业兽医、乡村兽医的管理) is absent from 2021.
    @Test func animalEpidemicDrafts() throws {
        let drafts = try DiffCorpus.compare(Self.animal + "draft_1.txt", Self.animal + "draft_2.txt")
        #expect(drafts.change(old: "art_16")?.kind == .split)
        #expect(drafts.change(old: "art_16")?.newParts?.compactMap(\.id) == ["art_18", "art_19"])

        let final = try DiffCorpus.compare(Self.animal + "draft_2.txt", Self.animal + "2021.txt")
        #expect(final.change(new: "art_10")?.kind == .added)
        #expect(final.change(new: "art_82")?.kind == .added)
        #expect(final.change(old: "art_65")?.kind == .removed)
        #expect(final.change(old: "art_10")?.new?.id == "art_11")
    }

    /// `--history art_54` through 2007, 2013, 2015: modified in 2013 (see above), unchanged in substance in 2015.
    @Test func historyFollowsOneArticle() throws {
        let documents = try ["2007.txt", "2013.txt", "2015.txt"].map { try DiffCorpus.load(Self.animal + $0) }
        let history = DocumentDiff.history(ofNodeWithID: "art_54", through: documents)
        #expect(history.map(\.version) == [0, 1, 2])
        #expect(history[1].change == .modified)
        #expect(history[1].node?.text.contains("由省、自治区、直辖市人民政府兽医主管部门颁发") == true)
        #expect(history[2].change != .modified)
        #expect(history[2].node?.id == "art_54")
    }

    /// The article on 表彰、奖励 through all seven versions. Checked by reading (grep 做出成绩和贡献 / 做出贡献的单位):
    /// 1997 第九条, 2007/2013/2015 第十一条, draft_1 第十二条, draft_2 第十三条, 2021 第十四条.
    @Test func historyThroughTheWholeSeries() throws {
        let versions = ["1997", "2007", "2013", "2015", "draft_1", "draft_2", "2021"]
        let documents = try versions.map { try DiffCorpus.load(Self.animal + $0 + ".txt") }
        let history = DocumentDiff.history(ofNodeWithID: "art_9", through: documents)
        #expect(history.map { $0.node?.id } == ["art_9", "art_11", "art_11", "art_11", "art_12", "art_13", "art_14"])
        #expect(history[1].change == .modified && history[1].also == [.renumbered])
        #expect(history[2].change == nil && history[3].change == nil)
    }
}
