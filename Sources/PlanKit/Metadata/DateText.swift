import Foundation

/// Dates as printed on these sites, read into ISO 8601: 2021年08月23日, 2021-08-23, 2021/8/23, 2021.08.23,
/// 二〇二一年八月二十三日.
public enum DateText {
    nonisolated(unsafe) private static let arabic = try! NSRegularExpression(
        pattern: #"([12][0-9]{3})\s*[年\-/.．]\s*([01]?[0-9])\s*[月\-/.．]\s*([0-3]?[0-9])\s*日?"#)
    nonisolated(unsafe) private static let chinese = try! NSRegularExpression(
        pattern: "([〇○零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")

    /// The first date in `text` as `yyyy-mm-dd`, with the range it was found in.
    public static func firstMatch(in text: String) -> (iso: String, range: Range<String.Index>)? {
        let whole = NSRange(text.startIndex..., in: text)
        var found: [(String, Range<String.Index>)] = []
        if let match = arabic.firstMatch(in: text, range: whole),
           let range = Range(match.range, in: text),
           let year = Int(text[Range(match.range(at: 1), in: text)!]),
           let month = Int(text[Range(match.range(at: 2), in: text)!]),
           let day = Int(text[Range(match.range(at: 3), in: text)!]),
           let iso = iso(year: year, month: month, day: day) {
            found.append((iso, range))
        }
        if let match = chinese.firstMatch(in: text, range: whole),
           let range = Range(match.range, in: text),
           let year = ChineseNumerals.value(of: text[Range(match.range(at: 1), in: text)!]),
           let month = ChineseNumerals.value(of: text[Range(match.range(at: 2), in: text)!]),
           let day = ChineseNumerals.value(of: text[Range(match.range(at: 3), in: text)!]),
           let iso = iso(year: year, month: month, day: day) {
            found.append((iso, range))
        }
        return found.min(by: { $0.1.lowerBound < $1.1.lowerBound })
    }

    public static func firstDate(in text: String) -> String? { firstMatch(in: text)?.iso }

    static func iso(year: Int, month: Int, day: Int) -> String? {
        guard (1900...2100).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        return String(format: "%04d-%02d-%02d", year, month, day)
    }
}

/// Names of issuing bodies found in running text.
public enum Issuers {
    nonisolated(unsafe) private static let legislature = try! NSRegularExpression(
        pattern: #"([\p{Han}&&[^年月日届会议过通]]*?)(?:第[〇零一二三四五六七八九十百]+届)?([\p{Han}&&[^年月日届]]*?)人民代表大会(常务委员会)?"#)

    /// "第十四届全国人民代表大会常务委员会第七次会议" → 全国人民代表大会常务委员会;
    /// "上海市第十四届人民代表大会常务委员会" → 上海市人民代表大会常务委员会.
    public static func legislature(in text: String) -> String? {
        let whole = NSRange(text.startIndex..., in: text)
        guard let match = legislature.firstMatch(in: text, range: whole) else { return nil }
        func group(_ index: Int) -> String {
            guard let range = Range(match.range(at: index), in: text) else { return "" }
            return String(text[range])
        }
        return group(1) + group(2) + "人民代表大会" + group(3)
    }
}
