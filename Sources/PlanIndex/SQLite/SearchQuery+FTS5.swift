/// The query language in FTS5's MATCH syntax: what the SQLite backend gives FTS5 and `PageRanker` reads back.
extension SearchQuery {
    /// The strings of `fts5MatchExpression` in the order they appear there, which is the order of FTS5's phrases
    /// (each quoted string is one phrase); `PageRanker` needs each phrase's text.
    public var fts5Phrases: [String] {
        switch self {
        case .term(let text), .phrase(let text):
            return [text]
        case .any(let members):
            return members.flatMap(\.fts5Phrases)
        case .all(let members):
            var included: [String] = [], excluded: [String] = []
            for member in members {
                if case .exclude(let inner) = member { excluded += inner.fts5Phrases } else { included += member.fts5Phrases }
            }
            return included + excluded
        case .exclude(let inner):
            return inner.fts5Phrases
        }
    }

    /// The FTS5 MATCH expression: every string quoted (`"` doubled), every group parenthesised, so that
    /// neither user text nor FTS5's own operator precedence can change the meaning.
    public var fts5MatchExpression: String {
        switch self {
        case .term(let text), .phrase(let text):
            return "\"" + text.replacingScalars(["\"": "\"\""]) + "\""
        case .any(let members):
            return members.map { "(" + $0.fts5MatchExpression + ")" }.joined(separator: " OR ")
        case .all(let members):
            let included = members.filter { if case .exclude = $0 { false } else { true } }
            let excluded = members.compactMap { member -> SearchQuery? in
                if case .exclude(let inner) = member { inner } else { nil }
            }
            var expression = included.map { "(" + $0.fts5MatchExpression + ")" }.joined(separator: " AND ")
            if !excluded.isEmpty {
                expression = "(" + expression + ") NOT ("
                    + excluded.map { "(" + $0.fts5MatchExpression + ")" }.joined(separator: " OR ") + ")"
            }
            return expression
        case .exclude(let inner):
            // Never produced by the parser outside `.all`; kept total for safety.
            return inner.fts5MatchExpression
        }
    }
}
