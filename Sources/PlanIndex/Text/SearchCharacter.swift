/// How the search index sees one Unicode scalar: part of a word (Latin letters, digits), an ideograph that is a
/// token of its own (汉字, kana, hangul), spacing, or a separator. The index, the query parser and the highlighter all
/// classify through here, so that what is indexed and what is searched for are cut the same way.
enum SearchCharacter: Equatable {
    /// A letter or digit of a word, already folded (full-width to half-width, upper to lower case).
    case word(UInt32)
    /// A Han character (or kana, hangul): each is one token, and runs of them also give bigrams.
    case ideograph
    /// A space (U+0020, NBSP, U+3000 and the typographic spaces): ends a word, but not an ideograph run, so that
    /// letter-spaced headings (附　　则, 总 则) read as the word they spell.
    case spacing
    /// Punctuation, line breaks, symbols: ends a word or an ideograph run.
    case separator

    /// Whether the scalar gives a token or part of one.
    var isSearchable: Bool {
        switch self {
        case .word, .ideograph: true
        case .spacing, .separator: false
        }
    }

    /// Classifies a scalar value. Full-width ASCII (Ｒ, ５) folds to ASCII so that ＲＣＥＰ finds RCEP.
    @inline(__always)
    static func classify(_ value: UInt32) -> SearchCharacter {
        if value < 0x80 {
            switch value {
            case 0x30...0x39, 0x61...0x7A: return .word(value)
            case 0x41...0x5A: return .word(value + 0x20)
            case 0x20: return .spacing
            default: return .separator
            }
        }
        switch value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F:
            return .ideograph
        case 0x3007: // 〇, the ideographic zero of 二〇二五年
            return .ideograph
        case 0xA0, 0x2000...0x200A, 0x202F, 0x205F, 0x3000:
            return .spacing
        case 0x3041...0x3096, 0x30A1...0x30FA, 0xAC00...0xD7A3:
            return .ideograph
        case 0xFF10...0xFF19, 0xFF41...0xFF5A: // full-width digits and small letters
            return .word(value - 0xFEE0)
        case 0xFF21...0xFF3A: // full-width capitals
            return .word(value - 0xFEE0 + 0x20)
        case 0xC0...0xD6, 0xD8...0xDE: // Latin-1 capitals (À…Þ without ×)
            return .word(value + 0x20)
        case 0xDF...0xF6, 0xF8...0xFF, 0x100...0x24F:
            return .word(value)
        case 0x391...0x3A9: // Greek capitals
            return .word(value + 0x20)
        case 0x3B1...0x3C9:
            return .word(value)
        default:
            return .separator
        }
    }
}

/// How ideographs are cut into index tokens. Chosen when a knowledge base is created and fixed for its life.
public enum IdeographIndexing: String, Sendable, CaseIterable {
    /// Each Han character is a token; a query run becomes a phrase of its characters.
    case unigram
    /// Each Han character is a token, and each pair of neighbours inside a run is a second token at the same
    /// position; a query run becomes a phrase of overlapping pairs, so 2-character queries read one posting list.
    case bigram
}
