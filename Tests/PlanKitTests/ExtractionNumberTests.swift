import Testing
@testable import PlanKit

/// Table tests for numerals and quantities, on phrases taken from the corpus (plans, reports, gov.cn pages).
struct ExtractionNumberTests {
    @Test(arguments: [
        ("一百二十三", 123.0), ("十四", 14), ("二十", 20), ("两", 2), ("两万", 20_000), ("一百零五", 105),
        ("二〇二五", 2025), ("一九九七", 1997), ("三千五百万", 35_000_000), ("一亿二千万", 120_000_000),
        ("十万", 100_000), ("三点五", 3.5), ("九", 9),
    ])
    func chineseNumeralValues(text: String, expected: Double) {
        #expect(QuantityNumerals.value(of: text) == expected)
    }

    @Test func notQuantityNumerals() {
        for text in ["", "十四五规划", "abc", "三个"] {
            #expect(QuantityNumerals.value(of: text) == nil, "\(text)")
        }
    }

    @Test func fiveYearPlans() {
        #expect(FiveYearPlan.years(named: "十四五") == 2021...2025)
        #expect(FiveYearPlan.years(named: "“十三五”") == 2016...2020)
        #expect(FiveYearPlan.years(named: "十五五") == 2026...2030)
        #expect(FiveYearPlan.years(named: "十一五") == 2006...2010)
        #expect(FiveYearPlan.years(ofPlan: 1) == 1953...1957)
        #expect(FiveYearPlan.years(named: "五年") == nil)
    }

    @Test func fullWidthDigitsBecomeASCII() {
        #expect(QuantityNumerals.normalizingDigits("１２３％，Ａ２２０") == "123%，A220")
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var sentence: String
        var raw: String
        var value: Double
        var unit: String?
        var comparator: Quantity.Comparator = .equal
        var approx: String? = nil
        var low: Double? = nil
        var high: Double? = nil
        var metric: String? = nil
        var testDescription: String { sentence }
    }

    static let cases: [Case] = [
        Case(sentence: "沈阳片区累计新注册企业1.9万户,是成立时的29倍", raw: "1.9万户", value: 19_000, unit: "户",
             metric: "新注册企业"),
        Case(sentence: "总投资625.2亿元,项目数、总投资额均为成立时的3倍", raw: "625.2亿元", value: 62_520_000_000,
             unit: "元", metric: "总投资"),
        Case(sentence: "孵化载体总面积60万平方米。", raw: "60万平方米", value: 600_000, unit: "平方米", metric: "孵化载体总面积"),
        Case(sentence: "跨境电商企业数占全市2/3以上。", raw: "2/3以上", value: 0.6667, unit: "ratio", comparator: .atLeast,
             metric: "跨境电商企业数"),
        Case(sentence: "比重达到百分之三十", raw: "百分之三十", value: 30, unit: "%", metric: "比重"),
        Case(sentence: "耕地保有量减少不超过三分之二", raw: "不超过三分之二", value: 0.6667, unit: "ratio", comparator: .atMost),
        Case(sentence: "出错率控制在千分之五以内", raw: "控制在千分之五以内", value: 5, unit: "‰", comparator: .atMost, metric: "出错率"),
        Case(sentence: "国内生产总值增长5%左右", raw: "5%左右", value: 5, unit: "%", comparator: .approximately,
             approx: "左右", metric: "国内生产总值增长"),
        Case(sentence: "城镇新增就业1200万人以上", raw: "1200万人以上", value: 12_000_000, unit: "人", comparator: .atLeast,
             metric: "城镇新增就业"),
        Case(sentence: "国内生产总值达到134.9万亿元、增长5%", raw: "134.9万亿元", value: 134_900_000_000_000, unit: "元",
             metric: "国内生产总值"),
        Case(sentence: "推动政务服务事项100%实现“应进必进、应上尽上”,可网办率提升至100%。", raw: "100%", value: 100,
             unit: "%", metric: "推动政务服务事项"),
        Case(sentence: "引进30余家直播电商企业", raw: "30余家", value: 30, unit: "家", comparator: .greater, approx: "余"),
        Case(sentence: "与1500余个企业、商会协会进行商洽", raw: "1500余个", value: 1500, unit: "个", comparator: .greater,
             approx: "余"),
        Case(sentence: "沈阳片区经过4年多的创新试验", raw: "4年多", value: 4, unit: "年", comparator: .greater, approx: "多"),
        Case(sentence: "经济增长预期目标为5%—6%", raw: "5%—6%", value: 5, unit: "%", low: 5, high: 6),
        Case(sentence: "每年资助1万至5万元", raw: "1万至5万元", value: 10_000, unit: "元", low: 10_000, high: 50_000),
        Case(sentence: "增速保持在6—6.5%", raw: "6—6.5%", value: 6, unit: "%", low: 6, high: 6.5),
        Case(sentence: "提供24小时自助办税服务", raw: "24小时", value: 24, unit: "小时"),
        Case(sentence: "居民人均收入翻一番", raw: "翻一番", value: 2, unit: "倍", metric: "居民人均收入"),
        Case(sentence: "设立１２家分支机构", raw: "１２家", value: 12, unit: "家"),
        Case(sentence: "交出沈阳片区设立五周年的满意答卷", raw: "五周年", value: 5, unit: "周年"),
        Case(sentence: "新增两万人", raw: "两万人", value: 20_000, unit: "人"),
        Case(sentence: "单位国内生产总值能耗降低3个百分点", raw: "3个百分点", value: 3, unit: "百分点"),
        Case(sentence: "约1.2亿人", raw: "约1.2亿人", value: 120_000_000, unit: "人", comparator: .approximately, approx: "约"),
        Case(sentence: "贸易额超过1,200亿美元", raw: "超过1,200亿美元", value: 120_000_000_000, unit: "美元", comparator: .greater),
        Case(sentence: "规划用地2平方公里,南至四环路", raw: "2平方公里", value: 2, unit: "平方公里", metric: "规划用地"),
        Case(sentence: "集装箱吞吐量达到50万TEU", raw: "50万TEU", value: 500_000, unit: "TEU", metric: "集装箱吞吐量"),
        Case(sentence: "建设5千米绿道", raw: "5千米", value: 5, unit: "千米"),
        Case(sentence: "担保金额的比例不得低于80%", raw: "不得低于80%", value: 80, unit: "%", comparator: .atLeast),
        Case(sentence: "重点支持单户担保金额500万元及以下的小微企业", raw: "500万元及以下", value: 5_000_000, unit: "元",
             comparator: .atMost, metric: "重点支持单户担保金额"),
        Case(sentence: "原则上不高于承担风险责任的0.5%", raw: "0.5%", value: 0.5, unit: "%", comparator: .atMost),
        Case(sentence: "禁止生产和使用厚度低于0.01毫米的地膜", raw: "低于0.01毫米", value: 0.01, unit: "毫米", comparator: .less),
        Case(sentence: "审批时限压缩至3个工作日以内", raw: "3个工作日以内", value: 3, unit: "工作日", comparator: .atMost),
        Case(sentence: "选择10个左右有条件的城市", raw: "10个左右", value: 10, unit: "个", comparator: .approximately, approx: "左右"),
    ]

