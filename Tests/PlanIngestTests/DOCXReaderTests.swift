import Foundation
import PlanKit
import Testing
import ZIPFoundation
@testable import PlanIngest

/// DOCX (and DOC through LibreOffice) on real files: the national law database's DOCX must give the same
/// tree as LibreOffice's own text of the same file, and the auto-numbered fixtures (built by
/// corpus/office/fixtures/make_docx_fixtures.py from corpus texts) the same tree as the text they were built
/// from.
@Suite struct DOCXReaderTests {
    /// The corpus DOCX files as the law database and WPS published them.
    static let publishedDOCX: [String] = {
        ["npc-docx", "wps-docx"].flatMap { folder -> [String] in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: CorpusFiles.url("office/\(folder)").path)) ?? []
            return names.filter { $0.hasSuffix(".docx") }.sorted().map { "office/\(folder)/\($0)" }
        }
    }()

    /// One node of a tree as the comparison sees it: where it is and what numbering and heading it has.
    struct Outline: Equatable, CustomStringConvertible {
        var id: String
        var kind: NodeKind
        var num: Int?
        var heading: String?
        /// The first line of the node's span, where the comparison includes it.
        var line: Int?
        var description: String {
            "\(id) \(kind.rawValue) \(num.map(String.init) ?? "-") \(heading ?? "")" + (line.map { " @\($0)" } ?? "")
        }
    }

    /// The nodes down to paragraphs (lead sentences and clauses follow from the text), in order; with
    /// `lines`, each node's first line too.
    static func outline(_ document: PlanDocument, lines: Bool = false) -> [Outline] {
        var result: [Outline] = []
        func walk(_ node: Node) {
            for child in node.children where child.kind != .lead && child.kind != .clause {
                result.append(Outline(id: child.id, kind: child.kind, num: child.num,
                                      heading: child.heading.map { Normalizer.normalize($0).filter { !$0.isWhitespace } },
                                      line: lines ? child.span.startLine : nil))
                walk(child)
            }
        }
        walk(document.root)
        return result
    }

    static func load(_ relative: String, pathExtension: String? = nil) throws -> PlanDocument {
        let url = CorpusFiles.url(relative)
        let documents = try DocumentLoader.load(data: try Data(contentsOf: url), source: "corpus/" + relative,
                                                pathExtension: pathExtension ?? url.pathExtension, stages: .treeOnly)
        return try #require(documents.first)
    }

    static func expectSameOutline(_ actual: [Outline], _ expected: [Outline], _ what: String) {
        #expect(actual.count == expected.count, "\(what): \(actual.count) nodes, the text has \(expected.count)")
        for (index, (left, right)) in zip(actual, expected).enumerated() where left != right {
            Issue.record("\(what): node \(index + 1) is \(left), the text has \(right)")
            return
        }
    }

    // MARK: - The law database's files against LibreOffice's text

    @Test(arguments: publishedDOCX)
    func publishedDOCXGivesTheTreeOfItsLibreOfficeText(_ relative: String) throws {
        guard let texts = try LibreOfficeText.shared() else { return }
        let name = URL(fileURLWithPath: relative).deletingPathExtension().lastPathComponent
        let text = try #require(texts[name], "LibreOffice made no text of \(relative)")
        let fromText = try #require(try DocumentLoader.load(data: Data(text.utf8), source: name + ".txt",
                                                            pathExtension: "txt", stages: .treeOnly).first)
        let fromDOCX = try Self.load(relative)
        #expect(fromDOCX.metadata.format == "docx")
        let blocks = try Self.blocks(relative)

        // Nothing is lost or added: the same characters as LibreOffice's text, white space aside.
        func compact(_ text: String) -> String { Normalizer.normalize(text).filter { !$0.isWhitespace } }
        let docxText = compact(blocks.map(\.text).joined())
        let officeText = compact(text)
        #expect(docxText == officeText, "\(relative): \(docxText.count) characters, LibreOffice's text \(officeText.count)")

        // The same tree, lines too (a paragraph's ordinal in the body is its line in LibreOffice's text) —
        // where the body has no table: LibreOffice writes a cell a line, PlanKB a row a block.
        if !blocks.contains(where: { $0.hints.contains(.tableRow) }) {
            Self.expectSameOutline(Self.outline(fromDOCX, lines: true), Self.outline(fromText, lines: true), relative)
        } else {
            // A table row is data, never structure, even when its first cell reads 第三十一条第一款.
            let rows = blocks.filter { $0.hints.contains(.tableRow) }
            #expect(!fromDOCX.root.descendants.contains { node in
                node.kind == .article && rows.contains { $0.text.hasPrefix(node.text.prefix(10)) }
            }, "\(relative): a table row became an article")
        }

        // The 目录 repeats the chapter headings: it is one toc node, and no chapter id is doubled.
        let nodes = Self.outline(fromDOCX)
        let chapters = nodes.filter { $0.kind == .chapter }
        if text.contains("目") && chapters.count > 1 {
            #expect(nodes.filter { $0.kind == .toc }.count == 1, "\(relative): no single toc node")
            #expect(Set(chapters.map(\.id)).count == chapters.count, "\(relative): a chapter twice: \(chapters.map(\.id))")
            #expect(chapters.map(\.id) == (1...chapters.count).map { "chp_\($0)" }, "\(relative): \(chapters.map(\.id))")
        }
    }

    // MARK: - Automatic numbering

    @Test func autoNumberedLawGivesTheTreeOfTheTextItWasBuiltFrom() throws {
        let fromDOCX = try Self.load("office/fixtures/numbered-company-law-2023.docx")
        let fromText = try Self.load("laws/law-company-2018-2023/company-law-2023.md")
        Self.expectSameOutline(Self.outline(fromDOCX).filter { $0.kind != .preamble && !$0.id.hasPrefix("preamble") },
                               Self.outline(fromText).filter { $0.kind != .preamble && !$0.id.hasPrefix("preamble") },
                               "numbered 公司法")
        let root = fromDOCX.root
        let first = try #require(root.children.first { $0.kind == .chapter })
        #expect(first.text == "第一章 总 则")
        #expect(first.label == "第一章")
        let article = try #require(root.descendants.first { $0.kind == .article && $0.num == 40 })
        #expect(article.label == "第四十条")
        // 第%3条 never restarts (w:lvlRestart 0): the law's last article is 第二百六十六条.
        #expect(root.descendants.last { $0.kind == .article }?.label == "第二百六十六条")
        #expect(fromDOCX.metadata.title == "中华人民共和国公司法")
        #expect(fromDOCX.metadata.author == "全国人民代表大会常务委员会")
    }

    @Test func autoNumberedPlanWithWPSStyleIDsGivesTheTreeOfItsText() throws {
        let fromDOCX = try Self.load("office/fixtures/numbered-shenyang-plan-2021.docx")
        let fromText = try Self.load("plans/shenyang-ftz-plan-2021.txt")
        let structural: Set<NodeKind> = [.preface, .chapter, .section, .division, .item, .subitem]
        Self.expectSameOutline(Self.outline(fromDOCX).filter { structural.contains($0.kind) },
                               Self.outline(fromText).filter { structural.contains($0.kind) },
                               "numbered 沈阳片区规划")
        let chapters = fromDOCX.root.children.filter { $0.kind == .chapter }
        #expect(chapters.count == 9)
        #expect(chapters.first?.text == "第一章“十三五”时期创新试验情况")
        #expect(chapters[4].children.filter { $0.kind == .section }.count == 8)

        let blocks = try Self.blocks("office/fixtures/numbered-shenyang-plan-2021.docx")
        // The footnote stays, where its mark stood; the header (the site's breadcrumb) and the footer's PAGE
        // field are gone.
        #expect(blocks.contains { $0.text.contains("（注1：时间:2021年08月23日来源:市发展改革委）") })
        #expect(!blocks.contains { $0.text.contains("政务公开") })
        #expect(!blocks.contains { $0.text.hasPrefix("—") })
        // 前言 is in the chapter style with its numbering removed (w:numId 0).
        #expect(blocks.first { $0.text == "前言" }?.markedHeadingLevel == 1)
        // The table: one block a row, cells joined by tabs, under 附表1.
        let rows = blocks.filter { $0.hints.contains(.tableRow) }
        #expect(rows.count == 9)
        #expect(rows.first?.text == "名称\t所在章节")
        #expect(rows.last?.text == "医疗医药\t第五章第八节")
        let attachment = try #require(fromDOCX.root.children.first { $0.kind == .attachment })
        #expect(attachment.children.count == 9)
    }

    static func blocks(_ relative: String) throws -> [Block] {
        let url = CorpusFiles.url(relative)
        return try #require(try DOCXReader.read(ReaderInput(data: Data(contentsOf: url), source: relative)).first).blocks
    }

    @Test(arguments: [
        (1, "chineseCounting", "一"), (12, "chineseCounting", "十二"), (101, "chineseCountingThousand", "一百零一"),
        (3, "ideographDigital", "三"), (20, "ideographDigital", "二〇"), (4, "upperRoman", "IV"), (14, "lowerRoman", "xiv"),
        (28, "upperLetter", "BB"), (3, "decimalEnclosedCircle", "③"), (7, "decimalFullWidth", "７"),
        (2, "ideographTraditional", "乙"), (12, "chineseLegalSimplified", "壹拾贰"), (5, "decimalZero", "05"),
    ])
    func numberFormats(_ value: Int, _ format: String, _ expected: String) {
        #expect(DOCXNumbering.render(value, format: format) == expected)
    }

    @Test func tableOfContentsEntriesLoseTheirPageNumbers() {
        #expect(DOCXBody.withoutPageNumber("第一章 总则\t3") == "第一章 总则")
        #expect(DOCXBody.withoutPageNumber("第二节 发展目标……12") == "第二节 发展目标")
        #expect(DOCXBody.withoutPageNumber("第五章 2025年") == "第五章 2025年")
    }

    // MARK: - Bad input

    @Test func numberingThatPointsNowhereIsADiagnosticNamingPartAndParagraph() throws {
        let fixture = try Data(contentsOf: CorpusFiles.url("office/fixtures/numbered-company-law-2023.docx"))
        // The same package with the numbering definitions taken out of word/numbering.xml.
        let broken = try Self.replacingPart("word/numbering.xml", in: fixture) { _ in
            #"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>"#
        }
        let documents = try DocumentLoader.load(data: broken, source: "broken.docx", pathExtension: "docx", stages: .treeOnly)
        let findings = documents[0].diagnostics.filter { $0.id == "ingest.docx-numbering" }
        #expect(!findings.isEmpty)
        let first = try #require(findings.first)
        #expect(first.message.contains("word/numbering.xml"))
        #expect(first.message.contains("paragraph"))
        #expect(first.line != nil)
        // The text is all there, only without its numbers.
        #expect(documents[0].root.descendants.contains { $0.text.contains("为了规范公司的组织和行为") })
    }

    @Test func aZIPThatIsNotDOCXIsNotReadAsDOCX() throws {
        let archive = try Archive(accessMode: .create)
        let content = Data("hello".utf8)
        try archive.addEntry(with: "readme.txt", type: .file, uncompressedSize: Int64(content.count)) { position, size in
            content.subdata(in: Int(position)..<Int(position) + size)
        }
        let data = try #require(archive.data)
        #expect(DOCXReader.recognize(InputSample(data, pathExtension: "docx")) == .no)
        #expect(throws: IngestError.self) { try DocumentLoader.load(data: data, source: "x.docx", pathExtension: "docx") }
    }

    @Test func anEncryptedDOCXIsRefusedClearly() throws {
        let file = OLE2Builder.file(streams: ["EncryptionInfo", "EncryptedPackage"])
        #expect(DocumentReaders.reader(for: InputSample(file, pathExtension: "docx")).format == .doc)
        do {
            _ = try DocumentLoader.load(data: file, source: "secret.docx", pathExtension: "docx")
            Issue.record("an encrypted DOCX was read")
        } catch let error as IngestError {
            #expect(error.id == "ingest.docx-encrypted")
            #expect(error.description.contains("secret.docx"))
            #expect(error.description.contains("password"))
        }
    }

    @Test func anOLE2FileThatIsNotWordIsRefusedClearly() throws {
        let file = OLE2Builder.file(streams: ["Workbook"])
        do {
            _ = try DocumentLoader.load(data: file, source: "sheet.xls", pathExtension: "xls")
            Issue.record("a spreadsheet was read")
        } catch let error as IngestError {
            #expect(error.id == "ingest.ole-unknown")
            #expect(error.description.contains("Workbook"))
        }
    }

    // MARK: - DOC and WPS through LibreOffice

    @Test func docIsConvertedByLibreOfficeAndKeepsItsFormat() throws {
        guard LibreOfficeText.available else { return }
        let url = CorpusFiles.url("office/doc/narcotic-drug-catalogue-2013.doc")
        let data = try Data(contentsOf: url)
        for pathExtension in ["doc", "wps"] {
            let document = try #require(try DocumentLoader.load(data: data, source: "catalogue.\(pathExtension)",
                                                                pathExtension: pathExtension, stages: .treeOnly).first)
            #expect(document.metadata.format == pathExtension)
            let texts = document.root.descendants.map(\.text)
            #expect(texts.contains { $0.contains("麻醉药品品种目录") })
            // The catalogue is tables: rows with their cells joined by tabs.
            #expect(texts.contains { $0.contains("\t") && $0.contains("可卡因") })
        }
    }

    static func replacingPart(_ part: String, in data: Data, with make: (String) -> String) throws -> Data {
        let source = try Archive(data: data, accessMode: .read)
        let target = try Archive(accessMode: .create)
        for entry in source where entry.type == .file {
            var content = Data()
            _ = try source.extract(entry) { content.append($0) }
            if entry.path == part { content = Data(make(String(decoding: content, as: UTF8.self)).utf8) }
            let bytes = content
            try target.addEntry(with: entry.path, type: .file, uncompressedSize: Int64(bytes.count),
                                compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try #require(target.data)
    }
}

/// LibreOffice's own text of the corpus DOCX files (`soffice --convert-to txt:Text`), made once per test
/// run in a temporary folder with a private profile.
enum LibreOfficeText {
    static var available: Bool {
        if ExternalTool(name: "soffice", package: "libreoffice-writer-nogui", purpose: "tests").path != nil { return true }
        // CI installs LibreOffice: there a missing soffice is a failure, not a skip.
        if ProcessInfo.processInfo.environment["CI"] != nil { Issue.record("soffice is not installed in CI") }
        return false
    }

    private static let cache = Cache()

    final class Cache: @unchecked Sendable {
        let lock = NSLock()
        var texts: [String: String]?
    }

    /// Texts by file stem; nil when LibreOffice is not installed (outside CI).
    static func shared() throws -> [String: String]? {
        guard available else { return nil }
        cache.lock.lock()
        defer { cache.lock.unlock() }
        if let texts = cache.texts { return texts }
        let folder = try TemporaryFolder(prefix: "plankb-lo-text")
        let inputs = DOCXReaderTests.publishedDOCX.map { CorpusFiles.url($0).path }
        let profile = folder.url.appendingPathComponent("profile")
        let tool = ExternalTool(name: "soffice", package: "libreoffice-writer-nogui", purpose: "tests")
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = folder.url.path
        let result = try tool.run(["-env:UserInstallation=\(profile.absoluteString)", "--headless", "--norestore",
                                   "--convert-to", "txt:Text", "--outdir", folder.url.path] + inputs,
                                  timeout: 600, source: "corpus", environment: environment)
        var texts: [String: String] = [:]
        for input in inputs {
            let stem = URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
            let output = folder.url.appendingPathComponent(stem + ".txt")
            if let data = try? Data(contentsOf: output) { texts[stem] = try TextDecoder.decode(data).text }
        }
        if texts.isEmpty { Issue.record("soffice made no text (status \(result.status)): \(result.standardError)") }
        cache.texts = texts
        return texts
    }
}

/// A minimal OLE2 compound file (one FAT sector, one directory sector) holding empty streams with the given
/// names: the envelope an encrypted DOCX or a spreadsheet comes in, for the refusal tests.
enum OLE2Builder {
    static func file(streams: [String]) -> Data {
        var bytes = [UInt8](repeating: 0, count: 512 * 3)
        func put16(_ value: Int, at offset: Int) { bytes[offset] = UInt8(value & 0xFF); bytes[offset + 1] = UInt8(value >> 8 & 0xFF) }
        func put32(_ value: UInt32, at offset: Int) { for index in 0..<4 { bytes[offset + index] = UInt8(value >> (8 * UInt32(index)) & 0xFF) } }
        bytes.replaceSubrange(0..<8, with: OLE2Directory.magic)
        put16(0x3E, at: 0x18); put16(3, at: 0x1A); put16(0xFFFE, at: 0x1C); put16(9, at: 0x1E); put16(6, at: 0x20)
        put32(1, at: 0x2C)          // one FAT sector
        put32(1, at: 0x30)          // the directory starts at sector 1
        put32(0x1000, at: 0x38)
        put32(0xFFFF_FFFE, at: 0x3C); put32(0xFFFF_FFFE, at: 0x44)
        put32(0, at: 0x4C)          // the FAT is sector 0
        for index in 1..<109 { put32(0xFFFF_FFFF, at: 0x4C + index * 4) }
        // FAT (sector 0, at 512): sector 0 is FAT, sector 1 ends the directory chain.
        put32(0xFFFF_FFFD, at: 512); put32(0xFFFF_FFFE, at: 516)
        for index in 2..<128 { put32(0xFFFF_FFFF, at: 512 + index * 4) }
        // Directory (sector 1, at 1024): the root, then one entry per stream.
        for (index, (name, type)) in ([("Root Entry", UInt8(5))] + streams.map { ($0, UInt8(2)) }).enumerated() where index < 4 {
            let base = 1024 + index * 128
            let units = Array(name.utf16)
            for (position, unit) in units.enumerated() { put16(Int(unit), at: base + position * 2) }
            put16((units.count + 1) * 2, at: base + 64)
            bytes[base + 66] = type
            put32(0xFFFF_FFFF, at: base + 68); put32(0xFFFF_FFFF, at: base + 72); put32(0xFFFF_FFFF, at: base + 76)
            put32(0xFFFF_FFFE, at: base + 116)
        }
        return Data(bytes)
    }
}
