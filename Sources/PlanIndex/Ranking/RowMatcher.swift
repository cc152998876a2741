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
    private let tokenizer: IndexTokenizer
    private let keys: TokenKeys
    /// The keys of the leaves' tokens, each once: a query has a handful, and comparing a token's key with each
    /// costs less than hashing it (this runs for every token of every candidate row).
    private let wanted: [UInt64]
    /// Per leaf, its tokens as indices into `wanted`.
    private let leafTokens: [[Int]]
    /// The query's boolean structure in postfix order, evaluated over the leaves' frequencies.
    private let program: [Step]

    /// One step of `program`: pushes whether a leaf occurs, or combines the results on top of the stack.
    private enum Step {
        case leaf(Int)
        /// Replaces the top result with its negation (an excluded member of an AND).
        case negate
        /// Any of the top `count` results.
        case any(count: Int)
        /// All of the top `count` results, and false when none of them was an included member.
        case all(count: Int, included: Int)
    }

    init(query: SearchQuery, indexing: IdeographIndexing) {
        tokenizer = IndexTokenizer(indexing: indexing)
        var leaves: [Leaf] = []
        var program: [Step] = []
        var keys = TokenKeys()
        let tokenizer = tokenizer
        // Leaves in the query's order (FTS5's phrase order), and the program that combines them.
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
                program.append(.leaf(leaves.count))
                leaves.append(Leaf(text: text, tokens: tokens, isExcluded: excluded))
            case .any(let members):
                for member in members { collect(member, excluded: excluded) }
                program.append(.any(count: members.count))
            case .all(let members):
                var included = 0
                for member in members {
                    if case .exclude(let inner) = member {
                        collect(inner, excluded: true)
                        program.append(.negate)
                    } else {
                        collect(member, excluded: excluded)
                        included += 1
                    }
                }
                program.append(.all(count: members.count, included: included))
            case .exclude(let inner):
                // Never produced outside `.all`; `fts5MatchExpression` treats it as its inner query.
                collect(inner, excluded: true)
            }
        }
        collect(query, excluded: false)
        self.leaves = leaves
        self.keys = keys
        self.program = program
        var wanted: [UInt64] = []
        for key in leaves.flatMap(\.tokens) where !wanted.contains(key) { wanted.append(key) }
        self.wanted = wanted
        leafTokens = leaves.map { leaf in leaf.tokens.map { wanted.firstIndex(of: $0)! } }
    }

    /// The leaf's tokens as index terms (what `term_top` is keyed by).
    func tokenTexts(of leaf: Leaf) -> [String] { leaf.tokens.map(keys.text) }

    /// Evaluates the query on a row: `columns` are heading, lead and text as the index was given them.
    func evaluate(columns: [String?]) -> Evaluation {
        var frequencies = [Double](repeating: 0, count: leaves.count)
        var length = 0
        // Per wanted token, its positions in the current column (ascending).
        var positions = [[Int]](repeating: [], count: wanted.count)
        let tokenizer = tokenizer
        // The per-token closure sees the keys and the wanted tokens through pointers: a captured struct with
        // collections inside was copied (retained and released) on every ideograph.
        withUnsafePointer(to: keys) { keys in
            wanted.withUnsafeBufferPointer { wanted in
                for (column, value) in columns.enumerated() {
                    guard var text = value else { continue }
                    var position = -1
                    var found = false
                    text.withUTF8 { bytes in
                        tokenizer.tokenize(bytes, forQuery: false) { token in
                            if !token.colocated { position += 1 }
                            if let key = keys.pointee.existingKey(token.bytes), let index = wanted.firstIndex(of: key) {
                                positions[index].append(position)
                                found = true
                            }
                            return true
                        }
                    }
                    length += position + 1
                    guard found else { continue }
                    let weight = BM25.columnWeights[column]
                    for (leaf, tokens) in leafTokens.enumerated() {
                        let count = Self.occurrences(of: tokens, in: positions)
                        if count > 0 { frequencies[leaf] += weight * Double(count) }
                    }
                    for index in positions.indices { positions[index].removeAll(keepingCapacity: true) }
                }
            }
        }
        return Evaluation(matches: matches(frequencies: frequencies), frequencies: frequencies, length: length)
    }

    /// Start positions where the tokens (indices into `positions`) stand one after another.
    private static func occurrences(of tokens: [Int], in positions: [[Int]]) -> Int {
        guard let first = tokens.first else { return 0 }
        let starts = positions[first]
        if tokens.count == 1 || starts.isEmpty { return starts.count }
        var count = 0
        for start in starts {
            var consecutive = true
            for offset in 1..<tokens.count where !Self.contains(start + offset, ascending: positions[tokens[offset]]) {
                consecutive = false
                break
            }
            if consecutive { count += 1 }
        }
        return count
    }

    /// Binary search: a long row holds a common token at thousands of positions.
    private static func contains(_ position: Int, ascending positions: [Int]) -> Bool {
        var low = 0, high = positions.count
        while low < high {
            let middle = (low + high) / 2
            if positions[middle] < position { low = middle + 1 } else { high = middle }
        }
        return low < positions.count && positions[low] == position
    }

    /// Runs `program` over the leaves' frequencies: a leaf matches where it occurs.
    func matches(frequencies: [Double]) -> Bool {
        var stack: [Bool] = []
        stack.reserveCapacity(program.count)
        return matches(frequencies: frequencies, stack: &stack)
    }

    /// `matches(frequencies:)` with the caller's stack, which a loop over many rows allocates once.
    func matches(frequencies: [Double], stack: inout [Bool]) -> Bool {
        stack.removeAll(keepingCapacity: true)
        for step in program {
            switch step {
            case .leaf(let index):
                stack.append(frequencies[index] > 0)
            case .negate:
                stack[stack.count - 1].toggle()
            case .any(let count):
                let any = stack.suffix(count).contains(true)
                stack.removeLast(count)
                stack.append(any)
            case .all(let count, let included):
                let all = !stack.suffix(count).contains(false)
                stack.removeLast(count)
                stack.append(all && included > 0)
            }
        }
        return stack.last ?? false
    }
}
