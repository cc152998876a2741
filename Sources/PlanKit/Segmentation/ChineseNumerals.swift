/// Chinese and Arabic numerals as printed in labels: 第一百二十三条 → 123, 二〇二五 → 2025, （十一） → 11.
public enum ChineseNumerals {
    static let digits: [Character: Int] = [
        "零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
        "九": 9, "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "肆": 4, "伍": 5, "陆": 6, "陸": 6, "柒": 7, "捌": 8, "玖": 9,
    ]
    static let units: [Character: Int] = [
        "十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000,
    ]

    /// Characters that can make up a numeral.
    public static func isNumeralCharacter(_ character: Character) -> Bool {
        // Hashing a Character normalises it; a plain one is decided by its scalar.
        if let scalar = character.plainScalar { return isNumeralScalar(scalar) }
        return digits[character] != nil || units[character] != nil || character == "万" || character == "萬"
            || character.isASCIIDigit || character.isFullWidthDigit
    }

    /// `isNumeralCharacter` for a plain scalar: the keys of `digits` and `units`, 万 and 萬, and digits.
    private static func isNumeralScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "0"..."9", "０"..."９": true
        case "零", "〇", "○", "Ｏ", "一", "二", "两", "三", "四", "五", "六", "七", "八", "九",
             "壹", "贰", "貳", "叁", "參", "肆", "伍", "陆", "陸", "柒", "捌", "玖": true
        case "十", "拾", "百", "佰", "千", "仟", "万", "萬": true
        default: false
        }
    }

    /// The value of a whole numeral string, or nil when it is not one.
    ///
    /// Accepts positional forms (一百二十三, 十五, 一千零一, 两万), digit-by-digit forms (二〇二五),
    /// Arabic and full-width digits.
    public static func value(of text: some StringProtocol) -> Int? {
        guard !text.isEmpty else { return nil }
        if text.allSatisfy({ $0.isASCIIDigit || $0.isFullWidthDigit }) {
            var number = 0
            for character in text {
                guard let digit = character.decimalDigitValue, number < Int.max / 10 - 9 else { return nil }
                number = number * 10 + digit
            }
            return number
        }
        // Digit-by-digit (二〇二五): only digits, more than one, at least one zero-like or no units at all.
        if text.count > 1, text.allSatisfy({ digits[$0] != nil }) {
            return text.reduce(0) { $0 * 10 + digits[$1]! }
        }
        var total = 0       // completed 万 groups
        var section = 0     // below 万
        var pending: Int?   // a digit waiting for its unit
        for character in text {
            if let digit = digits[character] {
                // 零 only holds a place in positional forms (一百零一).
                if digit == 0, section > 0 || total > 0 { continue }
                if pending != nil { return nil }  // two digits in a row in positional form (一二)
                pending = digit
            } else if let unit = units[character] {
                // 十 at the start means 一十 (十五 = 15); elsewhere a unit needs its digit (十十, 百千 are not numerals).
                if pending == nil, section != 0 || total != 0 { return nil }
                section += (pending ?? 1) * unit
                pending = nil
            } else if character == "万" || character == "萬" {
                section += pending ?? 0
                guard section > 0 else { return nil }
                total += section * 10_000
                section = 0
                pending = nil
            } else {
                return nil
            }
        }
        section += pending ?? 0
        return total + section
    }

    /// How `spelled(_:as:)` writes a number.
    public enum Spelling: Sendable {
        /// 一百零五, 十二, 二万零三百 — as labels print numbers (第一百零五条).
        case positional
        /// 一〇五 — digit by digit, 〇 for zero.
        case digits
        /// 壹佰零伍 — the financial (大写) forms, 壹拾 for 10.
        case financial
    }

    /// The Chinese numeral of `value` (0 or more), the inverse of `value(of:)`: 105 → 一百零五, 10 → 十,
    /// 110 → 一百一十, 20_300 → 二万零三百. Numbers of 亿 and more are written digit by digit.
    public static func spelled(_ value: Int, as spelling: Spelling = .positional) -> String {
        let names: [Character] = spelling == .financial ? Array("零壹贰叁肆伍陆柒捌玖") : Array("零一二三四五六七八九")
        if spelling == .digits || value >= 100_000_000 || value < 0 {
            return String(String(abs(value)).map { $0 == "0" ? "〇" : names[$0.wholeNumberValue!] })
        }
        let unitNames: [Character] = spelling == .financial ? ["仟", "佰", "拾"] : ["千", "百", "十"]
        // One group below 万: 2015 → 二千零一十五; `leadingTen` keeps 一十 where a bare 十 would misread.
        func group(_ number: Int, leadingTen: Bool) -> String {
            var result = ""
            var pendingZero = false
            for (index, divisor) in [1000, 100, 10, 1].enumerated() {
                let digit = number / divisor % 10
                if digit == 0 {
                    if !result.isEmpty { pendingZero = true }
                    continue
                }
                if pendingZero { result.append("零"); pendingZero = false }
                let omitOne = divisor == 10 && digit == 1 && result.isEmpty && !leadingTen && spelling != .financial
                if !omitOne { result.append(names[digit]) }
                if index < 3 { result.append(unitNames[index]) }
            }
            return result
        }
        if value == 0 { return String(names[0]) }
        let high = value / 10_000
        let low = value % 10_000
        guard high > 0 else { return group(low, leadingTen: false) }
        var result = group(high, leadingTen: false) + "万"
        if low > 0 { result += (low < 1000 ? "零" : "") + group(low, leadingTen: true) }
        return result
    }
}

extension Character {
    // Comparing Characters normalises them; a plain character compares by its scalar.
    var isASCIIDigit: Bool {
        if let scalar = plainScalar { return ("0"..."9").contains(scalar) }
        return ("0"..."9").contains(self)
    }
    var isFullWidthDigit: Bool {
        if let scalar = plainScalar { return ("０"..."９").contains(scalar) }
        return ("０"..."９").contains(self)
    }
    /// 0–9 for ASCII and full-width digits.
    var decimalDigitValue: Int? {
        if isASCIIDigit { return Int(unicodeScalars.first!.value - 48) }
        if isFullWidthDigit { return Int(unicodeScalars.first!.value - 0xFF10) }
        return nil
    }
}
