/// 阶段目标 — staged goals: paragraphs opening with 第一步/第二步/第三步, or a run of sibling paragraphs
/// opening with rising deadlines (到2022年… / 到2025年… / 到2035年…).
enum MilestonePass {
    /// One stage: its step number, year and deadline as printed.
    struct Stage: Sendable {
        var step: Int
        var year: Int?
        var deadline: String?
    }

    static func run(_ input: ExtractionInput) -> ([Record], [Diagnostic]) {
        let stages = input.stages
        var records: [Record] = []
        var diagnostics: [Diagnostic] = []
        var previousStep: Int?
        for passage in input.passages {
            guard let stage = stages[passage.node.id], let first = passage.sentences.first else { continue }
            if let previousStep, stage.step != previousStep + 1, stage.step != 1 {
                diagnostics.append(Diagnostic(.warning, "extract.milestone-gap",
                                              "stage \(stage.step) follows stage \(previousStep)", at: first.span.start))
            }
            previousStep = stage.step
            records.append(Record(node: passage.node.id, path: passage.path, text: passage.text, span: passage.node.span,
                                  facts: .milestone(Record.Milestone(step: stage.step, year: stage.year, deadline: stage.deadline))))
        }
        return (records, diagnostics)
    }

    /// The stage of each milestone passage, by node id.
    private static let stepPattern = Pattern("第([一二三四五六七八九十]{1,2})步")

    static func stages(in input: ExtractionInput) -> [String: Stage] {
        var result: [String: Stage] = [:]
        // 第X步 openings.
        for passage in input.passages {
            let text = passage.text.trimmingCharacters(in: "")
            guard text.hasPrefix("第"), let match = stepPattern.prefixMatch(in: text), let number = match.groups[0],
                  let step = QuantityNumerals.value(of: String(number)) else { continue }
            let deadline = TimeExpressions.deadlines(in: String(text.prefix(30))).first
            result[passage.node.id] = Stage(step: Int(step), year: deadline?.year, deadline: deadline?.raw)
        }
        guard result.isEmpty else { return result }
        // Runs of sibling paragraphs that each open with a deadline, years rising.
        var run: [(Passage, TimeExpressions.Deadline)] = []
        func flush() {
            if run.count >= 2 {
                for (index, (passage, deadline)) in run.enumerated() {
                    result[passage.node.id] = Stage(step: index + 1, year: deadline.year, deadline: deadline.raw)
                }
            }
            run = []
        }
        for passage in input.passages {
            let opening = String(passage.text.prefix(12))
            if let deadline = TimeExpressions.deadlines(in: opening).first, deadline.offset <= 1,
               passage.path == run.last?.0.path || run.isEmpty,
               run.last.map({ $0.1.year < deadline.year }) ?? true {
                run.append((passage, deadline))
            } else {
                flush()
                if let deadline = TimeExpressions.deadlines(in: opening).first, deadline.offset <= 1 {
                    run.append((passage, deadline))
                }
            }
        }
        flush()
        return result
    }
}

/// 举措 — one record per measure paragraph: its lead sentence as title, the main verbs, and how firmly it is put.
enum MeasurePass {
    static let verbs = [
        "推进", "加快", "建设", "支持", "鼓励", "探索", "完善", "深化", "加强", "推动", "建立", "健全", "打造", "提升", "优化",
        "强化", "实施", "培育", "发展", "构建", "落实", "促进", "扩大", "引导", "开展", "推广", "拓展", "聚焦", "坚持",
        "发挥", "提高", "营造", "规范", "引进", "做强", "做大", "用好", "争取", "试点", "研究", "严格", "确保", "创新",
        "明确", "加大", "实行", "推行", "简化", "防止", "清理", "回归", "凝聚", "构筑", "集聚", "对标", "服务", "融入",
    ]
    /// Headings under which lead sentences name principles, aims or analysis rather than measures.
    static let nonMeasureHeadings = ["原则", "指导思想", "目标", "定位", "问题", "短板", "挑战", "形势", "意义"].map(WordSearch.Word.init)

