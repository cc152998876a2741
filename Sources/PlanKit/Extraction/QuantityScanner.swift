/// 数量识别 — finds the quantities in a sentence and leaves codes, names, labels and dates alone.
///
/// A number counts as a quantity only with something that says what it counts: a unit or measure word
/// (户, 元, 平方米, 家), a percent sign, a fraction, or a 万/亿 multiplier. That one rule keeps out the
/// customs modes (1210, 9610), document and phone numbers, and section labels, which never carry one.
/// Numbers glued to Latin letters (A220, T1, 5G, B2B2C) or to "+" ("17+1", "1+5") are names; a number
/// followed by 年/月/日 that reads as a calendar date is a date; 2.0版 is a version.
public enum QuantityScanner {
    /// Units in the order they are tried (longest first where one is a prefix of another).
    static let units: [String] = [
        "个百分点", "百分点", "个工作日", "工作日", "平方公里", "毫米", "厘米", "微米", "毫克", "微克", "兆瓦", "吉瓦", "千伏", "平方千米", "平方米", "立方米", "千瓦时", "千瓦", "公里", "千米", "公顷",
        "标准箱", "标箱", "美元", "欧元", "日元", "港元", "元", "人次", "个月", "周年", "小时", "分钟",
        "吨", "公斤", "千克", "斤", "亩", "米", "户", "家", "项", "条", "人", "名", "件", "座", "所", "套", "台",
        "辆", "架", "艘", "次", "批", "处", "种", "类", "份", "场", "款", "张", "栋", "间", "床", "个", "倍",
        "年", "天", "周", "秒", "岁", "只", "头", "株", "本", "部", "篇", "门", "班", "列", "趟", "元/",
    ].filter { $0 != "元/" }
    /// Latin units that may follow a number without making it a code.
    static let latinUnits: [String] = ["TEU", "km", "kW", "MW", "GW", "kWh", "GB", "TB", "Mbps", "Gbps"]
    /// Units a Chinese-numeral count may take. Narrower than `units`: "三年行动", "五年规划" and 一 + 个 are names
    /// or articles, not counts.
    static let chineseCountUnits: Set<String> = [
        "个百分点", "百分点", "平方公里", "平方米", "周年", "个月", "人次", "户", "家", "项", "条", "人", "名", "件",
        "座", "所", "套", "台", "辆", "架", "艘", "批", "处", "种", "类", "个", "倍", "万", "亿", "元", "吨", "天",
    ]

    static let prefixComparators: [(String, Quantity.Comparator)] = [
        ("不得低于", .atLeast), ("不得少于", .atLeast), ("不得高于", .atMost), ("不得超过", .atMost), ("不低于", .atLeast), ("不少于", .atLeast), ("至少", .atLeast), ("不超过", .atMost), ("不高于", .atMost),
        ("不多于", .atMost), ("控制在", .atMost), ("超过", .greater), ("高于", .greater), ("多于", .greater),
        ("大于", .greater), ("低于", .less), ("少于", .less), ("小于", .less), ("大约", .approximately),
        ("接近", .approximately), ("约", .approximately), ("近", .approximately),
    ]
    static let suffixComparators: [(String, Quantity.Comparator)] = [
        ("及以上", .atLeast), ("及以下", .atMost), ("以上", .atLeast), ("以下", .atMost), ("以内", .atMost), ("左右", .approximately), ("上下", .approximately),
    ]
    static let rangeSeparators: [String] = ["—", "–", "-", "~", "～", "至", "到"]
    /// The word lists above as characters, compared with a sentence's characters at a position.
    static let prefixComparatorWords = prefixComparators.map { (word: $0.0, characters: Array($0.0), comparator: $0.1) }
    static let suffixComparatorWords = suffixComparators.map { (word: $0.0, characters: Array($0.0), comparator: $0.1) }
    static let rangeSeparatorCharacters = rangeSeparators.map { Array($0) }
    static let latinUnitCharacters = latinUnits.map { (unit: $0, characters: Array($0)) }

