import Foundation
import PlanKit
import Testing
import ZIPFoundation
@testable import PlanIngest

/// Builds OFD packages (and other ZIP archives) in memory, from parts written out in the test.
enum TestZip {
    static func make(_ parts: [(name: String, text: String)], compression: CompressionMethod = .deflate) throws -> Data {
        try make(parts.map { ($0.name, Data($0.text.utf8)) }, compression: compression)
    }

    static func make(_ parts: [(name: String, data: Data)], compression: CompressionMethod = .deflate) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (name, data) in parts {
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count),
                                 modificationDate: Date(timeIntervalSince1970: 1_600_000_000),
                                 compressionMethod: compression) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        return try #require(archive.data)
    }

    static let namespace = "http://www.ofdspec.org/2016"

    /// A one-document OFD whose pages are the given `Content.xml` texts.
    static func ofd(pages: [String], extra: [(name: String, text: String)] = [], pageLocations: [String]? = nil,
                    info: String = "<ofd:Title>测试文件</ofd:Title>") throws -> Data {
        let locations = pageLocations ?? pages.indices.map { "Pages/Page_\($0)/Content.xml" }
        let entries = locations.enumerated().map { "<ofd:Page ID=\"\($0.offset + 10)\" BaseLoc=\"\($0.element)\"/>" }.joined()
        var parts: [(name: String, text: String)] = [
            ("OFD.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:OFD xmlns:ofd=\"\(namespace)\" Version=\"1.0\"><ofd:DocBody>"
                + "<ofd:DocInfo>\(info)</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"),
            ("Doc_0/Document.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:Document xmlns:ofd=\"\(namespace)\"><ofd:CommonData>"
                + "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
                + "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages>\(entries)</ofd:Pages></ofd:Document>"),
            ("Doc_0/PublicRes.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:Res xmlns:ofd=\"\(namespace)\"><ofd:Fonts>"
                + "<ofd:Font ID=\"1\" FontName=\"仿宋\"/><ofd:Font ID=\"2\" FontName=\"黑体\"/></ofd:Fonts></ofd:Res>"),
        ]
        for (index, page) in pages.enumerated() { parts.append(("Doc_0/Pages/Page_\(index)/Content.xml", page)) }
        return try make(parts + extra)
    }

    /// A page holding text objects `(x, baseline, font, text)` at size 5.6 with full-width steps.
    static func page(_ objects: [(x: Double, y: Double, font: Int, text: String)]) -> String {
        let body = objects.enumerated().map { index, object in
            "<ofd:TextObject ID=\"\(100 + index)\" Font=\"\(object.font)\" Size=\"5.6\" Boundary=\"\(object.x) \(object.y - 5) 160 7\">"
                + "<ofd:TextCode X=\"0\" Y=\"5\" DeltaX=\"g \(max(0, object.text.count - 1)) 5.57\">\(object.text)</ofd:TextCode></ofd:TextObject>"
        }.joined()
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ofd:Page xmlns:ofd=\"\(namespace)\"><ofd:Content><ofd:Layer ID=\"9\">\(body)</ofd:Layer></ofd:Content></ofd:Page>"
    }
}

@Suite struct OFDReaderTests {
    static func load(_ data: Data, source: String = "test.ofd", options: ReaderOptions = ReaderOptions()) throws -> IngestedText {
        let input = ReaderInput(data: data, source: source, pathExtension: "ofd", options: options)
        return try #require(try OFDReader.read(input).first)
    }

    static func corpus(_ name: String) throws -> Data { try CorpusFiles.data("office/ofd/\(name)") }

    @Test func ofdIsRecognisedByItsContentWhateverItsName() throws {
        let data = try Self.corpus("ofdrw-helloworld.ofd")
        for name in ["ofd", "zip", "bin", ""] {
            #expect(InputFormat.detect(data, pathExtension: name) == .ofd, "extension \(name)")
        }
        #expect(DocumentReaders.fileExtensions.contains("ofd"))
    }

    @Test func helloWorldKeepsTheSpaceGlyphAndTheDocInfo() throws {
        let result = try Self.load(try Self.corpus("ofdrw-helloworld.ofd"))
        #expect(result.blocks.map(\.text) == ["你好呀，OFD Reader&Writer！"])
        #expect(result.blocks[0].span.startPage == 1)
        #expect(result.metadata.pages == 1)
        #expect(result.metadata.writtenDate == "2020-11-20")
        #expect(result.metadata.format == "ofd")
    }

