/// A node's index tokens as PostgreSQL's `tsvector` text (`'跨':3 '跨境':3 '境':4`), the form `plankb index` writes
/// for the GIN index: every token of `IndexTokenizer` a lexeme (taken verbatim, the 'simple' way: no
/// dictionary, no stemming), at the position FTS5 would give it plus one, colocated pairs at their first
/// character's position.
///
/// The three columns FTS5 keeps apart (heading, lead, text) follow one another with one position left empty
/// between them, so that a phrase (`<->`) never runs from a heading into the text; heading positions carry
/// weight A and lead positions B, for people who rank with `ts_rank` in `psql`.
///
/// `tsvector` keeps at most 256 positions per lexeme and none above 16,383. A row beyond either limit is
/// `isLong`: it is written without positions (lexemes only, as `strip()` makes them), which a `<->` query never
/// matches, and searches find it by its lexemes alone and decide in Swift (see `PostgresSearch`).
struct SearchVector: Sendable, Equatable {
    /// The `tsvector` literal.
    var text: String
    /// Tokens as FTS5 counts a row's length (colocated pairs share a position), over all columns.
    var tokenCount: Int
    var isLong: Bool

    /// The largest position and the most positions of one lexeme that `tsvector` keeps.
    static let maximumPosition = 16_383
    static let maximumPositionsPerLexeme = 256
    /// `tsvector` refuses longer lexemes (2 KB); such a token (a 700-character Latin "word") is left out.
    static let maximumLexemeBytes = 2_047

    init(columns: [String?], indexing: IdeographIndexing) {
        let tokenizer = IndexTokenizer(indexing: indexing)
        // Lexemes in first-seen order, found by their keys (`TokenKeys`: a token of up to 8 bytes, every Han
        // token, is its bytes packed into one number), as FTS5 and `RowMatcher` tell tokens apart. Positions
        // carry their column's weight in the low bits (0 text, 1 heading A, 2 lead B).
        var keys = TokenKeys()
        var lexemes: [(key: UInt64, positions: [Int])] = []
        var index: [UInt64: Int] = [:]
        var next = 1
        var tokens = 0
        for (column, value) in columns.enumerated() {
            guard var value, !value.isEmpty else { continue }
            let weight = column == 0 ? 1 : column == 1 ? 2 : 0
            var position = next - 1
            var columnTokens = 0
            value.withUTF8 { bytes in
                tokenizer.tokenize(bytes, forQuery: false) { token in
                    if !token.colocated {
                        position += 1
                        columnTokens += 1
                    }
                    guard token.bytes.count <= Self.maximumLexemeBytes else { return true }
                    let entry = position << 2 | weight
                    let key = keys.key(token.bytes)
                    if let slot = index[key] {
                        lexemes[slot].positions.append(entry)
                    } else {
                        index[key] = lexemes.count
                        lexemes.append((key, [entry]))
                    }
                    return true
                }
            }
            tokens += columnTokens
            if columnTokens > 0 { next = position + 2 }
        }
        tokenCount = tokens
        let isLong = next - 2 > Self.maximumPosition
            || lexemes.contains { $0.positions.count > Self.maximumPositionsPerLexeme }
        self.isLong = isLong
        var text: [UInt8] = []
        text.reserveCapacity(lexemes.count * 12)
        for lexeme in lexemes {
            if !text.isEmpty { text.append(UInt8(ascii: " ")) }
            text.append(UInt8(ascii: "'"))
            keys.forEachByte(of: lexeme.key) { Self.appendQuoted($0, to: &text) }
            text.append(UInt8(ascii: "'"))
            if isLong { continue }
            for (offset, entry) in lexeme.positions.enumerated() {
                text.append(offset == 0 ? UInt8(ascii: ":") : UInt8(ascii: ","))
                Self.appendDecimal(entry >> 2, to: &text)
                switch entry & 3 {
                case 1: text.append(UInt8(ascii: "A"))
                case 2: text.append(UInt8(ascii: "B"))
                default: break
                }
            }
        }
        self.text = String(decoding: text, as: UTF8.self)
    }

    /// A lexeme's byte inside `tsvector` quotes: `'` and `\` doubled.
    private static func appendQuoted(_ byte: UInt8, to text: inout [UInt8]) {
        if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "'") { text.append(byte) }
        text.append(byte)
    }

    private static func appendDecimal(_ value: Int, to text: inout [UInt8]) {
        if value >= 10 { appendDecimal(value / 10, to: &text) }
        text.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// A lexeme in `tsvector`/`tsquery` quotes: `'` doubled and `\` escaped.
    static func quoted(_ lexeme: String) -> String {
        var text: [UInt8] = [UInt8(ascii: "'")]
        for byte in lexeme.utf8 { appendQuoted(byte, to: &text) }
        text.append(UInt8(ascii: "'"))
        return String(decoding: text, as: UTF8.self)
    }
}

/// The query language as PostgreSQL `tsquery` text, in two strengths: `exact`, where a term or phrase is its
/// tokens joined by `<->` (followed by) as FTS5's phrases are, and `lexemes`, where they are joined by `&` and
/// exclusions are left out — the superset that finds long rows, whose vectors have no positions. Both only
/// narrow the rows; `RowMatcher` decides, so that every backend matches the same rows.
struct TextSearchQuery {
    var exact: String
    var lexemes: String

    init(_ query: SearchQuery, indexing: IdeographIndexing) {
        let tokenizer = IndexTokenizer(indexing: indexing)
        exact = Self.render(query, tokenizer: tokenizer, exact: true) ?? ""
        lexemes = Self.render(query, tokenizer: tokenizer, exact: false) ?? ""
    }

    /// The tokens of one term or phrase as a `tsquery` of one phrase (exact) or of all its lexemes.
    static func phrase(_ text: String, tokenizer: IndexTokenizer, exact: Bool) -> String? {
        let tokens = tokenizer.tokens(of: text, forQuery: true).map(\.token)
            .filter { $0.utf8.count <= SearchVector.maximumLexemeBytes }
        guard !tokens.isEmpty else { return nil }
        return "(" + tokens.map(SearchVector.quoted).joined(separator: exact ? " <-> " : " & ") + ")"
    }

    /// Nil for a part that matches nothing (no tokens) — the parser refuses such terms, so only for safety.
    private static func render(_ query: SearchQuery, tokenizer: IndexTokenizer, exact: Bool) -> String? {
        switch query {
        case .term(let text), .phrase(let text):
            return phrase(text, tokenizer: tokenizer, exact: exact)
        case .any(let members):
            let parts = members.compactMap { render($0, tokenizer: tokenizer, exact: exact) }
            return parts.isEmpty ? nil : "(" + parts.joined(separator: " | ") + ")"
        case .all(let members):
            var parts: [String] = []
            for member in members {
                if case .exclude(let inner) = member {
                    if exact, let part = render(inner, tokenizer: tokenizer, exact: true) { parts.append("!" + part) }
                } else if let part = render(member, tokenizer: tokenizer, exact: exact) {
                    parts.append(part)
                }
            }
            return parts.isEmpty ? nil : "(" + parts.joined(separator: " & ") + ")"
        case .exclude(let inner):
            return render(inner, tokenizer: tokenizer, exact: exact)
        }
    }
}
