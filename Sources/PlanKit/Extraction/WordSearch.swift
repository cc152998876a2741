import Glibc

/// 词语查找 — whether a sentence contains a word, answered on UTF-8 bytes for plain text.
///
/// `String.contains(_: String)` resolves to Foundation's, which bridges the sentence to `NSString` and
/// compares grapheme clusters; the passes ask it dozens of times per sentence and it was most of their cost.
/// In plain text (`PlainText.isPlain`) with a plain word, a character match is a scalar match, and a scalar
/// match is a byte match of their UTF-8 (which never matches in the middle of a scalar), so the bytes give
/// the same answer. Anything else still goes to Foundation.
public enum WordSearch {
    /// Whether `text` contains `word`, as Foundation's `contains` answers.
    static func contains(_ text: String, _ word: String) -> Bool {
        Haystack(text).contains(word)
    }

    /// Whether `text` contains one of `words`, as Foundation's `contains` answers for each.
    /// - Complexity: O(n · m) for n bytes of text and m words, with one plain-text check.
    static func containsAny(_ text: String, _ words: some Collection<String>) -> Bool {
        let haystack = Haystack(text)
        return words.contains { haystack.contains($0) }
    }

    /// A word looked for in several texts, held as a text is: whether it is plain is checked once, not once
    /// a text.
    public typealias Word = Haystack

    /// Whether `text` contains one of `words` (their plainness read once), as Foundation's `contains` answers
    /// for each.
    static func containsAny(_ text: String, _ words: [Word]) -> Bool {
        Haystack(text).containsAny(words)
    }

    /// A text that is searched for several words: whether it is plain is checked once, not once a word.
    public struct Haystack: Sendable {
        public let text: String
        let isPlain: Bool

        public init(_ text: String) {
            self.text = text
            isPlain = PlainText.isPlain(text)
        }

        /// A piece of `whole`'s text that starts and ends at character boundaries (a prefix, say): plain
        /// when the whole is, without checking again.
        init(_ piece: String, within whole: Haystack) {
            text = piece
            isPlain = whole.isPlain || PlainText.isPlain(piece)
        }

        /// Whether the text contains one of `words` (their plainness read once), as Foundation's `contains`
        /// answers for each.
        public func containsAny(_ words: [Word]) -> Bool {
            guard isPlain else { return words.contains { text.contains($0.text) } }
            var bytes = text
            return bytes.withUTF8 { haystack in  // the text's bytes taken once for all the words
                words.contains { word in
                    guard word.isPlain, !word.text.isEmpty else { return text.contains(word.text) }
                    var needle = word.text
                    return needle.withUTF8 { WordSearch.firstOffset(of: $0, in: haystack, from: 0) } != nil
                }
            }
        }

        /// Whether the text contains one of `words`.
        public func containsAny(_ words: some Collection<String>) -> Bool {
            words.contains { contains($0) }
        }

        /// Whether the text contains `word` (its plainness read once), as Foundation's `contains` answers.
        public func contains(_ word: Word) -> Bool {
            guard isPlain, word.isPlain, !word.text.isEmpty else { return text.contains(word.text) }
            return firstByteOffset(of: word.text, from: 0) != nil
        }

        /// Whether the text contains `word`, as Foundation's `contains` answers.
        public func contains(_ word: String) -> Bool {
            guard isPlain, !word.isEmpty, PlainText.isPlain(word) else { return text.contains(word) }
            return firstByteOffset(of: word, from: 0) != nil
        }

        /// Whether the text begins with `word`, as `hasPrefix` answers.
        public func hasPrefix(_ word: String) -> Bool { hasPrefix(Word(word)) }

        /// Whether the text ends with `word`, as `hasSuffix` answers.
        public func hasSuffix(_ word: String) -> Bool { hasSuffix(Word(word)) }

