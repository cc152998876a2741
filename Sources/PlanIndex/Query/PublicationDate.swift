import Foundation

/// A date that bounds a search by publication (`--published-after`/`--published-before`, the MCP tools'
/// `published_after`/`published_before`, the web form's 发布日期): YYYY, YYYY-MM or YYYY-MM-DD.
///
/// Bounds compare as text with the stored dates (2021-08-23), so a month or day written with one digit, or with
/// `/` or `.` between the parts (2021/8/23), is written out as the stored ones are, and what is no date
/// (2021-13, 2021-02-30, abc) is refused: compared as text, 2020-1-5 sorted after 2020-08-23 and abc after
/// every date, and either gave the wrong documents without a word.
public struct PublicationDate: Sendable, Hashable, CustomStringConvertible {
    /// The date as stored dates are written: 2021, 2021-08 or 2021-08-23.
    public let text: String

    /// What a bound may be, for messages.
    public static let forms = "YYYY, YYYY-MM or YYYY-MM-DD"

    public init?(_ given: String) {
        let parts = given.trimmingCharacters(in: .whitespaces)
            .split(omittingEmptySubsequences: false, whereSeparator: { "-/.".contains($0) })
        guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
              parts[0].count == 4, parts.dropFirst().allSatisfy({ $0.count <= 2 }) else { return nil }
        let numbers = parts.compactMap { Int($0) }
        guard numbers.count == parts.count else { return nil }
        if numbers.count > 1 && !(1...12).contains(numbers[1]) { return nil }
        if numbers.count > 2 && !(1...Self.days(inMonth: numbers[1], of: numbers[0])).contains(numbers[2]) { return nil }
        text = ([String(parts[0])] + numbers.dropFirst().map { $0 < 10 ? "0\($0)" : "\($0)" }).joined(separator: "-")
    }

    /// The bound as the lower end of a range: the date itself (2021 is before every date of 2021).
    public var lowerBound: String { text }

    /// The bound as the upper end of a range: the end of the year or month it names (2021 → 2021-12-31), since
    /// 2021-08-23 sorts after 2021.
    public var upperBound: String {
        switch text.count {
        case 4: text + "-12-31"
        case 7: text + "-31"
        default: text
        }
    }

    public var description: String { text }

    private static func days(inMonth month: Int, of year: Int) -> Int {
        switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
