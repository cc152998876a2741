import PlanKit

/// Columns a terminal gives a string: 2 for Han characters and other wide forms, 0 for combining marks.
/// Plain text (`PlainText.isPlain`: one scalar a character, nearly all policy text) is measured and cut over its
/// scalars, without grapheme breaking (`CharacterArray`).
public enum DisplayWidth {
    public static func of(_ text: String) -> Int {
        if PlainText.isPlain(text) { return text.unicodeScalars.reduce(0) { $0 + of(scalar: $1) } }
        return text.reduce(0) { $0 + of($1) }
    }

    public static func of(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        return of(scalar: scalar)
    }

    /// The columns of a character that starts with this scalar.
    @inlinable public static func of(scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 { return 0 }
        if value < 0x300 { return 1 }   // ASCII and Latin: no combining marks before U+0300
        if value < 0x1100 { return scalar.properties.generalCategory == .nonspacingMark ? 0 : 1 }
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x20000...0x3FFFD:
            return 2
        default:
            return scalar.properties.generalCategory == .nonspacingMark ? 0 : 1
        }
    }

    /// `text` cut to at most `width` columns (with … when cut), then padded with spaces to exactly `width`.
    public static func fit(_ text: String, _ width: Int, alignRight: Bool = false) -> String {
        var result = ""
        var used = 0
        let total = of(text)
        if total <= width {
            result = text
            used = total
        } else {
            // Cut over the text's characters (scalars when it is plain), as a slice of it.
            let characters = CharacterArray(text)
            var end = 0
            while end < characters.count {
                let w = of(scalar: characters.firstScalar(at: end))
                if used + w > width - 1 { break }
                used += w
                end += 1
            }
            result = characters.string(from: 0, to: end) + "…"
            used += 1
        }
        let padding = String(repeating: " ", count: max(0, width - used))
        return alignRight ? padding + result : result + padding
    }

    /// `text` on one line: each line feed a space.
    public static func oneLine(_ text: String) -> String { text.replacingScalars(["\n": " "]) }

    /// `text` without the spaces and tabs at either end (CharacterSet.whitespaces: tab and the Zs spaces,
    /// U+3000 among them), without Foundation.
    public static func trimmingSpaces(_ text: String) -> String {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar == " " || scalar == "\t" || (scalar.value > 0x7F && scalar.properties.generalCategory == .spaceSeparator)
        }
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        return String(scalars[first...last])
    }

    /// The last `width` columns of `text` (for left contexts), cut at a character boundary.
    public static func tail(_ text: String, _ width: Int) -> String {
        var result: [Character] = []
        var used = 0
        for character in text.reversed() {
            let w = of(character)
            if used + w > width { break }
            result.append(character)
            used += w
        }
        return String(result.reversed())
    }
}