    @Test(arguments: cases)
    func quantityIsRead(_ testCase: Case) throws {
        let found = QuantityScanner.quantities(in: testCase.sentence)
        let quantity = try #require(found.first { $0.raw == testCase.raw }, "found: \(found.map(\.raw))")
        #expect(abs(quantity.value - testCase.value) < 1e-6)
        #expect(quantity.unit == testCase.unit)
        #expect(quantity.comparator == testCase.comparator)
        if let approx = testCase.approx { #expect(quantity.approx == approx) }
        #expect(quantity.low == testCase.low)
        #expect(quantity.high == testCase.high)
        if let metric = testCase.metric { #expect(quantity.metric == metric) }
        let characters = Array(testCase.sentence)
        #expect(String(characters[quantity.offsets]) == testCase.raw)
    }

    /// Codes, names, labels and dates that a quantity reader must leave alone.
    @Test(arguments: [
        "全面开通保税备货(1210)和跨境直购(9610)跨境电商业务",
        "通过A220扩产、ARJ飞机等项目",
        "充分借助“一带一路”和“中东欧17+1”合作机制",
        "形成“1+5”产业政策体系",
        "位于桃仙机场停机坪、T1、T2航站楼区域",
        "B2B、B2B2C+O2O(线上对线下)等电商模式发展",
        "建设出入境人员综合服务单一窗口2.0版",
        "加快5G网络建设",
        "联系电话:024-22345678,辽ICP备05011496号",
        "国务院关于印发…的通知 国发〔2019〕3号",
        "1.加快推进制度创新",
        "2021年08月23日",
        "2019年4月沈阳综合保税区桃仙园区封关运行",
        "二〇三五年远景目标",
        "“十四五”时期",
        "打造“三个区”、实现“三步走”",
        "跻身我国第三批自贸试验区之列",
        "第十四个五年规划",
        "形成一批扩大开放的高质量创新经验",
        "党的十九届五中全会",
        "投资亿元以上重点项目",
        "2019-2021年",
        "大力发展高山滑雪、跳台滑雪、冬季两项、速度滑冰",
        "预防二次污染，建立健全投资项目“三个清单”管理制度",
        "中国共产党第二十次全国代表大会",
    ])
    func notAQuantity(_ sentence: String) {
        let found = QuantityScanner.quantities(in: sentence)
        #expect(found.isEmpty, "found: \(found.map(\.raw))")
    }

    @Test func aFigureReachedFromAnotherMeasuresTheSameThing() {
        let found = QuantityScanner.quantities(in: "制造业贷款余额从16.3万亿元增加到27.4万亿元")
        #expect(found.map(\.raw) == ["16.3万亿元", "27.4万亿元"])
        #expect(found.map(\.metric) == ["制造业贷款余额", "制造业贷款余额"])
    }

    @Test func severalQuantitiesInOneSentenceKeepTheirOwnMetrics() {
        let found = QuantityScanner.quantities(in: "集聚各类研发机构55家,双创载体13家,孵化载体总面积60万平方米")
        #expect(found.map(\.raw) == ["55家", "13家", "60万平方米"])
        #expect(found.map(\.metric) == ["集聚各类研发机构", "双创载体", "孵化载体总面积"])
    }
}
