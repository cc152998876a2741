/// Plain text and Markdown → body blocks.
///
/// Each non-blank line is a block, except in text extracted from PDFs, where lines break inside sentences:
/// there lines are reflowed into paragraphs (see `Reflow`). Markdown headings (`## 第一章 总 则`) carry their
/// level; a Markdown law's header block (title and enactment history, ending at `<!-- INFO END -->`) becomes
/// metadata and preamble.
public enum TextIngester {
    public enum Flavor: Sendable { case plain, markdown }

    public static func ingest(_ text: String, flavor: Flavor, metadata: Metadata = Metadata()) -> IngestedText {
        let lines = SourceLine.split(text)
        var metadata = metadata
        var diagnostics: [Diagnostic] = []
        var blocks: [Block] = []

        var bodyLines = lines
        if flavor == .markdown {
            bodyLines = MarkdownHeader.consume(lines, into: &metadata, blocks: &blocks)
        }
        var front = IngestedText(blocks: bodyLines.compactMap { line -> Block? in
            flavor == .markdown ? markdownBlock(line) : line.block()
        }, metadata: metadata)
        // The page header (breadcrumb, title, date line, toolbar) is read before any line is joined to another.
        FrontMatter.extract(from: &front)
        metadata = front.metadata
        diagnostics += front.diagnostics
        let candidates = front.blocks
        if flavor == .plain, Reflow.looksHardWrapped(candidates) {
            diagnostics.append(Diagnostic(.note, "ingest.reflow",
                                          "lines break inside sentences (text extracted from PDF); reflowed into paragraphs"))
            let pageNumbers = candidates.filter(Reflow.isPageNumber)
            if let first = pageNumbers.first {
                diagnostics.append(Diagnostic(.note, "ingest.page-number-dropped",
                                              "dropped \(pageNumbers.count) page-number line(s) such as “\(first.text)”",
                                              at: first.span.start))
            }
            blocks += Reflow.reflow(candidates.filter { !Reflow.isPageNumber($0) }, lines: bodyLines)
        } else if flavor == .plain, Reflow.separatesParagraphsWithBlankLines(candidates) {
            // Paragraphs are separated by blank lines, so a single line break inside a sentence is a soft one
            // (where a link or footnote mark stood on the page): the two lines are one paragraph.
            let zeroWidthLines = Set(bodyLines.filter { line in
                !line.text.isEmpty && line.text.allSatisfy(Normalizer.isBlank) && line.text.unicodeScalars.contains { $0.value == 0x200B }
            }.map(\.number))
            blocks += Reflow.joinSoftBreaks(candidates, softGapLines: zeroWidthLines)
        } else {
            blocks += candidates
        }
        if let note = LicenseNotice.strip(&blocks) { diagnostics.append(note) }
        return IngestedText(blocks: blocks, metadata: metadata, diagnostics: diagnostics)
    }

    private static func markdownBlock(_ line: SourceLine) -> Block? {
        guard var block = line.block() else { return nil }
        var level = 0
        var text = Substring(block.text)
        while text.first == "#" {
            level += 1
            text = text.dropFirst()
        }
        if level > 0, level <= 6, text.first == " " || text.first == "\u{3000}" {
            let (trimmed, leading) = Normalizer.trimBlanks(text)
            guard !trimmed.isEmpty else { return nil }
            block.text = String(trimmed)
            block.span.startColumn += level + leading
            block.markedHeadingLevel = level
        }
        return block
    }
}

/// One line of the source with its 1-based number.
struct SourceLine {
    var number: Int
    var text: Substring

    /// Lines split at LF, CRLF and CR.
    ///
    /// Works on UTF-8 bytes: a line break is always a character boundary (CR LF being one character), so the
    /// lines are those a walk over `Character`s finds, without paying for grapheme breaking.
    static func split(_ text: String) -> [SourceLine] {
        var lines: [SourceLine] = []
        var number = 1
        let utf8 = text.utf8
        var start = utf8.startIndex
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == 0x0A || byte == 0x0D {
                lines.append(SourceLine(number: number, text: text[start..<index]))
                number += 1
                var next = utf8.index(after: index)
                if byte == 0x0D, next < utf8.endIndex, utf8[next] == 0x0A { next = utf8.index(after: next) }
                start = next
                index = next
            } else {
                index = utf8.index(after: index)
            }
        }
        if start < utf8.endIndex { lines.append(SourceLine(number: number, text: text[start...])) }
        return lines
    }

    /// The line as a block, or nil when it is blank.
    func block() -> Block? {
        let (trimmed, leading) = Normalizer.trimBlanks(text)
        guard !trimmed.isEmpty else { return nil }
        let span = SourceSpan(startLine: number, startColumn: leading + 1,
                              endLine: number, endColumn: leading + PlainText.characterCount(trimmed))
        return Block(text: String(trimmed), span: span, hints: leading > 0 ? .indented : [])
    }
}

/// The header block of LawRefBook Markdown: `# title`, then enactment and revision lines, then `<!-- INFO END -->`.
enum MarkdownHeader {
    static func consume(_ lines: [SourceLine], into metadata: inout Metadata, blocks: inout [Block]) -> [SourceLine] {
        guard let end = lines.firstIndex(where: { $0.text.contains("<!-- INFO END -->") }) else { return lines }
        var history: [Block] = []
        for line in lines[..<end] {
            guard let block = line.block() else { continue }
            if block.text.hasPrefix("# ") {
                metadata.title = metadata.title ?? String(block.text.dropFirst(2)).trimmingBlanks()
                continue
            }
            history.append(block)
        }
        // The latest dated line is the version this text is; its body names the issuer.
        let dated = history.compactMap { block in DateText.firstDate(in: block.text).map { (block, $0) } }
        if let latest = dated.max(by: { $0.1 < $1.1 }) {
            metadata.date = metadata.date ?? latest.1
            metadata.issuer = metadata.issuer ?? Issuers.legislature(in: latest.0.text)
        }
        // The history stays in the tree as the preamble; the segmenter sees these blocks first.
        blocks += history.map { block in
            var block = block
            block.hints.insert(.frontMatter)
            return block
        }
        return Array(lines[(end + 1)...])
    }
}

extension StringProtocol {
    /// Without blank characters (including U+3000 and NBSP) at either end.
    func trimmingBlanks() -> String { String(Normalizer.trimBlanks(Substring(self)).trimmed) }
}
