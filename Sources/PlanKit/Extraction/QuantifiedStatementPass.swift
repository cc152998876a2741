/// 目标与成效 — every quantity of the running text, typed as a target, an achievement or a bare quantity,
/// plus the qualitative targets of goal lists and dated goals.
///
/// A sentence's own words decide first (a future deadline → target; 累计, 已, 成立以来, a past year → achievement),
/// then its paragraph (a deadline stated earlier in it, a goal list "主要预期目标是：…"), then its headings
/// (回顾/成效 sections report, 目标 sections aim). What none of these claims stays a bare quantity.
enum QuantifiedStatementPass {
    static func run(_ input: ExtractionInput) -> ([Record], [Diagnostic]) {
        var records: [Record] = []
        var diagnostics: [Diagnostic] = []
        let stages = input.stages
        var reviewHeadings = Cues.HeadingMemo(Cues.reviewHeadingWords), goalHeadings = Cues.HeadingMemo(Cues.goalHeadingWords)
        for passage in input.passages {
            var context = PassageContext(passage: passage, input: input, stage: stages[passage.node.id],
                                         reviewHeadings: &reviewHeadings, goalHeadings: &goalHeadings)
            var currentDeadline: TimeExpressions.Deadline?
            for sentence in passage.sentences {
                // "今年发展主要预期目标是：…" opens a goal list that runs to the end of the paragraph.
                if Cues.containsAny(sentence.text, ["目标是：", "目标是:", "目标为：", "目标为:"]) { context.isGoalList = true }
                let datedDeadlines = TimeExpressions.datedDeadlines(in: sentence.text, documentYear: input.documentYear)
                let deadlines = datedDeadlines.map(\.deadline)
                if let future = deadlines.last(where: { context.isFuture($0.year) }) { currentDeadline = future }
                let (quantities, baselines) = quantitiesAndBaselines(in: sentence.text)
                let decision = context.decide(sentence: sentence.text, deadlines: datedDeadlines, carried: currentDeadline)
                // Read only where a figure may stand before 的 (most sentences hold none).
                let characters = quantities.isEmpty ? [] : QuantityScanner.characters(of: sentence.text)
                for (quantity, baseline) in zip(quantities, baselines) {
                    // "500万元及以下的小微企业", "设立五周年的": a figure before 的 describes something; it is
                    // neither a result nor a goal.
                    let isAttributive = quantity.offsets.upperBound < characters.count && characters[quantity.offsets.upperBound] == "的"
                    var decision = decision
                    if isAttributive, decision.type != .quantity { decision = Decision(type: .quantity) }
                    let facts: Record.Facts = switch decision.type {
                    case .target:
                        .target(Record.Target(quantity: quantity, timing: decision.timing,
                                              direction: Cues.direction(in: sentence.text, before: quantity.offsets.lowerBound),
                                              strength: Cues.targetStrength(of: sentence.text, quantity: quantity),
                                              baseline: baseline))
                    case .achievement: .achievement(Record.Figure(quantity: quantity, timing: decision.timing, baseline: baseline))
                    default: .quantity(Record.Figure(quantity: quantity, timing: decision.timing, baseline: baseline))
                    }
                    records.append(Record(node: sentence.nodeID, path: passage.path, text: sentence.text,
                                          span: sentence.span(of: quantity.offsets), facts: facts))
                }
                records += qualitativeTargets(in: sentence, context: context, decision: decision,
                                              hasQuantities: !quantities.isEmpty, deadlines: deadlines)
            }
        }
        for record in records where record.type == .target && record.year == nil {
            diagnostics.append(Diagnostic(.note, "extract.target-without-deadline",
                                          "target \"\(record.quantity?.raw ?? record.title ?? "")\" states no deadline",
                                          at: record.span.start))
        }
        return (records, diagnostics)
    }

    /// Goals without numbers: each item of a goal list ("居民收入增长和经济增长同步"), and each dated sentence
    /// ("到2025年，基本形成…体系") outside milestones.
    static func qualitativeTargets(in sentence: Passage.Sentence, context: PassageContext, decision: Decision,
                                   hasQuantities: Bool, deadlines: [TimeExpressions.Deadline]) -> [Record] {
        guard decision.type == .target, context.stage == nil else { return [] }
        func target(_ goal: String) -> Record {
            Record(node: sentence.nodeID, path: context.passage.path, text: sentence.text, span: sentence.span,
                   facts: .target(Record.Target(title: goal, timing: decision.timing,
                                                strength: Cues.targetStrength(of: goal, quantity: nil))))
        }
        if context.isGoalList, !sentence.isLead {
            return goalItems(of: sentence.text).filter { QuantityScanner.quantities(in: $0).isEmpty }.map(target)
        }
        // Dated goals: only 到…年 / 到…末 deadlines; "“十四五”时期，…" sets a scene more often than a goal, and a
        // sentence ending in a colon introduces the goals that follow.
        if !hasQuantities, let deadline = deadlines.first(where: { context.isFuture($0.year) && $0.startYear == nil
            && ($0.raw.hasPrefix("到") || $0.raw.hasPrefix("至") || $0.raw.hasSuffix("内") || $0.raw.hasSuffix("前")
                || $0.offset == 0) }), !sentence.isLead,
           !sentence.text.hasSuffix("：") && !sentence.text.hasSuffix(":") {
            var goal = String(sentence.text.dropFirst(deadline.offset + deadline.raw.count))
            goal = goal.trimmingCharacters(in: "，,。；;：:")
            guard goal.count >= 4 else { return [] }
            return [target(goal)]
        }
        return []
    }

