/// Finds where a hit's text matches the query's strings and cuts a snippet around the first match.
///
/// Works from the index tokenizer's own cut (unigrams and words with byte offsets), so that what is marked
/// is what the index matched: a Han run marks only where it stands contiguously, words match whole, and
/// full-width/case folding applies. Adjacent and overlapping marks are merged into one.
public struct Highlighter: Sendable {
    public init() {}

    /// A snippet: plain text plus the marked ranges, as character offsets into `text`.
    public struct Snippet: Codable, Hashable, Sendable {
        public var text: String
        /// Half-open ranges of characters in `text` that matched, in order, never overlapping.
        public var marks: [Range<Int>]

        /// The snippet with each mark wrapped in `open`/`close` (e.g. «…» or terminal escape codes).
        public func rendered(open: String, close: String) -> String {
            let characters = Array(text)
            var result = ""
            var index = 0
            for mark in marks {
                result += String(characters[index..<mark.lowerBound]) + open
                    + String(characters[mark]) + close
                index = mark.upperBound
            }
            return result + String(characters[index...])
        }
    }

    /// Character ranges of `text` that match any of `needles`, merged.
    public func matches(of needles: [String], in text: String) -> [Range<Int>] {
        let tokenizer = IndexTokenizer(indexing: .unigram)
        let textTokens = tokenizer.tokens(of: text)
        guard !textTokens.isEmpty else { return [] }
        var byteRanges: [Range<Int>] = []
        for needle in needles {
            let needleTokens = tokenizer.tokens(of: needle)
            guard !needleTokens.isEmpty, needleTokens.count <= textTokens.count else { continue }
            for start in 0...(textTokens.count - needleTokens.count) {
                var matched = true
                for offset in 0..<needleTokens.count {
                    let candidate = textTokens[start + offset]
                    let wanted = needleTokens[offset]
                    if candidate.token != wanted.token
                        || (offset > 0 && wanted.joinsPrevious && !candidate.joinsPrevious) {
                        matched = false
                        break
                    }
                }
                if matched {
                    byteRanges.append(textTokens[start].start..<textTokens[start + needleTokens.count - 1].end)
                }
            }
        }
        return merge(characterRanges(of: byteRanges, in: text))
    }

    /// A snippet of about `width` characters around the first match (the whole text when it is short).
    public func snippet(of text: String, needles: [String], width: Int = 80) -> Snippet {
        let marks = matches(of: needles, in: text)
        let characters = Array(text)
        guard characters.count > width else { return Snippet(text: text, marks: marks) }
        let first = marks.first?.lowerBound ?? 0
        var start = max(0, first - width / 4)
        var end = min(characters.count, start + width)
        start = max(0, min(start, end - width))
        // Never cut a mark in two at the window's end.
        if let straddling = marks.first(where: { $0.lowerBound < end && $0.upperBound > end }) {
            end = straddling.upperBound
        }
        let prefix = start > 0 ? "…" : ""
        let suffix = end < characters.count ? "…" : ""
        let shift = prefix.count - start
        let visible = marks.compactMap { mark -> Range<Int>? in
            let lower = max(mark.lowerBound, start), upper = min(mark.upperBound, end)
            return lower < upper ? (lower + shift)..<(upper + shift) : nil
        }
        return Snippet(text: prefix + String(characters[start..<end]) + suffix, marks: visible)
    }

    private func characterRanges(of byteRanges: [Range<Int>], in text: String) -> [Range<Int>] {
        guard !byteRanges.isEmpty else { return [] }
        // Character index at each UTF-8 byte offset where a character starts.
        var characterAt: [Int: Int] = [:]
        var byteOffset = 0
        var characterIndex = 0
        for character in text {
            characterAt[byteOffset] = characterIndex
            byteOffset += character.utf8.count
            characterIndex += 1
        }
        characterAt[byteOffset] = characterIndex
        func characterOffset(atByte byte: Int, roundingUp: Bool) -> Int {
            var probe = byte
            while characterAt[probe] == nil { probe += roundingUp ? 1 : -1 }
            return characterAt[probe]!
        }
        return byteRanges.map {
            characterOffset(atByte: $0.lowerBound, roundingUp: false)..<characterOffset(atByte: $0.upperBound, roundingUp: true)
        }
    }

    private func merge(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, range.lowerBound <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }
}
