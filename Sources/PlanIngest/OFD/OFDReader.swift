import Foundation
import PlanKit

extension InputFormat {
    public static let ofd = InputFormat(rawValue: "ofd")
}

/// OFD (GB/T 33190-2016, the national fixed-layout format government systems archive in): a ZIP holding
/// `OFD.xml`, which names each document's `Document.xml`, which names its pages' `Content.xml` and its
/// resource files (fonts).
///
/// The text is drawn glyph by glyph at positions (`TextObject` / `TextCode`, see `OFDPageReader`); lines are
/// put together from their positions and joined into paragraphs (`OFDLayout`) before segmentation. Only the
/// first document of a package with several `DocBody` is read (a warning says so).
public enum OFDReader: DocumentReader {
    public static let format = InputFormat.ofd
    public static let fileExtensions = ["ofd"]
    public static let summary = "OFD (GB/T 33190): text objects put into lines and paragraphs by position, fonts for headings"

    /// The namespace of GB/T 33190-2016. Producers do not always declare it, so elements are matched by local
    /// name and this is not required.
    public static let namespace = "http://www.ofdspec.org/2016"

    public static func recognize(_ sample: InputSample) -> Recognition {
        guard ZipPackage.looksLikeZip(sample.data), let parts = ZipPackage.partNames(of: sample.data) else { return .no }
        return parts.contains { $0.lowercased() == "ofd.xml" } ? .content : .no
    }

    public static func read(_ input: ReaderInput) throws -> [IngestedText] {
        let package = try ZipPackage(data: input.data, source: input.source, maxExpandedBytes: input.options.maxExpandedBytes)
        var reading = OFDPackageReading(package: package, source: input.source)
        return [try reading.read()]
    }
}

/// One OFD package being read: part lookup relative to the part that names it, and the diagnostics found.
struct OFDPackageReading {
    let package: ZipPackage
    let source: String
    var diagnostics: [Diagnostic] = []

    init(package: ZipPackage, source: String) {
        self.package = package
        self.source = source
    }

