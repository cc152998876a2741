import Foundation
import PlanKit

extension InputFormat {
    public static let pdf = InputFormat(rawValue: "pdf")
}

/// PDF with a text layer, read through poppler's `pdftohtml -xml` (text, position and font of every line)
/// and `pdfinfo` (title, author, dates, pages, encryption), both run as separate processes; the layout —
/// columns, page furniture, paragraphs, headings — is worked out by `PageLayout`.
///
/// poppler is GPL. PlanKB runs its tools as programs instead of linking the library, so that PlanKB's own
/// binary stays under its own licence (and a converter crash or hang cannot take a batch down).
public enum PDFReader: DocumentReader {
    public static let format = InputFormat.pdf
    public static let fileExtensions = ["pdf"]
    public static let summary = "PDF with a text layer, through poppler's pdftohtml and pdfinfo (poppler-utils; no OCR)"

    static let pdftohtml = ExternalTool(name: "pdftohtml", package: "poppler-utils", purpose: "reading PDF")
    static let pdfinfo = ExternalTool(name: "pdfinfo", package: "poppler-utils", purpose: "reading PDF")

    public static func recognize(_ sample: InputSample) -> Recognition {
        // The header may follow a few bytes of junk (the specification allows it within the first 1024).
        if let range = sample.data.prefix(1024).range(of: Data("%PDF-".utf8)), range.lowerBound >= sample.data.startIndex {
            return .content
        }
        return fileExtensions.contains(sample.pathExtension) ? .fileExtension : .no
    }

    public static func read(_ input: ReaderInput) throws -> [IngestedText] {
        let source = input.source
        guard input.data.prefix(1024).range(of: Data("%PDF-".utf8)) != nil else {
            throw IngestError.malformed(id: "ingest.pdf-malformed", detail: "\(source): no %PDF- header: not a PDF file")
        }
        // A file cut short loses its trailer: the last "%%EOF" sits in the final bytes of every complete PDF.
        guard input.data.suffix(2048).range(of: Data("%%EOF".utf8)) != nil else {
            throw IngestError.malformed(id: "ingest.pdf-truncated",
                                        detail: "\(source): the PDF is truncated (no %%EOF at its end); download it again")
        }
        var temporary: TemporaryFolder?
        let file: URL
        if let url = input.fileURL {
            file = url
        } else {
            let folder = try TemporaryFolder(prefix: "plankb-pdf")
            temporary = folder
            file = folder.url.appendingPathComponent("input.pdf")
            try input.data.write(to: file)
        }
        defer { _ = temporary }

        let info = try PDFInfo.read(file, source: source, timeout: input.options.converterTimeout)
        if info.encrypted, info.pages == nil {
            throw IngestError.malformed(id: "ingest.pdf-encrypted", detail: "\(source): the PDF is encrypted with a password")
        }
        let output = try pdftohtml.run(["-xml", "-i", "-stdout", "-q", "-nodrm", "-enc", "UTF-8", file.path],
                                       timeout: input.options.converterTimeout, source: source)
        guard output.status == 0 else {
            let reason = output.standardError.split(separator: "\n").first.map(String.init) ?? "exit status \(output.status)"
            if reason.localizedCaseInsensitiveContains("password") {
                throw IngestError.malformed(id: "ingest.pdf-encrypted", detail: "\(source): the PDF is encrypted with a password")
            }
            throw IngestError.malformed(id: "ingest.pdf-malformed", detail: "\(source): pdftohtml could not read it: \(reason)")
        }
        let pages = try PDFLayoutXML.pages(from: output.standardOutput, source: source)
        guard !pages.isEmpty else {
            throw IngestError.malformed(id: "ingest.pdf-malformed", detail: "\(source): the PDF has no pages")
        }
        let layout = PageLayout.analyze(pages)
        guard !layout.blocks.isEmpty else {
            throw IngestError.malformed(id: "ingest.pdf-no-text",
                                        detail: "\(source): no text layer on any of its \(pages.count) page(s) (a scanned PDF?); PlanKB does no OCR")
        }

        var metadata = Metadata(source: source)
        metadata.format = format.rawValue
        metadata.pages = info.pages ?? pages.count
        metadata.author = info.author
        metadata.title = layout.title ?? info.title
        // 发文字号 printed under the masthead (发改办财金规〔2019〕860号).
        metadata.documentNumber = layout.blocks.prefix(8).first { HTMLIngester.isDocumentNumber($0.text) }?.text
        var diagnostics = layout.diagnostics
        if !layout.pagesWithoutText.isEmpty {
            let list = layout.pagesWithoutText.prefix(10).map(String.init).joined(separator: ", ")
            diagnostics.append(Diagnostic(.warning, "ingest.pdf-page-without-text",
                                          "\(layout.pagesWithoutText.count) page(s) have no text layer (scanned?), skipped: p. \(list)\(layout.pagesWithoutText.count > 10 ? "…" : "")",
                                          at: SourcePosition(line: 1, column: 1, page: layout.pagesWithoutText[0])))
        }
        return [IngestedText(blocks: layout.blocks, metadata: metadata, diagnostics: diagnostics)]
    }
}

