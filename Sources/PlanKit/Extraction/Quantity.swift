/// 数量 — a number as a plan states it, normalised to base units: "1.9万户" → 19000 户.
public struct Quantity: Codable, Hashable, Sendable {
    /// The number in base units (亿元 → 元, 万人 → 人). For a range, its low end.
    public var value: Double
    /// The unit without multipliers ("户", "元", "平方米", "%", "‰", "ratio", "倍", "百分点"); nil for a bare count.
    public var unit: String?
    /// The text as printed, comparator words included ("1200万人以上").
    public var raw: String
    public var comparator: Comparator
    /// The hedge word as printed: 约, 左右, 余, 多, 近, 上下.
    public var approx: String?
    /// Both ends of a range ("5%—6%", "1万至5万").
    public var low: Double?
    public var high: Double?
    /// What is measured, when the sentence says it ("新注册企业", "可网办率", "国内生产总值增长").
    public var metric: String?
    /// Where `raw` starts and ends in the text it was found in, in `Character`s (end exclusive).
    public var offsets: Range<Int>

    public init(value: Double, unit: String?, raw: String, comparator: Comparator = .equal, approx: String? = nil,
                low: Double? = nil, high: Double? = nil, metric: String? = nil, offsets: Range<Int>) {
        self.value = value
        self.unit = unit
        self.raw = raw
        self.comparator = comparator
        self.approx = approx
        self.low = low
        self.high = high
        self.metric = metric
        self.offsets = offsets
    }

    /// How the number bounds the real figure.
    public enum Comparator: String, Codable, Sendable, CaseIterable {
        case equal = "="
        case atLeast = ">="
        case atMost = "<="
        case greater = ">"
        case less = "<"
        case approximately = "~"
    }

    enum CodingKeys: String, CodingKey {
        case value, unit, raw, comparator, approx, low, high, metric
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        value = try container.decode(Double.self, forKey: .value)
        unit = try container.decodeIfPresent(String.self, forKey: .unit)
        raw = try container.decode(String.self, forKey: .raw)
        comparator = try container.decodeIfPresent(Comparator.self, forKey: .comparator) ?? .equal
        approx = try container.decodeIfPresent(String.self, forKey: .approx)
        low = try container.decodeIfPresent(Double.self, forKey: .low)
        high = try container.decodeIfPresent(Double.self, forKey: .high)
        metric = try container.decodeIfPresent(String.self, forKey: .metric)
        offsets = 0..<0
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(value, forKey: .value)
        try container.encodeIfPresent(unit, forKey: .unit)
        try container.encode(raw, forKey: .raw)
        try container.encode(comparator, forKey: .comparator)
        try container.encodeIfPresent(approx, forKey: .approx)
        try container.encodeIfPresent(low, forKey: .low)
        try container.encodeIfPresent(high, forKey: .high)
        try container.encodeIfPresent(metric, forKey: .metric)
    }
}
