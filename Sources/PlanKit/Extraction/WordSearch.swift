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
        containsAny(text, CollectionOfOne(word))
    }

    /// Whether `text` contains one of `words`, as Foundation's `contains` answers for each.
    /// - Complexity: O(n · m) for n bytes of text and m words, with one plain-text check.
    static func containsAny(_ text: String, _ words: some Collection<String>) -> Bool {
        guard PlainText.isPlain(text) else { return words.contains { text.contains($0) } }
        var text = text
        return text.withUTF8 { bytes in
            words.contains { word in
                guard !word.isEmpty, PlainText.isPlain(word) else { return String(decoding: bytes, as: UTF8.self).contains(word) }
                var word = word
                return word.withUTF8 { needle in contains(bytes, needle) }
            }
        }
    }

    /// Whether `needle` occurs in `haystack`, byte for byte.
    private static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: UnsafeBufferPointer<UInt8>) -> Bool {
        guard needle.count <= haystack.count, let first = needle.first else { return false }
        let lastStart = haystack.count - needle.count
        var start = 0
        while start <= lastStart {
            if haystack[start] == first {
                var offset = 1
                while offset < needle.count, haystack[start + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            start += 1
        }
        return false
    }
}