    /// The quantities in `text`, in order. Offsets in each `Quantity` index `text`'s `Character`s.
    public static func quantities(in text: String) -> [Quantity] {
        let normalized = QuantityNumerals.normalizingDigits(text)
        let chars = characters(of: normalized)
        var results: [Quantity] = []
        var index = 0
        // In plain text each character is one scalar: the quick checks read the scalars.
        let scalars: [Unicode.Scalar]? = PlainText.isPlain(normalized) ? Array(normalized.unicodeScalars) : nil
        let quoteDepths = scalars.map(quoteDepthMap) ?? quoteDepthMap(chars)
        while index < chars.count {
            // Most characters are Hanzi that neither start a quantity nor a token to skip: step over them without
            // the checks below, which would each say no (they need a digit, a letter, a numeral or 翻).
            if let scalar = scalars?[index] ?? chars[index].plainScalar, scalar.value >= 0x80, scalar != "翻",
               !QuantityNumerals.isNumeralScalar(scalar) {
                index += 1
                continue
            }
            if let found = quantity(at: index, in: chars, insideQuotes: quoteDepths[index] > 0) {
                results.append(found)
                index = max(found.offsets.upperBound, index + 1)
            } else {
                index = skipToken(at: index, in: chars)
            }
        }
        // `raw` as printed: the offsets are the same in the original, since normalising maps one to one.
        let original = normalized == text ? chars : characters(of: text)
        var quantities = results.map { found in
            var quantity = withMetric(found, in: chars, previous: results)
            quantity.raw = String(original[found.offsets])
            return quantity
        }
        // "贷款余额从16.3万亿元增加到27.4万亿元": the second figure measures what the first does.
        for index in quantities.indices.dropFirst() {
            let gap = String(chars[quantities[index - 1].offsets.upperBound..<quantities[index].offsets.lowerBound])
            let connective = gap.isEmpty || directionWords.contains(gap) || ["至", "到", "增至", "降到", "升至"].contains(gap)
                || gap.hasSuffix("到") && gap.count <= 4 && !gap.contains(where: { metricBoundaries.contains($0) })
            if connective, quantities[index].metric == nil || directionWords.contains(quantities[index].metric ?? "")
                || gap == quantities[index].metric {
                quantities[index].metric = quantities[index - 1].metric
            }
        }
        return quantities
    }

    // MARK: - One quantity

    static func quantity(at start: Int, in chars: [Character], insideQuotes: Bool) -> Quantity? {
        if let special = percentOrFractionInWords(at: start, in: chars) { return special }
        if let doubling = doubling(at: start, in: chars) { return doubling }
        if chars[start].isASCIIDigit { return arabicQuantity(at: start, in: chars) }
        if QuantityNumerals.isNumeralCharacter(chars[start]), !insideQuotes {
            return chineseCount(at: start, in: chars)
        }
        return nil
    }

    /// Moves past a run of digits or numerals that did not make a quantity, so "2021年08月" is skipped whole
    /// instead of being re-read from its second digit.
    static func skipToken(at index: Int, in chars: [Character]) -> Int {
        var next = index + 1
        if chars[index].isASCIIDigit || chars[index].isASCIILetter {
            while next < chars.count,
                  chars[next].isASCIIDigit || chars[next].isASCIILetter || chars[next] == "." || chars[next] == "+" {
                next += 1
            }
        } else if QuantityNumerals.isNumeralCharacter(chars[index]) {
            while next < chars.count, QuantityNumerals.isNumeralCharacter(chars[next]) { next += 1 }
        }
        return next
    }

    /// 百分之三十 → 30 %, 千分之五 → 5 ‰, 三分之二 → 0.6667 ratio.
    static func percentOrFractionInWords(at start: Int, in chars: [Character]) -> Quantity? {
        for (word, unit) in [("百分之", "%"), ("千分之", "‰")] where matches(word, at: start, in: chars) {
            let numberStart = start + word.count
            guard let (number, end) = readNumber(at: numberStart, in: chars) else { return nil }
            return finish(value: number, unit: unit, start: start, end: end, in: chars)
        }
        // X分之Y: the denominator comes first.
        guard !chars[start].isASCIIDigit else { return nil }
        var end = start
        while end < chars.count, QuantityNumerals.isNumeralCharacter(chars[end]) { end += 1 }
        guard end > start, matches("分之", at: end, in: chars),
              let denominator = QuantityNumerals.value(of: String(chars[start..<end])), denominator > 0 else { return nil }
        var numeratorEnd = end + 2
        while numeratorEnd < chars.count, QuantityNumerals.isNumeralCharacter(chars[numeratorEnd]) { numeratorEnd += 1 }
        guard let numerator = QuantityNumerals.value(of: String(chars[(end + 2)..<numeratorEnd])) else { return nil }
        return finish(value: rounded(numerator / denominator), unit: "ratio", start: start, end: numeratorEnd, in: chars)
    }

