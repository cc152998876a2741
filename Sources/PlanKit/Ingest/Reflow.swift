/// Reflows text extracted from PDFs, whose lines break inside sentences, into paragraphs.
///
/// A line continues the paragraph above when that paragraph has not ended (no terminal punctuation) and the
/// line does not start a new numbered unit. A heading line (第X章, 目录, a short title) is never glued to text.
enum Reflow {
    /// Characters that may end a paragraph.
    static let paragraphEnders: Set<Character> = ["。", "；", "：", "！", "？", "”", "」", "』", ";", ":", "!", "?", "）", ")", "》"]

    /// True when many lines end mid-sentence: more than a quarter of the longer lines.
    static func looksHardWrapped(_ blocks: [Block]) -> Bool {
        let longLines = blocks.filter {
            !PlainText.hasAtMost(11, charactersIn: $0.text) && LabelParser.parse(Substring($0.text))?.kind != .chapter
        }
        guard longLines.count >= 8 else { return false }
        let open = longLines.filter { block in
            guard let last = block.text.last else { return false }
            return !paragraphEnders.contains(last) && last != "." && last != "。"
        }
        return open.count * 4 > longLines.count
    }

    /// A page number left by PDF extraction: "— 22 —", "- 3 -", "22".
    static func isPageNumber(_ block: Block) -> Bool {
        // Settle most lines on their scalars: a plain scalar starts a character of its own, so one that is
        // neither blank, a dash nor a digit puts a non-digit in the core, and five plain digits are too many.
        var digits = 0
        for scalar in block.text.unicodeScalars where PlainText.isPlain(scalar) && !Normalizer.isBlank(scalar) {
            if "-—–－".unicodeScalars.contains(scalar) { continue }
            guard scalar.isDigit else { return false }
            digits += 1
            if digits > 4 { return false }
        }
        let core = block.text.filter { !Normalizer.isBlank($0) && !"-—–－".contains($0) }
        return !core.isEmpty && core.count <= 4 && core.allSatisfy { $0.isASCIIDigit || $0.isFullWidthDigit }
    }

    static func reflow(_ blocks: [Block], lines: [SourceLine]) -> [Block] {
        var result: [Block] = []
        var lastArticle = 0
        for block in blocks {
            let label = LabelParser.parse(Substring(block.text))
            if let label, label.kind == .article, let number = label.number {
                // 第X条 at the start of a wrapped line may be a cross-reference ("依照本法\n第二十条规定") — only
                // the next article number starts a new article.
                if number == lastArticle + 1 || result.last.map(endsParagraph) ?? true {
                    lastArticle = number
                    result.append(block)
                    continue
                }
            }
            if var previous = result.last, !endsParagraph(previous), label == nil || label?.kind == .article,
               !isHeading(previous) {
                append(block, to: &previous)
                result[result.count - 1] = previous
            } else {
                result.append(block)
            }
        }
        return result
    }

    /// True when most consecutive blocks are separated by at least one blank line.
    static func separatesParagraphsWithBlankLines(_ blocks: [Block]) -> Bool {
        guard blocks.count >= 8 else { return false }
        var separated = 0
        for (previous, next) in zip(blocks, blocks.dropFirst()) where next.span.startLine > previous.span.endLine + 1 {
            separated += 1
        }
        return separated * 10 >= (blocks.count - 1) * 7
    }

    /// Joins a block to the one above when they are on adjacent lines (or only lines holding a zero-width
    /// space stand between, where a wiki link was) and the one above stops mid-sentence.
    static func joinSoftBreaks(_ blocks: [Block], softGapLines: Set<Int>) -> [Block] {
        var result: [Block] = []
        for block in blocks {
            if var previous = result.last,
               ((previous.span.endLine + 1)..<block.span.startLine).allSatisfy(softGapLines.contains),
               !endsParagraph(previous),
               !isHeading(previous), LabelParser.parse(Substring(block.text)) == nil,
               LabelParser.parse(Substring(previous.text)).map({ $0.rest.count > 30 }) ?? true {
                append(block, to: &previous)
                result[result.count - 1] = previous
            } else {
                result.append(block)
            }
        }
        return result
    }

    private static func append(_ block: Block, to previous: inout Block) {
        let glue = needsSpace(previous.text.last, block.text.first) ? " " : ""
        previous.anchors.append(TextAnchor(offset: PlainText.characterCount(previous.text) + glue.count,
                                           at: block.span.start))
        previous.text += glue + block.text
        previous.span.endLine = block.span.endLine
        previous.span.endColumn = block.span.endColumn
        previous.span.endPage = block.span.endPage
    }

    private static func endsParagraph(_ block: Block) -> Bool {
        guard let last = block.text.last else { return true }
        return paragraphEnders.contains(last) || last == "."
    }

    /// A heading: a 编/章/节 label or 目录, or a short line that a later line will not continue (a title).
    private static func isHeading(_ block: Block) -> Bool {
        guard let label = LabelParser.parse(Substring(block.text)) else { return false }
        switch label.kind {
        case .part, .subpart, .chapter, .section, .toc, .preface: return label.rest.count <= 30
        default: return false
        }
    }

    private static func needsSpace(_ left: Character?, _ right: Character?) -> Bool {
        guard let left, let right else { return false }
        return left.isASCII && right.isASCII && (left.isLetter || left.isNumber) && (right.isLetter || right.isNumber)
    }
}
