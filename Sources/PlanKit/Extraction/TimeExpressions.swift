/// 时间表述 — deadlines, periods and past years in plan prose.
public enum TimeExpressions {
    /// A deadline a goal is set against.
    public struct Deadline: Hashable, Sendable {
        /// As printed: "到2025年", "到“十四五”末", "“十四五”期间", "2035年远景".
        public var raw: String
        public var year: Int
        /// The first year, for a period ("十四五"期间 → 2021).
        public var startYear: Int?
        /// Where `raw` starts in the text, in `Character`s.
        public var offset: Int
    }

    /// Deadlines in `text`, in order: 到2025年 (also 至/到…年底/年末/前), 2019年6月底前, 到“十四五”末,
    /// “十四五”期间/时期, 2035年远景, 到二〇三五年.
    /// With `documentYear`, relative deadlines count too: "三年内" in a 2019 document → 2022.
    private static let toYear = Pattern("(?:到|至)([0-9]{4}|[〇零一二三四五六七八九]{4})年(?:底|末|前)?")
    private static let beforeYear = Pattern("([0-9]{4})年(?:[0-9]{1,2}月)?(?:底|末|上半年|下半年)?前")
    private static let openingYear = Pattern("([0-9]{4})年(?:[0-9]{1,2}月)?(?:上半年|下半年|年底|底|末|年内)(?=，|,)")
    private static let vision = Pattern("([0-9]{4})年远景")
    private static let planPeriodPhrase = Pattern("(?:到|至)?“?([十一二三四五六七八九]{1,3}五)”?(期末|末|期间|时期)")
    private static let withinYears = Pattern("([0-9]{1,2}|[一二三四五六七八九十两]{1,2})年(?:内|之内)")
    private static let calendarYear = Pattern("([0-9]{4})年(?!代)")
    private static let anyYear = Pattern("([0-9]{4})年")
    private static let fiveYearPlanName = Pattern("([十一二三四五六七八九]{1,3}五)")
    private static let yearRange = Pattern("([0-9]{4})\\s*[—–-]+\\s*([0-9]{4})年")

    public static func deadlines(in text: String, documentYear: Int? = nil) -> [Deadline] {
        datedDeadlines(in: text, documentYear: documentYear).map(\.deadline)
    }

    /// The words each deadline pattern cannot match without, found in one pass over the scalars: a pattern
    /// whose word is absent is not run (each run hands the sentence to ICU afresh).
    private struct RequiredWords {
        var year = false, five = false, toOrUntil = false, before = false, vision = false, within = false
        var periodEnd = false, period = false

        init(_ text: String) {
            var previous: Unicode.Scalar = " "
            for scalar in text.unicodeScalars {
                switch scalar {
                case "年": year = true
                case "五": five = true
                case "到", "至": toOrUntil = true
                case "前": before = true
                case "景": vision = vision || previous == "远"
                case "内": within = true
                case "末": periodEnd = true
                case "间": period = period || previous == "期"
                case "期": period = period || previous == "时"
                default: break
                }
                previous = scalar
            }
        }
    }

    /// `deadlines(in:documentYear:)`, each marked whether it counts from `documentYear` ("三年内"), so that
    /// `yearsMentioned` can leave out the deadlines found without a document year.
    static func datedDeadlines(in text: String, documentYear: Int?) -> [(deadline: Deadline, isRelative: Bool)] {
        // Every deadline names a year (年) or a five-year plan (…五); most sentences have neither. In plain text the
        // scalars answer (`contains` on a String goes through Foundation); other text asks as it always did.
        guard PlainText.isPlain(text) ? text.unicodeScalars.contains(where: { $0 == "年" || $0 == "五" })
            : (text.contains("年") || text.contains("五")) else { return [] }
        let normalized = QuantityNumerals.normalizingDigits(text)
        let words = RequiredWords(normalized)
        var found: [Deadline] = []
        var relative: [Deadline] = []
        func offset(_ index: String.Index) -> Int { normalized.distance(from: normalized.startIndex, to: index) }
        for match in words.year && words.toOrUntil ? toYear.matches(in: normalized) : [] {
            if let digits = match.groups[0], let year = year(from: String(digits)) {
                found.append(Deadline(raw: String(match.text), year: year, offset: offset(match.range.lowerBound)))
            }
        }
        for match in words.year && words.before ? beforeYear.matches(in: normalized) : [] {
            let start = offset(match.range.lowerBound)
            if let digits = match.groups[0], let year = Int(digits),
               !found.contains(where: { $0.offset <= start + 1 && $0.offset >= start - 1 }) {
                found.append(Deadline(raw: String(match.text), year: year, offset: start))
            }
        }
        // "2019年上半年，…" / "2020年底，…" opening a sentence dates what follows.
        if words.year, normalized.unicodeScalars.first.map({ ("0"..."9").contains($0) }) == true,
           let match = openingYear.prefixMatch(in: normalized), let digits = match.groups[0],
           let year = Int(digits), !found.contains(where: { $0.offset <= 1 }) {
            found.append(Deadline(raw: String(match.text), year: year, offset: 0))
        }
        for match in words.year && words.vision ? vision.matches(in: normalized) : [] {
            if let digits = match.groups[0], let year = Int(digits) {
                found.append(Deadline(raw: String(match.text), year: year, offset: offset(match.range.lowerBound)))
            }
        }
        for match in words.five && (words.periodEnd || words.period) ? planPeriodPhrase.matches(in: normalized) : [] {
            guard let name = match.groups[0], let period = FiveYearPlan.years(named: String(name)) else { continue }
            let isEnd = match.groups[1] == "末" || match.groups[1] == "期末"
            found.append(Deadline(raw: String(match.text), year: period.upperBound,
                                  startYear: isEnd ? nil : period.lowerBound, offset: offset(match.range.lowerBound)))
        }
        if let documentYear, words.year, words.within {
            for match in withinYears.matches(in: normalized) {
                guard let digits = match.groups[0] else { continue }
                let count = Int(digits) ?? QuantityNumerals.value(of: String(digits)).map { Int($0) }
                if let count, count <= 20 {
                    relative.append(Deadline(raw: String(match.text), year: documentYear + count,
                                             offset: offset(match.range.lowerBound)))
                }
            }
        }
        guard !found.isEmpty || !relative.isEmpty else { return [] }
        // A year inside a title (《…2035年远景目标纲要》) or a quotation names something; it sets no deadline.
        let quoted = quotedRanges(in: normalized)
        return (found.map { ($0, false) } + relative.map { ($0, true) })
            .filter { deadline, _ in !quoted.contains { $0.contains(deadline.offset) } }
            .sorted { $0.deadline.offset < $1.deadline.offset }
    }