        public func hasPrefix(_ word: Word) -> Bool {
            isPlain && word.isPlain ? affix(word.text, atStart: true) : text.hasPrefix(word.text)
        }

        public func hasSuffix(_ word: Word) -> Bool {
            isPlain && word.isPlain ? affix(word.text, atStart: false) : text.hasSuffix(word.text)
        }

        /// Whether the text's UTF-8 begins or ends with that of `word` (equal characters are equal bytes here).
        private func affix(_ word: String, atStart: Bool) -> Bool {
            var text = text, word = word
            return text.withUTF8 { haystack in
                word.withUTF8 { needle in
                    guard !needle.isEmpty else { return true }
                    guard needle.count <= haystack.count, let base = haystack.baseAddress, let wordBase = needle.baseAddress
                    else { return false }
                    return memcmp(atStart ? base : base + (haystack.count - needle.count), wordBase, needle.count) == 0
                }
            }
        }

        /// Where `word` first occurs, as the standard library's `firstRange(of:)` finds it.
        public func firstIndex(of word: String) -> String.Index? {
            firstRange(of: word)?.lowerBound
        }

        /// Where `word` first occurs at or after `start` (a character boundary), as `text[start...].firstRange(of:)`
        /// finds it.
        public func firstRange(of word: String, from start: String.Index? = nil) -> Range<String.Index>? {
            let start = start ?? text.startIndex
            guard isPlain, !word.isEmpty, PlainText.isPlain(word) else { return text[start...].firstRange(of: word) }
            let utf8 = text.utf8
            guard let offset = firstByteOffset(of: word, from: utf8.distance(from: utf8.startIndex, to: start)) else { return nil }
            let lower = utf8.index(utf8.startIndex, offsetBy: offset)
            return lower..<utf8.index(lower, offsetBy: word.utf8.count)
        }

        /// The first byte offset at or after `start` where the UTF-8 of `word` occurs in the text's.
        private func firstByteOffset(of word: String, from start: Int) -> Int? {
            var text = text, word = word
            return text.withUTF8 { haystack in
                word.withUTF8 { needle in WordSearch.firstOffset(of: needle, in: haystack, from: start) }
            }
        }
    }

    /// Where `needle` first occurs in `haystack` at or after `start`, byte for byte.
    ///
    /// `memchr` finds the candidates: it looks for the last byte of the needle's first scalar (a continuation
    /// byte of a Han character is one of 64 values, where its lead byte is one of a handful), then the rest
    /// is compared.
    private static func firstOffset(of needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>,
                                    from start: Int) -> Int? {
        guard !needle.isEmpty, start >= 0, needle.count <= haystack.count - start,
              let base = haystack.baseAddress, let needleBase = needle.baseAddress else { return nil }
        var pivot = 0
        while pivot + 1 < needle.count, needle[pivot + 1] & 0xC0 == 0x80 { pivot += 1 }
        let pivotByte = Int32(needle[pivot])
        let lastStart = haystack.count - needle.count
        var candidate = start
        while candidate <= lastStart {
            guard let found = memchr(base + candidate + pivot, pivotByte, lastStart - candidate + 1) else { return nil }
            let position = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) - pivot
            if memcmp(base + position, needleBase, needle.count) == 0 { return position }
            candidate = position + 1
        }
        return nil
    }
}

extension String {
    /// Whether the string's UTF-8 ends with that of `suffix`: a byte comparison (a piece cut from the string's
    /// own text ends it exactly when its bytes do), not `hasSuffix`'s comparison of characters.
    func utf8HasSuffix(_ suffix: String) -> Bool {
        var text = self, suffix = suffix
        return text.withUTF8 { bytes in
            suffix.withUTF8 { tail in
                guard tail.count <= bytes.count else { return false }
                guard let base = bytes.baseAddress, let tailBase = tail.baseAddress else { return true }
                return memcmp(base + (bytes.count - tail.count), tailBase, tail.count) == 0
            }
        }
    }
}
