/// Decides whether one row matches a parsed query, the way FTS5 would over the same tokens, and measures each
/// term's weighted frequency in it for BM25. Used on the few candidate rows that the term top lists propose,
/// so that the lists can answer phrases, boolean queries and filters, not only single tokens.
struct RowMatcher {
    /// A term or phrase of the query: the tokens that must stand at consecutive positions.
    struct Leaf {
        var text: String
        var tokens: [UInt64]
        /// Under NOT or a leading `-`: contributes no score.
        var isExcluded: Bool
    }

    /// What the matcher found in one row.
    struct Evaluation {
        var matches: Bool
        /// Per leaf: occurrences weighted by column (heading 8, lead 3, text 1).
        var frequencies: [Double]
        /// Tokens in the row as FTS5 counts them (colocated tokens share a position).
        var length: Int
    }

    private(set) var leaves: [Leaf] = []
    private let query: SearchQuery
    private let tokenizer: IndexTokenizer
    private let keys: TokenKeys
    private let wanted: Set<UInt64>

    init(query: SearchQuery, indexing: IdeographIndexing) {
        self.query = query
        tokenizer = IndexTokenizer(indexing: indexing)
        var leaves: [Leaf] = []
        var keys = TokenKeys()
        let tokenizer = tokenizer
        func collect(_ query: SearchQuery, excluded: Bool) {
            switch query {
            case .term(let text), .phrase(let text):
                var tokens: [UInt64] = []
                var utf8 = text
                utf8.withUTF8 { bytes in
                    tokenizer.tokenize(bytes, forQuery: true) { token in
                        tokens.append(keys.key(token.bytes))
                        return true
                    }
                }
                leaves.append(Leaf(text: text, tokens: tokens, isExcluded: excluded))
            case .all(let members), .any(let members):
                for member in members { collect(member, excluded: excluded) }
            case .exclude(let inner):
                collect(inner, excluded: true)
            }
        }
        collect(query, excluded: false)
        self.leaves = leaves
        self.keys = keys
        wanted = Set(leaves.flatMap(\.tokens))
    }

    /// The leaf's tokens as index terms (what `term_top` is keyed by).
    func tokenTexts(of leaf: Leaf) -> [String] { leaf.tokens.map(keys.text) }

    /// Evaluates the query on a row: `columns` are heading, lead and text as the index was given them.
    func evaluate(columns: [String?]) -> Evaluation {
        var frequencies = [Double](repeating: 0, count: leaves.count)
        var length = 0
        for (column, value) in columns.enumerated() {
            guard var text = value else { continue }
            // Positions of the query's tokens in this column.
            var positions: [UInt64: [Int]] = [:]
            var position = -1
            text.withUTF8 { bytes in
                tokenizer.tokenize(bytes, forQuery: false) { token in
                    if !token.colocated { position += 1 }
                    if let key = keys.existingKey(token.bytes), wanted.contains(key) {
                        positions[key, default: []].append(position)
                    }
                    return true
                }
            }
            length += position + 1
            guard !positions.isEmpty else { continue }
            for (index, leaf) in leaves.enumerated() {
                frequencies[index] += BM25.columnWeights[column] * Double(Self.occurrences(of: leaf.tokens, in: positions))
            }
        }
        var leafIndex = 0
        let matches = Self.matches(query, frequencies: frequencies, leafIndex: &leafIndex)
        return Evaluation(matches: matches, frequencies: frequencies, length: length)
    }

    /// Start positions where the tokens stand one after another.
    private static func occurrences(of tokens: [UInt64], in positions: [UInt64: [Int]]) -> Int {
        guard let first = tokens.first, let starts = positions[first] else { return 0 }
        if tokens.count == 1 { return starts.count }
        let following = tokens.dropFirst().map { positions[$0].map(Set.init) ?? [] }
        return starts.filter { start in
            following.enumerated().allSatisfy { offset, set in set.contains(start + offset + 1) }
        }.count
    }

    /// Walks the query in the order `init` collected its leaves.
    private static func matches(_ query: SearchQuery, frequencies: [Double], leafIndex: inout Int) -> Bool {
        switch query {
        case .term, .phrase:
            defer { leafIndex += 1 }
            return frequencies[leafIndex] > 0
        case .any(let members):
            var any = false
            for member in members where matches(member, frequencies: frequencies, leafIndex: &leafIndex) { any = true }
            return any
        case .all(let members):
            var all = true
            var included = 0
            for member in members {
                if case .exclude(let inner) = member {
                    if matches(inner, frequencies: frequencies, leafIndex: &leafIndex) { all = false }
                } else {
                    included += 1
                    if !matches(member, frequencies: frequencies, leafIndex: &leafIndex) { all = false }
                }
            }
            return all && included > 0
        case .exclude(let inner):
            // Never produced outside `.all`; `fts5MatchExpression` treats it as its inner query.
            return matches(inner, frequencies: frequencies, leafIndex: &leafIndex)
        }
    }
}