/// What `pdfinfo` says about a file.
struct PDFInfo {
    var title: String?
    var author: String?
    var pages: Int?
    var encrypted = false
    /// The creation and modification dates as written (`2023-03-18`).
    var created: String?
    var modified: String?

    static func read(_ file: URL, source: String, timeout: Double) throws -> PDFInfo {
        let output = try PDFReader.pdfinfo.run(["-rawdates", "-enc", "UTF-8", file.path], timeout: timeout, source: source)
        var info = PDFInfo()
        let text = String(decoding: output.standardOutput, as: UTF8.self)
        guard output.status == 0 else {
            if output.standardError.localizedCaseInsensitiveContains("password") {
                info.encrypted = true
                return info
            }
            let reason = output.standardError.split(separator: "\n").first.map(String.init) ?? "exit status \(output.status)"
            throw IngestError.malformed(id: "ingest.pdf-malformed", detail: "\(source): not a readable PDF: \(reason)")
        }
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon]
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "Title": info.title = meaningfulTitle(value)
            case "Author": info.author = meaningfulAuthor(value)
            case "Pages": info.pages = Int(value)
            case "Encrypted": info.encrypted = value.hasPrefix("yes")
            case "CreationDate": info.created = isoDate(value)
            case "ModDate": info.modified = isoDate(value)
            default: break
            }
        }
        return info
    }

    /// A title a person gave, not a file name or a word processor's placeholder.
    static func meaningfulTitle(_ value: String) -> String? {
        var title = value.trimmingCharacters(in: .whitespaces)
        for prefix in ["Microsoft Word - ", "Microsoft PowerPoint - "] where title.hasPrefix(prefix) {
            title.removeFirst(prefix.count)
        }
        let lower = title.lowercased()
        if ["untitled", "无标题", "title", "document"].contains(lower) { return nil }
        if [".doc", ".docx", ".wps", ".pdf", ".tmp", ".txt", ".xls", ".ofd"].contains(where: lower.hasSuffix) { return nil }
        guard title.unicodeScalars.contains(where: Normalizer.isHan) || title.count(where: \.isLetter) >= 4 else { return nil }
        return title
    }

    static func meaningfulAuthor(_ value: String) -> String? {
        let author = value.trimmingCharacters(in: .whitespaces)
        let placeholders = ["", "administrator", "admin", "user", "微软用户", "微软中国", "china", "lenovo", "dell", "hp"]
        return placeholders.contains(author.lowercased()) ? nil : author
    }

    /// `D:20230318101431+02'14'` → `2023-03-18`.
    static func isoDate(_ value: String) -> String? {
        let digits = value.drop { !$0.isNumber }.prefix { $0.isNumber }
        guard digits.count >= 8 else { return nil }
        let year = digits.prefix(4), month = digits.dropFirst(4).prefix(2), day = digits.dropFirst(6).prefix(2)
        return "\(year)-\(month)-\(day)"
    }
}

/// pdftohtml's XML (`<page>` with `<fontspec>` and `<text top left width height font>`) as layout pages.
enum PDFLayoutXML {
    static func pages(from data: Data, source: String) throws -> [LayoutPage] {
        let root: XMLElement
        do {
            root = try XMLTree.parse(data, source: source, part: "pdftohtml output")
        } catch {
            // pdftohtml passes control characters of odd fonts through; XML forbids them.
            root = try XMLTree.parse(Data(data.map { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D ? 0x20 : $0 }),
                                     source: source, part: "pdftohtml output")
        }
        var fonts: [String: LayoutFont] = [:]
        var pages: [LayoutPage] = []
        for page in root.children("page") {
            var fragments: [LayoutFragment] = []
            for element in page.elements {
                switch element.name {
                case "fontspec":
                    guard let id = element.attribute("id") else { continue }
                    fonts[id] = LayoutFont(family: element.attribute("family") ?? "",
                                           size: Double(element.attribute("size") ?? "") ?? 10,
                                           color: element.attribute("color"))
                case "text":
                    var font = fonts[element.attribute("font") ?? ""] ?? LayoutFont(family: "", size: 10)
                    if element.firstDescendant("b") != nil { font.bold = true }
                    let text = element.text
                    guard let top = Double(element.attribute("top") ?? ""), let left = Double(element.attribute("left") ?? ""),
                          let width = Double(element.attribute("width") ?? ""), let height = Double(element.attribute("height") ?? "")
                    else { continue }
                    fragments.append(LayoutFragment(text: text, left: left, top: top, width: width, height: height, font: font))
                default:
                    continue
                }
            }
            pages.append(LayoutPage(number: Int(page.attribute("number") ?? "") ?? pages.count + 1,
                                    width: Double(page.attribute("width") ?? "") ?? 0,
                                    height: Double(page.attribute("height") ?? "") ?? 0,
                                    fragments: fragments))
        }
        return pages
    }
}
