/// 格式归一 — folds the differences a reader does not count as a change: full-width and half-width forms
/// (`，` and `,`, `（` and `(`, `１` and `1`), curly and straight quotes, NBSP and U+3000, and white space
/// between Chinese characters (PDF extraction and web pages insert it freely).
///
/// Built on the shared `Normalizer`, line by line: inside a diffed unit line breaks separate paragraphs (款),
/// and a paragraph break is structure, not format.
public enum DiffNormalizer {
    /// The text with format differences folded away. Two texts that differ only in format give equal results.
    /// - Complexity: O(n) in the length of `text`.
    public static func normalize(_ text: String) -> String {
        // "\r\n" is one Character in Swift: unify line breaks before splitting at them.
        String(text.map(foldQuotes)).split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in Normalizer.normalize(String(line)) }
            .joined(separator: "\n")
    }

    /// Curly quotes → straight ones, halfwidth ideographic forms → their usual forms; the shared
    /// `Normalizer` does the rest.
    static func foldQuotes(_ character: Character) -> Character {
        switch character {
        case "\u{201C}", "\u{201D}", "\u{301D}", "\u{301E}": "\""
        case "\u{2018}", "\u{2019}": "'"
        case "\u{FF61}": "。"
        case "\u{FF64}": "、"
        case "\r", "\r\n": "\n"
        default: character
        }
    }

    /// ASCII letters and digits: the only characters between which a space carries meaning.
    static func isLatinWordCharacter(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return (ascii >= 0x30 && ascii <= 0x39) || (ascii >= 0x41 && ascii <= 0x5A) || (ascii >= 0x61 && ascii <= 0x7A)
    }
}
