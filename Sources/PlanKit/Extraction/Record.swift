/// A typed statement drawn from a document: a target, an achievement, a milestone, a measure, a reference,
/// or a quantity that is none of these. Every record points back at the node and span it came from.
public struct Record: Codable, Hashable, Sendable {
    /// `<node id>#<type>_<n>`: stable as long as the node's id is, since the ordinal counts only records of
    /// the same type from the same node.
    public var id: String
    public var type: RecordType
    /// The id of the node the record was read from.
    public var node: String
    /// The headings above the node, outermost first ("第五章 发挥比较优势…", "第四节 跨境电商").
    public var path: [String]
    /// The clause (or paragraph) the record was read from, as printed.
    public var text: String
    public var span: SourceSpan

    /// For targets, achievements and bare quantities: the number.
    public var quantity: Quantity?
    /// Target: the deadline year; achievement: the year reported; milestone: the stage's year.
    public var year: Int?
    /// The first year of a period deadline ("十四五"期间 → 2021, with `year` 2025).
    public var startYear: Int?
    /// The deadline as printed: "到2025年", "到“十四五”末", "“十四五”期间", "今年" (work reports).
    public var deadline: String?
    /// Target: how the figure moves — 提升至, 达到, 降低到, 控制在, 增长, 保持.
    public var direction: String?
    /// Target: binding / aspirational / expected. Measure: mandatory / promotional / exploratory.
    public var strength: Strength?
    /// Achievement: a comparison with an earlier state ("是成立时的29倍").
    public var baseline: Baseline?
    /// Milestone: 第一步 → 1.
    public var step: Int?
    /// Measure: the lead sentence without its final punctuation ("实施高标准的外商投资准入").
    public var title: String?
    /// Measure: the main verbs, in order of appearance (推进, 加快, 建设…).
    public var verbs: [String]?
    /// Reference: what is referred to ("中华人民共和国外商投资法", "RCEP", "国发〔2019〕3号").
    public var name: String?
    /// Reference: title in 《》, agreement or initiative, or document number.
    public var referenceKind: ReferenceKind?
    /// Measure (and clause, on request): the policy instrument its cue words point to (`InstrumentPass`).
    public var instrument: Instrument?

    public init(id: String = "", type: RecordType, node: String, path: [String], text: String, span: SourceSpan) {
        self.id = id
        self.type = type
        self.node = node
        self.path = path
        self.text = text
        self.span = span
    }

    /// The kinds of record.
    public enum RecordType: String, Codable, Sendable, CaseIterable {
        /// 目标 — a goal, with or without a number, and a deadline when one is stated.
        case target
        /// 成效 — a reported past result.
        case achievement
        /// 阶段目标 — one stage of a staged plan (第一步, 到2022年…).
        case milestone
        /// 举措 — one measure paragraph, named by its lead sentence.
        case measure
        /// 引用 — a law, plan, agreement, initiative or document number referred to.
        case reference
        /// 数量 — a number that is neither a target nor an achievement (a size, a threshold, a description).
        case quantity
        /// 分句 — one clause as a unit of instrument coding; only when asked for (`ExtractionSettings.codeClauses`).
        case clause
    }

    /// How firmly a target or a measure is put.
    public enum Strength: String, Codable, Sendable, CaseIterable {
        /// 确保, 必须, 严格, 全面落实, 不得.
        case binding
        /// 力争, 争取.
        case aspirational
        /// 约, 左右, 预期 — an expected value.
        case expected
        /// Measures: 严格, 确保, 必须, 全面落实.
        case mandatory
        /// Measures: 支持, 鼓励, 引导.
        case promotional
        /// Measures: 探索, 研究, 试点, 争取.
        case exploratory
    }

    /// What a reference refers to.
    public enum ReferenceKind: String, Codable, Sendable, CaseIterable {
        /// A title in 《》.
        case title
        /// An agreement or initiative named without 《》 (RCEP, CPTPP, 中欧全面投资协定, 一带一路).
        case agreement
        /// 发文字号, 国发〔2019〕3号.
        case documentNumber
    }

    /// An achievement's comparison with an earlier state: "是成立时的29倍" → ratio 29 against 成立时.
    public struct Baseline: Codable, Hashable, Sendable {
        public var ratio: Double
        public var against: String
        public init(ratio: Double, against: String) {
            self.ratio = ratio
            self.against = against
        }
    }
}