    /// 翻一番 → ×2, 翻两番 → ×4.
    static func doubling(at start: Int, in chars: [Character]) -> Quantity? {
        guard chars[start] == "翻", start + 2 < chars.count, chars[start + 2] == "番",
              let times = QuantityNumerals.digitValues[chars[start + 1]], times > 0 else { return nil }
        let factor = Double(1 << times)
        return Quantity(value: factor, unit: "倍", raw: String(chars[start...(start + 2)]), offsets: start..<(start + 3))
    }

    /// A number in Arabic digits with its multipliers, unit, range and comparators.
    static func arabicQuantity(at start: Int, in chars: [Character]) -> Quantity? {
        // A number glued to a Latin letter, "+", or a hyphenated code before it is part of a name.
        if start > 0 {
            let before = chars[start - 1]
            if before.isASCIILetter || before == "+" || before == "." || before == "-" && start > 1 && chars[start - 2].isASCIIDigit {
                return nil
            }
            if before == "第" { return nil }
        }
        guard let (number, afterNumber) = readArabic(at: start, in: chars) else { return nil }
        var cursor = afterNumber
        // Dates: 2021年, 4月, 23日, 2019/4/1.
        if isDate(number: number, digitsEnd: afterNumber, start: start, in: chars) { return nil }
        // Fractions 2/3.
        if cursor < chars.count, chars[cursor] == "/", cursor + 1 < chars.count, chars[cursor + 1].isASCIIDigit,
           let (denominator, afterDenominator) = readArabic(at: cursor + 1, in: chars), denominator.value > 0,
           !(afterDenominator < chars.count && chars[afterDenominator] == "/") {
            return finish(value: rounded(number.value / denominator.value), unit: "ratio", start: start,
                          end: afterDenominator, in: chars)
        }
        // Codes and names: 5G, 17+1, 2.0版.
        if cursor < chars.count {
            let next = chars[cursor]
            if next == "+" || next == "版" || next == "号" { return nil }
            if next.isASCIILetter, latinUnit(at: cursor, in: chars) == nil { return nil }
        }
        let (multiplier, afterMultiplier) = readMultiplier(at: cursor, in: chars)
        cursor = afterMultiplier
        return finish(value: number.value(times: multiplier), unit: nil, start: start, end: cursor, in: chars,
                      hasMultiplier: multiplier != 1)
    }

    /// A count in Chinese numerals with a measure word: 五周年, 三百家, 两万人. Ordinals (第三), 一 + measure
    /// word ("一批", "一个"), and digit strings read as years are not counts.
    static func chineseCount(at start: Int, in chars: [Character]) -> Quantity? {
        if start > 0, chars[start - 1] == "第" || QuantityNumerals.isNumeralCharacter(chars[start - 1]) { return nil }
        var end = start
        while end < chars.count, QuantityNumerals.isNumeralCharacter(chars[end]) { end += 1 }
        let numeral = String(chars[start..<end])
        guard numeral != "一", numeral != "万", numeral != "亿", numeral != "千", numeral != "百", numeral != "十",
              let value = QuantityNumerals.value(of: numeral), value >= 2 else { return nil }
        guard let unit = unit(at: end, in: chars), chineseCountUnits.contains(unit) else { return nil }
        // A lone digit before a measure word is as often part of a name ("冬季两项", "三个清单") as a count;
        // only units that names do not use keep it.
        if numeral.count == 1, !["周年", "倍", "百分点", "个百分点"].contains(unit) { return nil }
        if end + unit.count < chars.count, "大步届中".contains(chars[end + unit.count]) { return nil }
        return finish(value: value, unit: nil, start: start, end: end, in: chars)
    }

    // MARK: - Pieces

    struct ArabicNumber {
        /// The digits as an integer, and how many of them follow the point: 625.2 → 6252, 1.
        var mantissa: Double
        var decimals: Int
        var digitCount: Int
        var hasDecimal: Bool { decimals > 0 }
        var value: Double { scaled(mantissa, decimals: decimals) }
        /// Multiplies before dividing, so 1.9万 is exactly 19000.
        func value(times multiplier: Double) -> Double { scaled(mantissa * multiplier, decimals: decimals) }
    }

