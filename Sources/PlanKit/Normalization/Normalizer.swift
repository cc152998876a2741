/// Text folded for matching: full-width digits, Latin letters and punctuation → ASCII, NBSP and U+3000 →
/// space, zero-width characters removed, runs of white space → one space, spaces between two Han
/// characters (left by PDF extraction: "动物疫 病") removed. Nodes keep their original text; this is only for
/// comparing and searching.
public enum Normalizer {
    /// The matching form of `text`.
    public static func normalize(_ text: String) -> String {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard let folded = fold(scalar) else { continue }
            if folded == " " {
                if let last = scalars.last, last == " " { continue }
            }
            scalars.append(folded)
        }
        // Drop spaces at the ends and between two Han characters.
        var result = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            if scalar == " " {
                guard index > 0, index < scalars.count - 1 else { continue }
                if isHan(scalars[index - 1]) || isHan(scalars[index + 1]) || isCJKPunctuation(scalars[index - 1])
                    || isCJKPunctuation(scalars[index + 1]) { continue }
            }
            result.append(scalar)
        }
        return String(result)
    }

    /// One scalar folded: nil to drop it.
    @inline(__always)
    public static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        switch scalar.value {
        case 0xFF01...0xFF5E:  // full-width ASCII block
            return Unicode.Scalar(scalar.value - 0xFEE0)
        case 0x3000, 0x00A0, 0x2002...0x200A, 0x202F, 0x205F, 0x09, 0x0A, 0x0D, 0x0B, 0x0C:
            return " "
        case 0x200B...0x200D, 0x2060, 0xFEFF, 0x00AD:
            return nil
        default:
            return scalar
        }
    }

    /// A CJK unified ideograph (the main block and extension A), or 〇.
    @inline(__always)
    public static func isHan(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x3007, 0xF900...0xFAFF, 0x20000...0x2FA1F: return true
        default: return false
        }
    }

    @inline(__always)
    static func isCJKPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3001...0x303F, 0xFF01...0xFF0F, 0xFF1A...0xFF20, 0x2018...0x201F, 0x2014, 0x2026: return true
        default: return false
        }
    }

    /// Blank for layout purposes: ASCII white space, NBSP, U+3000, zero-width characters, BOM.
    @inline(__always)
    public static func isBlank(_ character: Character) -> Bool {
        character.unicodeScalars.allSatisfy(isBlank)
    }

    /// A blank scalar (see `isBlank(_:)` for a character).
    @inline(__always)
    static func isBlank(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0x3000, 0x00A0, 0x2002...0x200D, 0x202F, 0x205F, 0x2060, 0xFEFF:
            true
        default:
            false
        }
    }

    /// `text` without blank characters at either end, and how many characters were dropped at the start.
    public static func trimBlanks(_ text: Substring) -> (trimmed: Substring, leading: Int) {
        var start = text.startIndex
        var leading = 0
        while start < text.endIndex, isBlank(text[start]) {
            start = text.index(after: start)
            leading += 1
        }
        var end = text.endIndex
        while end > start, isBlank(text[text.index(before: end)]) {
            end = text.index(before: end)
        }
        return (text[start..<end], leading)
    }
}
