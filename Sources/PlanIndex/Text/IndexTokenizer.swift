/// Cuts UTF-8 text into the tokens the full-text index stores, and query text into the tokens it looks up.
///
/// - Words: runs of Latin letters and digits (RCEP, 5G, 2025), folded to half-width lower case.
/// - Ideographs: every Han character is a token at its own position, so 1-character queries (港) match and
///   any infix (电商 inside 跨境电商) matches. With `.bigram`, each pair of neighbours inside a run is also
///   stored, colocated with the first character of the pair.
/// - Spacing inside a run of ideographs (附　　则, 总 则: U+3000, spaces, NBSP) does not end it: the characters
///   are neighbours as if the spaces were not there, so 附则 finds the letter-spaced heading.
/// - Traditional characters are folded to simplified (`SimplifiedFolding`: 經濟 → 经济) on both sides, so a
///   query in either script finds both. Only the tokens are folded: byte offsets point at the text as printed.
/// - Queries: an ideograph run of a quoted query string becomes a phrase (consecutive positions), so a
///   multi-character query matches only where its characters stand together; with `.bigram` the phrase is
///   made of overlapping pairs, and pairs never span punctuation, so 电商 does not match 电，商.
///
/// Offsets are byte offsets into the input, which FTS5 needs and the highlighter maps back to characters.
struct IndexTokenizer {
    var indexing: IdeographIndexing

    /// The version of the cut, kept in every knowledge base (`kb_info.tokenizer_version`): a file indexed with
    /// another version holds other tokens and must be rebuilt. 2: spacing inside Han runs, traditional folding.
    /// 3: the 795 traditional characters of U+3400…U+9FFF whose simplified form lies outside the BMP (㑮 → 𫝈)
    /// fold too (the table held them, the lookup never read them).
    static let version = 3

    /// One token as the scanner reports it.
    struct Token {
        /// The token's bytes, in a scratch buffer valid during the `emit` call only.
        var bytes: UnsafeBufferPointer<UInt8>
        /// Byte range in the input.
        var start: Int
        var end: Int
        /// Stored at the same position as the token before it (a bigram beside its first character).
        var colocated: Bool
        /// An ideograph that follows another ideograph with nothing but spacing between them.
        var joinsPrevious: Bool
    }

    /// Tokenizes `text`. `emit` returns false to stop. `forQuery` selects the query-side cut (see above).
    /// - Complexity: O(n) in the bytes of `text`; no allocation per token.
    func tokenize(_ text: UnsafeBufferPointer<UInt8>, forQuery: Bool, emit: (Token) -> Bool) {
        guard let base = text.baseAddress else { return }
        let count = text.count
        // The state lives in a value with mutating methods, not in variables captured by local functions: the
        // compiler checked those captured variables' exclusive access at run time on every token.
        var scan = TokenScan(forQuery: forQuery)
        var index = 0
        // Whether the last ideograph is still the end of a run: nothing but spacing has followed it.
        var inIdeographRun = false
        while index < count && !scan.stopped {
            let start = index
            let lead = base[index]
            var value: UInt32
            var length: Int
            if lead < 0x80 {
                value = UInt32(lead); length = 1
            } else if lead & 0xE0 == 0xC0 {
                value = UInt32(lead & 0x1F); length = 2
            } else if lead & 0xF0 == 0xE0 {
                value = UInt32(lead & 0x0F); length = 3
            } else if lead & 0xF8 == 0xF0 {
                value = UInt32(lead & 0x07); length = 4
            } else {
                value = 0xFFFD; length = 1
            }
            if length > 1 {
                if start + length > count {
                    value = 0xFFFD; length = 1
                } else {
                    for offset in 1..<length {
                        let byte = base[start + offset]
                        guard byte & 0xC0 == 0x80 else { value = 0xFFFD; length = 1; break }
                        value = value << 6 | UInt32(byte & 0x3F)
                    }
                }
            }
            index += length

            switch SearchCharacter.classify(value) {
            case .word(let folded):
                scan.settlePending(pairs: false, nextValue: 0, nextEnd: -1, moreFollows: true, emit: emit)
                scan.addToWord(folded, start: start, end: index)
                inIdeographRun = false
            case .ideograph:
                scan.flushWord(emit: emit)
                let joins = inIdeographRun
                let folded = SimplifiedFolding.simplified(value)
                switch indexing {
                case .unigram:
                    scan.sendIdeographs(folded, nil, start: start, end: index, colocated: false, joins: joins, emit: emit)
                case .bigram:
                    let closesPair = scan.pendingStart >= 0 && joins
                    scan.settlePending(pairs: joins, nextValue: folded, nextEnd: index, moreFollows: true, emit: emit)
                    scan.pendingStart = start
                    scan.pendingEnd = index
                    scan.pendingValue = folded
                    scan.pendingClosesPair = closesPair
                    scan.pendingJoins = joins
                }
                inIdeographRun = true
            case .spacing:
                scan.flushWord(emit: emit)
            case .separator:
                scan.flushWord(emit: emit)
                inIdeographRun = false
            }
        }
        scan.flushWord(emit: emit)
        scan.settlePending(pairs: false, nextValue: 0, nextEnd: -1, moreFollows: false, emit: emit)
    }

