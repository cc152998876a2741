/// 记录抽取 — the one entry point from a finished document to its records.
///
/// Extraction is a list of named passes, each a pure function from the document (through its passages) to
/// records and diagnostics; the extractor runs them in order, numbers the records and gathers the findings.
public enum RecordExtractor {
    /// One extraction pass: a name for diagnostics and benchmarks, and the function.
    public struct Pass: Sendable {
        public var name: String
        public var run: @Sendable (ExtractionInput) -> ([Record], [Diagnostic])
    }

    /// The passes in the order they run.
    public static let passes: [Pass] = [
        Pass(name: "targets-and-achievements", run: QuantifiedStatementPass.run),
        Pass(name: "milestones", run: MilestonePass.run),
        Pass(name: "measures", run: MeasurePass.run),
        Pass(name: "references", run: ReferencePass.run),
    ]

    /// A pass that reads the records the passes found and codes them (adding records of its own if it must).
    public struct CodingPass: Sendable {
        public var name: String
        public var run: @Sendable (ExtractionInput, [Record]) -> ([Record], [Diagnostic])
    }

    /// Run after `passes`, in order.
    public static let codingPasses: [CodingPass] = [
        CodingPass(name: "instruments", run: InstrumentPass.run),
    ]

    /// The records of `document`, in document order, with their ids assigned.
    public static func extract(from document: PlanDocument, settings: ExtractionSettings = .standard) -> [Record] {
        extractWithDiagnostics(from: document, settings: settings).records
    }

    /// The records and the passes' findings.
    public static func extractWithDiagnostics(from document: PlanDocument, settings: ExtractionSettings = .standard)
        -> (records: [Record], diagnostics: [Diagnostic]) {
        let input = ExtractionInput(document: document, settings: settings)
        var records: [Record] = []
        var diagnostics: [Diagnostic] = []
        for pass in passes {
            let (found, findings) = pass.run(input)
            records += found
            diagnostics += findings
        }
        for pass in codingPasses {
            let (coded, findings) = pass.run(input, records)
            records = coded
            diagnostics += findings
        }
        // Stable order: by position, then by pass order for records of the same place.
        let order = Dictionary(uniqueKeysWithValues: input.nodeOrder.enumerated().map { ($1, $0) })
        records = records.enumerated().sorted { lhs, rhs in
            let left = (order[lhs.element.node] ?? Int.max, lhs.element.span.startLine, lhs.element.span.startColumn)
            let right = (order[rhs.element.node] ?? Int.max, rhs.element.span.startLine, rhs.element.span.startColumn)
            return left != right ? left < right : lhs.offset < rhs.offset
        }.map(\.element)
        var counters: [String: Int] = [:]
        for index in records.indices {
            let key = "\(records[index].node)#\(records[index].type.rawValue)"
            counters[key, default: 0] += 1
            records[index].id = "\(key)_\(counters[key]!)"
        }
        return (records, diagnostics)
    }
}

/// What every pass reads: the passages of the document and what the document says about its own time.
public struct ExtractionInput: Sendable {
    public var document: PlanDocument
    public var passages: [Passage]
    /// The year the document speaks from (publication date, or the year in its title).
    public var documentYear: Int?
    /// The period a plan covers ("十四五" in the title → 2021…2025).
    public var planPeriod: ClosedRange<Int>?
    /// 政府工作报告: its targets carry no 到…年, the report's year is their deadline.
    public var isWorkReport: Bool
    /// Node ids in document order, to sort records.
    public var nodeOrder: [String]
    /// The codebook and what to code.
    public var settings: ExtractionSettings

    public init(document: PlanDocument, settings: ExtractionSettings = .standard) {
        self.document = document
        self.settings = settings
        passages = Passage.passages(in: document.root)
        documentYear = TimeExpressions.documentYear(of: document.metadata)
        planPeriod = TimeExpressions.planPeriod(of: document.metadata)
        isWorkReport = (document.metadata.title ?? "").contains("政府工作报告")
            || (document.metadata.title ?? "").contains("工作报告")
        var order: [String] = []
        document.root.forEach { node, _ in order.append(node.id) }
        nodeOrder = order
        stages = [:]
        stages = MilestonePass.stages(in: self)
    }

    /// The milestone stage of each passage by node id (`MilestonePass.stages(in:)`), found once for the
    /// three passes that read it.
    var stages: [String: MilestonePass.Stage]
}

