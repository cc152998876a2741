import Foundation
import Testing
import ZIPFoundation

/// `plankb convert` over a folder of broken and hostile archives beside a good OFD: every bad file is named in
/// errors.jsonl with its own error, and the run carries on to the good ones.
struct HostileArchiveTests {
    static func zip(_ parts: [(String, Data)]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (name, data) in parts {
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count),
                                 modificationDate: Date(timeIntervalSince1970: 1_600_000_000), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        return try #require(archive.data)
    }

    static let ns = "http://www.ofdspec.org/2016"
    static let ofdXML = Data("<ofd:OFD xmlns:ofd=\"\(ns)\"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>".utf8)
    static func documentXML(_ page: String) -> Data {
        Data("<ofd:Document xmlns:ofd=\"\(ns)\"><ofd:Pages><ofd:Page ID=\"1\" BaseLoc=\"\(page)\"/></ofd:Pages></ofd:Document>".utf8)
    }
    static func pageXML(_ prologue: String, _ text: String) -> Data {
        Data((prologue + "<ofd:Page xmlns:ofd=\"\(ns)\"><ofd:Content><ofd:Layer><ofd:TextObject ID=\"2\" Size=\"5\" Boundary=\"30 40 150 6\">"
            + "<ofd:TextCode X=\"0\" Y=\"5\">\(text)</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>").utf8)
    }

    /// The offsets of the records starting with `signature` (a ZIP's local headers, its central directory).
    static func records(in data: Data, signature: [UInt8]) -> [Int] {
        let bytes = [UInt8](data)
        return (0..<(bytes.count - 3)).filter { bytes[$0] == signature[0] && Array(bytes[$0..<($0 + 4)]) == signature }
    }