    static func run(_ input: ExtractionInput) -> ([Record], [Diagnostic]) {
        let stages = input.stages
        var records: [Record] = []
        var reviewHeadings = Cues.HeadingMemo(Cues.reviewHeadingWords), otherHeadings = Cues.HeadingMemo(nonMeasureHeadings)
        for passage in input.passages where stages[passage.node.id] == nil {
            let headings = passage.headings + [passage.node.heading].compactMap { $0 }
            guard !reviewHeadings.any(in: headings),
                  !otherHeadings.any(in: headings),
                  let title = title(of: passage), title.count >= 4, !title.contains(":"), !title.contains("："),
                  startsWithAction(title),
                  !Cues.heading(in: [title], startsOrEndsWithAny: nonMeasureHeadings) else { continue }
            let bodyText = passage.sentences.dropFirst().map(\.text).joined()
            let titleVerbs = verbsIn(title)
            let measure = Record.Measure(title: title, verbs: titleVerbs.isEmpty ? Array(verbsIn(bodyText).prefix(3)) : titleVerbs,
                                         strength: strength(of: title) ?? strength(of: bodyText))
            records.append(Record(node: passage.node.id, path: passage.path, text: passage.text, span: passage.node.span,
                                  facts: .measure(measure)))
        }
        return (records, [])
    }

    /// The lead sentence, or the heading of a titled item, without label and final punctuation.
    static func title(of passage: Passage) -> String? {
        var title: String
        if passage.node.kind != .paragraph, let heading = passage.node.heading, passage.node.children.isEmpty == false
            || PlainText.characterCount(passage.node.text) > heading.count + (passage.node.label?.count ?? 0) + 2 {
            title = heading
        } else if let lead = passage.lead {
            title = lead.text
        } else {
            return nil
        }
        if let label = passage.node.label, title.hasPrefix(label) { title = String(title.dropFirst(label.count)) }
        return title.trimmingCharacters(in: "。.；;：:，,")
    }

    /// Adverbs that may stand before the verb of a measure title (积极构建…, 进一步提高…).
    static let adverbs = ["积极", "大力", "进一步", "全面", "持续", "稳步", "主动", "逐步", "深入", "着力", "加速", "充分",
                          "切实", "不断", "有序", "科学", "适时", "重点", "继续", "努力", "率先", "统筹", "依法"]
    /// More verbs that open measure titles but are too common to count as a measure's main verb.
    static let openingVerbs = ["提高", "做强", "放宽", "保障", "延伸", "壮大", "突破", "布局", "引领", "对接", "改进", "增强",
                               "开放", "增加", "降低", "减少", "取消", "设立", "组建", "制定", "修订", "编制", "筹办", "举办",
                               "改善", "培养", "吸引", "保护", "加速", "鼓励", "支持", "引导", "扶持", "维护", "防范", "遏制",
                               "夯实", "筑牢", "守住", "推出", "出台", "大力", "健全", "聚焦", "发挥", "实行", "加大", "明确"]

    /// Measure titles are imperatives: they open with a verb, perhaps after an adverb ("积极构建", "逐步开放").
    /// Outcome statements ("制度集成创新持续深化") and names of functions open with a noun.
    static func startsWithAction(_ title: String) -> Bool {
        var rest = Substring(title)
        for adverb in adverbs where rest.hasPrefix(adverb) {
            rest = rest.dropFirst(adverb.count)
            break
        }
        return (verbs + openingVerbs).contains { rest.hasPrefix($0) } || adverbs.contains { title.hasPrefix($0) && rest.count < title.count && rest.count >= 2 }
    }

    static func verbsIn(_ text: String) -> [String] {
        var found: [(String, String.Index)] = []
        let haystack = WordSearch.Haystack(text)
        for verb in verbs {
            if let index = haystack.firstIndex(of: verb) { found.append((verb, index)) }
        }
        return found.sorted { $0.1 < $1.1 }.map(\.0)
    }

