import Foundation

/// A compiled regular expression (ICU, through Foundation) with matches reported as `String` ranges and
/// captured substrings. Patterns are compiled once, as static constants: the extraction passes run them on
/// every sentence, and compiling per call (or Swift `Regex` literals inside functions) dominated their cost.
struct Pattern: @unchecked Sendable {
    private let expression: NSRegularExpression

    init(_ pattern: String) {
        // The patterns are literals of this module; a typo is a programming error caught by the tests.
        expression = try! NSRegularExpression(pattern: pattern)
    }

    struct Match {
        var range: Range<String.Index>
        /// Capture groups from 1; nil where a group did not take part.
        var groups: [Substring?]
        var text: Substring
    }

    func matches(in text: String) -> [Match] {
        expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match(from: $0, in: text) }
    }

    func firstMatch(in text: String) -> Match? {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)).flatMap { match(from: $0, in: text) }
    }

    /// A match that starts at the beginning of `text`.
    func prefixMatch(in text: String) -> Match? {
        expression.firstMatch(in: text, options: .anchored, range: NSRange(text.startIndex..., in: text))
            .flatMap { match(from: $0, in: text) }
    }

    private func match(from result: NSTextCheckingResult, in text: String) -> Match? {
        guard let range = Range(result.range, in: text) else { return nil }
        var groups: [Substring?] = []
        if result.numberOfRanges > 1 {
            for index in 1..<result.numberOfRanges {
                groups.append(Range(result.range(at: index), in: text).map { text[$0] })
            }
        }
        return Match(range: range, groups: groups, text: text[range])
    }
}
