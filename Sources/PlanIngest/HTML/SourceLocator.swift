import Foundation
import PlanKit

/// Finds where a block's text starts and ends in the page source: libxml2 gives the line (roughly — see
/// `PageLine.startLineRange`), and the block's first and last characters are looked up in that line, so the
/// column counts `Character`s of the decoded source line. When the text cannot be found (entities such as
/// `&ldquo;`, tags between characters), the column is 1.
///
/// Blocks come in document order, so the search resumes where the previous block was found: a page that
/// is one 50 MB line is still read once. libxml2's line numbers stop at 65535; past that the search walks
/// forward from the previous block.
struct SourceLocator {
    /// The source as UTF-8.
    private let source: [UInt8]
    /// Byte offset of the start of each line (line n starts at `lineStarts[n - 1]`).
    private let lineStarts: [Int]

    private var cachedLine: (number: Int, bytes: [UInt8])?
    /// The last position found: line, byte offset in that line's UTF-8, and the column there.
    private var cursor = (line: 1, offset: 0, column: 1)

    init(utf8Source source: [UInt8]) {
        self.source = source
        var starts = [0]
        starts.reserveCapacity(source.count / 40)
        for (offset, byte) in source.enumerated() where byte == 0x0A { starts.append(offset + 1) }
        lineStarts = starts
    }

    var lineCount: Int { lineStarts.count }

    mutating func span(of text: String, startLines: ClosedRange<Int>, endLines: ClosedRange<Int>) -> SourceSpan {
        let head = Array(text.prefix(4).utf8)
        let firstCharacter = Array(text.prefix(1).utf8)
        let tailText = text.suffix(4)
        let tail = Array(tailText.utf8)
        let lastCharacter = Array(text.suffix(1).utf8)

        // Where to look for the start: libxml2's lines, or — past its 65535 limit, or behind the previous
        // block — forward from the previous block, up to a few megabytes ahead.
        let candidates: ClosedRange<Int>
        let searchForward = startLines.upperBound >= 65_535 || startLines.upperBound < cursor.line
        if searchForward {
            let from = startLines.upperBound >= 65_535 ? max(cursor.line, min(startLines.lowerBound, 65_535)) : cursor.line
            candidates = lines(from, lineCount)
        } else {
            candidates = lines(startLines.lowerBound, startLines.upperBound)
        }

        var start: (line: Int, offset: Int, column: Int)?
        for needle in [head, firstCharacter] where start == nil {
            var budget = 4_000_000
            for line in candidates where budget > 0 {
                if let found = find(needle, inLine: line) {
                    start = found
                    break
                }
                if searchForward { budget -= lineLength(line) + 1 }
            }
        }
        let startLine = start?.line ?? candidates.lowerBound
        let startColumn = start?.column ?? 1
        if let start { cursor = start }

        // The end: on the last text node's line, at or after the start.
        // Past libxml2's line limit the end is looked for forward from the start; otherwise from the last
        // line the hint allows, back (the block's last characters may also occur earlier in it).
        let pastLimit = endLines.upperBound >= 65_535
        let endRange = pastLimit
            ? lines(startLine, startLine + 200)
            : lines(max(startLine, endLines.lowerBound), max(startLine, endLines.upperBound))
        let endLow = endRange.lowerBound
        var end: (line: Int, column: Int)?
        for needle in [tail, lastCharacter] where end == nil {
            for line in pastLimit ? Array(endRange) : endRange.reversed() {
                let from = line == startLine ? (start?.offset ?? 0) : 0
                if let found = find(needle, inLine: line, from: from) {
                    let width = needle == tail ? tailText.count : 1
                    end = (found.line, found.column + width - 1)
                    // The next block starts after this one ends.
                    cursor = (found.line, found.offset + needle.count, found.column + width)
                    break
                }
            }
        }
        let length = PlainText.characterCount(text)
        let endPosition = end ?? (endLow, max(1, startLine == endLow ? startColumn + length - 1 : length))
        return SourceSpan(startLine: startLine, startColumn: startColumn,
                          endLine: endPosition.line, endColumn: endPosition.column)
    }

    private func lineLength(_ number: Int) -> Int {
        (number < lineStarts.count ? lineStarts[number] : source.count) - lineStarts[number - 1]
    }

    /// Lines `first...last` clamped to the source (libxml2 and this locator may count lines differently, and
    /// hints may run past the end).
    private func lines(_ first: Int, _ last: Int) -> ClosedRange<Int> {
        let low = min(max(1, first), lineCount)
        return low...min(max(low, last), lineCount)
    }

    /// Finds `needle` in line `number`, from `from` (or the cursor, on the cursor's line); returns the line,
    /// the byte offset and the column (in Characters) of the match.
    private mutating func find(_ needle: [UInt8], inLine number: Int,
                               from: Int? = nil) -> (line: Int, offset: Int, column: Int)? {
        guard !needle.isEmpty, number >= 1, number <= lineCount else { return nil }
        let bytes = lineBytes(number)
        let origin = from ?? (number == cursor.line ? cursor.offset : 0)
        guard let offset = Self.search(needle, in: bytes, from: origin) else { return nil }
        // Count Characters incrementally from the cursor when we can, so one long line is decoded once.
        let column: Int
        if number == cursor.line, offset >= cursor.offset {
            column = cursor.column + Self.characterCount(bytes[cursor.offset..<offset])
        } else {
            column = 1 + Self.characterCount(bytes[..<offset])
        }
        return (number, offset, column)
    }

    /// How many characters `bytes` decode to (ill-formed bytes repaired as the decoder repairs them).
    private static func characterCount(_ bytes: ArraySlice<UInt8>) -> Int {
        PlainText.characterCount(String(decoding: bytes, as: UTF8.self))
    }

    /// The UTF-8 bytes of line `number`, without its line break.
    private mutating func lineBytes(_ number: Int) -> [UInt8] {
        if let cachedLine, cachedLine.number == number { return cachedLine.bytes }
        let start = lineStarts[number - 1]
        var end = number < lineStarts.count ? lineStarts[number] - 1 : source.count
        if end > start, source[end - 1] == 0x0D { end -= 1 }
        let bytes = Array(source[start..<max(start, end)])
        cachedLine = (number, bytes)
        return bytes
    }

    /// Naive byte search, bounded to 1 MB past `from` so a missing needle costs little on a huge line.
    private static func search(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        let limit = min(haystack.count - needle.count, from + 1_048_576)
        guard from <= limit else { return nil }
        let first = needle[0]
        var index = from
        while index <= limit {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