    /// Offsets inside 《》 and “” pairs whose content is longer than a period name ("十四五").
    static func quotedRanges(in text: String) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var openings: [(Character, Int)] = []
        for (offset, character) in text.enumerated() {
            if character == "《" || character == "“" { openings.append((character, offset)) }
            if character == "》" || character == "”", let (opening, start) = openings.popLast(),
               (opening == "《") == (character == "》"), offset - start > 5 {
                ranges.append((start + 1)..<offset)
            }
        }
        return ranges
    }

    /// Calendar years mentioned as such ("2020年", "2019年4月"), with their offsets; deadlines excluded.
    public static func yearsMentioned(in text: String) -> [(year: Int, offset: Int)] {
        guard PlainText.isPlain(text) ? text.unicodeScalars.contains("年") : text.contains("年") else { return [] }
        return yearsMentioned(in: text, deadlines: datedDeadlines(in: text, documentYear: nil))
    }

    /// `yearsMentioned(in:)` with the sentence's deadlines already found (by any document year: the relative
    /// ones are left out here, as `deadlines(in:)` without a year would not find them).
    static func yearsMentioned(in text: String, deadlines: [(deadline: Deadline, isRelative: Bool)]) -> [(year: Int, offset: Int)] {
        guard PlainText.isPlain(text) ? text.unicodeScalars.contains("年") : text.contains("年") else { return [] }
        let normalized = QuantityNumerals.normalizingDigits(text)
        let deadlineOffsets = Set(deadlines.filter { !$0.isRelative }.map(\.deadline.offset))
        var result: [(year: Int, offset: Int)] = []
        for match in calendarYear.matches(in: normalized) {
            let position = normalized.distance(from: normalized.startIndex, to: match.range.lowerBound)
            guard let digits = match.groups[0], let year = Int(digits), (1900...2100).contains(year),
                  !deadlineOffsets.contains(position - 1), !deadlineOffsets.contains(position) else { continue }
            result.append((year, position))
        }
        return result
    }

    /// "2025" or "二〇二五" as a year.
    static func year(from digits: String) -> Int? {
        if let value = Int(digits) { return value }
        return QuantityNumerals.value(of: digits).map { Int($0) }
    }

    /// The year a document speaks from: its publication date, else a year in its title ("2025年…政府工作报告").
    public static func documentYear(of metadata: Metadata) -> Int? {
        if let date = metadata.date ?? metadata.writtenDate, let year = Int(date.prefix(4)) { return year }
        if let title = metadata.title, let match = anyYear.firstMatch(in: title), let digits = match.groups[0] {
            return Int(digits)
        }
        return nil
    }

    /// The plan period a document covers, from its title: "“十四五”…发展规划" → 2021…2025,
    /// "（2018—2035年）" → 2018…2035.
    public static func planPeriod(of metadata: Metadata) -> ClosedRange<Int>? {
        guard let title = metadata.title.map(QuantityNumerals.normalizingDigits) else { return nil }
        if let match = fiveYearPlanName.firstMatch(in: title), let name = match.groups[0],
           let period = FiveYearPlan.years(named: String(name)) {
            return period
        }
        if let match = yearRange.firstMatch(in: title), let first = match.groups[0], let last = match.groups[1],
           let start = Int(first), let end = Int(last), start <= end {
            return start...end
        }
        return nil
    }
}
