import Foundation

/// Splits a paragraph into clauses at 。；！？ (and their half-width forms), never inside quotes, brackets or
/// 《》, keeping each clause's terminal punctuation with it.
public enum SentenceSplitter {
    /// A clause: its character offsets in the paragraph (`end` exclusive).
    public struct Piece: Hashable, Sendable {
        public var start: Int
        public var end: Int
        /// The punctuation that closed it, nil for a trailing piece without one.
        public var terminator: Character?
    }

    /// The clauses of `text`, covering it entirely (white space between clauses goes with the following one).
    public static func split(_ text: String) -> [Piece] {
        split(CharacterArray(text))
    }

    /// The clauses of `characters[start...]`, with offsets from `start`.
    static func split(_ characters: CharacterArray, from start: Int = 0) -> [Piece] {
        switch characters.storage {
        case .scalars(let scalars): split(scalars[start...])
        case .characters(let characters): split(characters[start...])
        }
    }

    /// One algorithm for both forms of text: over the scalars of plain text, over `Character`s otherwise.
    private static func split<Units: RandomAccessCollection>(_ units: Units) -> [Piece]
    where Units.Element: ClauseCharacter, Units.Index == Int {
        let base = units.startIndex
        let count = units.count
        var pieces: [Piece] = []
        var depth: [Unicode.Scalar] = []
        var start = 0
        var inStraightQuote = false
        var index = 0
        while index < count {
            let unit = units[base + index]
            let punctuation = unit.punctuation
            if punctuation == "\"" {
                inStraightQuote.toggle()
            } else if let punctuation, isOpener(punctuation) {
                depth.append(punctuation)
            } else if let punctuation, let opener = opener(closedBy: punctuation) {
                // Close the innermost matching opener; an unmatched closer is ignored rather than trusted.
                if let position = depth.lastIndex(of: opener) { depth.removeSubrange(position...) }
            } else if depth.isEmpty, !inStraightQuote, isTerminator(units, at: index) {
                var end = index + 1
                // Keep runs of terminators and closing quotes that follow with this clause (“……。”).
                while end < count, let next = units[base + end].punctuation, isFullStop(next) || next == "”" {
                    end += 1
                }
                pieces.append(Piece(start: start, end: end, terminator: unit.character))
                start = end
                index = end
                continue
            }
            index += 1
        }
        if start < count {
            if !units[(base + start)...].allSatisfy({ $0.isBlank }) {
                pieces.append(Piece(start: start, end: count, terminator: nil))
            } else if var last = pieces.popLast() {
                last.end = count
                pieces.append(last)
            }
        }
        return pieces
    }

    private static func isTerminator<Units: RandomAccessCollection>(_ units: Units, at index: Int) -> Bool
    where Units.Element: ClauseCharacter, Units.Index == Int {
        let base = units.startIndex
        guard let punctuation = units[base + index].punctuation, isFullStop(punctuation) || punctuation == "." else {
            return false
        }
        if punctuation == "." || punctuation == "．" {
            // A half-width full stop ends a clause only before white space or the end, never inside 1.9 or 2.0版.
            let next = index + 1 < units.count ? units[base + index + 1] : nil
            let previous = index > 0 ? units[base + index - 1] : nil
            if let previous, previous.isDigit { return next == nil }
            return next == nil || next!.isBlank || !next!.isASCII
        }
        return true
    }

    private static func isOpener(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "“", "‘", "《", "（", "(", "【", "〔", "[", "「", "『", "〈", "{", "｛": true
        default: false
        }
    }

    private static func opener(closedBy scalar: Unicode.Scalar) -> Unicode.Scalar? {
        switch scalar {
        case "”": "“"
        case "’": "‘"
        case "》": "《"
        case "）": "（"
        case ")": "("
        case "】": "【"
        case "〕": "〔"
        case "]": "["
        case "」": "「"
        case "』": "『"
        case "〉": "〈"
        case "}": "{"
        case "｝": "｛"
        default: nil
        }
    }

    private static func isFullStop(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "。", "；", "！", "？", "!", "?", ";", "．": true
        default: false
        }
    }
}

/// What the splitter asks of one character of the text. Punctuation is matched by scalar: every mark the
/// splitter knows is a single plain scalar, and a `Character` equals one exactly when its NFC form is that
/// scalar.
protocol ClauseCharacter {
    /// The single scalar the character equals, nil when it equals none (several scalars after NFC).
    var punctuation: Unicode.Scalar? { get }
    var character: Character { get }
    /// An ASCII or full-width digit.
    var isDigit: Bool { get }
    var isBlank: Bool { get }
    var isASCII: Bool { get }
}

extension Unicode.Scalar: ClauseCharacter {
    var punctuation: Unicode.Scalar? { self }
    var character: Character { Character(self) }
    var isDigit: Bool { (0x30...0x39).contains(value) || (0xFF10...0xFF19).contains(value) }
    var isBlank: Bool { Normalizer.isBlank(self) }
}

extension Character: ClauseCharacter {
    var punctuation: Unicode.Scalar? {
        if let scalar = plainScalar { return scalar }
        // Rare: combining marks, or a singleton such as 〈 U+2329, which equals 〈 U+3008.
        let composed = String(self).precomposedStringWithCanonicalMapping.unicodeScalars
        return composed.count == 1 ? composed.first : nil
    }
    var character: Character { self }
    var isDigit: Bool { isASCIIDigit || isFullWidthDigit }
    var isBlank: Bool { Normalizer.isBlank(self) }
}
