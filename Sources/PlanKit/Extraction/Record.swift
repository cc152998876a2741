/// A typed statement drawn from a document: a target, an achievement, a milestone, a measure, a reference,
/// a quantity that is none of these, or a clause coded on request. Every record points back at the node and
/// span it came from; what it says beyond that is its `facts`, whose shape depends on its type.
///
/// JSON keeps one flat object per record (`schemas/record.schema.json`): the common fields, `type`, and the
/// fields of its facts beside them.
public struct Record: Codable, Hashable, Sendable {
    /// `<node id>#<type>_<n>`: stable as long as the node's id is, since the ordinal counts only records of
    /// the same type from the same node.
    public var id: String
    /// The id of the node the record was read from.
    public var node: String
    /// The headings above the node, outermost first ("第五章 发挥比较优势…", "第四节 跨境电商").
    public var path: [String]
    /// The clause (or paragraph) the record was read from, as printed.
    public var text: String
    public var span: SourceSpan
    /// What the record states, by type.
    public var facts: Facts

    public init(id: String = "", node: String, path: [String], text: String, span: SourceSpan, facts: Facts) {
        self.id = id
        self.node = node
        self.path = path
        self.text = text
        self.span = span
        self.facts = facts
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

    /// What a record states: one payload per type.
    public enum Facts: Hashable, Sendable {
        case target(Target)
        case achievement(Figure)
        case milestone(Milestone)
        case measure(Measure)
        case reference(Reference)
        case quantity(Figure)
        case clause(Clause)

        public var type: RecordType {
            switch self {
            case .target: .target
            case .achievement: .achievement
            case .milestone: .milestone
            case .measure: .measure
            case .reference: .reference
            case .quantity: .quantity
            case .clause: .clause
            }
        }
    }

    public var type: RecordType { facts.type }

    // MARK: The payloads

    /// When a statement is timed: the year, the first year of a period ("十四五"期间 → 2021, with `year`
    /// 2025), and the deadline as printed ("到2025年", "到“十四五”末", "今年" in work reports).
    public struct Timing: Hashable, Sendable {
        public var year: Int?
        public var startYear: Int?
        public var deadline: String?
        public init(year: Int? = nil, startYear: Int? = nil, deadline: String? = nil) {
            self.year = year
            self.startYear = startYear
            self.deadline = deadline
        }
    }

    /// 目标: a figure to reach (`quantity`) or, without one, the goal in words (`title`: "基本建成现代化经济体系").
    public struct Target: Codable, Hashable, Sendable {
        public var quantity: Quantity?
        public var title: String?
        /// The deadline year; with `startYear` for a period.
        public var year: Int?
        public var startYear: Int?
        public var deadline: String?
        /// How the figure moves — 提升至, 达到, 降低到, 控制在, 增长, 保持.
        public var direction: String?
        public var strength: TargetStrength?
        /// A comparison printed with the figure ("是成立时的29倍").
        public var baseline: Baseline?

        public init(quantity: Quantity? = nil, title: String? = nil, timing: Timing = Timing(), direction: String? = nil,
                    strength: TargetStrength? = nil, baseline: Baseline? = nil) {
            self.quantity = quantity
            self.title = title
            year = timing.year
            startYear = timing.startYear
            deadline = timing.deadline
            self.direction = direction
            self.strength = strength
            self.baseline = baseline
        }
    }

    /// 成效 and 数量: a figure as reported (an achievement, with the year it is reported for) or as neither aimed
    /// at nor reported (a bare quantity: a size, a threshold, a description), with a comparison with an earlier
    /// state where one is printed.
    public struct Figure: Codable, Hashable, Sendable {
        public var quantity: Quantity
        public var year: Int?
        public var startYear: Int?
        public var deadline: String?
        public var baseline: Baseline?

        public init(quantity: Quantity, timing: Timing = Timing(), baseline: Baseline? = nil) {
            self.quantity = quantity
            year = timing.year
            startYear = timing.startYear
            deadline = timing.deadline
            self.baseline = baseline
        }
    }

    /// 阶段目标: one stage, 第一步 → `step` 1, with the stage's year and deadline.
    public struct Milestone: Codable, Hashable, Sendable {
        public var step: Int
        public var year: Int?
        public var deadline: String?

        public init(step: Int, year: Int? = nil, deadline: String? = nil) {
            self.step = step
            self.year = year
            self.deadline = deadline
        }
    }

    /// 举措: the lead sentence without its final punctuation ("实施高标准的外商投资准入"), the main verbs in
    /// order of appearance (推进, 加快, 建设…), how firmly it is put, and its policy instrument (`InstrumentPass`).
    public struct Measure: Codable, Hashable, Sendable {
        public var title: String
        public var verbs: [String]
        public var strength: MeasureStrength?
        public var instrument: Instrument?

        public init(title: String, verbs: [String], strength: MeasureStrength? = nil, instrument: Instrument? = nil) {
            self.title = title
            self.verbs = verbs
            self.strength = strength
            self.instrument = instrument
        }
    }

    /// 引用: what is referred to ("中华人民共和国外商投资法", "RCEP", "国发〔2019〕3号") and how it is named.
    public struct Reference: Codable, Hashable, Sendable {
        public var name: String
        public var referenceKind: ReferenceKind

        public init(name: String, kind: ReferenceKind) {
            self.name = name
            referenceKind = kind
        }
    }

    /// 分句: a clause as a unit of instrument coding, with the instrument its cue words point to.
    public struct Clause: Codable, Hashable, Sendable {
        public var instrument: Instrument?
        public init(instrument: Instrument? = nil) { self.instrument = instrument }
    }

    /// How firmly a target is put.
    public enum TargetStrength: String, Codable, Sendable, CaseIterable {
        /// 确保, 必须, 严格, 全面落实, 不得.
        case binding
        /// 力争, 争取.
        case aspirational
        /// 约, 左右, 预期 — an expected value.
        case expected
    }

    /// How firmly a measure is put.
    public enum MeasureStrength: String, Codable, Sendable, CaseIterable {
        /// 严格, 确保, 必须, 全面落实, 不得.
        case mandatory
        /// 支持, 鼓励, 引导.
        case promotional
        /// 探索, 研究, 试点, 争取.
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

    // MARK: The facts of one type, or nil for a record of another

    public var target: Target? { if case .target(let target) = facts { target } else { nil } }
    public var achievement: Figure? { if case .achievement(let achievement) = facts { achievement } else { nil } }
    public var milestone: Milestone? { if case .milestone(let milestone) = facts { milestone } else { nil } }
    public var measure: Measure? { if case .measure(let measure) = facts { measure } else { nil } }
    public var reference: Reference? { if case .reference(let reference) = facts { reference } else { nil } }

    // MARK: What several types share, read through their facts

    /// The year the record belongs to: a target's deadline, an achievement's or a quantity's year, a stage's year.
    public var year: Int? {
        switch facts {
        case .target(let target): target.year
        case .achievement(let achievement): achievement.year
        case .quantity(let quantity): quantity.year
        case .milestone(let milestone): milestone.year
        case .measure, .reference, .clause: nil
        }
    }

    /// The figure of a target, an achievement or a bare quantity.
    public var quantity: Quantity? {
        switch facts {
        case .target(let target): target.quantity
        case .achievement(let achievement): achievement.quantity
        case .quantity(let quantity): quantity.quantity
        case .milestone, .measure, .reference, .clause: nil
        }
    }

    /// A measure's title, or the goal in words of a target without a figure.
    public var title: String? {
        switch facts {
        case .measure(let measure): measure.title
        case .target(let target): target.title
        default: nil
        }
    }

    /// The comparison printed with the figure of a target, an achievement or a bare quantity.
    public var baseline: Baseline? {
        switch facts {
        case .target(let target): target.baseline
        case .achievement(let achievement): achievement.baseline
        case .quantity(let quantity): quantity.baseline
        case .milestone, .measure, .reference, .clause: nil
        }
    }

    /// The policy instrument of a coded measure or clause.
    public var instrument: Instrument? {
        get {
            switch facts {
            case .measure(let measure): measure.instrument
            case .clause(let clause): clause.instrument
            default: nil
            }
        }
        set {
            switch facts {
            case .measure(var measure):
                measure.instrument = newValue
                facts = .measure(measure)
            case .clause(var clause):
                clause.instrument = newValue
                facts = .clause(clause)
            default: break
            }
        }
    }

    /// What the record is about in a few words, for lists and comparisons: a figure's metric, else a title,
    /// else a reference's name, else the figure as printed; nil for a stage or a clause.
    public var name: String? {
        if let metric = quantity?.metric { return metric }
        if let title { return title }
        return reference?.name ?? quantity?.raw
    }

    // MARK: JSON: one flat object

    private enum CodingKeys: String, CodingKey {
        case id, type, node, path, text, span
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        node = try container.decode(String.self, forKey: .node)
        path = try container.decode([String].self, forKey: .path)
        text = try container.decode(String.self, forKey: .text)
        span = try container.decode(SourceSpan.self, forKey: .span)
        switch try container.decode(RecordType.self, forKey: .type) {
        case .target: facts = .target(try Target(from: decoder))
        case .achievement: facts = .achievement(try Figure(from: decoder))
        case .milestone: facts = .milestone(try Milestone(from: decoder))
        case .measure: facts = .measure(try Measure(from: decoder))
        case .reference: facts = .reference(try Reference(from: decoder))
        case .quantity: facts = .quantity(try Figure(from: decoder))
        case .clause: facts = .clause(try Clause(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(type, forKey: .type)
        try container.encode(node, forKey: .node)
        try container.encode(path, forKey: .path)
        try container.encode(text, forKey: .text)
        try container.encode(span, forKey: .span)
        switch facts {
        case .target(let target): try target.encode(to: encoder)
        case .achievement(let achievement): try achievement.encode(to: encoder)
        case .milestone(let milestone): try milestone.encode(to: encoder)
        case .measure(let measure): try measure.encode(to: encoder)
        case .reference(let reference): try reference.encode(to: encoder)
        case .quantity(let quantity): try quantity.encode(to: encoder)
        case .clause(let clause): try clause.encode(to: encoder)
        }
    }
}