    mutating func read() throws -> IngestedText {
        let root = try requiredPart("OFD.xml", namedBy: nil)
        let bodies = root.children("DocBody")
        guard let body = bodies.first else {
            throw IngestError.malformed(id: "ingest.ofd-missing-part",
                                        detail: "\(source): OFD.xml has no DocBody (line \(root.line)); not an OFD document")
        }
        if bodies.count > 1 {
            diagnostics.append(Diagnostic(.warning, "ingest.ofd-several-documents",
                                          "the package holds \(bodies.count) documents; only the first is read"))
        }
        var metadata = Metadata(source: source)
        metadata.format = InputFormat.ofd.rawValue
        if let info = body.child("DocInfo") { Self.fill(&metadata, from: info) }

        guard let docRoot = body.child("DocRoot")?.text.trimmingCharacters(in: .whitespacesAndNewlines), !docRoot.isEmpty else {
            throw IngestError.malformed(id: "ingest.ofd-missing-part",
                                        detail: "\(source): OFD.xml names no DocRoot (line \(body.line))")
        }
        let documentPart = Self.resolve(docRoot, from: "OFD.xml")
        let document = try requiredPart(documentPart, namedBy: "OFD.xml")

        // Fonts of the whole document (PublicRes, DocumentRes); pages may add their own (PageRes).
        var fonts: [String: OFDFont] = [:]
        let common = document.child("CommonData")
        for name in ["PublicRes", "DocumentRes"] {
            for reference in common?.children(name) ?? [] {
                readFonts(reference, from: documentPart, into: &fonts)
            }
        }
        var pageBox = OFDBox(common?.child("PageArea")?.child("PhysicalBox")?.text) ?? OFDBox(x: 0, y: 0, width: 210, height: 297)
        if let application = OFDBox(common?.child("PageArea")?.child("ApplicationBox")?.text), application.height > 0 {
            pageBox = application
        }

        var templates: [String: (part: String, element: XMLElement?)] = [:]
        for template in common?.children("TemplatePage") ?? [] {
            guard let id = template.attribute("ID"), let location = template.attribute("BaseLoc") else { continue }
            templates[id] = (Self.resolve(location, from: documentPart), nil)
        }

        let pageEntries = document.child("Pages")?.children("Page") ?? []
        var pages: [OFDPage] = []
        for (index, entry) in pageEntries.enumerated() {
            let number = index + 1
            guard let location = entry.attribute("BaseLoc"), !location.isEmpty else {
                report(.error, "ingest.ofd-missing-part", "page \(number) has no BaseLoc in \(documentPart) (line \(entry.line)); skipped", page: number)
                continue
            }
            let part = Self.resolve(location, from: documentPart)
            guard let content = try optionalPart(part, namedBy: documentPart, page: number) else { continue }
            var pageFonts = fonts
            for reference in content.children("PageRes") { readFonts(reference, from: part, into: &pageFonts) }
            var box = pageBox
            if let own = OFDBox(content.child("Area")?.child("PhysicalBox")?.text), own.height > 0 { box = own }
            if let own = OFDBox(content.child("Area")?.child("ApplicationBox")?.text), own.height > 0 { box = own }

            var page = OFDPage(number: number, box: box)
            // Templates behind the page (ZOrder Background, the default) are drawn first, those in front last.
            let uses = content.children("Template")
            for use in uses where use.attribute("ZOrder") != "Foreground" {
                page.runs += try templateRuns(use, templates: &templates, fonts: pageFonts, page: number)
            }
            page.runs += OFDPageReader.runs(in: content, fonts: pageFonts, part: part, page: number,
                                            diagnostics: &diagnostics)
            for use in uses where use.attribute("ZOrder") == "Foreground" {
                page.runs += try templateRuns(use, templates: &templates, fonts: pageFonts, page: number)
            }
            pages.append(page)
        }
        if pageEntries.isEmpty {
            throw IngestError.malformed(id: "ingest.ofd-missing-part",
                                        detail: "\(source): \(documentPart) lists no pages")
        }
        if pages.isEmpty {
            let first = diagnostics.first { $0.severity == .error }.map { ": \($0.message)" } ?? ""
            throw IngestError.malformed(id: "ingest.ofd-missing-part",
                                        detail: "\(source): none of the \(pageEntries.count) page(s) listed in \(documentPart) can be read\(first)")
        }
        metadata.pages = pageEntries.count

        var layout = OFDLayout(pages: pages)
        let blocks = layout.blocks()
        diagnostics += layout.diagnostics
        if blocks.isEmpty {
            diagnostics.append(Diagnostic(.warning, "ingest.ofd-no-text",
                                          "no page has text (a scanned OFD holds images only)"))
        }
        return IngestedText(blocks: blocks, metadata: metadata, diagnostics: diagnostics)
    }

    // MARK: Parts

    /// `location` as a part name: absolute (`/Doc_0/Pages/…`) from the package root, otherwise relative to the
    /// folder of `part`, with `.` and `..` resolved.
    static func resolve(_ location: String, from part: String) -> String {
        let cleaned = location.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\\", with: "/")
        var segments: [Substring] = []
        if !cleaned.hasPrefix("/") {
            segments = part.split(separator: "/", omittingEmptySubsequences: true).dropLast()
        }
        for segment in cleaned.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        return segments.joined(separator: "/")
    }

    /// A part that must be there; its absence or damage makes the package unreadable.
    private func requiredPart(_ part: String, namedBy parent: String?) throws -> XMLElement {
        guard let data = try package.read(part) else {
            throw IngestError.malformed(id: "ingest.ofd-missing-part",
                                        detail: "\(source): part \(part)" + (parent.map { " (named in \($0))" } ?? "")
                                            + " is not in the package")
        }
        return try XMLTree.parse(data, source: source, part: part)
    }

    /// A part the document can do without (a page, a resource file): missing or malformed, it is reported and
    /// nil returned. A ZIP bomb still throws.
    private mutating func optionalPart(_ part: String, namedBy parent: String, page: Int? = nil) throws -> XMLElement? {
        guard let data = try package.read(part) else {
            report(.error, "ingest.ofd-missing-part", "part \(part) (named in \(parent)) is not in the package"
                   + (page == nil ? "" : "; page skipped"), page: page)
            return nil
        }
        do {
            return try XMLTree.parse(data, source: source, part: part)
        } catch let error as IngestError {
            let detail = error.description.hasPrefix(source + ": ") ? String(error.description.dropFirst(source.count + 2)) : error.description
            report(.error, error.id, detail + (page == nil ? "" : "; page skipped"), page: page)
            return nil
        }
    }

