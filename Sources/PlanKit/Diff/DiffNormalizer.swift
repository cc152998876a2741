/// 格式归一 — folds the differences a reader does not count as a change: full-width and half-width forms
/// (`，` and `,`, `（` and `(`, `１` and `1`), curly and straight quotes, NBSP and U+3000, and white space
/// between Chinese characters (PDF extraction and web pages insert it freely).
///
/// Line breaks are kept: inside a diffed unit they separate paragraphs (款), and a paragraph break is structure,
/// not format. Used by the diff to decide `format-only`; a shared normaliser may replace it.
public enum DiffNormalizer {
    /// The text with format differences folded away. Two texts that differ only in format give equal results.
    /// - Complexity: O(n) in the length of `text`.
    public static func normalize(_ text: String) -> String {
        var folded: [Character] = []
        folded.reserveCapacity(text.count)
        for character in text {
            folded.append(fold(character))
        }
        // Drop spaces unless they separate two Latin letters or digits ("Article 5", "COVID 19").
        var result = ""
        result.reserveCapacity(folded.count)
        var index = 0
        while index < folded.count {
            let character = folded[index]
            if character == " " {
                var end = index
                while end < folded.count, folded[end] == " " { end += 1 }
                let before = result.last
                let after = end < folded.count ? folded[end] : nil
                if let before, let after, isLatinWordCharacter(before), isLatinWordCharacter(after) {
                    result.append(" ")
                }
                index = end
                continue
            }
            result.append(character)
            index += 1
        }
        return result
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
