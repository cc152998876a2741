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

    /// 一百二十三 for 123 (1…999), to renumber articles the way a law prints them.
    static func chineseNumeral(_ number: Int) -> String {
        let digits = Array("零一二三四五六七八九")
        if number < 10 { return String(digits[number]) }
        if number < 20 { return "十" + (number % 10 == 0 ? "" : String(digits[number % 10])) }
        if number < 100 {
            return String(digits[number / 10]) + "十" + (number % 10 == 0 ? "" : String(digits[number % 10]))
        }
        let hundreds = String(digits[number / 100]) + "百"
        let rest = number % 100
        if rest == 0 { return hundreds }
        if rest < 10 { return hundreds + "零" + String(digits[rest]) }
        if rest < 20 { return hundreds + "一" + chineseNumeral(rest) }
        return hundreds + chineseNumeral(rest)
    }

    /// 公司法 2023 amended the way amendments go, every article renumbered from 1 afterwards: 第三条 and 第四条 merged
    /// into one article; 第十条's three paragraphs split into two articles (the first paragraph, then the other two);
    /// 第二十条 moved from 第一章 to follow 第三十六条 in 第二章. Articles 5–9 and 21–36 shift by one; nothing else moves.
    @Test func lawArticlesMergedSplitMovedAndRenumbered() throws {
        #expect(Self.chineseNumeral(119) == "一百一十九" && Self.chineseNumeral(105) == "一百零五")
        let path = "laws/law-company-2018-2023/company-law-2023.md"
        let original = try String(contentsOf: DiffCorpus.root.appendingPathComponent(path), encoding: .utf8)
        // Items: a heading line, or an article (its text after the label, then its other lines).
        enum Item { case heading(String), article([String]) }
        var front: [String] = []
        var items: [Item] = []
        for line in original.components(separatedBy: "\n") {
            if line.hasPrefix("## ") || line.hasPrefix("### ") {
                items.append(.heading(line))
            } else if line.hasPrefix("第"), let end = line.firstIndex(of: " "), line[..<end].hasSuffix("条"),
                      ChineseNumerals.value(of: line.dropFirst().prefix(upTo: end).dropLast()) != nil {
                items.append(.article([String(line[line.index(after: end)...])]))
            } else if case .article(var lines)? = items.last {
                lines.append(line)
                items[items.count - 1] = .article(lines)
            } else if items.isEmpty {
                front.append(line)
            }
        }
        func articleIndex(_ number: Int) -> Int {
            var seen = 0
            return items.firstIndex { if case .article = $0 { seen += 1; return seen == number }; return false }!
        }
        func lines(_ index: Int) -> [String] { if case .article(let lines) = items[index] { return lines }; return [] }

        let third = articleIndex(3), fourth = articleIndex(4)
        items[third] = .article(lines(third).filter { !$0.isEmpty } + [""] + lines(fourth))
        items.remove(at: fourth)
        let tenth = articleIndex(9)  // 第十条 is now the ninth article
        let paragraphs = lines(tenth).filter { !$0.isEmpty }
        #expect(paragraphs.count == 3)
        items[tenth] = .article([paragraphs[0], ""])
        items.insert(.article(paragraphs.dropFirst().flatMap { [$0, ""] }), at: tenth + 1)
        let twentieth = articleIndex(20)  // net zero shift before it: -1 (merge) +1 (split)
        let moved = items.remove(at: twentieth)
        items.insert(moved, at: articleIndex(35) + 1)  // after old 第三十六条, now the 35th

        var revised = front
        var number = 0
        for item in items {
            switch item {
            case .heading(let line): revised.append(line)
            case .article(let lines):
                number += 1
                revised.append("第\(Self.chineseNumeral(number))条 " + lines[0])
                revised += lines.dropFirst()
            }
        }
        let report = DocumentDiff.compare(Self.document(original, source: path, markdown: true),
                                          Self.document(revised.joined(separator: "\n"), source: "revised", markdown: true))
        let found = report.changes.filter { $0.kind != .renumbered }
            .map { "\($0.kind.rawValue) \($0.old?.id ?? "-") → \($0.new?.id ?? "-")" }
        #expect(found == ["merged art_3 → art_3", "split art_10 → art_9", "moved art_20 → art_36"])
        #expect(report.change(new: "art_3")?.oldParts?.compactMap(\.id) == ["art_3", "art_4"])
        #expect(report.change(old: "art_10")?.newParts?.compactMap(\.id) == ["art_9", "art_10"])
        #expect(report.change(old: "art_20")?.also == [.renumbered])
        let renumbered = report.changes.filter { $0.kind == .renumbered }.compactMap { $0.old?.id }
        #expect(renumbered == (5...9).map { "art_\($0)" } + (21...36).map { "art_\($0)" })
        #expect(report.changes.filter { $0.kind == .renumbered }.allSatisfy { $0.also == nil })
    }
}
