/// A node's index tokens as a PostgreSQL `tsvector` (`'境':4 '跨':3 '跨境':3` as text), what `plankb index` writes
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
    /// The vector in `tsvector`'s binary form (`tsvectorsend`/`tsvectorrecv`), which the index sends as is.
    var binary: [UInt8]
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
                        // One position once (binary input refuses a repeat, as text input merges it).
                        if lexemes[slot].positions.last.map({ $0 >> 2 }) != position { lexemes[slot].positions.append(entry) }
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
        // The lexemes in byte order, as `tsvector` keeps them (its binary input would sort them otherwise): two
        // packed keys compare as numbers with their first byte highest, others by their bytes.
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(lexemes.count)
        for lexeme in lexemes {
            let start = bytes.count
            keys.forEachByte(of: lexeme.key) { bytes.append($0) }
            ranges.append(start..<bytes.count)
        }
        let order = lexemes.indices.sorted { a, b in
            let (x, y) = (lexemes[a].key, lexemes[b].key)
            if x & 0xFF != 0 && y & 0xFF != 0 { return x.byteSwapped < y.byteSwapped }
            return bytes[ranges[a]].lexicographicallyPrecedes(bytes[ranges[b]])
        }
        // `tsvectorsend`'s form: the number of lexemes, then each one's bytes, a NUL, its number of positions and
        // the positions (weight in the top two bits: A 3, B 2, D 0), all big-endian.
        var binary: [UInt8] = []
        binary.reserveCapacity(4 + bytes.count + lexemes.count * 5 + tokens * 4)
        Self.appendBigEndian(UInt32(lexemes.count), to: &binary)
        for slot in order {
            binary.append(contentsOf: bytes[ranges[slot]])
            binary.append(0)
            let positions = isLong ? [] : lexemes[slot].positions
            Self.appendBigEndian(UInt16(positions.count), to: &binary)
            for entry in positions {
                let weight: UInt16 = switch entry & 3 { case 1: 3; case 2: 2; default: 0 }
                Self.appendBigEndian(weight << 14 | UInt16(entry >> 2), to: &binary)
            }
        }
        self.binary = binary
    }

    private static func appendBigEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// The vector as PostgreSQL prints it (`search::text`): lexemes in byte order, quoted, each with its
    /// positions and their weights. For tests and for reading; the index writes `binary`.
    var text: String {
        var text: [UInt8] = []
        var offset = 0
        func integer(_ width: Int) -> Int {
            defer { offset += width }
            return binary[offset..<offset + width].reduce(0) { $0 << 8 | Int($1) }
        }
        for _ in 0..<integer(4) {
            if !text.isEmpty { text.append(UInt8(ascii: " ")) }
            text.append(UInt8(ascii: "'"))
            while binary[offset] != 0 {
                Self.appendQuoted(binary[offset], to: &text)
                offset += 1
            }
            offset += 1
            text.append(UInt8(ascii: "'"))
            for index in 0..<integer(2) {
                let entry = integer(2)
                text.append(index == 0 ? UInt8(ascii: ":") : UInt8(ascii: ","))
                text.append(contentsOf: String(entry & 0x3FFF).utf8)
                switch entry >> 14 {
                case 3: text.append(UInt8(ascii: "A"))
                case 2: text.append(UInt8(ascii: "B"))
                case 1: text.append(UInt8(ascii: "C"))
                default: break
                }
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// A lexeme's byte inside `tsvector` quotes: `'` and `\` doubled.
    private static func appendQuoted(_ byte: UInt8, to text: inout [UInt8]) {
        if byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "'") { text.append(byte) }
        text.append(byte)
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
