import Testing
@testable import PlanKit

/// How labels become numbers and kinds — decided once, pinned here.
struct NumbersAndLabelsTests {
    @Test(arguments: [
        ("一", 1), ("十", 10), ("十五", 15), ("二十", 20), ("二十三", 23), ("一百", 100), ("一百零一", 101),
        ("一百一十", 110), ("一百二十三", 123), ("二百一十八", 218), ("一千零一", 1001), ("两", 2), ("两万", 20_000),
        ("二〇二五", 2025), ("二〇三五", 2035), ("12", 12), ("１２", 12), ("壹佰", 100),
    ])
    func chineseNumeral(_ text: String, _ expected: Int) {
        #expect(ChineseNumerals.value(of: text) == expected)
    }

    /// The spelling DOCX numbering renders (第%1章 in chineseCounting) and its inverse.
    @Test(arguments: [
        (1, "一"), (10, "十"), (15, "十五"), (20, "二十"), (101, "一百零一"), (110, "一百一十"), (218, "二百一十八"),
        (1001, "一千零一"), (1010, "一千零一十"), (10_000, "一万"), (20_300, "二万零三百"), (100_010, "十万零一十"),
        (0, "零"),
    ])
    func spelledNumeral(_ value: Int, _ expected: String) {
        #expect(ChineseNumerals.spelled(value) == expected)
    }

    @Test func spellingsReadBack() {
        for value in 0...30_000 {
            #expect(ChineseNumerals.value(of: ChineseNumerals.spelled(value)) == value, "\(value)")
            #expect(ChineseNumerals.value(of: ChineseNumerals.spelled(value, as: .financial)) == value, "\(value)")
            if value >= 10 {
                #expect(ChineseNumerals.value(of: ChineseNumerals.spelled(value, as: .digits)) == value, "\(value)")
            }
        }
        #expect(ChineseNumerals.spelled(2025, as: .digits) == "二〇二五")
        #expect(ChineseNumerals.spelled(12, as: .financial) == "壹拾贰")
    }

    @Test(arguments: ["", "章", "百百", "abc", "十十"])
    func notANumeral(_ text: String) {
        #expect(ChineseNumerals.value(of: text) == nil)
    }

    @Test(arguments: [
        ("第一百二十三条 本法自公布之日起施行。", NodeKind.article, 123, "第一百二十三条", "本法自公布之日起施行。"),
        ("第五章发挥比较优势,建设竞争力强开放型产业体系", .chapter, 5, "第五章", "发挥比较优势,建设竞争力强开放型产业体系"),
        ("第一節 總則", .section, 1, "第一節", "總則"),
        ("第一條　為了規範", .article, 1, "第一條", "為了規範"),
        ("第二编 物权", .part, 2, "第二编", "物权"),
        ("第一分编 通则", .subpart, 1, "第一分编", "通则"),
        ("一、总体要求", .division, 1, "一、", "总体要求"),
        ("十二、其他", .division, 12, "十二、", "其他"),
        ("（三）一类疫病，是指", .item, 3, "（三）", "一类疫病，是指"),
        ("(十一)其他", .item, 11, "(十一)", "其他"),
        ("（2）完善机制", .point, 2, "（2）", "完善机制"),
        ("3.加快建设", .subitem, 3, "3.", "加快建设"),
        ("3、加快建设", .subitem, 3, "3、", "加快建设"),
        ("①第一项", .subpoint, 1, "①", "第一项"),
        ("专栏3 重大项目", .box, 3, "专栏3", "重大项目"),
        ("附件2", .attachment, 2, "附件2", ""),
    ])
    func label(_ text: String, _ kind: NodeKind, _ number: Int, _ printed: String, _ rest: String) throws {
        let label = try #require(LabelParser.parse(Substring(text)))
        #expect(label.kind == kind)
        #expect(label.number == number)
        #expect(label.printed == printed)
        #expect(String(label.rest) == rest)
    }

    /// Traps: quantities, codes, years and running text that start like labels.
    @Test(arguments: [
        "1.9万户", "2017年4月,中国(辽宁)自由贸易试验区", "5G网络", "第三步,到2035年", "(2021年)", "第十四个五年规划",
        "一是因时因势加强", "附件中所列事项应当", "2.0版",
    ])
    func notALabel(_ text: String) {
        let label = LabelParser.parse(Substring(text))
        #expect(label == nil || label?.kind == .preface, "took “\(text)” for \(String(describing: label))")
    }

    @Test func preface() throws {
        #expect(LabelParser.parse("前言")?.kind == .preface)
        #expect(LabelParser.parse("目 录")?.kind == .toc)
    }
}

/// Splitting paragraphs into clauses.
struct SentenceSplitterTests {
    private func clauses(_ text: String) -> [String] {
        let characters = Array(text)
        return SentenceSplitter.split(text).map { String(characters[$0.start..<$0.end]) }
    }

    @Test func splitsAtFullStopsAndSemicolons() {
        #expect(clauses("实施高标准的外商投资准入。深化投资领域改革；扩大开放！") == ["实施高标准的外商投资准入。", "深化投资领域改革；", "扩大开放！"])
    }

    @Test func neverInsideQuotesBracketsOrTitles() {
        let text = "推行“证照分离。改革”全覆盖。依照《中华人民共和国公司法。释义》办理（见附件。）。"
        #expect(clauses(text) == ["推行“证照分离。改革”全覆盖。", "依照《中华人民共和国公司法。释义》办理（见附件。）。"])
    }

    @Test func halfWidthStopsButNotDecimals() {
        #expect(clauses("增长1.9万户. 推进2.0版建设; 完成") == ["增长1.9万户.", " 推进2.0版建设;", " 完成"])
    }

    /// A full stop inside quotes never splits: the clause runs on to the next stop outside them.
    @Test func quotedFullStopDoesNotSplit() {
        #expect(clauses("提出“要加快建设。”随后推进。再议。") == ["提出“要加快建设。”随后推进。", "再议。"])
    }
}

/// Folding text for matching while nodes keep the original.
struct NormalizerTests {
    @Test func foldsWidthAndSpaces() {
        #expect(Normalizer.normalize("ＲＣＥＰ　协定，２０２５年") == "RCEP协定,2025年")
        #expect(Normalizer.normalize("动物疫 病\u{00A0}防控") == "动物疫病防控")
        #expect(Normalizer.normalize("Hello   World\u{200B}") == "Hello World")
    }
}