    /// Mandatory before exploratory before promotional: "严格…支持" binds.
    static func strength(of text: String) -> Record.MeasureStrength? {
        if Cues.containsAny(text, ["严格", "确保", "必须", "全面落实", "不得"]) { return .mandatory }
        if Cues.containsAny(text, ["探索", "研究", "争取", "试点"]) { return .exploratory }
        if Cues.containsAny(text, ["支持", "鼓励", "引导"]) { return .promotional }
        return nil
    }
}

/// 引用 — titles in 《》, agreements and initiatives, document numbers (国发〔2019〕3号).
enum ReferencePass {
    /// Agreements and initiatives named without 《》.
    static let agreements = [
        "RCEP", "CPTPP", "DEPA", "TPP", "WTO", "中欧CAI", "中欧全面投资协定", "区域全面经济伙伴关系协定",
        "全面与进步跨太平洋伙伴关系协定", "数字经济伙伴关系协定", "一带一路",
    ]
    /// `agreements` with their plainness read once.
    static let agreementWords = agreements.map(WordSearch.Word.init)

    private static let titlePattern = Pattern("《([^《》]{2,80})》")
    private static let documentNumberPattern = Pattern("[\\p{Han}]{1,10}[〔\\[［【(（][0-9０-９]{4}[〕\\]］】)）][0-9０-９]{1,4}号")

    static func run(_ input: ExtractionInput) -> ([Record], [Diagnostic]) {
        var records: [Record] = []
        for passage in input.passages {
            for sentence in passage.sentences {
                for (name, kind, offsets) in references(in: sentence.text) {
                    records.append(Record(node: sentence.nodeID, path: passage.path, text: sentence.text,
                                          span: sentence.span(of: offsets), facts: .reference(Record.Reference(name: name, kind: kind))))
                }
            }
        }
        return (records, [])
    }

    /// 中欧全面投资协定, 中日韩自贸协定, 数字经济伙伴关系协定.
    static let namedAgreement = Pattern(
        #"中\p{Han}{1,3}?(?:全面投资|投资贸易|自由贸易|自贸|投资)协定|\p{Han}{2,12}伙伴关系协定"#)

    /// References in `text`, in order, each name once per sentence.
    static func references(in text: String) -> [(String, Record.ReferenceKind, Range<Int>)] {
        var found: [(String, Record.ReferenceKind, Range<Int>)] = []
        func offsets(_ range: Range<String.Index>) -> Range<Int> {
            text.distance(from: text.startIndex, to: range.lowerBound)..<text.distance(from: text.startIndex, to: range.upperBound)
        }
        func add(_ name: String, _ kind: Record.ReferenceKind, _ range: Range<Int>) {
            guard !found.contains(where: { $0.0 == name || $0.2.overlaps(range) }) else { return }
            found.append((name, kind, range))
        }
        let haystack = WordSearch.Haystack(text)
        if haystack.contains("《") {
            for match in titlePattern.matches(in: text) {
                if let title = match.groups[0] { add(String(title), .title, offsets(match.range)) }
            }
        }
        if haystack.contains("号") {
            for match in documentNumberPattern.matches(in: text) {
                add(String(match.text), .documentNumber, offsets(match.range))
            }
        }
        for agreement in agreementWords.lazy.filter(haystack.contains).map(\.text) {
            var searchStart = text.startIndex
            while let range = text.range(of: agreement, range: searchStart..<text.endIndex) {
                add(agreement, .agreement, offsets(range))
                searchStart = range.upperBound
            }
        }
        // Bilateral and regional agreements named in full: 中欧全面投资协定, 中日韩自贸协定, …伙伴关系协定.
        // Generic phrases (国际多边协定, 其他自贸协定) name no agreement.
        for match in haystack.contains("协定") ? namedAgreement.matches(in: text) : [] {
            var name = String(match.text)
            for verb in ["完成", "签署", "加入", "实施", "落实", "对标", "利用", "用好", "推进", "加快", "推动"] {
                if let range = name.range(of: verb, options: .backwards) { name = String(name[range.upperBound...]) }
            }
            guard name.count >= 4, let range = text.range(of: name) else { continue }
            add(name, .agreement, offsets(range))
        }
        return found.sorted { $0.2.lowerBound < $1.2.lowerBound }
    }
}
