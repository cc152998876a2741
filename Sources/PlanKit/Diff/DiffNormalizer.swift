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
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in Normalizer.normalize(String(line.map(foldQuotes))) }
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
        case "\r": "\n"
        default: character
        }
    }

    /// One character in its folded form: full-width ASCII → ASCII, every kind of space → " ", quotes → straight.
    static func fold(_ character: Character) -> Character {
        guard character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first else {
            return character == "\r\n" ? "\n" : character
        }
        switch scalar.value {
        case 0xFF01...0xFF5E:
            // The full-width block mirrors ASCII 0x21–0x7E at a fixed distance.
            return Character(Unicode.Scalar(scalar.value - 0xFEE0)!)
        case 0x3000, 0x00A0, 0x2000...0x200B, 0x202F, 0x205F, 0xFEFF, 0x09, 0x0B, 0x0C:
            return " "
        case 0x0D:
            return "\n"
        case 0x201C, 0x201D, 0x301D, 0x301E:
            return "\""
        case 0x2018, 0x2019:
            return "'"
        case 0xFF61:
            return "。"
        case 0xFF64:
            return "、"
        case 0xFF62:
            return "「"
        case 0xFF63:
            return "」"
        default:
            return character
        }
    }

    /// ASCII letters and digits: the only characters between which a space carries meaning.
    static func isLatinWordCharacter(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return (ascii >= 0x30 && ascii <= 0x39) || (ascii >= 0x41 && ascii <= 0x5A) || (ascii >= 0x61 && ascii <= 0x7A)
    }
}
