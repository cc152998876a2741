/// 政策工具 — the policy instrument a measure (or clause) uses, in Rothwell & Zegveld's three dimensions,
/// coded from cue words of a `Codebook`. A unit without any cue has no instrument: it is never guessed.
public struct Instrument: Codable, Hashable, Sendable {
    /// The side of the innovation process the instrument works on.
    public enum Dimension: String, Codable, Hashable, Sendable, CaseIterable {
        /// 供给型 — the state supplies inputs: people, money, technology, infrastructure, public services.
        case supply
        /// 环境型 — the state shapes the conditions: goals, finance, taxes, regulation, strategic measures.
        case environment
        /// 需求型 — the state creates or opens demand: procurement, outsourcing, trade, overseas, demonstration.
        case demand

        /// 供给型, 环境型, 需求型.
        public var chineseName: String {
            switch self {
            case .supply: "供给型"
            case .environment: "环境型"
            case .demand: "需求型"
            }
        }

        /// The dimension a codebook names, in English or Chinese (supply, 供给型, 供给…).
        public init?(name: String) {
            let bare = name.trimmingBlanks().lowercased()
            guard let found = Self.allCases.first(where: {
                bare == $0.rawValue || bare == $0.chineseName || bare == String($0.chineseName.dropLast())
            }) else { return nil }
            self = found
        }
    }

    /// A tool and the cue words that pointed to it.
    public struct Choice: Codable, Hashable, Sendable {
        public var dimension: Dimension
        public var tool: String
        /// The codebook's cue words found in the unit, in order of first appearance.
        public var cues: [String]

        public init(dimension: Dimension, tool: String, cues: [String]) {
            self.dimension = dimension
            self.tool = tool
            self.cues = cues
        }
    }

    public var dimension: Dimension
    /// 人才培养, 资金投入, 税收优惠, 政府采购…, as the codebook names it.
    public var tool: String
    public var cues: [String]
    /// The best tool of another dimension whose cues were found too (else the second tool of the same one).
    public var runnerUp: Choice?

    public init(_ choice: Choice, runnerUp: Choice? = nil) {
        dimension = choice.dimension
        tool = choice.tool
        cues = choice.cues
        self.runnerUp = runnerUp
    }

    public var choice: Choice { Choice(dimension: dimension, tool: tool, cues: cues) }
}