    /// ofdrw's mock 公文 (路卫发〔2011〕76号): lines of 28 characters, each paragraph indented two; read
    /// against the page images described in Content.xml (TextObjects 1003–1030).
    @Test func aMockGongwenGivesItsParagraphsWholeAndDropsThePageNumbers() throws {
        let result = try Self.load(try Self.corpus("ofdrw-n.ofd"))
        let texts = result.blocks.map(\.text)
        #expect(texts.first == "测试符路桥区卫生局文件")
        #expect(texts.contains("关于同意张阿三同志辞职的批复"))
        #expect(texts.contains("你院《关于给张阿三同志辞职的请示》（路中医发〔2011〕10号）收悉。"))
        #expect(texts.contains("张阿三，男，1978年2月出生，籍贯江西新建，2001年9月参加工作，本科学历，主治医师，系区中医院职工。"))
        #expect(texts.contains("该同志由于家庭、籍贯等原因，从2006年1月至今未到单位上班，期间院方曾多次与其联系，均被拒绝回院。"
            + "2011年3月1日该同志向医院递交辞职报告，鉴于本人实际情况，根据《浙江省专业技术人员和管理人员辞职暂行办法》"
            + "（浙人才〔1993〕73号）文件精神，经研究，同意张阿三同志辞职。"))
        #expect(!texts.contains { $0.contains("— 1 —") || $0.contains("— 2 —") })
        #expect(result.diagnostics.contains { $0.id == "ingest.page-number-dropped" && $0.page == 1 })
        // The title is set in 小标宋 and centred; the body in 仿宋.
        let title = try #require(result.blocks.first { $0.text == "关于同意张阿三同志辞职的批复" })
        #expect(title.hints.contains(.bold) && title.hints.contains(.centered))
        // The second page: the signature, then the 版记 line with its two fields.
        let signature = try #require(result.blocks.first { $0.text == "测试符路桥区卫生局办公室" })
        #expect(signature.span.startPage == 2 && signature.span.startLine == 1)
        #expect(texts.last == "测试符路桥区卫生局办公室 2011年3月10日印发")
        #expect(result.metadata.author == "iOFD® 2.1.1 ©2019-2020 dms360.cn")
        #expect(result.metadata.pages == 2)
        // A paragraph over three lines knows where each line starts.
        let long = try #require(result.blocks.first { $0.text.hasPrefix("该同志由于家庭") })
        #expect(long.anchors.map(\.line) == [9, 10, 11, 12, 13])
        #expect(long.span.startPage == 1 && long.span.endPage == 1)
        #expect(long.position(ofCharacterAt: 28) == SourcePosition(line: 10, column: 1, page: 1))
    }

    /// ofdrw's invoice form: the labels live in a template page, the values use `g N v` steps, and the
    /// cipher block is one TextCode drawing four lines (DeltaX steps back, DeltaY steps down).
    @Test func anInvoiceReadsItsTemplateAndItsCompressedSteps() throws {
        let result = try Self.load(try Self.corpus("ofdrw-1.ofd"))
        let text = result.blocks.map(\.text).joined(separator: "\n")
        #expect(text.contains("浙江增值税电子普通发票"))
        #expect(text.contains("兰溪市丹溪大道1055号057988222001"))
        #expect(text.contains("机器编号："))  // from the template page
        #expect(text.contains("16197 83356 74145 07415"))
        // The cipher's four lines, each read left to right (the form's labels sit between them).
        for line in ["0062477>548-1109>61*9-52160+", "2>+<79<931-426-8*+38+412394<", "/+-9-18810/<3/3+8<1-553*3*+/",
                     "27<<-<-6+3>896019*0119*93+3/"] {
            #expect(text.contains(line), "\(line)")
        }
        #expect(text.contains("购买方"))  // vertical text, one column
        #expect(result.metadata.author == "China Tax")
    }

    @Test func stepsExpandTheCompressedFormAndStopAtTheGlyphs() {
        #expect(OFDPageReader.deltas("g 3 1.5 2", count: 4) == [1.5, 1.5, 1.5, 2])
        #expect(OFDPageReader.deltas("1 g 2 3", count: 3) == [1, 3, 3])
        // More steps than glyphs: cut; fewer: the rest unknown.
        #expect(OFDPageReader.deltas("g 999999999 1", count: 3) == [1, 1, 1])
        #expect(OFDPageReader.deltas("2", count: 3) == [2, nil, nil])
        #expect(OFDPageReader.deltas("g -5 2 7", count: 2) == [7, nil])
        #expect(OFDPageReader.deltas("nan inf 3", count: 3) == [nil, nil, 3])
        #expect(OFDPageReader.deltas("g x", count: 2) == [nil, nil])
        #expect(OFDPageReader.deltas(nil, count: 2) == [nil, nil])
    }

    @Test func partPathsResolveRelativeToTheirPartOrFromTheRoot() {
        #expect(OFDPackageReading.resolve("Doc_0/Document.xml", from: "OFD.xml") == "Doc_0/Document.xml")
        #expect(OFDPackageReading.resolve("Pages/Page_0/Content.xml", from: "Doc_0/Document.xml") == "Doc_0/Pages/Page_0/Content.xml")
        #expect(OFDPackageReading.resolve("/Doc_0/PublicRes.xml", from: "Doc_0/Document.xml") == "Doc_0/PublicRes.xml")
        #expect(OFDPackageReading.resolve("../Res/a.xml", from: "Doc_0/Pages/Page_0/Content.xml") == "Doc_0/Pages/Res/a.xml")
        #expect(OFDPackageReading.resolve("./PublicRes.xml", from: "Doc_0/Document.xml") == "Doc_0/PublicRes.xml")
        #expect(OFDPackageReading.resolve("../../../../x.xml", from: "Doc_0/Document.xml") == "x.xml")
    }

    /// A line cut into several objects, out of order in the file, with a Latin word in its own object.
    @Test func linesArePutTogetherByPositionNotByFileOrder() throws {
        let page = TestZip.page([
            (x: 60.28, y: 50, font: 1, text: "试验区要对标"),
            (x: 39.14, y: 50, font: 1, text: "自由贸易"),
            (x: 95.0, y: 50, font: 1, text: "RCEP"),
            (x: 108.0, y: 50.2, font: 1, text: "规则。"),
        ])
        let result = try Self.load(try TestZip.ofd(pages: [page]))
        #expect(result.blocks.map(\.text) == ["自由贸易试验区要对标RCEP规则。"])
    }

    @Test func aPageThatIsNotInThePackageIsReportedAndTheOthersRead() throws {
        let page = TestZip.page([(x: 39.14, y: 50, font: 1, text: "第一页的正文。")])
        let data = try TestZip.ofd(pages: [page], pageLocations: ["Pages/Page_0/Content.xml", "Pages/Page_9/Content.xml"])
        let result = try Self.load(data)
        #expect(result.blocks.map(\.text) == ["第一页的正文。"])
        let missing = try #require(result.diagnostics.first { $0.id == "ingest.ofd-missing-part" })
        #expect(missing.severity == .error && missing.page == 2)
        #expect(missing.message.contains("Doc_0/Pages/Page_9/Content.xml"))
        #expect(result.metadata.pages == 2)
    }

    @Test func aMissingDocumentOrResourceIsNamed() throws {
        let page = TestZip.page([(x: 39.14, y: 50, font: 1, text: "正文。")])
        var parts = [(name: String, text: String)]()
        parts.append(("OFD.xml", "<ofd:OFD xmlns:ofd=\"\(TestZip.namespace)\"><ofd:DocBody><ofd:DocRoot>/Doc_1/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"))
        parts.append(("Doc_0/Pages/Page_0/Content.xml", page))
        #expect(throws: IngestError.malformed(id: "ingest.ofd-missing-part",
                                              detail: "doc.ofd: part Doc_1/Document.xml (named in OFD.xml) is not in the package")) {
            try Self.load(try TestZip.make(parts), source: "doc.ofd")
        }
        // Every page missing: nothing to read.
        let none = try TestZip.ofd(pages: [], pageLocations: ["Pages/Page_0/Content.xml"])
        do {
            _ = try Self.load(none)
            Issue.record("an OFD without a readable page was accepted")
        } catch let error as IngestError {
            #expect(error.id == "ingest.ofd-missing-part")
        }
        // The font resource file is missing: the text is still read, the loss reported.
        let noFonts = try TestZip.make([
            ("OFD.xml", "<ofd:OFD xmlns:ofd=\"\(TestZip.namespace)\"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"),
            ("Doc_0/Document.xml", "<ofd:Document xmlns:ofd=\"\(TestZip.namespace)\"><ofd:CommonData><ofd:PublicRes>Gone.xml</ofd:PublicRes></ofd:CommonData>"
                + "<ofd:Pages><ofd:Page ID=\"1\" BaseLoc=\"Pages/Page_0/Content.xml\"/></ofd:Pages></ofd:Document>"),
            ("Doc_0/Pages/Page_0/Content.xml", page),
        ])
        let result = try Self.load(noFonts)
        #expect(result.blocks.map(\.text) == ["正文。"])
        #expect(result.diagnostics.contains { $0.id == "ingest.ofd-missing-part" && $0.message.contains("Doc_0/Gone.xml") })
        #expect(result.diagnostics.contains { $0.id == "ingest.ofd-missing-font" })
    }

    @Test func malformedXMLIsNamedWithItsPartAndLine() throws {
        let good = TestZip.page([(x: 39.14, y: 50, font: 1, text: "好的一页。")])
        let broken = "<?xml version=\"1.0\"?>\n<ofd:Page xmlns:ofd=\"\(TestZip.namespace)\">\n<ofd:Content>\n<ofd:Layer><ofd:TextObject>\n</ofd:Page>"
        let result = try Self.load(try TestZip.ofd(pages: [good, broken]))
        #expect(result.blocks.map(\.text) == ["好的一页。"])
        let error = try #require(result.diagnostics.first { $0.id == "ingest.xml" })
        #expect(error.page == 2)
        #expect(error.message.contains("Doc_0/Pages/Page_1/Content.xml: line 5"))
        // A broken OFD.xml leaves nothing to read: thrown, naming the part and line.
        let data = try TestZip.make([("OFD.xml", "<ofd:OFD xmlns:ofd=\"x\">\n<ofd:DocBody>\n</ofd:OFD>")])
        do {
            _ = try Self.load(data, source: "bad.ofd")
            Issue.record("a malformed OFD.xml was accepted")
        } catch let error as IngestError {
            #expect(error.id == "ingest.xml")
            #expect(error.description.hasPrefix("bad.ofd: OFD.xml: line 3"))
        }
    }

    @Test func externalEntitiesDoNotReachTheText() throws {
        let page = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd"><!ENTITY big "AAAAAAAAAA">]>
        <ofd:Page xmlns:ofd="\(TestZip.namespace)"><ofd:Content><ofd:Layer ID="9">
        <ofd:TextObject ID="1" Font="1" Size="5.6" Boundary="39 45 160 7"><ofd:TextCode X="0" Y="5">前&e;后&big;。</ofd:TextCode></ofd:TextObject>
        </ofd:Layer></ofd:Content></ofd:Page>
        """
        let result = try Self.load(try TestZip.ofd(pages: [page]))
        let text = result.blocks.map(\.text).joined()
        #expect(!text.contains("root"))
        #expect(!text.contains("AAAA"))
        #expect(text == "前后。")
    }

    @Test func aZipBombIsRefusedNamingThePart() throws {
        let zeros = String(repeating: "0", count: 200_000)
        let page = TestZip.page([(x: 39.14, y: 50, font: 1, text: "正文。")]).replacingOccurrences(of: "</ofd:Page>", with: "<!--\(zeros)--></ofd:Page>")
        let data = try TestZip.ofd(pages: [page])
        #expect(data.count < 10_000)
        let options = ReaderOptions(maxExpandedBytes: 100_000)
        do {
            _ = try Self.load(data, source: "bomb.ofd", options: options)
            Issue.record("the bomb was read")
        } catch let error as IngestError {
            #expect(error.id == "ingest.zip-bomb")
            #expect(error.description.contains("bomb.ofd: part Doc_0/Pages/Page_0/Content.xml expands past 100000 bytes"))
        }
        // With the default limit the same file is an ordinary document.
        #expect(try Self.load(data).blocks.map(\.text) == ["正文。"])
    }

    @Test func aBombThatLiesAboutItsSizeIsStoppedWhileItExpands() throws {
        let zeros = Data(repeating: 0x30, count: 300_000)
        var data = try TestZip.make([("OFD.xml", zeros)])
        // Claim 100 bytes in the local header and the central directory (uncompressed size fields).
        Self.patch(&data, signature: [0x50, 0x4B, 0x03, 0x04], offset: 22, value: 100)
        Self.patch(&data, signature: [0x50, 0x4B, 0x01, 0x02], offset: 24, value: 100)
        let package = try ZipPackage(data: data, source: "liar.zip", maxExpandedBytes: 50_000)
        do {
            _ = try package.read("OFD.xml")
            Issue.record("the lying entry was read")
        } catch let error as IngestError {
            #expect(["ingest.zip-bomb", "ingest.zip-damaged"].contains(error.id), "\(error)")
            #expect(error.description.contains("OFD.xml"))
        }
    }

    static func patch(_ data: inout Data, signature: [UInt8], offset: Int, value: UInt32) {
        let bytes = [UInt8](data)
        guard let start = (0...(bytes.count - 4)).first(where: { Array(bytes[$0..<($0 + 4)]) == signature }) else { return }
        for index in 0..<4 { data[start + offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(index))) }
    }

    static func setFlag(_ data: inout Data, signature: [UInt8], offset: Int) {
        let bytes = [UInt8](data)
        for start in 0...(bytes.count - 4) where Array(bytes[start..<(start + 4)]) == signature {
            data[start + offset] |= 1
        }
    }

    @Test func encryptedTruncatedAndForeignArchivesEachGetTheirError() throws {
        let good = try Self.corpus("ofdrw-n.ofd")
        // Encrypted: the flag set in every local header and central directory record.
        var encrypted = good
        Self.setFlag(&encrypted, signature: [0x50, 0x4B, 0x03, 0x04], offset: 6)
        Self.setFlag(&encrypted, signature: [0x50, 0x4B, 0x01, 0x02], offset: 8)
        for (data, id) in [(encrypted, "ingest.zip-encrypted"), (good.prefix(good.count / 2), "ingest.zip-damaged"),
                           (good.prefix(30), "ingest.zip-damaged")] {
            do {
                _ = try DocumentLoader.load(data: Data(data), source: "x.ofd", pathExtension: "ofd")
                Issue.record("\(id): accepted")
            } catch let error as IngestError {
                #expect(error.id == id, "\(error)")
                #expect(error.description.hasPrefix("x.ofd: "), "\(error)")
            }
        }
        // A ZIP of something else.
        let other = try TestZip.make([("mimetype", "application/epub+zip"), ("META-INF/container.xml", "<container/>"),
                                      ("a.txt", "a"), ("b.txt", "b"), ("c.txt", "c"), ("d.txt", "d")])
        do {
            _ = try DocumentLoader.load(data: other, source: "book.epub", pathExtension: "epub")
            Issue.record("a foreign ZIP was accepted")
        } catch let error as IngestError {
            #expect(error.id == "ingest.zip-unknown")
            #expect(error.description == "book.epub: a ZIP archive that is neither DOCX (word/document.xml) nor OFD (OFD.xml); "
                + "it holds mimetype, META-INF/container.xml, a.txt, b.txt, c.txt and 1 more")
        }
    }

    /// The generated fixture (corpus/office/fixtures/make_ofd_fixture.py) lays out the Shenyang plan's text:
    /// the OFD must give the tree the text gives — the same chapters, sections, paragraphs and text.
    @Test func theGeneratedPlanGivesTheTreeOfItsText() throws {
        let text = try DocumentLoader.load(data: try CorpusFiles.data("plans/shenyang-ftz-plan-2021.txt"),
                                           source: "plan.txt", pathExtension: "txt", stages: .treeOnly)[0]
        let ofd = try DocumentLoader.load(data: try CorpusFiles.data("office/fixtures/shenyang-ftz-plan-2021.ofd"),
                                          source: "plan.ofd", pathExtension: "ofd", stages: .treeOnly)[0]
        func outline(_ node: Node) -> [String] {
            ["\(node.id) \(node.kind) \(node.heading ?? "") \(node.text)"] + node.children.flatMap(outline)
        }
        let expected = outline(text.root)
        let actual = outline(ofd.root)
        #expect(expected.count == actual.count)
        for (left, right) in zip(expected, actual) where left != right {
            Issue.record("first difference:\n  text: \(left.prefix(160))\n  ofd:  \(right.prefix(160))")
            break
        }
        #expect(ofd.metadata.pages ?? 0 >= 40)
        #expect(ofd.root.children.filter { $0.kind == .chapter }.count == 9)
        // Every paragraph knows its page; the last chapter starts on one of the last pages.
        let chapters = ofd.root.children.filter { $0.kind == .chapter }
        #expect(chapters.allSatisfy { $0.span.startPage != nil })
        #expect((chapters.last?.span.startPage ?? 0) > 35)
        #expect(ofd.diagnostics.contains { $0.id == "ingest.running-header-dropped" })
        #expect(ofd.diagnostics.contains { $0.id == "ingest.page-number-dropped" })
    }
}