    /// What `tokenize` keeps between characters: the word being read and, in bigram mode, the ideograph waiting
    /// for its right neighbour.
    private struct TokenScan {
        let forQuery: Bool
        var word = [UInt8](repeating: 0, count: 64)
        var wordLength = 0
        var wordStart = -1
        var wordEnd = 0
        // The pending ideograph: byte range, folded value, whether it closes a pair, whether it joins the one before.
        var pendingStart = -1
        var pendingEnd = 0
        var pendingValue: UInt32 = 0
        var pendingClosesPair = false
        var pendingJoins = false
        var stopped = false

        init(forQuery: Bool) { self.forQuery = forQuery }

        /// Sends one or two folded ideographs as one token, their bytes (at most 8) on the stack.
        mutating func sendIdeographs(_ first: UInt32, _ second: UInt32?, start: Int, end: Int, colocated: Bool,
                                     joins: Bool, emit: (Token) -> Bool) {
            guard !stopped else { return }
            var storage: UInt64 = 0
            let accepted = withUnsafeMutableBytes(of: &storage) { raw in
                let bytes = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
                var length = writeUTF8(first, to: bytes)
                if let second { length += writeUTF8(second, to: bytes + length) }
                return emit(Token(bytes: UnsafeBufferPointer(start: bytes, count: length), start: start, end: end,
                                  colocated: colocated, joinsPrevious: joins))
            }
            if !accepted { stopped = true }
        }

        mutating func addToWord(_ folded: UInt32, start: Int, end: Int) {
            if wordStart < 0 { wordStart = start }
            wordEnd = end
            appendUTF8(folded, to: &word, at: &wordLength)
        }

        mutating func flushWord(emit: (Token) -> Bool) {
            guard wordStart >= 0 else { return }
            let accepted = stopped || word.withUnsafeBufferPointer { buffer in
                emit(Token(bytes: UnsafeBufferPointer(rebasing: buffer[0..<wordLength]), start: wordStart,
                           end: wordEnd, colocated: false, joinsPrevious: false))
            }
            if !accepted { stopped = true }
            wordStart = -1
            wordLength = 0
        }

        /// Settles the pending ideograph once its right neighbour is known: `pairs` when the next ideograph
        /// (`nextValue`, ending at `nextEnd`) continues its run.
        mutating func settlePending(pairs: Bool, nextValue: UInt32, nextEnd: Int, moreFollows: Bool, emit: (Token) -> Bool) {
            guard pendingStart >= 0 else { return }
            if forQuery {
                if pairs {
                    sendIdeographs(pendingValue, nextValue, start: pendingStart, end: nextEnd, colocated: false,
                                   joins: pendingJoins, emit: emit)
                } else if moreFollows || !pendingClosesPair {
                    // Keeps positions aligned with the document when a word or another run follows.
                    sendIdeographs(pendingValue, nil, start: pendingStart, end: pendingEnd, colocated: false,
                                   joins: pendingJoins, emit: emit)
                }
            } else {
                sendIdeographs(pendingValue, nil, start: pendingStart, end: pendingEnd, colocated: false,
                               joins: pendingJoins, emit: emit)
                if pairs {
                    sendIdeographs(pendingValue, nextValue, start: pendingStart, end: nextEnd, colocated: true,
                                   joins: pendingJoins, emit: emit)
                }
            }
            pendingStart = -1
        }
    }

    /// The tokens of a Swift string, as (token, UTF-8 byte range, joins previous), for the highlighter and tests.
    func tokens(of text: String, forQuery: Bool = false) -> [(token: String, start: Int, end: Int, joinsPrevious: Bool)] {
        var result: [(String, Int, Int, Bool)] = []
        var utf8 = Array(text.utf8)
        utf8.withUnsafeMutableBufferPointer { buffer in
            tokenize(UnsafeBufferPointer(buffer), forQuery: forQuery) { token in
                result.append((String(decoding: token.bytes, as: UTF8.self), token.start, token.end, token.joinsPrevious))
                return true
            }
        }
        return result.map { (token: $0.0, start: $0.1, end: $0.2, joinsPrevious: $0.3) }
    }
}

@inline(__always)
private func appendUTF8(_ value: UInt32, to buffer: inout [UInt8], at length: inout Int) {
    if length + 4 > buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
    buffer.withUnsafeMutableBufferPointer { length += writeUTF8(value, to: $0.baseAddress! + length) }
}

/// Writes a scalar's UTF-8 bytes (1–4) at `buffer`, which has room for 4, and returns how many.
@inline(__always)
private func writeUTF8(_ value: UInt32, to buffer: UnsafeMutablePointer<UInt8>) -> Int {
    switch value {
    case 0..<0x80:
        buffer[0] = UInt8(value)
        return 1
    case 0x80..<0x800:
        buffer[0] = UInt8(0xC0 | (value >> 6))
        buffer[1] = UInt8(0x80 | (value & 0x3F))
        return 2
    case 0x800..<0x10000:
        buffer[0] = UInt8(0xE0 | (value >> 12))
        buffer[1] = UInt8(0x80 | ((value >> 6) & 0x3F))
        buffer[2] = UInt8(0x80 | (value & 0x3F))
        return 3
    default:
        buffer[0] = UInt8(0xF0 | (value >> 18))
        buffer[1] = UInt8(0x80 | ((value >> 12) & 0x3F))
        buffer[2] = UInt8(0x80 | ((value >> 6) & 0x3F))
        buffer[3] = UInt8(0x80 | (value & 0x3F))
        return 4
    }
}
