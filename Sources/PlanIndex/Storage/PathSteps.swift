/// 路径 — a hit's path, the headings above it joined by ` › ` (`第五章 … › 第四节 … › 段2`), and its steps.
public enum PathSteps {
    /// What joins the steps of a path.
    public static let separator = " › "

    /// `steps` as one path.
    public static func join(_ steps: some Sequence<String>) -> String { steps.joined(separator: separator) }

    /// The steps of `path`, split at each ` › ` (a `›` inside a heading, without the spaces, stays in it).
    ///
    /// Written out on scalars rather than `components(separatedBy:)`, which bridges to `NSString`, or
    /// `split(separator: String)`, which goes through the regex engine's generic algorithms: a query command
    /// splits twenty paths and each cost more than its search.
    public static func split(_ path: String) -> [String] {
        var steps: [String] = []
        var current = String.UnicodeScalarView()
        var pendingSpace = false      // a space read but not yet written: the separator may be starting
        var scalars = path.unicodeScalars.makeIterator()
        var lookahead = scalars.next()
        while let scalar = lookahead {
            lookahead = scalars.next()
            if scalar == " ", !pendingSpace {
                pendingSpace = true
                continue
            }
            if pendingSpace, scalar == "›", lookahead == " " {
                steps.append(String(current))
                current = String.UnicodeScalarView()
                pendingSpace = false
                lookahead = scalars.next()
                continue
            }
            if pendingSpace {
                current.append(" ")
                pendingSpace = scalar == " "
                if pendingSpace { continue }
            }
            current.append(scalar)
        }
        if pendingSpace { current.append(" ") }
        steps.append(String(current))
        return steps
    }
}