    private mutating func report(_ severity: Diagnostic.Severity, _ id: String, _ message: String, page: Int?) {
        var diagnostic = Diagnostic(severity, id, message)
        diagnostic.page = page
        diagnostics.append(diagnostic)
    }

    /// The fonts of a resource file (`PublicRes.xml`, `DocumentRes.xml`, a page's `PageRes`).
    private mutating func readFonts(_ reference: XMLElement, from part: String, into fonts: inout [String: OFDFont]) {
        let location = reference.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !location.isEmpty else { return }
        let resourcePart = Self.resolve(location, from: part)
        let resources: XMLElement?
        do {
            resources = try optionalPart(resourcePart, namedBy: part)
        } catch {
            report(.error, (error as? IngestError)?.id ?? "ingest.ofd-resource", "\(error)", page: nil)
            return
        }
        guard let resources else { return }
        for font in resources.descendants("Font") {
            guard let id = font.attribute("ID") else { continue }
            fonts[id] = OFDFont(font)
        }
    }

    /// The text of a template page, read once and kept.
    private mutating func templateRuns(_ use: XMLElement, templates: inout [String: (part: String, element: XMLElement?)],
                                       fonts: [String: OFDFont], page: Int) throws -> [OFDTextRun] {
        guard let id = use.attribute("TemplateID"), let template = templates[id] else {
            report(.warning, "ingest.ofd-missing-part",
                   "the page uses template \(use.attribute("TemplateID") ?? "?"), which Document.xml does not declare", page: page)
            return []
        }
        var element = template.element
        if element == nil {
            element = try optionalPart(template.part, namedBy: "TemplatePage \(id)", page: nil)
            templates[id] = (template.part, element)
        }
        guard let element else { return [] }
        // A template's findings are reported once, with the first page that uses it.
        var findings: [Diagnostic] = []
        let runs = OFDPageReader.runs(in: element, fonts: fonts, part: template.part, page: page, diagnostics: &findings)
        if usedTemplates.insert(id).inserted { diagnostics += findings }
        return runs
    }

    private var usedTemplates: Set<String> = []

    // MARK: Metadata

    /// `DocInfo`: Title, Author, Subject, and CreationDate (the date the file was made, read as the date written).
    static func fill(_ metadata: inout Metadata, from info: XMLElement) {
        func value(_ name: String) -> String? {
            let text = info.child(name)?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            return text.isEmpty ? nil : text
        }
        metadata.title = value("Title")
        metadata.author = value("Author")
        metadata.subject = value("Subject")
        if let created = value("CreationDate") {
            metadata.writtenDate = DateText.firstDate(in: created) ?? created
        }
    }
}

/// A font resource: its names and whether it is set heavy (bold, or a heavy family such as 黑体 or 小标宋).
struct OFDFont: Sendable, Hashable {
    var name: String
    var bold: Bool
    var italic: Bool

    init(name: String, bold: Bool = false, italic: Bool = false) {
        self.name = name
        self.bold = bold
        self.italic = italic
    }

    init(_ element: XMLElement) {
        let family = element.attribute("FamilyName") ?? ""
        let fontName = element.attribute("FontName") ?? ""
        name = fontName.isEmpty ? family : fontName
        bold = element.attribute("Bold") == "true" || Self.isHeavy(fontName) || Self.isHeavy(family)
        italic = element.attribute("Italic") == "true"
    }

    /// Families Chinese documents set headings in: 黑体 (SimHei, Heiti), 小标宋 / 标宋, and any "Bold" face.
    static func isHeavy(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return name.contains("黑") || name.contains("标宋") || lowered.contains("hei") || lowered.contains("bold")
            || lowered.contains("biaosong")
    }
}

/// A rectangle "x y width height" in millimetres, y growing downwards.
struct OFDBox: Sendable, Hashable {
    var x: Double, y: Double, width: Double, height: Double

    init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    init?(_ text: String?) {
        guard let text else { return nil }
        let numbers = OFDNumbers.parse(text)
        guard numbers.count == 4, numbers.allSatisfy(\.isFinite) else { return nil }
        self.init(x: numbers[0], y: numbers[1], width: numbers[2], height: numbers[3])
    }
}

/// Numbers in an OFD attribute, separated by white space.
enum OFDNumbers {
    static func parse(_ text: String) -> [Double] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "," })
            .compactMap { Double($0) }.filter(\.isFinite)
    }
}
