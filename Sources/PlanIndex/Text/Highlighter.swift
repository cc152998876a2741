import PlanKit

/// Finds where a hit's text matches the query's strings and cuts a snippet around the first match.
///
/// Works from the index tokenizer's own cut (unigrams and words with byte offsets), so that what is marked
/// is what the index matched: a Han run marks only where it stands contiguously, words match whole, and
/// full-width/case folding applies. Adjacent and overlapping marks are merged into one.
public struct Highlighter: Sendable {
    public init() {}

    /// A snippet: plain text plus the marked ranges, as character offsets into `text`.
    public struct Snippet: Codable, Hashable, Sendable {
        public var text: String
        /// Half-open ranges of characters in `text` that matched, in order, never overlapping.
        public var marks: [Range<Int>]

        /// The snippet with each mark wrapped in `open`/`close` (e.g. «…» or terminal escape codes).
        public func rendered(open: String, close: String) -> String {
            guard !marks.isEmpty else { return text }
            let characters = CharacterArray(text)
            var result = ""
            var index = 0
            for mark in marks {
                result += characters.string(index..<mark.lowerBound) + open + characters.string(mark) + close
                index = mark.upperBound
            }
            return result + characters.string(index..<characters.count)
        }
    }

    /// Tokens of one text in a flat buffer (no allocation per token): bytes, ranges and adjacency.
    private struct TokenList {
        var bytes: [UInt8] = []
        var tokens: [(bytes: Range<Int>, start: Int, end: Int, joinsPrevious: Bool)] = []

        init(_ text: String) {
            var utf8 = Array(text.utf8)
            var bytes: [UInt8] = []
            var tokens: [(Range<Int>, Int, Int, Bool)] = []
            bytes.reserveCapacity(utf8.count)
            utf8.withUnsafeMutableBufferPointer { buffer in
                IndexTokenizer(indexing: .unigram).tokenize(UnsafeBufferPointer(buffer), forQuery: false) { token in
                    let offset = bytes.count
                    bytes.append(contentsOf: token.bytes)
                    tokens.append((offset..<bytes.count, token.start, token.end, token.joinsPrevious))
                    return true
                }
            }
            self.bytes = bytes
            self.tokens = tokens.map { (bytes: $0.0, start: $0.1, end: $0.2, joinsPrevious: $0.3) }
        }

        func same(_ index: Int, as other: TokenList, _ otherIndex: Int) -> Bool {
            bytes[tokens[index].bytes].elementsEqual(other.bytes[other.tokens[otherIndex].bytes])
        }
    }

    /// Character ranges of `text` that match any of `needles`, merged.
    /// - Complexity: O(n · m) in the tokens of the text and of the needles.
    public func matches(of needles: [String], in text: String) -> [Range<Int>] {
        let textTokens = TokenList(text)
        guard !textTokens.tokens.isEmpty else { return [] }
        let byteRanges = needles.flatMap { Self.occurrences(of: TokenList($0), in: textTokens) }
        return merge(characterRanges(of: byteRanges, in: text))
    }

    /// Every place `needle` matches in `text`, as byte ranges of its UTF-8, overlapping ones included: what
    /// `plankb terms` counts, so that a count is the number of places a search would mark.
    public func occurrences(of needle: String, in text: String) -> [Range<Int>] {
        Self.occurrences(of: TokenList(needle), in: TokenList(text))
    }

    private static func occurrences(of needleTokens: TokenList, in textTokens: TokenList) -> [Range<Int>] {
        let count = needleTokens.tokens.count
        guard count > 0, count <= textTokens.tokens.count else { return [] }
        var byteRanges: [Range<Int>] = []
        for start in 0...(textTokens.tokens.count - count) {
            var matched = true
            for offset in 0..<count {
                if !textTokens.same(start + offset, as: needleTokens, offset)
                    || (offset > 0 && needleTokens.tokens[offset].joinsPrevious
                        && !textTokens.tokens[start + offset].joinsPrevious) {
                    matched = false
                    break
                }
            }
            if matched {
                byteRanges.append(textTokens.tokens[start].start..<textTokens.tokens[start + count - 1].end)
            }
        }
        return byteRanges
    }

    /// A snippet of about `width` characters around the first match (the whole text when it is short).
    public func snippet(of text: String, needles: [String], width: Int = 80) -> Snippet {
        let marks = matches(of: needles, in: text)
        let characters = CharacterArray(text)
        guard characters.count > width else { return Snippet(text: text, marks: marks) }
        let first = marks.first?.lowerBound ?? 0
        var start = max(0, first - width / 4)
        var end = min(characters.count, start + width)
        start = max(0, min(start, end - width))
        // Never cut a mark in two at the window's end.
        if let straddling = marks.first(where: { $0.lowerBound < end && $0.upperBound > end }) {
            end = straddling.upperBound
        }
        let prefix = start > 0 ? "…" : ""
        let suffix = end < characters.count ? "…" : ""
        let shift = prefix.count - start
        let visible = marks.compactMap { mark -> Range<Int>? in
            let lower = max(mark.lowerBound, start), upper = min(mark.upperBound, end)
            return lower < upper ? (lower + shift)..<(upper + shift) : nil
        }
        return Snippet(text: prefix + characters.string(start..<end) + suffix, marks: visible)
    }

    private func characterRanges(of byteRanges: [Range<Int>], in text: String) -> [Range<Int>] {
        guard !byteRanges.isEmpty else { return [] }
        // The character index of every UTF-8 byte offset (bytes inside a character map to that character).
        var characterAt = [Int](repeating: 0, count: text.utf8.count + 1)
        var byteOffset = 0
        var characterIndex = 0
        func advance(by length: Int) {
            for byte in byteOffset..<(byteOffset + length) { characterAt[byte] = characterIndex }
            byteOffset += length
            characterIndex += 1
        }
        // In plain text a character is one scalar, so no grapheme breaking is needed to count them.
        if PlainText.isPlain(text) {
            for scalar in text.unicodeScalars { advance(by: UTF8.width(scalar)) }
        } else {
            for character in text { advance(by: character.utf8.count) }
        }
        characterAt[byteOffset] = characterIndex
        return byteRanges.map { range in
            // A range ending inside a character (never, with whole-character tokens) would round up.
            let upper = range.upperBound < characterAt.count - 1 && range.upperBound > 0
                && characterAt[range.upperBound] == characterAt[range.upperBound - 1]
                ? characterAt[range.upperBound] + 1 : characterAt[range.upperBound]
            return characterAt[range.lowerBound]..<upper
        }
    }

    private func merge(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, range.lowerBound <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }
}
