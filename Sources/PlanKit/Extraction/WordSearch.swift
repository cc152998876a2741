/// 词语查找 — whether a sentence contains a word, answered on UTF-8 bytes for plain text.
///
/// `String.contains(_: String)` resolves to Foundation's, which bridges the sentence to `NSString` and
/// compares grapheme clusters; the passes ask it dozens of times per sentence and it was most of their cost.
/// In plain text (`PlainText.isPlain`) with a plain word, a character match is a scalar match, and a scalar
/// match is a byte match of their UTF-8 (which never matches in the middle of a scalar), so the bytes give
/// the same answer. Anything else still goes to Foundation.
enum WordSearch {
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

    /// A text that is searched for several words: whether it is plain is checked once, not once a word.
    struct Haystack {
        let text: String
        let isPlain: Bool

        init(_ text: String) {
            self.text = text
            isPlain = PlainText.isPlain(text)
        }

        /// Whether the text contains `word`, as Foundation's `contains` answers.
        func contains(_ word: String) -> Bool {
            guard isPlain, !word.isEmpty, PlainText.isPlain(word) else { return text.contains(word) }
            return firstByteOffset(of: word) != nil
        }

        /// Where `word` first occurs, as the standard library's `firstRange(of:)` finds it.
        func firstIndex(of word: String) -> String.Index? {
            guard isPlain, !word.isEmpty, PlainText.isPlain(word) else { return text.firstRange(of: word)?.lowerBound }
            return firstByteOffset(of: word).map { text.utf8.index(text.utf8.startIndex, offsetBy: $0) }
        }

        /// The first byte offset where the UTF-8 of `word` occurs in the text's.
        private func firstByteOffset(of word: String) -> Int? {
            var text = text, word = word
            return text.withUTF8 { haystack in word.withUTF8 { needle in WordSearch.firstOffset(of: needle, in: haystack) } }
        }
    }

    /// Where `needle` first occurs in `haystack`, byte for byte.
    private static func firstOffset(of needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard needle.count <= haystack.count, let first = needle.first else { return nil }
        let lastStart = haystack.count - needle.count
        var start = 0
        while start <= lastStart {
            if haystack[start] == first {
                var offset = 1
                while offset < needle.count, haystack[start + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return start }
            }
            start += 1
        }
        return nil
    }
}
