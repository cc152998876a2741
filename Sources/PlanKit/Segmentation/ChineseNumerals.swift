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
