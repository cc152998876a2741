import Foundation
import PlanKit

extension InputFormat {
    public static let docx = InputFormat(rawValue: "docx")
}

/// Word documents (Office Open XML, `.docx`, as Word, WPS Office and LibreOffice write them), read through
/// `ZipPackage` and `XMLTree`: the body's paragraphs and tables with their automatic numbering, heading
/// styles, centring and bold; footnotes and endnotes; the core properties.
///
/// Left out on purpose: headers and footers (page furniture), field instructions and page-number fields
/// (PAGE, NUMPAGES, PAGEREF), deleted text of tracked changes, hidden text, comments.
public enum DOCXReader: DocumentReader {
    public static let format = InputFormat.docx
    public static let fileExtensions = ["docx", "docm", "dotx"]
    public static let summary = "Word DOCX (also as WPS saves it): paragraphs, tables, automatic numbering (第%1章), heading styles, footnotes"

    /// A ZIP holding `word/document.xml` is DOCX. (Other ZIPs are left to their readers, and one no reader
    /// takes is refused by `UnknownZipReader`.)
    public static func recognize(_ sample: InputSample) -> Recognition {
        guard ZipPackage.looksLikeZip(sample.data), let names = ZipPackage.partNames(of: sample.data) else { return .no }
        return names.contains(where: { $0.lowercased() == mainPart }) ? .content : .no
    }

    static let mainPart = "word/document.xml"

    public static func read(_ input: ReaderInput) throws -> [IngestedText] {
        let package = try ZipPackage(data: input.data, source: input.source, maxExpandedBytes: input.options.maxExpandedBytes)
        let relationships = try Relationships(package: package, source: input.source)
        let documentPart = relationships.mainDocument ?? mainPart
        guard let documentData = try package.read(documentPart) ?? package.read(mainPart) else {
            throw IngestError.malformed(id: "ingest.docx-no-document",
                                        detail: "\(input.source): a DOCX package without its main part (\(documentPart))")
        }
        let document = try XMLTree.parse(documentData, source: input.source, part: documentPart)
        guard let body = document.child("body") else {
            throw IngestError.malformed(id: "ingest.docx-no-body", detail: "\(input.source): \(documentPart) has no w:body")
        }

        let related = try relationships.documentRelationships(of: documentPart)
        var styles = DOCXStyles()
        if let part = related["styles"], let data = try package.read(part) {
            styles = DOCXStyles(try XMLTree.parse(data, source: input.source, part: part))
        }
        var numbering = DOCXNumbering(part: nil)
        if let part = related["numbering"], let data = try package.read(part) {
            numbering = DOCXNumbering(try XMLTree.parse(data, source: input.source, part: part), part: part)
        }
        var reader = DOCXBody(styles: styles, numbering: numbering, documentPart: documentPart)
        for (kind, relationship) in [("footnote", "footnotes"), ("endnote", "endnotes")] {
            guard let part = related[relationship], let data = try package.read(part) else { continue }
            let root = try XMLTree.parse(data, source: input.source, part: part)
            reader.notes.merge(notes(in: root, kind: kind, styles: styles, numbering: numbering, part: part)) { $1 }
        }
        reader.read(body)

        var metadata = Metadata(source: input.source)
        var properties = Metadata()
        if let part = relationships.coreProperties ?? (package.contains("docProps/core.xml") ? "docProps/core.xml" : nil),
           let data = try package.read(part),
           let root = try? XMLTree.parse(data, source: input.source, part: part) {
            properties.title = root.child("title")?.text.trimmingBlanksAndNewlines.nonEmpty
            properties.author = root.child("creator")?.text.trimmingBlanksAndNewlines.nonEmpty
        }
        metadata.author = properties.author
        var ingested = IngestedText(blocks: reader.blocks, metadata: metadata, diagnostics: reader.diagnostics)
        if ingested.blocks.isEmpty {
            ingested.diagnostics.append(Diagnostic(.warning, "ingest.docx-no-text", "\(documentPart) holds no text"))
        }
        // The opening lines (enactment note, a title) are read as for text; the properties' title is only a
        // fallback, since templates carry theirs into every document made from them.
        FrontMatter.extract(from: &ingested)
        if ingested.metadata.title == nil, !startsWithTitle(ingested.blocks), let title = properties.title {
            ingested.metadata.title = title
        }
        return [ingested]
    }

