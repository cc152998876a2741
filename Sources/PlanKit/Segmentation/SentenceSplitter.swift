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

    private static let openers: Set<Character> = ["“", "‘", "《", "（", "(", "【", "〔", "[", "「", "『", "〈", "{", "｛"]
    private static let closers: [Character: Character] = [
        "”": "“", "’": "‘", "》": "《", "）": "（", ")": "(", "】": "【", "〕": "〔", "]": "[", "」": "「", "』": "『",
        "〉": "〈", "}": "{", "｝": "｛",
    ]
    private static let fullStops: Set<Character> = ["。", "；", "！", "？", "!", "?", ";", "．"]

    /// The clauses of `text`, covering it entirely (white space between clauses goes with the following one).
    public static func split(_ text: String) -> [Piece] {
        let characters = Array(text)
        var pieces: [Piece] = []
        var depth: [Character] = []
        var start = 0
        var inStraightQuote = false
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "\"" {
                inStraightQuote.toggle()
            } else if openers.contains(character) {
                depth.append(character)
            } else if let opener = closers[character] {
                // Close the innermost matching opener; an unmatched closer is ignored rather than trusted.
                if let position = depth.lastIndex(of: opener) { depth.removeSubrange(position...) }
            } else if depth.isEmpty, !inStraightQuote, isTerminator(characters, at: index) {
                var end = index + 1
                // Keep runs of terminators and closing quotes that follow with this clause (“……。”).
                while end < characters.count, fullStops.contains(characters[end]) || characters[end] == "”" {
                    end += 1
                }
                pieces.append(Piece(start: start, end: end, terminator: character))
                start = end
                index = end
                continue
            }
            index += 1
        }
        if start < characters.count {
            let tail = characters[start...]
            if !tail.allSatisfy(Normalizer.isBlank) {
                pieces.append(Piece(start: start, end: characters.count, terminator: nil))
            } else if var last = pieces.popLast() {
                last.end = characters.count
                pieces.append(last)
            }
        }
        return pieces
    }

    private static func isTerminator(_ characters: [Character], at index: Int) -> Bool {
        let character = characters[index]
        guard fullStops.contains(character) || character == "." else { return false }
        if character == "." || character == "．" {
            // A half-width full stop ends a clause only before white space or the end, never inside 1.9 or 2.0版.
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            let previous = index > 0 ? characters[index - 1] : nil
            if let previous, previous.isASCIIDigit || previous.isFullWidthDigit { return next == nil }
            return next == nil || Normalizer.isBlank(next!) || !(next!.isASCII)
        }
        return true
    }
}
