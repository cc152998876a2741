/// A numbering label at the start of a block, as recognised by `LabelParser`.
public struct Label: Hashable, Sendable {
    public var kind: NodeKind
    /// The number (第一百二十三条 → 123); nil for unnumbered labels (前言, 专栏 without a number).
    public var number: Int?
    /// The label as printed, without the white space after it ("第五章", "（三）", "1.").
    public var printed: String
    /// The text after the label and the white space that follows it.
    public var rest: Substring
    /// How many characters the label and the white space after it take at the start of the text.
    public var length: Int
}

/// Recognises the numbering labels of Chinese official documents at the start of a block.
///
/// 第X编 / 第X分编 / 第X章 / 第X节 / 第X条 (and the traditional 節, 條), 一、, （一）, 1. / 1、 / 1．, （1）, ①,
/// 前言 / 序言, 专栏N, 附件N / 附表N, 目录. Numerals may be Chinese, Arabic or full-width; brackets full- or half-width.
public enum LabelParser {
    public static func parse(_ text: Substring) -> Label? {
        guard let first = text.first else { return nil }
        if first.equals("第") { return parseOrdinal(text) }
        if first.equals("（") || first.equals("(") { return parseBracketed(text) }
        if let circled = circledNumber(first) {
            return make(.subpoint, circled, text, labelEnd: text.index(after: text.startIndex))
        }
        if first.isASCIIDigit || first.isFullWidthDigit { return parseArabic(text) }
        if ChineseNumerals.isNumeralCharacter(first) { return parseChineseEnumeration(text) }
        return parseNamed(text)
    }

    // 第X编 / 分编 / 章 / 节 / 条
    private static func parseOrdinal(_ text: Substring) -> Label? {
        let afterDi = text.index(after: text.startIndex)
        var end = afterDi
        while end < text.endIndex, ChineseNumerals.isNumeralCharacter(text[end]) { end = text.index(after: end) }
        guard end > afterDi, end < text.endIndex, let number = ChineseNumerals.value(of: text[afterDi..<end]) else {
            return nil
        }
        let kind: NodeKind
        var labelEnd = text.index(after: end)
        switch text[end] {
        case "编", "編": kind = .part
        case "章": kind = .chapter
        case "节", "節": kind = .section
        case "条", "條": kind = .article
        case "分":
            guard labelEnd < text.endIndex, text[labelEnd] == "编" || text[labelEnd] == "編" else { return nil }
            labelEnd = text.index(after: labelEnd)
            kind = .subpart
        default: return nil
        }
        return make(kind, number, text, labelEnd: labelEnd)
    }

    // （一） item, （1） point
    private static func parseBracketed(_ text: Substring) -> Label? {
        let start = text.index(after: text.startIndex)
        guard let close = text[start...].prefix(8).firstIndex(where: { $0 == "）" || $0 == ")" }), close > start else {
            return nil
        }
        let inner = text[start..<close]
        guard inner.allSatisfy(ChineseNumerals.isNumeralCharacter), let number = ChineseNumerals.value(of: inner) else {
            return nil
        }
        let isArabic = inner.allSatisfy { $0.isASCIIDigit || $0.isFullWidthDigit }
        // A year in brackets ("(2021年)") is not a label; a label's number is small.
        guard number < 1000 else { return nil }
        var labelEnd = text.index(after: close)
        // "（一）、" — some documents put a comma after the bracket.
        if labelEnd < text.endIndex, text[labelEnd] == "、" { labelEnd = text.index(after: labelEnd) }
        return make(isArabic ? .point : .item, number, text, labelEnd: labelEnd)
    }

    // 1. 1、 1． — but not 1.9万, 2021年, 5G
    private static func parseArabic(_ text: Substring) -> Label? {
        var end = text.startIndex
        while end < text.endIndex, text[end].isASCIIDigit || text[end].isFullWidthDigit { end = text.index(after: end) }
        guard end < text.endIndex, text.distance(from: text.startIndex, to: end) <= 3 else { return nil }
        let separator = text[end]
        guard separator == "." || separator == "、" || separator == "．" else { return nil }
        let labelEnd = text.index(after: end)
        if separator != "、", labelEnd < text.endIndex, text[labelEnd].isASCIIDigit || text[labelEnd].isFullWidthDigit {
            return nil
        }
        guard let number = ChineseNumerals.value(of: text[text.startIndex..<end]) else { return nil }
        return make(.subitem, number, text, labelEnd: labelEnd)
    }