    /// Whether the body opens with a line set as a title (centred or marked), which the segmenter takes.
    private static func startsWithTitle(_ blocks: [Block]) -> Bool {
        guard let first = blocks.first else { return false }
        return LabelParser.parse(Substring(first.text)) == nil
            && (first.markedHeadingLevel == 1 || first.hints.contains(.centered))
    }

    /// Footnote or endnote texts by `kind:id`, separators left out.
    private static func notes(in root: XMLElement, kind: String, styles: DOCXStyles, numbering: DOCXNumbering,
                              part: String) -> [String: String] {
        var result: [String: String] = [:]
        for note in root.children(kind) {
            guard let id = note.attribute("id"), note.attribute("type") == nil || note.attribute("type") == "normal" else {
                continue
            }
            var reader = DOCXBody(styles: styles, numbering: DOCXNumbering(part: nil), documentPart: part)
            reader.read(note)
            result["\(kind):\(id)"] = reader.blocks.map(\.text).joined(separator: " ")
        }
        return result
    }
}

/// The package's relationships (`_rels/.rels`, `word/_rels/document.xml.rels`): where the main document, the
/// core properties, styles, numbering and notes are. Producers normally use the default names; some do not.
struct Relationships {
    let package: ZipPackage
    let source: String
    var mainDocument: String?
    var coreProperties: String?

    init(package: ZipPackage, source: String) throws {
        self.package = package
        self.source = source
        for (type, target) in try Self.read("_rels/.rels", base: "", package: package, source: source) {
            if type.hasSuffix("/officeDocument") { mainDocument = mainDocument ?? target }
            if type.hasSuffix("/core-properties") { coreProperties = target }
        }
        if let main = mainDocument, !package.contains(main) { mainDocument = nil }
    }

    /// The parts related to `part` by the last word of their type (styles, numbering, footnotes, endnotes),
    /// with the default names where the relationships say nothing.
    func documentRelationships(of part: String) throws -> [String: String] {
        let folder = part.split(separator: "/").dropLast().joined(separator: "/")
        let name = part.split(separator: "/").last.map(String.init) ?? part
        let relsPart = (folder.isEmpty ? "" : folder + "/") + "_rels/" + name + ".rels"
        var result: [String: String] = [:]
        for (type, target) in try Self.read(relsPart, base: folder, package: package, source: source) {
            if let word = type.split(separator: "/").last { result[String(word)] = target }
        }
        for word in ["styles", "numbering", "footnotes", "endnotes"] where result[word] == nil {
            let fallback = (folder.isEmpty ? "" : folder + "/") + word + ".xml"
            if package.contains(fallback) { result[word] = fallback }
        }
        return result
    }

    /// (type, target part) of each internal relationship in a `.rels` part.
    private static func read(_ part: String, base: String, package: ZipPackage, source: String) throws -> [(String, String)] {
        guard let data = try package.read(part), let root = try? XMLTree.parse(data, source: source, part: part) else {
            return []
        }
        return root.children("Relationship").compactMap { relationship in
            guard let type = relationship.attribute("Type"), let target = relationship.attribute("Target"),
                  relationship.attribute("TargetMode") != "External" else { return nil }
            return (type, resolve(target, base: base))
        }
    }

    /// A relationship target against the folder of its source part: "styles.xml" from word/ → word/styles.xml;
    /// "/word/document.xml" is absolute; "../customXml/item1.xml" climbs.
    static func resolve(_ target: String, base: String) -> String {
        var parts = target.hasPrefix("/") ? [] : base.split(separator: "/").map(String.init)
        for piece in target.split(separator: "/") {
            if piece == ".." { if !parts.isEmpty { parts.removeLast() } }
            else if piece != "." { parts.append(String(piece)) }
        }
        return parts.joined(separator: "/")
    }
}

private extension String {
    var trimmingBlanksAndNewlines: String {
        String(Normalizer.trimBlanks(Substring(trimmingCharacters(in: .whitespacesAndNewlines))).trimmed)
    }

    var nonEmpty: String? { isEmpty ? nil : self }
}