    /// The items of a goal list sentence, split at commas and colons; the list's own header ("…目标是") and
    /// its deadline prefix ("到2025年") are not items.
    static func goalItems(of text: String) -> [String] {
        var items: [String] = []
        var current = ""
        for character in text {
            if "，,；;：:。".contains(character) {
                items.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        items.append(current)
        // Items that say how or why ("通过…", "为…奠定基础") are means and purposes, not goals.
        let meansOrPurpose = ["通过", "为", "以", "按照", "围绕", "根据", "依托"]
        return items.map { $0.trimmingCharacters(in: "") }.filter { item in
            item.count >= 4 && !item.contains("目标") && !meansOrPurpose.contains { item.hasPrefix($0) } && TimeExpressions.deadlines(in: item).first.map { $0.raw.count < item.count - 2 } ?? true
        }
    }

    /// Quantities of a sentence, with "是成立时的29倍" taken as the baseline of the figures before it instead
    /// of a quantity of its own.
    private static let timesPattern = Pattern("(?:是|为|相当于)([^，,。；;、]{1,12}?)的([0-9]+(?:\\.[0-9]+)?)倍")

    static func quantitiesAndBaselines(in text: String) -> ([Quantity], [Record.Baseline?]) {
        let all = QuantityScanner.quantities(in: text)
        let normalized = QuantityNumerals.normalizingDigits(text)
        var comparisons: [(range: Range<Int>, baseline: Record.Baseline)] = []
        for match in WordSearch.contains(normalized, "倍") ? timesPattern.matches(in: normalized) : [] {
            guard let figure = match.groups[1], let ratio = Double(figure), let against = match.groups[0] else { continue }
            let start = normalized.distance(from: normalized.startIndex, to: match.range.lowerBound)
            let end = normalized.distance(from: normalized.startIndex, to: match.range.upperBound)
            comparisons.append((start..<end, Record.Baseline(ratio: ratio, against: String(against))))
        }
        let quantities = all.filter { quantity in !comparisons.contains { $0.range.overlaps(quantity.offsets) } }
        // A baseline covers only the figures between the previous comparison and itself.
        var lastComparisonEnd = 0
        var covered: [Record.Baseline?] = Array(repeating: nil, count: quantities.count)
        for comparison in comparisons {
            for (index, quantity) in quantities.enumerated()
            where quantity.offsets.lowerBound >= lastComparisonEnd && quantity.offsets.upperBound <= comparison.range.lowerBound {
                covered[index] = comparison.baseline
            }
            lastComparisonEnd = comparison.range.upperBound
        }
        return (quantities, covered)
    }

    /// How a sentence's figures are typed, and the time they belong to.
    struct Decision {
        var type: Record.RecordType
        var year: Int?
        var startYear: Int?
        var deadline: String?

        var timing: Record.Timing { Record.Timing(year: year, startYear: startYear, deadline: deadline) }
    }

    /// What a passage's place in the document says about its sentences.
    struct PassageContext {
        var passage: Passage
        var input: ExtractionInput
        var stage: MilestonePass.Stage?
        var isReview: Bool
        var isGoalSection: Bool
        var isGoalList: Bool

        init(passage: Passage, input: ExtractionInput, stage: MilestonePass.Stage?,
             reviewHeadings: inout Cues.HeadingMemo, goalHeadings: inout Cues.HeadingMemo) {
            self.passage = passage
            self.input = input
            self.stage = stage
            let headings = passage.headings + [passage.node.heading].compactMap { $0 }
            isReview = reviewHeadings.any(in: headings)
            isGoalSection = goalHeadings.any(in: headings)
            let opening = passage.sentences.first?.text ?? ""
            let ownHeading = passage.node.heading ?? ""
            let words = WordSearch.Haystack(opening)
            isGoalList = (words.contains("目标") && (words.contains("是：") || words.contains("是:")
                    || opening.hasSuffix("目标。") || opening.hasSuffix("目标：")))
                || ownHeading.hasSuffix("目标")
        }

        func isFuture(_ year: Int) -> Bool { input.documentYear.map { year >= $0 } ?? true }

        func decide(sentence: String, deadlines datedDeadlines: [(deadline: TimeExpressions.Deadline, isRelative: Bool)],
                    carried: TimeExpressions.Deadline?) -> Decision {
            let deadlines = datedDeadlines.map(\.deadline)
            if let stage {
                return Decision(type: .target, year: stage.year, deadline: stage.deadline)
            }
            if let future = deadlines.first(where: { isFuture($0.year) }) {
                return Decision(type: .target, year: future.year, startYear: future.startYear, deadline: future.raw)
            }
            let pastPeriod = deadlines.first { !isFuture($0.year) }
            let pastYear = TimeExpressions.yearsMentioned(in: sentence, deadlines: datedDeadlines).first { !isFuture($0.year) }
            let words = WordSearch.Haystack(sentence)  // plain or not, checked once for the lists below
            if words.containsAny(Cues.achievementWords) || pastPeriod != nil || pastYear != nil || isReview {
                var year = pastYear?.year ?? pastPeriod?.year
                if year == nil, input.isWorkReport, let documentYear = input.documentYear,
                   words.containsAny(["过去一年", "一年来", "去年"]) {
                    year = documentYear - 1
                }
                return Decision(type: .achievement, year: year)
            }
            let reportYearWords = input.isWorkReport && words.containsAny(["今年", "拟"])
            if words.containsAny(Cues.targetWords) || carried != nil || isGoalList || isGoalSection || reportYearWords {
                if let carried {
                    return Decision(type: .target, year: carried.year, startYear: carried.startYear, deadline: carried.raw)
                }
                if input.isWorkReport, let year = input.documentYear {
                    return Decision(type: .target, year: year, deadline: "今年")
                }
                return Decision(type: .target, year: input.planPeriod?.upperBound)
            }
            return Decision(type: .quantity)
        }
    }
}
