import PlanKit

/// 路径 — a hit's path, the headings above it joined by ` › ` (`第五章 … › 第四节 … › 段2`), and its steps.
public enum PathSteps {
    /// What joins the steps of a path.
    public static let separator = " › "

    /// `steps` as one path.
    public static func join(_ steps: some Sequence<String>) -> String { steps.joined(separator: separator) }

    /// The steps of `path`, split at each ` › ` (a `›` inside a heading, without the spaces, stays in it), as
    /// `components(separatedBy:)` splits them — found with `WordSearch`, on bytes for plain text, instead of
    /// through `NSString`: a query command splits twenty paths and each cost more than its search.
    public static func split(_ path: String) -> [String] {
        let haystack = WordSearch.Haystack(path)
        var steps: [String] = []
        var start = path.startIndex
        while let found = haystack.firstRange(of: separator, from: start) {
            steps.append(String(path[start..<found.lowerBound]))
            start = found.upperBound
        }
        steps.append(String(path[start...]))
        return steps
    }
}
