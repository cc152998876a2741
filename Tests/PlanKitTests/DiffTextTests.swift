import Foundation
import Testing
@testable import PlanKit

/// The character/word diff inside a modified node: exact reconstruction, whole tokens for numbers,
/// phrase-sized edits, punctuation boundaries, format-only detection.
@Suite struct DiffTextTests {
    /// The old and new texts an edit script spells out.
    static func sides(_ edits: [TextEdit]) -> (old: String, new: String) {
        (edits.filter { $0.op != .insert }.map(\.text).joined(), edits.filter { $0.op != .delete }.map(\.text).joined())
    }

    static func changes(_ edits: [TextEdit]) -> [String] {
        edits.filter { $0.op != .equal }.map { ($0.op == .delete ? "-" : "+") + $0.text }
    }

    @Test func numbersAndLatinWordsChangeAsWholeTokens() {
        let edits = TextDiff.diff("到2020年，可网办率达到90%，覆盖COVID病例", "到2025年，可网办率达到95%，覆盖SARS病例")
        #expect(Self.changes(edits) == ["-2020", "+2025", "-90%", "+95%", "-COVID", "+SARS"])
    }

    @Test func scatteredCommonCharactersAreAbsorbedIntoOnePhrase() {
        // 动物防疫法 1997 → 2021 replaced the department name; "管" is common to both names but reading it
        // as kept would cut the phrase in pieces.
        let edits = TextDiff.diff("国务院畜牧兽医行政管理部门制定", "国务院农业农村主管部门制定")
        #expect(Self.changes(edits) == ["-畜牧兽医行政管理", "+农业农村主管"])
        #expect(edits.first == TextEdit(.equal, "国务院"))
    }

    @Test func shortKeptStretchBetweenChangesJoinsThem() {
        // Either placement of the common 级 is minimal; what matters is one change, not two scattered ones.
        let edits = TextDiff.diff("由省级人民政府批准", "由市级和县级人民政府批准")
        #expect(edits.map(\.op) == [.equal, .delete, .insert, .equal])
        #expect(edits.first?.text == "由" && edits.last?.text.hasSuffix("人民政府批准") == true)
    }

    @Test func insertionSlidesToPunctuationBoundary() {
        let edits = TextDiff.diff("口蹄疫、禽流感、猪瘟等", "口蹄疫、禽流感、非洲猪瘟、猪瘟等")
        #expect(Self.changes(edits) == ["+非洲猪瘟、"])
        #expect(edits.first == TextEdit(.equal, "口蹄疫、禽流感、"))
    }

    @Test func punctuationWidthAndSpacesAreFormatOnly() {
        #expect(TextDiff.differOnlyInFormat("净化,消灭(一)", "净化，消灭（一）"))
        #expect(TextDiff.differOnlyInFormat("第一条\u{3000}为了", "第一条 为了"))
        #expect(TextDiff.differOnlyInFormat("适用 《中华人民共和国进出境动植物检疫法》", "适用《中华人民共和国进出境动植物检疫法》"))
        #expect(TextDiff.differOnlyInFormat("“依法”", "\"依法\""))
        #expect(TextDiff.differOnlyInFormat("第一款。\r\n第二款。", "第一款。\n第二款。"))
        // A paragraph break is structure, not format.
        #expect(!TextDiff.differOnlyInFormat("第一款。第二款。", "第一款。\n第二款。"))
        #expect(!TextDiff.differOnlyInFormat("净化,消灭", "净化，扑灭"))
        // Spaces between Latin words carry meaning.
        #expect(!TextDiff.differOnlyInFormat("New York", "NewYork"))

        let edits = TextDiff.diff("净化,消灭动物疫病", "净化，消灭动物疫病")
        #expect(edits.filter { $0.op != .equal }.allSatisfy { $0.formatOnly == true })
        #expect(TextDiff.ignoringFormat(edits) == [TextEdit(.equal, "净化，消灭动物疫病")])

        let mixed = TextDiff.diff("净化,消灭动物疫病的措施", "净化，消灭动物疫病的强制措施")
        #expect(mixed.contains { $0.op == .insert && $0.text == "强制" && $0.formatOnly == nil })
        #expect(TextDiff.ignoringFormat(mixed).filter { $0.op != .equal }.map(\.text) == ["强制"])
    }

    @Test func editScriptsRebuildBothTexts() {
        let pairs = [
            ("", "新增内容"), ("删除内容", ""), ("相同", "相同"),
            ("第一条　为了规范公司的组织和行为", "第一条　为了规范公司的组织和行为，保护公司、股东、职工和债权人的合法权益"),
            ("abc def 123", "abc xyz 124"),
        ]
        for (old, new) in pairs {
            let sides = Self.sides(TextDiff.diff(old, new))
            #expect(sides.old == old)
            #expect(sides.new == new)
        }
    }

    /// Two whole laws as single texts (公司法 2018 and 2023, 76 KB and 96 KB): the script must rebuild both
    /// exactly, through the sentence-level pass and the edit-distance limit.
    @Test func wholeLawsAsOneTextRebuildExactly() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../corpus/laws/law-company-2018-2023").standardized
        let old = try String(contentsOf: folder.appendingPathComponent("company-law-2018.md"), encoding: .utf8)
        let new = try String(contentsOf: folder.appendingPathComponent("company-law-2023.md"), encoding: .utf8)
        let edits = TextDiff.diff(old, new)
        let sides = Self.sides(edits)
        #expect(sides.old == old)
        #expect(sides.new == new)
        // The unchanged first article of the 2018 law ("为了规范公司的组织和行为") stays kept text.
        #expect(edits.contains { $0.op == .equal && $0.text.contains("为了规范公司的组织和行为") })
    }
}