    // 一、 division
    private static func parseChineseEnumeration(_ text: Substring) -> Label? {
        var end = text.startIndex
        while end < text.endIndex, ChineseNumerals.isNumeralCharacter(text[end]) { end = text.index(after: end) }
        guard end < text.endIndex, text[end] == "、", text.distance(from: text.startIndex, to: end) <= 4,
              let number = ChineseNumerals.value(of: text[text.startIndex..<end]) else { return nil }
        return make(.division, number, text, labelEnd: text.index(after: end))
    }

    // 前言, 序言, 专栏3, 附件2, 目录
    private static func parseNamed(_ text: Substring) -> Label? {
        // Most blocks are running text: look at the whole text only when it can be a two-character name.
        if hasAtMostTwoNonBlankScalars(text) {
            let compact = text.filter { !Normalizer.isBlank($0) }
            switch compact {
            case "前言", "序言", "引言":
                return Label(kind: .preface, number: nil, printed: compact, rest: text[text.endIndex...], length: text.count)
            case "目录":
                return Label(kind: .toc, number: nil, printed: compact, rest: text[text.endIndex...], length: text.count)
            default: break
            }
        }
        // 专栏, 附件 and 附表 start with 专 or 附 (or a character that may equal one, such as a compatibility
        // ideograph).
        guard let first = text.unicodeScalars.first, first == "专" || first == "附" || !PlainText.isPlain(first) else {
            return nil
        }
        for (prefix, kind) in [("专栏", NodeKind.box), ("附件", .attachment), ("附表", .attachment)] where text.hasPrefix(prefix) {
            var end = text.index(text.startIndex, offsetBy: 2)
            let numberStart = end
            while end < text.endIndex, text[end].isASCIIDigit || text[end].isFullWidthDigit
                || ChineseNumerals.isNumeralCharacter(text[end]) { end = text.index(after: end) }
            let number = end > numberStart ? ChineseNumerals.value(of: text[numberStart..<end]) : nil
            var labelEnd = end
            if labelEnd < text.endIndex, text[labelEnd] == "：" || text[labelEnd] == ":" { labelEnd = text.index(after: labelEnd) }
            // An attachment label stands alone or before a short title; "附件中…" in running text is not one.
            let rest = text[labelEnd...]
            if kind == .attachment, number == nil, !rest.isEmpty, labelEnd == end { return nil }
            if !PlainText.hasAtMost(60, charactersIn: rest) { return nil }
            return make(kind, number, text, labelEnd: labelEnd)
        }
        return nil
    }

    /// A name of two characters without blanks needs two non-blank scalars: a character that equals 前 or 言
    /// is a single scalar, and a blank one has only blank scalars.
    private static func hasAtMostTwoNonBlankScalars(_ text: Substring) -> Bool {
        var nonBlank = 0
        for scalar in text.unicodeScalars where !Normalizer.isBlank(scalar) {
            nonBlank += 1
            if nonBlank > 2 { return false }
        }
        return true
    }

    private static func make(_ kind: NodeKind, _ number: Int?, _ text: Substring, labelEnd: Substring.Index) -> Label {
        var restStart = labelEnd
        while restStart < text.endIndex, Normalizer.isBlank(text[restStart]) { restStart = text.index(after: restStart) }
        var printed = String(text[text.startIndex..<labelEnd])
        if printed.hasSuffix("：") || printed.hasSuffix(":") { printed.removeLast() }
        return Label(kind: kind, number: number, printed: printed, rest: text[restStart...],
                     length: text.distance(from: text.startIndex, to: restStart))
    }

    private static func circledNumber(_ character: Character) -> Int? {
        guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1 else { return nil }
        switch scalar.value {
        case 0x2460...0x2473: return Int(scalar.value - 0x2460 + 1)  // ①–⑳
        case 0x3251...0x325F: return Int(scalar.value - 0x3251 + 21) // ㉑–㉟
        default: return nil
        }
    }
}
