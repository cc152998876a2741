import Foundation
import Testing
@testable import PlanKit

/// Abbreviations a document defines, read from sentences as the corpus prints them.
struct AbbreviationTests {
    /// Each sentence is copied from a corpus document (the file in the comment); the pair is what a reader takes
    /// the definition to say.
    static let definitions: [(text: String, short: String, full: String)] = [
        // plans/shenyang-ftz-plan-2021.txt:9
        ("2017年4月,中国(辽宁)自由贸易试验区沈阳片区(以下简称“沈阳片区”)成立以来,", "沈阳片区", "中国(辽宁)自由贸易试验区沈阳片区"),
        // govcn-2019/32.html, 第一条
        ("根据《中华人民共和国个人所得税法》（以下简称个人所得税法）规定，制定本办法。", "个人所得税法", "中华人民共和国个人所得税法"),
        // govcn-2019/14.html
        ("一、原则同意《河北雄安新区总体规划（2018—2035年）》（以下简称《总体规划》）。", "总体规划", "河北雄安新区总体规划（2018—2035年）"),
        // laws/reg-shanghai-ftz-2014/shanghai-ftz-regulation-2014.md, 第二条, 第八条 and later
        ("本条例适用于经国务院批准设立的中国（上海）自由贸易试验区（以下简称“自贸试验区”）。", "自贸试验区", "中国（上海）自由贸易试验区"),
        ("第八条 中国（上海）自由贸易试验区管理委员会（以下简称“管委会”）为市人民政府派出机构", "管委会", "中国（上海）自由贸易试验区管理委员会"),
        ("在自贸试验区内登记设立的企业（以下简称“区内企业”），", "区内企业", "自贸试验区内登记设立的企业"),
        // govcn-2019/59.html, 55.html, 25.html, 31.html
        ("国务院决定对国务院第二次全国污染源普查领导小组（以下简称领导小组）组成人员进行调整", "领导小组", "国务院第二次全国污染源普查领导小组"),
        ("经国务院同意，建立国务院职业教育工作部际联席会议（以下简称联席会议）制度。", "联席会议", "国务院职业教育工作部际联席会议"),
        ("有关部门根据总理批示精神，对太原钢铁（集团）有限公司（以下简称“太钢”）", "太钢", "太原钢铁（集团）有限公司"),
        ("同意以深圳市名义申办2011年第26届世界大学生夏季运动会（以下简称运动会）。", "运动会", "2011年第26届世界大学生夏季运动会"),
        // govcn-2019/49.html, 22.html
        ("对事故负有主要责任的杏儿沟煤业有限责任公司（以下简称杏煤公司）", "杏煤公司", "杏儿沟煤业有限责任公司"),
        ("该委将按照《国务院关于投资体制改革的决定》（国发〔2004〕20号，以下简称《决定》）", "决定", "国务院关于投资体制改革的决定"),
        // laws/law-hainan-ftp-2021: 第十四条
        ("货物由海南自由贸易港进入境内其他地区（以下简称内地），原则上按照进口征税；", "内地", "境内其他地区"),
        // 2018 State Council institutional reform, as the brief quotes it
        ("组建国家市场监督管理总局（简称“市场监管总局”）。", "市场监管总局", "国家市场监督管理总局"),
        ("国家发展和改革委员会，下称“国家发展改革委”，", "国家发展改革委", "国家发展和改革委员会"),
    ]

    @Test func definitionsReadAsAReaderReadsThem() {
        for (text, short, full) in Self.definitions {
            let found = AbbreviationFinder.definitions(in: text)
            #expect(found.count == 1, "\(text): \(found)")
            #expect(found.first?.short == short && found.first?.full == full, "\(text): \(found)")
        }
    }

    @Test func wordsThatOnlyLookLikeADefinitionAreNot() {
        for text in ["自由贸易试验区的简称是自贸试验区。", "以下简称的使用应当规范。", "（以下简称）", "各地区（以下简称“”）"] {
            #expect(AbbreviationFinder.definitions(in: text).isEmpty, "\(text)")
        }
    }

    @Test func theShenyangPlanDefinesItsShortName() throws {
        let document = try segmentCorpusText("plans/shenyang-ftz-plan-2021.txt")
        let abbreviations = AbbreviationFinder.abbreviations(in: document.root)
        let shenyang = try #require(abbreviations.first { $0.short == "沈阳片区" })
        #expect(shenyang.full == "中国(辽宁)自由贸易试验区沈阳片区")
        let node = try #require(document.root.descendants.first { $0.id == shenyang.node })
        #expect(node.text.contains("(以下简称“沈阳片区”)"))
        #expect(Set(abbreviations.map(\.short)).count == abbreviations.count, "each short name once")
    }
}