    @Test func aBatchNamesEveryBadArchiveAndConvertsTheGoodOnes() throws {
        let work = try ConvertCommandTests.workFolder("hostile")
        let input = work.appendingPathComponent("in")
        let good = try ConvertCommandTests.corpus("office/ofd/ofdrw-n.ofd")
        try ConvertCommandTests.write(good, to: "good/gongwen.ofd", in: input)
        try ConvertCommandTests.write(try ConvertCommandTests.corpus("govcn-2019/16.html"), to: "good/page.html", in: input)
        // Cut in half: the central directory is gone.
        try ConvertCommandTests.write(good.prefix(good.count / 2), to: "bad/truncated.ofd", in: input)
        // A third of the way in, 4 KB cut out: the directory's offsets now point past the end. (ZIPFoundation's
        // archive over bytes in memory trapped on this and took the whole batch down.)
        func cut(_ data: Data) -> Data { data.prefix(data.count / 3) + data.dropFirst(data.count / 3 + 4096) }
        try ConvertCommandTests.write(cut(good), to: "bad/cut.ofd", in: input)
        try ConvertCommandTests.write(cut(try ConvertCommandTests.corpus("office/npc-docx/biosecurity-law-2024.docx")),
                                      to: "bad/cut.docx", in: input)
        // Encrypted: the flag of the first entry set.
        var encrypted = good
        encrypted[6] |= 1
        let firstRecord = try #require(Self.records(in: encrypted, signature: [0x50, 0x4B, 0x01, 0x02]).first)
        encrypted[firstRecord + 8] |= 1
        try ConvertCommandTests.write(encrypted, to: "bad/encrypted.ofd", in: input)
        // An EPUB-like archive named .ofd: neither DOCX nor OFD.
        try ConvertCommandTests.write(try Self.zip([("mimetype", Data("application/epub+zip".utf8)),
                                                     ("OEBPS/content.opf", Data("<package/>".utf8))]),
                                      to: "bad/not-a-document.ofd", in: input)
        // The page Document.xml names is not in the package.
        try ConvertCommandTests.write(try Self.zip([("OFD.xml", Self.ofdXML), ("Doc_0/Document.xml", Self.documentXML("Pages/Page_0/Content.xml"))]),
                                      to: "bad/missing-page.ofd", in: input)
        // OFD.xml is not well-formed.
        try ConvertCommandTests.write(try Self.zip([("OFD.xml", Data("<ofd:OFD xmlns:ofd=\"\(Self.ns)\">\n<ofd:DocBody>".utf8))]),
                                      to: "bad/malformed.ofd", in: input)
        // A page that claims to expand to 2 GB: past the 512 MB limit.
        var bomb = try Self.zip([("OFD.xml", Self.ofdXML), ("Doc_0/Document.xml", Self.documentXML("Pages/Page_0/Content.xml")),
                                 ("Doc_0/Pages/Page_0/Content.xml", Self.pageXML("", "炸弹"))])
        let cdPage = Self.records(in: bomb, signature: [0x50, 0x4B, 0x01, 0x02])[2]
        for index in 0..<4 { bomb[cdPage + 24 + index] = UInt8(truncatingIfNeeded: UInt32(0x7FFF_FFFF) >> (8 * UInt32(index))) }
        try ConvertCommandTests.write(bomb, to: "bad/bomb.ofd", in: input)
        // External entities: read, and nothing of /etc/passwd in the text.
        let xxe = Self.pageXML("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>", "外部&e;实体。")
        try ConvertCommandTests.write(try Self.zip([("OFD.xml", Self.ofdXML), ("Doc_0/Document.xml", Self.documentXML("Pages/Page_0/Content.xml")),
                                                     ("Doc_0/Pages/Page_0/Content.xml", xxe)]),
                                      to: "good/entity.ofd", in: input)

        let out = work.appendingPathComponent("out")
        let result = try CLI.run(["convert", input.path, "--out", out.path, "--no-records", "--jobs", "2", "--to", "json"])
        #expect(result.status == 1, "\(result.stderr)")
        let errors = try ConvertCommandTests.jsonLines(out.appendingPathComponent("errors.jsonl"))
        let failed = Dictionary(uniqueKeysWithValues: errors.map {
            (String(($0["path"] as! String).dropFirst(input.path.count + 1)), $0["id"] as! String)
        })
        #expect(failed == [
            "bad/truncated.ofd": "ingest.zip-damaged",
            "bad/cut.ofd": "ingest.zip-damaged",
            "bad/cut.docx": "ingest.zip-damaged",
            "bad/encrypted.ofd": "ingest.zip-encrypted",
            "bad/not-a-document.ofd": "ingest.zip-unknown",
            "bad/missing-page.ofd": "ingest.ofd-missing-part",
            "bad/malformed.ofd": "ingest.xml",
            "bad/bomb.ofd": "ingest.zip-bomb",
        ])
        let reasons = Dictionary(uniqueKeysWithValues: errors.map {
            (String(($0["path"] as! String).dropFirst(input.path.count + 1)), $0["reason"] as! String)
        })
        #expect(reasons["bad/not-a-document.ofd"]?.contains("mimetype, OEBPS/content.opf") == true, "\(reasons)")
        #expect(reasons["bad/missing-page.ofd"]?.contains("Doc_0/Pages/Page_0/Content.xml") == true, "\(reasons)")
        #expect(reasons["bad/malformed.ofd"]?.contains("OFD.xml: line 2") == true, "\(reasons)")
        #expect(reasons["bad/bomb.ofd"]?.contains("Doc_0/Pages/Page_0/Content.xml") == true, "\(reasons)")
        for (path, reason) in reasons { #expect(reason.contains(path), "\(path): \(reason)") }
        // On the terminal each failure names its file once: the line starts with the path, the message does not
        // repeat it.
        let cutDOCX = input.appendingPathComponent("bad/cut.docx").path
        #expect(result.stderr.contains("\(cutDOCX): failed: the archive lists 14 entries but only 0 can be read"), "\(result.stderr)")
        #expect(!result.stderr.contains("\(cutDOCX): \(cutDOCX)") && !result.stderr.contains("failed: \(cutDOCX)"), "\(result.stderr)")
        let parse = try CLI.run(["parse", cutDOCX, "--quiet"])
        #expect(parse.status == 1 && parse.stderr == "\(cutDOCX): error: the archive lists 14 entries but only 0 can be read (truncated or damaged)\n",
                "\(parse.stderr)")
        let errorSchema = try JSONSchemaValidator(schemaAt: CLI.repositoryURL.appendingPathComponent("schemas/convert-error.schema.json"))
        for line in errors { #expect(errorSchema.validate(line).isEmpty, "\(line)") }

        // The good files came out: the OFD with its pages, the entity file without the entity's target.
        let notice = try ConvertCommandTests.documentJSON(out.appendingPathComponent("good__gongwen.json"))
        let metadata = notice["metadata"] as! [String: Any]
        #expect(metadata["format"] as? String == "ofd" && metadata["pages"] as? Int == 2)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("good__page.json").path))
        let entity = try String(contentsOf: out.appendingPathComponent("good__entity.json"), encoding: .utf8)
        #expect(entity.contains("外部实体。") && !entity.contains("root:"))
        try? FileManager.default.removeItem(at: work)
    }
}