/// Shared word lists and small readers the passes use.
enum Cues {
    static let achievementWords = [
        "累计", "已经", "已有", "已建", "已成", "已累计", "成立以来", "设立以来", "过去一年", "过去五年", "五年来", "一年来",
        "同比", "实现了", "完成了", "取得了", "达到了", "提高了", "增长了", "建成了", "先后", "获批", "上线运行",
    ].map(WordSearch.Word.init)
    static let targetWords = [
        "力争", "争取", "确保", "目标", "预期", "提升至", "提升到", "提高至", "提高到", "降低至", "降低到", "降至", "控制在",
        "不低于", "不少于", "不超过", "不高于", "不得低于", "不得超过", "达到", "突破", "压缩至", "压缩到", "缩短至", "缩短到",
    ].map(WordSearch.Word.init)
    /// Headings of review sections (回顾, 成效): numbers below them report the past.
    static let reviewHeadingWords = ["回顾", "成效", "成就", "进展", "情况", "成绩", "工作总结"].map(WordSearch.Word.init)
    /// Headings of goal sections.
    static let goalHeadingWords = ["目标", "指标"].map(WordSearch.Word.init)
    static let directions = [
        "提升至", "提升到", "提高至", "提高到", "增加至", "增加到", "增长至", "增长到", "扩大至", "扩大到", "降低至", "降低到",
        "下降至", "下降到", "降至", "压缩至", "压缩到", "缩短至", "缩短到", "控制在", "保持在", "稳定在", "达到", "突破", "超过", "增长", "提高", "提升", "下降",
        "降低", "减少", "增加", "扩大", "保持",
    ]

    static func containsAny(_ text: String, _ words: [String]) -> Bool { WordSearch.containsAny(text, words) }
    static func containsAny(_ text: String, _ words: [WordSearch.Word]) -> Bool { WordSearch.containsAny(text, words) }

    /// Whether one of `headings` begins or ends with one of `words` ("…主要工作成效", "一、2024年工作回顾",
    /// "指导思想和基本原则"); a word inside a heading ("对表战略定位，深化…") does not count.
    static func heading(in headings: [String], startsOrEndsWithAny words: [WordSearch.Word]) -> Bool {
        headings.contains { heading in
            // Trimmed of colons, so the piece before the first colon is not empty.
            let bare = heading.trimmingCharacters(in: "。.：:")
            let title = bare.firstIndex { $0.isOne(of: ":：") }.map { String(bare[..<$0]) } ?? bare
            // Compared as bytes when plain (WordSearch): String's own hasPrefix/hasSuffix cost over a thousand
            // instructions a call, and every paragraph asks this of each heading above it.
            let bareWords = WordSearch.Haystack(bare), titleWords = WordSearch.Haystack(title, within: bareWords)
            return words.contains { word in
                titleWords.hasPrefix(word) || titleWords.hasSuffix(word) || bareWords.hasSuffix(word)
            }
        }
    }

    /// `heading(in:startsOrEndsWithAny:)` for the passages of one document: each heading is judged once,
    /// since every passage below a heading asks about it again.
    struct HeadingMemo {
        let words: [WordSearch.Word]
        private var verdicts: [String: Bool] = [:]

        init(_ words: [WordSearch.Word]) { self.words = words }

        mutating func any(in headings: [String]) -> Bool {
            for heading in headings {
                let verdict: Bool
                if let known = verdicts[heading] {
                    verdict = known
                } else {
                    verdict = Cues.heading(in: [heading], startsOrEndsWithAny: words)
                    verdicts[heading] = verdict
                }
                if verdict { return true }
            }
            return false
        }
    }

    /// The direction word nearest before `offset` in the same comma-delimited piece of `text`.
    static func direction(in text: String, before offset: Int) -> String? {
        let characters = QuantityScanner.characters(of: text)
        var start = min(offset, characters.count)
        while start > 0, !"，,；;。：:".contains(characters[start - 1]) { start -= 1 }
        let piece = String(characters[start..<min(offset, characters.count)])
        var best: (String, String.Index)?
        for word in directions {
            if let range = piece.range(of: word, options: .backwards) {
                if best == nil || range.lowerBound > best!.1 || (range.lowerBound == best!.1 && word.count > best!.0.count) {
                    best = (word, range.lowerBound)
                }
            }
        }
        return best?.0
    }

    static func targetStrength(of text: String, quantity: Quantity?) -> Record.TargetStrength? {
        if containsAny(text, ["确保", "必须", "不得"]) { return .binding }
        if containsAny(text, ["力争", "争取"]) { return .aspirational }
        if let approx = quantity?.approx, ["约", "左右", "上下"].contains(approx) { return .expected }
        if WordSearch.contains(text, "预期") { return .expected }
        return nil
    }
}

extension String {
    /// A backwards search without Foundation.
    func range(of word: String, options: BackwardsSearch) -> Range<String.Index>? {
        guard !word.isEmpty else { return nil }
        var result: Range<String.Index>?
        var searchStart = startIndex
        while let found = self[searchStart...].firstRange(of: word) {
            result = found
            searchStart = index(after: found.lowerBound)
        }
        return result
    }

    func range(of word: String) -> Range<String.Index>? { firstRange(of: word) }
}

/// Marker for `range(of:options:)`.
enum BackwardsSearch { case backwards }

/// What extraction is asked to do beyond the defaults: which codebook codes instruments, and whether every
/// clause becomes a coded unit of its own.
public struct ExtractionSettings: Hashable, Sendable {
    public var codebook: Codebook
    /// Emit a `clause` record for every clause (coded when a cue occurs), as well as coding measures.
    public var codeClauses: Bool

    public init(codebook: Codebook = .standard, codeClauses: Bool = false) {
        self.codebook = codebook
        self.codeClauses = codeClauses
    }

    public static let standard = ExtractionSettings()
}
