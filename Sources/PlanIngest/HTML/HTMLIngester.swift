import CLibXML2
import Foundation
import PlanKit

/// HTML → body blocks + metadata, through libxml2.
///
/// Stages: choose the encoding from the bytes (`HTMLEncodingChoice`) → parse with libxml2, collecting its
/// complaints (`LibXMLParse`) → render the page into lines with typographic hints (`PageReader`) → read the
/// metadata (`PageMetadataReader`) → find the article among the chrome (`ArticleLocator`) → keep the
/// article's lines that are neither chrome nor metadata → place each block in the source
/// (`SourceLocator`). Segmentation is not done here.
public enum HTMLIngester {
    /// Reads an HTML page. Throws only when the bytes are not text (empty, binary, undecodable); everything
    /// else — wrong encoding declarations, libxml2's complaints, a page with no article — is a diagnostic.
    public static func ingest(_ data: Data, source: String?) throws(IngestError) -> IngestedText {
        try ingest(data, source: source, useKnownContainers: true)
    }

    /// `useKnownContainers: false` skips the gov.cn/TRS container shortcut, so tests can check that the
    /// general method finds the same article on its own.
    static func ingest(_ data: Data, source: String?, useKnownContainers: Bool) throws(IngestError) -> IngestedText {
        guard data.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0x0C) }) else {
            throw .empty
        }
        let choice = try HTMLEncodingChoice.choose(for: data)
        var metadata = Metadata(source: source, encoding: choice.reportedEncoding)
        var diagnostics = choice.diagnostics

        let parse = LibXMLParse(bytes: choice.bytes, encoding: choice.parserEncoding)
        diagnostics += parse.findings
        guard let document = parse.document else {
            diagnostics.append(Diagnostic(.warning, "ingest.html-empty", "libxml2 found no HTML document in the input"))
            return IngestedText(blocks: [], metadata: metadata, diagnostics: diagnostics)
        }
        let page = PageReader.read(document)
        let found = PageMetadataReader.read(lines: page.lines, head: page.head, elements: page.elements)
        metadata.fillGaps(from: found.metadata)

        let verdicts = page.lines.map(ChromeRules.verdict(on:))
        let container = ArticleLocator.locate(elements: page.elements, lines: page.lines, verdicts: verdicts,
                                              metadataLines: found.metadataLines,
                                              useKnownContainers: useKnownContainers)
        if container == nil, !page.lines.isEmpty {
            diagnostics.append(Diagnostic(.note, "ingest.no-article",
                                          "no part of the page reads as prose; every line that is not site chrome was kept"))
        }
        let bodyLines = joinTitleLines(selectBody(page: page, container: container, verdicts: verdicts,
                                                  metadataLines: found.metadataLines),
                                       title: metadata.title)

        if metadata.title == nil {
            // No 标题 cell, no <title> the page repeats: an <h1> or a centred bold line heading the article,
            // else the page's first <h1> (a logo's <h1> comes last for that reason), else the longest part of
            // the <title>.
            metadata.title = bodyLines.prefix(3).first { $0.headingLevel == 1 }?.text
                ?? bodyLines.prefix(3).first { $0.hints.isSuperset(of: [.centered, .bold]) }?.text
                ?? headlineAbove(container, page: page, verdicts: verdicts, metadataLines: found.metadataLines)
                ?? page.lines.first { $0.headingLevel == 1 }?.text
                ?? found.titleFromHeadOnly
        }

        if metadata.documentNumber == nil {
            // 发文字号 printed under the title (国发〔2019〕5号, 国令第706号) when no label gave it.
            metadata.documentNumber = bodyLines.prefix(8).first { isDocumentNumber($0.text) }?.text
        }

        var locator = SourceLocator(utf8Source: choice.utf8Source)
        let blocks = bodyLines.map { line in
            Block(text: line.text,
                  span: locator.span(of: line.text, startLines: line.startLineRange, endLines: line.endLineRange),
                  hints: line.hints, markedHeadingLevel: line.headingLevel,
                  boldPrefixLength: line.hints.contains(.boldLead) ? line.boldPrefixLength : nil)
        }
        if blocks.isEmpty {
            diagnostics.append(Diagnostic(.warning, "ingest.html-no-text", "the page has no body text"))
        }
        return IngestedText(blocks: blocks, metadata: metadata, diagnostics: diagnostics)
    }

    /// The article's lines: inside the container, and neither chrome (toolbars, footers, related-link lists)
    /// nor lines that only held metadata or a breadcrumb.
    static func selectBody(page: PageReader, container: Int?, verdicts: [ChromeRules.Verdict],
                           metadataLines: Set<Int>) -> [PageLine] {
        let candidates = page.lines.indices.filter { index in
            guard let container else { return true }
            return ArticleLocator.contains(container, page.lines[index].owner, in: page.elements)
        }
        // Footer-like lines go when only chrome, metadata or other footer-like lines follow them.
        var trailingFooter = Set<Int>()
        for index in candidates.reversed() {
            guard verdicts[index] == .chrome || verdicts[index] == .footerLike || metadataLines.contains(index) else {
                break
            }
            trailingFooter.insert(index)
        }
        func isLinkLine(_ index: Int) -> Bool {
            let line = page.lines[index]
            return line.linkDensity > 0.5 && !ChromeRules.isAttachmentLink(line)
        }
        var body: [PageLine] = []
        var afterRelatedHeading = false
        for (position, index) in candidates.enumerated() {
            let line = page.lines[index]
            if metadataLines.contains(index) { continue }
            if verdicts[index] == .chrome || (verdicts[index] == .footerLike && trailingFooter.contains(index)) {
                if ChromeRules.isRelatedHeading(line.text) { afterRelatedHeading = true }
                continue
            }
            if isLinkLine(index) {
                // A list of links (two or more in a row), or links under a 相关链接 heading: navigation.
                let previousIsLink = position > 0 && isLinkLine(candidates[position - 1])
                let nextIsLink = position + 1 < candidates.count && isLinkLine(candidates[position + 1])
                if afterRelatedHeading || previousIsLink || nextIsLink { continue }
            } else {
                afterRelatedHeading = false
            }
            body.append(line)
        }
        return body
    }

    /// A headline set as several centred paragraphs (`<p>国务院办公厅关于加强</p><p>三级公立医院…的意见</p>`)
    /// is one block when together they spell the document's title.
    static func joinTitleLines(_ lines: [PageLine], title: String?) -> [PageLine] {
        guard let title else { return lines }
        let bareTitle = PageMetadataReader.bare(title)
        var result = lines
        var index = 0
        while index < min(result.count - 1, 6) {
            let first = result[index]
            var joined = PageMetadataReader.bare(first.text)
            guard first.hints.contains(.centered), joined.count < bareTitle.count, bareTitle.hasPrefix(joined) else {
                index += 1
                continue
            }
            var end = index + 1
            while end < result.count, result[end].hints.contains(.centered) {
                joined += PageMetadataReader.bare(result[end].text)
                guard bareTitle.hasPrefix(joined) else { break }
                if joined == bareTitle {
                    var merged = first
                    merged.text = result[index...end].map(\.text).joined()
                    merged.endLineRange = result[end].endLineRange
                    merged.visibleCount = result[index...end].reduce(0) { $0 + $1.visibleCount }
                    if !result[index...end].allSatisfy({ $0.hints.contains(.bold) }) { merged.hints.remove(.bold) }
                    result.replaceSubrange(index...end, with: [merged])
                    break
                }
                end += 1
            }
            index += 1
        }
        return result
    }

    /// `国发〔2019〕5号`, `京政办发[2020]12号`, `国令第706号`: a whole line that is a document number.
    static func isDocumentNumber(_ text: String) -> Bool {
        text.count <= 30 && text.wholeMatch(of: documentNumberPattern) != nil
    }

    // Regex is not Sendable, so a computed property rather than a shared constant (at most eight uses a page).
    private static var documentNumberPattern: Regex<Substring> {
        /\p{Han}{1,12}(?:[〔［\[（(【]\s*(?:19|20)\d{2}\s*[〕］\]）)】]\s*第?\d{1,4}|令?第\d{1,4})号/
    }

    /// The headline just above the article (an `<h1>`–`<h3>` or a centred bold line, with at most metadata
    /// and chrome lines between): the title on pages whose `<title>` names only the site.
    static func headlineAbove(_ container: Int?, page: PageReader, verdicts: [ChromeRules.Verdict],
                              metadataLines: Set<Int>) -> String? {
        guard let container,
              let first = page.lines.firstIndex(where: { ArticleLocator.contains(container, $0.owner, in: page.elements) })
        else { return nil }
        var index = first - 1
        var looked = 0
        while index >= 0, looked < 5 {
            let line = page.lines[index]
            if !metadataLines.contains(index), verdicts[index] != .chrome {
                let isHeadline = (line.headingLevel.map { $0 <= 3 } ?? false)
                    || line.hints.isSuperset(of: [.centered, .bold])
                return isHeadline && line.cells == nil ? line.text : nil
            }
            index -= 1
            looked += 1
        }
        return nil
    }
}