    /// Digits with "," grouping and a decimal point; the value is exact for integers and as close as a
    /// Double allows for decimals (one division, so 625.2 stays 625.2).
    static func readArabic(at start: Int, in chars: [Character]) -> (ArabicNumber, Int)? {
        var cursor = start
        var mantissa = 0.0
        var scale = 0
        var digitCount = 0
        var sawPoint = false
        while cursor < chars.count {
            let character = chars[cursor]
            if let digit = character.wholeNumberValue, character.isASCIIDigit {
                mantissa = mantissa * 10 + Double(digit)
                if sawPoint { scale += 1 }
                digitCount += 1
            } else if character == ".", !sawPoint, cursor + 1 < chars.count, chars[cursor + 1].isASCIIDigit {
                sawPoint = true
            } else if character == ",", !sawPoint, cursor + 3 < chars.count,
                      chars[(cursor + 1)...(cursor + 3)].allSatisfy(\.isASCIIDigit),
                      !(cursor + 4 < chars.count && chars[cursor + 4].isASCIIDigit) {
                // 1,200 — a thousands separator, not a list comma.
            } else {
                break
            }
            cursor += 1
        }
        guard digitCount > 0 else { return nil }
        return (ArabicNumber(mantissa: mantissa, decimals: scale, digitCount: digitCount), cursor)
    }

    /// A number in digits or Chinese numerals (for 百分之三十 and 百分之5).
    static func readNumber(at start: Int, in chars: [Character]) -> (Double, Int)? {
        guard start < chars.count else { return nil }
        if chars[start].isASCIIDigit, let (number, end) = readArabic(at: start, in: chars) { return (number.value, end) }
        var end = start
        while end < chars.count, QuantityNumerals.isNumeralCharacter(chars[end]) || chars[end] == "点" { end += 1 }
        guard end > start, let value = QuantityNumerals.value(of: String(chars[start..<end])) else { return nil }
        return (value, end)
    }

