/// 中文数字 — Chinese numerals as quantities are written (values may be fractional or beyond Int: 三点五, 一亿二千万).
///
/// Pure functions over strings; no locale, no Foundation formatters, so the results are the same everywhere.
public enum QuantityNumerals {
    /// The digits 〇/零 一 二/两 … 九, with their values.
    static let digitValues: [Character: Int] = [
        "〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
        "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    ]
    /// The small units 十 百 千 that multiply the digit before them.
    static let smallUnits: [Character: Int] = ["十": 10, "百": 100, "千": 1000]
    /// The large units 万 亿 that multiply everything before them.
    static let largeUnits: [Character: Double] = ["万": 10_000, "亿": 100_000_000]

    /// Whether `character` can be part of a Chinese numeral (digit or unit).
    public static func isNumeralCharacter(_ character: Character) -> Bool {
        // A plain character equals only its own scalar: no hashing (which normalises) needed.
        if let scalar = character.plainScalar { return isNumeralScalar(scalar) }
        return digitValues[character] != nil || smallUnits[character] != nil || largeUnits[character] != nil
    }

    /// `isNumeralCharacter` for a plain scalar.
    static func isNumeralScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "〇", "零", "一", "二", "两", "三", "四", "五", "六", "七", "八", "九", "十", "百", "千", "万", "亿": true
        default: false
        }
    }

    /// The value of a Chinese numeral: "一百二十三" → 123, "十四" → 14, "两万" → 20000,
    /// "二〇二五" → 2025 (digit by digit, as years are written), "三点五" → 3.5. Nil when `text` is not one.
    public static func value(of text: String) -> Double? {
        guard !text.isEmpty else { return nil }
        if let pointIndex = text.firstIndex(of: "点") {
            guard let whole = value(of: String(text[..<pointIndex])) else { return nil }
            let fraction = text[text.index(after: pointIndex)...]
            guard !fraction.isEmpty else { return nil }
            var decimals = ""
            for character in fraction {
                guard let digit = digitValues[character] else { return nil }
                decimals.append(String(digit))
            }
            return Double("\(Int(whole)).\(decimals)")
        }
        guard text.allSatisfy(isNumeralCharacter) else { return nil }
        // Digit strings without any unit ("二〇二五", "一九九七") read position by position.
        if text.count > 1, text.allSatisfy({ digitValues[$0] != nil }) {
            return text.reduce(0.0) { $0 * 10 + Double(digitValues[$1]!) }
        }
        return valueWithUnits(Array(text))
    }

    /// 亿 splits first, then 万, then the 千百十 positions below 10 000.
    private static func valueWithUnits(_ characters: [Character]) -> Double? {
        if characters.isEmpty { return 0 }
        for (unit, magnitude) in [("亿" as Character, 100_000_000.0), ("万", 10_000.0)] {
            if let index = characters.lastIndex(of: unit) {
                let high = Array(characters[..<index])
                let low = Array(characters[(index + 1)...])
                let highValue: Double = high.isEmpty ? 1 : (valueWithUnits(high) ?? -1)
                guard highValue >= 0, let lowValue = valueWithUnits(low) else { return nil }
                return highValue * magnitude + lowValue
            }
        }
        var total = 0
        var pendingDigit: Int?
        for character in characters {
            if let digit = digitValues[character] {
                pendingDigit = digit
            } else if let unit = smallUnits[character] {
                // "十四" has no digit before 十: it means one ten.
                total += (pendingDigit ?? 1) * unit
                pendingDigit = nil
            } else {
                return nil
            }
        }
        return Double(total + (pendingDigit ?? 0))
    }

    /// ASCII digits from full-width ones, one character for one, so that offsets stay valid:
    /// "１２３％" → "123%".
    public static func normalizingDigits(_ text: String) -> String {
        // Most sentences hold none of the forms that change (full-width ，（）：are not among them); they come
        // back as they are, without a Character walk.
        guard hasFullWidthForm(text) else { return text }
        return String(text.map(normalizedCharacter))
    }

    /// Whether `text` holds a scalar `normalizedCharacter` maps, read off the UTF-8: those scalars are
    /// EF BC xx (U+FF05, U+FF0B, U+FF0D…U+FF19, U+FF21…U+FF3A) and EF BD xx (U+FF41…U+FF5A).
    static func hasFullWidthForm(_ text: String) -> Bool {
        var previous: UInt8 = 0
        var beforePrevious: UInt8 = 0
        for byte in text.utf8 {
            if beforePrevious == 0xEF {
                if previous == 0xBC, byte == 0x85 || byte == 0x8B || (0x8D...0x99).contains(byte) || (0xA1...0xBA).contains(byte) {
                    return true
                }
                if previous == 0xBD, (0x81...0x9A).contains(byte) { return true }
            }
            beforePrevious = previous
            previous = byte
        }
        return false
    }

    /// The ASCII counterpart of a full-width digit, percent sign, point, slash or Latin letter; else itself.
    static func normalizedCharacter(_ character: Character) -> Character {
        guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1 else { return character }
        switch scalar.value {
        case 0xFF10...0xFF19, 0xFF21...0xFF3A, 0xFF41...0xFF5A, 0xFF05, 0xFF0E, 0xFF0F, 0xFF0B, 0xFF0D:
            return Character(Unicode.Scalar(scalar.value - 0xFEE0)!)
        default:
            return character
        }
    }
}

/// 五年规划 — the five-year plan periods, named as 十四五 (the 14th, 2021–2025).
public enum FiveYearPlan {
    /// The years of the `ordinal`th five-year plan. The first ran 1953–1957, the second 1958–1962; after three
    /// years of adjustment the third began in 1966, and every plan since follows on.
    public static func years(ofPlan ordinal: Int) -> ClosedRange<Int>? {
        switch ordinal {
        case 1: return 1953...1957
        case 2: return 1958...1962
        case 3...30:
            let start = 1966 + 5 * (ordinal - 3)
            return start...(start + 4)
        default: return nil
        }
    }

    /// The period named by "十四五" / "十三五" (quotes optional): the plan's years, else nil.
    public static func years(named name: String) -> ClosedRange<Int>? {
        let bare = name.filter { !"“”\"「」".contains($0) }
        guard bare.hasSuffix("五"), bare.count >= 2 else { return nil }
        guard let ordinal = QuantityNumerals.value(of: String(bare.dropLast())) else { return nil }
        return years(ofPlan: Int(ordinal))
    }
}
