import Foundation
import Testing
@testable import PlanKit

/// A revision made here, from a corpus document, with known edits: every edit must be found with its kind,
/// and nothing that did not change may be reported.
@Suite struct DiffSyntheticRevisionTests {
    /// The document's lines, edited in place by matching each line's opening words.
    struct Revision {
        var lines: [String]
        init(_ text: String) { lines = text.components(separatedBy: "\n") }
        func index(of opening: String) -> Int {
            lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix(opening) }!
        }
        var text: String { lines.joined(separator: "\n") }
    }

    static func document(_ text: String, source: String, markdown: Bool) -> PlanDocument {
        Segmenter.segment(TextIngester.ingest(text, flavor: markdown ? .markdown : .plain, metadata: Metadata(source: source)))
    }

    /// The Shenyang plan with seven edits: 第一章 loses its 第二节 and its 第三节 becomes 第二节 unchanged; a paragraph
    /// of 第二章第一节 moves into 第三章第一节; a paragraph of 第一章第一节 is split in two at its first 。; two
    /// paragraphs of 第二章第三节 are merged; 第五章第二节 服务贸易 is retitled over an unchanged body; 2022 becomes
    /// 2023 in 第二章第二节; the commas of one paragraph become full-width.
    @Test func everyKnownEditOfAPlanIsFoundAndNothingElse() throws {
        let path = "plans/shenyang-ftz-plan-2021.txt"
        let original = try String(contentsOf: DiffCorpus.root.appendingPathComponent(path), encoding: .utf8)
        var revision = Revision(original)

        let step = revision.index(of: "第一步,到2022年")
        revision.lines[step] = revision.lines[step].replacingOccurrences(of: "到2022年", with: "到2023年")

        let movedIndex = revision.index(of: "坚持以全域自贸理念")
        let moved = revision.lines[movedIndex]
        revision.lines.removeSubrange(movedIndex...movedIndex + 1)
        let chapter3 = revision.index(of: "第三章")
        let section1 = revision.lines[chapter3...].firstIndex { $0.hasPrefix("第一节") }!
        revision.lines.insert(contentsOf: [moved, ""], at: section1 + 4)  // after the section's first paragraph

        let business = revision.index(of: "营商环境对标一流")
        revision.lines[business] = revision.lines[business].replacingOccurrences(of: ",", with: "，")

        let splitIndex = revision.index(of: "着力推进制度创新")
        let paragraph = revision.lines[splitIndex]
        let stop = paragraph.firstIndex(of: "。")!
        revision.lines.replaceSubrange(splitIndex...splitIndex, with: [
            String(paragraph[...stop]), "", "  " + String(paragraph[paragraph.index(after: stop)...]),
        ])

        let firstHalf = revision.index(of: "创新试验功能。")
        let secondHalf = revision.index(of: "综合保税功能。")
        revision.lines[firstHalf] += revision.lines[secondHalf].trimmingCharacters(in: .whitespaces)
        revision.lines.removeSubrange(firstHalf + 1...secondHalf)

        let retitled = revision.index(of: "第二节服务贸易")
        revision.lines[retitled] = "第二节服务贸易与数字贸易"

        let removedSection = revision.index(of: "第二节沈阳片区存在的短板和问题")
        let renumberedSection = revision.index(of: "第三节沈阳片区面临的新机遇")
        revision.lines.removeSubrange(removedSection..<renumberedSection)
        let relabel = revision.index(of: "第三节沈阳片区面临的新机遇")
        revision.lines[relabel] = revision.lines[relabel].replacingOccurrences(of: "第三节", with: "第二节")

        let old = Self.document(original, source: path, markdown: false)
        let new = Self.document(revision.text, source: "revised", markdown: false)
        let report = DocumentDiff.compare(old, new)

        let found = Set(report.changes.map { "\($0.kind.rawValue) \($0.old?.id ?? "-") → \($0.new?.id ?? "-")" })
        #expect(found == [
            "removed chp_1__sec_2 → -",
            "removed chp_1__sec_2__para_1 → -", "removed chp_1__sec_2__para_2 → -",
            "removed chp_1__sec_2__para_3 → -", "removed chp_1__sec_2__para_4 → -",
            "renumbered chp_1__sec_3 → chp_1__sec_2",
            "moved chp_2__sec_1__para_7 → chp_3__sec_1__para_2",
            "split chp_1__sec_1__para_3 → chp_1__sec_1__para_3",
            "modified chp_2__sec_2__para_6 → chp_2__sec_2__para_6",
            "merged chp_2__sec_3__para_2 → chp_2__sec_3__para_2",
            "retitled chp_5__sec_2 → chp_5__sec_2",
            "format-only chp_1__sec_1__para_5 → chp_1__sec_1__para_6",
        ])
        let split = report.change(old: "chp_1__sec_1__para_3")
        #expect(split?.newParts?.compactMap(\.id) == ["chp_1__sec_1__para_3", "chp_1__sec_1__para_4"])
        let merged = report.change(new: "chp_2__sec_3__para_2")
        #expect(merged?.oldParts?.compactMap(\.id) == ["chp_2__sec_3__para_2", "chp_2__sec_3__para_3"])
        #expect(report.change(old: "chp_5__sec_2")?.new?.text == "第二节服务贸易与数字贸易")
        let number = report.change(old: "chp_2__sec_2__para_6")
        #expect(number?.edits?.filter { $0.op != .equal } == [TextEdit(.delete, "2022"), TextEdit(.insert, "2023")])
        let movedChange = report.change(old: "chp_2__sec_1__para_7")
        #expect(movedChange?.also == nil)
        #expect(movedChange?.old?.path?.hasPrefix("第二章") == true)
        #expect(movedChange?.new?.path?.hasPrefix("第三章") == true)
        #expect(report.summary["section"]?.renumbered == 1)
        #expect(report.summary["section"]?.removed == 1)

        let ignoring = DocumentDiff.compare(old, new, options: DiffOptions(ignoreFormat: true))
        #expect(ignoring.changes.count == report.changes.count - 1)
        #expect(!ignoring.changes.contains { $0.kind == .formatOnly })
    }

    /// 反垄断法 2022 with the heading 第二章 moved above 第十五条: the article now stands in 第二章 with its number
    /// and text unchanged. Exactly one change, `moved`, and both chapters still aligned.
    @Test func anArticleMovedToAnotherChapterIsMovedOnly() throws {
        let path = "laws/law-antimonopoly-2007-2022/antimonopoly-law-2022.md"
        let original = try String(contentsOf: DiffCorpus.root.appendingPathComponent(path), encoding: .utf8)
        var revision = Revision(original)
        let heading = revision.index(of: "## 第二章")
        let line = revision.lines.remove(at: heading)
        revision.lines.insert(line, at: revision.index(of: "第十五条"))

        let report = DocumentDiff.compare(Self.document(original, source: path, markdown: true),
                                          Self.document(revision.text, source: path, markdown: true))
        #expect(report.changes.count == 1)
        let change = report.changes.first
        #expect(change?.kind == .moved)
        #expect(change?.old?.id == "art_15" && change?.new?.id == "art_15")
        #expect(change?.old?.path?.hasPrefix("第一章") == true)
        #expect(change?.new?.path?.hasPrefix("第二章") == true)
        #expect(report.summary["chapter"]?.unchanged == 8)
    }
}