    /// 万, 亿, 万亿, 千万, 百万 after digits. 千 before 米/克/瓦 is part of the unit, 百 before 分 of 百分点.
    static func readMultiplier(at start: Int, in chars: [Character]) -> (Double, Int) {
        var factor = 1.0
        var cursor = start
        let values: [Character: Double] = ["十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000]
        while cursor < chars.count, let value = values[chars[cursor]] {
            let next: Character? = cursor + 1 < chars.count ? chars[cursor + 1] : nil
            if chars[cursor] == "千", let next, "米克瓦".contains(next) { break }
            if chars[cursor] == "百", next == "分" { break }
            if chars[cursor] == "十", cursor == start, !(next.map { "万亿".contains($0) } ?? false) { break }
            factor *= value
            cursor += 1
        }
        return (factor, cursor)
    }

    /// Everything after the number and multiplier: 余/多, unit, range, comparators. Nil when nothing says
    /// what the number counts.
    static func finish(value: Double, unit fixedUnit: String?, start: Int, end: Int, in chars: [Character],
                       hasMultiplier: Bool = false) -> Quantity? {
        var cursor = end
        var approx: String?
        var comparator = Quantity.Comparator.equal
        if cursor < chars.count, "余多".contains(chars[cursor]), fixedUnit == nil {
            approx = String(chars[cursor])
            comparator = .greater
            cursor += 1
        }
        var unit = fixedUnit
        if unit == nil {
            if cursor < chars.count, chars[cursor] == "%" {
                unit = "%"
                cursor += 1
            } else if cursor < chars.count, chars[cursor] == "‰" {
                unit = "‰"
                cursor += 1
            } else if let latin = latinUnit(at: cursor, in: chars) {
                unit = latin
                cursor += latin.count
            } else if let word = self.unit(at: cursor, in: chars) {
                unit = canonicalUnit(word)
                cursor += word.count
            }
        }
        if unit == "年" || unit == "周年", value >= 1000 { return nil }
        // 4年多: the hedge after the unit.
        if approx == nil, cursor < chars.count, chars[cursor] == "多", unit != nil {
            approx = "多"
            comparator = .greater
            cursor += 1
        }
        var low: Double?
        var high: Double?
        var finalValue = value
        if let (second, secondMultiplier, secondUnit, afterSecond) = rangeEnd(at: cursor, in: chars, unit: unit) {
            // "5—6万": the multiplier printed once applies to both ends.
            let firstValue = !hasMultiplier && secondMultiplier != 1 ? value * secondMultiplier : value
            let secondValue = second.value(times: secondMultiplier)
            guard secondValue > firstValue else { return nil }
            low = firstValue
            high = secondValue
            if unit == nil { unit = secondUnit }
            cursor = afterSecond
        }
        // A range written "5—6%" carries its unit and multiplier on the second number only.
        if low == nil, unit == nil, !hasMultiplier { return nil }
        var rawStart = start
        for (word, characters, prefix) in prefixComparatorWords
        where start >= characters.count && matches(characters, at: start - characters.count, in: chars) {
            if prefix == .approximately { approx = approx ?? word }
            comparator = prefix
            rawStart = start - characters.count
            break
        }
        // "不高于承担风险责任的0.5%": the comparator governs a phrase that ends in 的 before the number.
        if rawStart == start, start > 0, chars[start - 1] == "的" {
            var pieceStart = start - 1
            while pieceStart > 0, !metricBoundaries.contains(chars[pieceStart - 1]), start - pieceStart < 16 { pieceStart -= 1 }
            let piece = String(chars[pieceStart..<start])
            if let (_, governing) = prefixComparators.first(where: { $0.1 != .approximately && piece.contains($0.0) }) {
                comparator = governing
            }
        }
        for (word, characters, suffix) in suffixComparatorWords where matches(characters, at: cursor, in: chars) {
            comparator = suffix
            if suffix == .approximately { approx = word }
            cursor += characters.count
            break
        }
        if let low { finalValue = low }
        return Quantity(value: finalValue, unit: unit, raw: String(chars[rawStart..<cursor]), comparator: comparator,
                        approx: approx, low: low, high: high, offsets: rawStart..<cursor)
    }

    /// The second number of a range "5%—6%", "1万至5万", "5—6%": its value in the first one's terms.
    static func rangeEnd(at start: Int, in chars: [Character], unit: String?)
        -> (ArabicNumber, Double, String?, Int)? {
        for separator in rangeSeparatorCharacters where matches(separator, at: start, in: chars) {
            let numberStart = start + separator.count
            guard numberStart < chars.count, chars[numberStart].isASCIIDigit,
                  let (number, afterNumber) = readArabic(at: numberStart, in: chars) else { return nil }
            let (multiplier, afterMultiplier) = readMultiplier(at: afterNumber, in: chars)
            var cursor = afterMultiplier
            var secondUnit: String?
            if cursor < chars.count, chars[cursor] == "%" {
                secondUnit = "%"
                cursor += 1
            } else if let word = self.unit(at: cursor, in: chars) {
                secondUnit = canonicalUnit(word)
                cursor += word.count
            }
            if unit != nil, secondUnit != nil, secondUnit != unit { return nil }
            if unit == nil, secondUnit == nil, multiplier == 1 { return nil }
            // "2019-2021" or phone numbers: both ends must be numbers, not codes.
            if cursor < chars.count, chars[cursor].isASCIIDigit || chars[cursor] == "-" { return nil }
            return (number, multiplier, secondUnit, cursor)
        }
        return nil
    }

    /// 2021年 (a year), 4月, 23日, 2019年度, 1990年代: a number that names a time, not an amount of time.
    static func isDate(number: ArabicNumber, digitsEnd: Int, start: Int, in chars: [Character]) -> Bool {
        guard digitsEnd < chars.count, !number.hasDecimal else { return false }
        let next = chars[digitsEnd]
        if next == "年", number.digitCount == 4 { return true }
        if next == "月" || next == "日" || next == "号" { return true }
        if next == "/" || next == "-" || next == ".",
           number.digitCount == 4, digitsEnd + 1 < chars.count, chars[digitsEnd + 1].isASCIIDigit {
            return true
        }
        return false
    }

    /// "个百分点" → "百分点", "个工作日" → "工作日": the measure word 个 is not part of the unit.
    static func canonicalUnit(_ word: String) -> String {
        word.hasPrefix("个") && word.count > 2 && word != "个月" ? String(word.dropFirst()) : word
    }

    static func unit(at start: Int, in chars: [Character]) -> String? {
        guard start >= 0, start < chars.count, let candidates = unitsByFirstCharacter[chars[start]] else { return nil }
        return candidates.first { matches($0.characters, at: start, in: chars) }?.unit
    }

    /// `units` by their first character, in `units`' order (so the first that matches is the one `units`
    /// lists first), each with its characters: a position is compared with the few units that can start there.
    static let unitsByFirstCharacter: [Character: [(unit: String, characters: [Character])]] =
        Dictionary(grouping: units.map { ($0, Array($0)) }, by: { $0.1[0] })

    static func latinUnit(at start: Int, in chars: [Character]) -> String? {
        for (unit, characters) in latinUnitCharacters where matches(characters, at: start, in: chars) {
            let end = start + characters.count
            if end < chars.count, chars[end].isASCIILetter || chars[end].isASCIIDigit { continue }
            return unit
        }
        return nil
    }

    static func matches(_ word: [Character], at start: Int, in chars: [Character]) -> Bool {
        guard start >= 0, start + word.count <= chars.count else { return false }
        for (offset, character) in word.enumerated() where chars[start + offset] != character { return false }
        return true
    }

    static func matches(_ word: String, at start: Int, in chars: [Character]) -> Bool {
        guard start >= 0, start + word.count <= chars.count else { return false }
        var index = start
        for character in word {
            if chars[index] != character { return false }
            index += 1
        }
        return true
    }

    /// `quoteDepthMap` over the scalars of plain text (one a character).
    static func quoteDepthMap(_ scalars: [Unicode.Scalar]) -> [Int] {
        var depth = 0
        var result: [Int] = []
        result.reserveCapacity(scalars.count)
        for scalar in scalars {
            if scalar == "“" || scalar == "「" { depth += 1 }
            result.append(depth)
            if scalar == "”" || scalar == "」" { depth = max(0, depth - 1) }
        }
        return result
    }

    /// For each character, how many “” / 「」 quotes are open around it: counts in quotes are names ("三个区").
    static func quoteDepthMap(_ chars: [Character]) -> [Int] {
        var depth = 0
        var result: [Int] = []
        result.reserveCapacity(chars.count)
        for character in chars {
            if let scalar = character.plainScalar {
                if scalar == "“" || scalar == "「" { depth += 1 }
                result.append(depth)
                if scalar == "”" || scalar == "」" { depth = max(0, depth - 1) }
                continue
            }
            if character == "“" || character == "「" { depth += 1 }
            result.append(depth)
            if character == "”" || character == "」" { depth = max(0, depth - 1) }
        }
        return result
    }

    /// `Array(text)`, built from the scalars when the text is plain (each scalar is then one character),
    /// without grapheme breaking.
    static func characters(of text: String) -> [Character] {
        guard PlainText.isPlain(text) else { return Array(text) }
        var result: [Character] = []
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { result.append(Character(scalar)) }
        return result
    }

    static func scaled(_ mantissa: Double, decimals: Int) -> Double {
        var divisor = 1.0
        for _ in 0..<decimals { divisor *= 10 }
        return mantissa / divisor
    }

    /// Ratios to four decimals (2/3 → 0.6667), as a reader would quote them.
    static func rounded(_ value: Double) -> Double {
        (value * 10_000).rounded() / 10_000
    }

    // MARK: - Metric

    static let metricBoundaries: Set<Character> = ["，", "。", "；", "：", "、", ",", ";", ":", "！", "？", "（", "(", "）", ")", "\n", "“", "”"]

    /// Words that stand between a metric and its number; the metric is what comes before them
    /// ("可网办率提升至" → "可网办率").
    static let directionWords: [String] = [
        "提升至", "提升到", "提高至", "提高到", "降低至", "降低到", "下降至", "下降到", "降至", "增加至", "增加到", "增至",
        "增长至", "增长到", "扩大至", "扩大到", "控制在", "保持在", "稳定在", "达到", "超过", "不低于", "不少于",
        "不超过", "不高于", "突破", "实现", "约为", "为", "达", "约", "近", "占",
    ]
    /// Measure words: what they count is named around the number, often after it.
    static let countUnits: Set<String> = [
        "户", "家", "项", "条", "个", "名", "件", "座", "所", "套", "台", "辆", "架", "艘", "批", "处", "种", "类", "份", "场", "款",
    ]
    /// Verbs that stand right before a count of what they act on (引进30家企业).
    static let countingVerbs = [
        "引进", "承接", "复制推广", "集聚", "建成", "开通", "设立", "培育", "推出", "打造", "建设", "新增", "累计", "签署", "形成",
        "出台", "认定", "吸引", "落地", "实施", "完成", "获批",
    ]
    /// Words after which the metric begins ("累计新注册企业" → "新注册企业").
    static let leadingWords: [String] = [
        "累计", "共计", "其中", "全年", "今年", "已经", "已", "共", "新增了", "力争", "争取", "确保", "力求",
    ]

    /// `directionWords`, `leadingWords` and `countingVerbs` with their plainness read once.
    static let directionWordList = directionWords.map(WordSearch.Word.init)
    static let leadingWordList = leadingWords.map(WordSearch.Word.init)
    static let countingVerbList = countingVerbs.map(WordSearch.Word.init)

    /// The metric: the words between the previous boundary (punctuation or the previous quantity) and the number.
    static func withMetric(_ quantity: Quantity, in chars: [Character], previous: [Quantity]) -> Quantity {
        let boundaryCharacters = metricBoundaries
        var start = quantity.offsets.lowerBound
        let previousEnd = previous.last { $0.offsets.upperBound <= quantity.offsets.lowerBound }?.offsets.upperBound ?? 0
        while start > previousEnd, !boundaryCharacters.contains(chars[start - 1]) { start -= 1 }
        var phrase = String(chars[start..<quantity.offsets.lowerBound])
        // Words are compared as bytes when the phrase and the word are plain (`WordSearch`), as the
        // `String` and Foundation calls answer.
        let phraseWords = WordSearch.Haystack(phrase)
        for word in directionWordList where phraseWords.hasSuffix(word) && phrase.count > word.text.count {
            phrase = String(phrase.dropLast(word.text.count))
            break
        }
        // "跨境电商企业数占全市2/3": the metric is what takes the share, not the whole it is taken of.
        if let share = phrase.firstIndex(of: "占"), share > phrase.startIndex {
            phrase = String(phrase[..<share])
        }
        let cutWords = WordSearch.Haystack(phrase, within: phraseWords)  // a prefix of the phrase read above
        for word in leadingWordList {
            let range = cutWords.isPlain && word.isPlain ? cutWords.firstRange(of: word.text) : phrase.range(of: word.text)
            if let range, range.upperBound < phrase.endIndex {
                phrase = String(phrase[range.upperBound...])
                break
            }
        }
        var trimmed = phrase.trimmingCharacters(in: " 　的")
        while let last = trimmed.last, "与和同向对从在".contains(last) { trimmed.removeLast() }
        // "引进30余家直播电商企业": after a measure word, the thing counted follows the number.
        if let unit = quantity.unit, countUnits.contains(unit),
           trimmed.count <= 2 || countingVerbList.contains(where: WordSearch.Haystack(trimmed).hasSuffix)
            || phrase.last.map({ "、".contains($0) }) == true
            || trimmed.isEmpty {
            var end = quantity.offsets.upperBound
            while end < chars.count, !boundaryCharacters.contains(chars[end]), !chars[end].isASCIIDigit,
                  end - quantity.offsets.upperBound < 20 { end += 1 }
            let following = String(chars[quantity.offsets.upperBound..<end])
            if let first = following.first, !"在以的和及为是均".contains(first), following.count >= 2 {
                trimmed = following
            }
        }
        var result = quantity
        result.metric = trimmed.count >= 2 ? trimmed : nil
        return result
    }
}

extension Character {
    var isASCIILetter: Bool { isASCII && isLetter }

    /// `characters.contains(self)` for a list of plain characters ("。；！？"): a plain character is compared
    /// by its scalar; any other takes the `Character` comparison.
    @inline(__always)
    func isOne(of characters: String) -> Bool {
        if let scalar = plainScalar { return characters.unicodeScalars.contains(scalar) }
        return characters.contains(self)
    }
}

extension String {
    /// Drops `characters` from both ends (a Foundation-free `trimmingCharacters(in:)`).
    func trimmingCharacters(in characters: String) -> String {
        // Plain characters compare by their scalars, without building (and hashing into) a set.
        let trims: (Character) -> Bool
        if PlainText.isPlain(characters) {
            trims = { $0.isOne(of: characters) || $0.isWhitespace }
        } else {
            let set = Set(characters)
            trims = { set.contains($0) || $0.isWhitespace }
        }
        // Index steps from each end (`dropLast` on a Substring measures the whole rest each time).
        var start = startIndex, end = endIndex
        while start < end, trims(self[start]) { formIndex(after: &start) }
        while end > start {
            let last = index(before: end)
            guard trims(self[last]) else { break }
            end = last
        }
        return String(self[start..<end])
    }
}
