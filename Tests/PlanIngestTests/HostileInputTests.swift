import CLibXML2
import Foundation
import PlanKit
import Testing
@testable import PlanIngest

/// Inputs that break naive ingesters: each ends in a result or one clear thrown error, never a crash or a
/// hang — and where there is a result, the text that can be saved is saved.
@Suite struct HostileInputTests {
    static func texts(_ result: IngestedText) -> [String] { result.blocks.map(\.text) }

    @Test func emptyAndBlankInputsThrowEmpty() {
        #expect(throws: IngestError.empty) { try HTMLIngester.ingest(Data(), source: nil) }
        #expect(throws: IngestError.empty) { try HTMLIngester.ingest(Data(" \n\t\r\n".utf8), source: nil) }
    }

    /// A file of white space alone is no document in any format: spaces and line breaks, U+3000 and NBSP (the
    /// blanks Chinese text is padded with), a byte order mark — through the loader, as every command reads.
    @Test(arguments: ["txt", "md", "jsonl", "html", ""])
    func whiteSpaceAloneIsEmptyInEveryFormat(pathExtension: String) {
        for blank in ["", " \n\t\r\n", "\u{3000}\u{3000}\n\u{00A0}\n", "\u{FEFF}\n\n  \n"] {
            #expect(throws: IngestError.empty, "\(pathExtension): \(Array(blank.unicodeScalars))") {
                try DocumentLoader.load(data: Data(blank.utf8), source: "blank." + pathExtension, pathExtension: pathExtension)
            }
        }
        #expect(IngestError.empty.id == "ingest.empty")
        // One character is enough to make a document.
        #expect(throws: Never.self) {
            try DocumentLoader.load(data: Data("\u{3000}\n附则\n".utf8), source: "x.txt", pathExtension: "txt")
        }
    }

    @Test func binaryInputThrowsBinary() throws {
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52]
        png += (0..<2_000).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        do {
            _ = try HTMLIngester.ingest(Data(png), source: nil)
            Issue.record("binary input was accepted")
        } catch {
            guard case .binary = error else { Issue.record("expected .binary, got \(error)"); return }
        }
    }

    @Test func utf8CutInsideACharacterKeepsTheTextBeforeTheCut() throws {
        let page = "<html><body><p>第一段，完整的句子。</p><p>第二段被截断在汉字中间"
        var bytes = Array(page.utf8)
        bytes.removeLast(2)  // leaves the first byte of 间
        let result = try HTMLIngester.ingest(Data(bytes), source: nil)
        #expect(Self.texts(result) == ["第一段，完整的句子。", "第二段被截断在汉字中"])
        #expect(result.metadata.encoding == "UTF-8")
        #expect(result.diagnostics.contains { $0.id == "ingest.truncated-character" })
    }

    @Test func gb18030CutInsideACharacterKeepsTheTextBeforeTheCut() throws {
        let page = "<html><head><meta charset=\"gb2312\"></head><body><p>第一段，完整的句子。</p><p>第二段被截断在汉字中间"
        var bytes = [UInt8](try #require(page.data(using: TextEncoding.gb18030.foundationEncoding)))
        bytes.removeLast(1)
        let result = try HTMLIngester.ingest(Data(bytes), source: nil)
        #expect(Self.texts(result) == ["第一段，完整的句子。", "第二段被截断在汉字中"])
        #expect(result.metadata.encoding == "GB18030")
        #expect(result.diagnostics.contains { $0.id == "ingest.truncated-character" })
    }

    @Test func twentyThousandLevelsOfNestingDoNotCrash() throws {
        for tag in ["div", "span", "table"] {
            let depth = 20_000
            var page = "<html><body><p>开头的段落。</p>"
            page += String(repeating: "<\(tag)>", count: depth) + "深处的文字。" + String(repeating: "</\(tag)>", count: depth)
            let result = try HTMLIngester.ingest(Data(page.utf8), source: nil)
            #expect(Self.texts(result).first == "开头的段落。", "\(tag)")
            // libxml2 stops at its depth limit; the loss is reported, not hidden.
            #expect(result.diagnostics.contains { $0.id == "ingest.html-depth" }, "\(tag)")
        }
    }

    @Test func utf16LittleEndianPagesReadLikeTheirUTF8Originals() throws {
        let original = try CorpusFiles.data("govcn-2019/01.html")
        let text = try #require(String(data: original, encoding: .utf8))
        let expected = try HTMLIngester.ingest(original, source: nil)
        for withBOM in [true, false] {
            var utf16 = withBOM ? Data([0xFF, 0xFE]) : Data()
            utf16.append(try #require(text.data(using: .utf16LittleEndian)))
            let result = try HTMLIngester.ingest(utf16, source: nil)
            #expect(Self.texts(result) == Self.texts(expected), "BOM: \(withBOM)")
            #expect(result.blocks.map(\.span) == expected.blocks.map(\.span), "BOM: \(withBOM)")
            #expect(result.metadata.encoding == "UTF-16LE")
            #expect(result.metadata.documentNumber == "国发〔2019〕5号")
            #expect(result.diagnostics.contains { $0.id == "ingest.utf16-transcoded" })
        }
    }

    @Test func undeclaredGB18030PagesReadLikeTheirUTF8Originals() throws {
        for file in ["html-sites/govcn-gazette-2007.html", "html-sites/sxmu-supervision-law-2018.html", "govcn-2019/05.html"] {
            let original = try CorpusFiles.data(file)
            let text = try #require(String(data: original, encoding: .utf8))
            // Strip the page's own charset declaration, then store it as GB18030.
            let stripped = text.replacingOccurrences(of: #"<meta[^>]*charset[^>]*>"#, with: "",
                                                     options: [.regularExpression, .caseInsensitive])
            #expect(GBDeclaration.charset(in: stripped) == nil)
            let gb = try #require(stripped.data(using: TextEncoding.gb18030.foundationEncoding))
            let expected = try HTMLIngester.ingest(original, source: nil)
            let result = try HTMLIngester.ingest(gb, source: nil)
            #expect(result.metadata.encoding == "GB18030", "\(file)")
            #expect(Self.texts(result) == Self.texts(expected), "\(file)")
            #expect(result.metadata.title == expected.metadata.title, "\(file)")
            // Columns count characters, so the GB18030 page places every block where the UTF-8 page does.
            #expect(result.blocks.map(\.span) == expected.blocks.map(\.span), "\(file)")
        }
    }

    @Test func gbkCharactersInAPageDeclaredGB2312AreKept() throws {
        // 镕 (GBK E946) is not in GB2312; libxml2 decoding as GB2312 stops there and drops the rest.
        let page = """
        <html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>通知</title></head>
        <body><div class="content"><p>　　朱镕基同志在会议上作了重要讲话，强调要坚持改革开放。</p>
        <p>　　会议要求，各地区、各部门要认真贯彻落实会议精神。</p></div></body></html>
        """
        let data = try #require(page.data(using: TextEncoding.gb18030.foundationEncoding))
        let result = try HTMLIngester.ingest(data, source: nil)
        #expect(Self.texts(result) == ["朱镕基同志在会议上作了重要讲话，强调要坚持改革开放。",
                                       "会议要求，各地区、各部门要认真贯彻落实会议精神。"])
        #expect(result.metadata.encoding == "GB18030")
        #expect(!result.diagnostics.contains { $0.severity == .error })
    }

    @Test func badBytesInAGBPageAreRepairedAndTheRestKept() throws {
        var bytes = [UInt8](try #require("<p>前面的段落，内容完整。</p><p>坏字节".data(using: TextEncoding.gb18030.foundationEncoding)))
        bytes += [0xFF, 0xFF]
        bytes += [UInt8](try #require("之后的文字。</p><p>最后一段，也要保留。</p>".data(using: TextEncoding.gb18030.foundationEncoding)))
        let result = try HTMLIngester.ingest(Data(bytes), source: nil)
        #expect(result.metadata.encoding == "GB18030")
        #expect(Self.texts(result).last == "最后一段，也要保留。")
        #expect(result.diagnostics.contains { $0.id == "ingest.encoding-repair" })
    }

    @Test func aStrayBadByteInAUTF8PageIsRepairedNotReadAsGB18030() throws {
        var bytes = Array("<html><body>\n<p>第一段，内容完整，没有问题。</p>\n<p>第二段有一个坏字节".utf8)
        bytes.append(0xFF)
        bytes += Array("在这里，其余照常。</p></body></html>".utf8)
        let result = try HTMLIngester.ingest(Data(bytes), source: nil)
        #expect(result.metadata.encoding == "UTF-8")
        #expect(Self.texts(result) == ["第一段，内容完整，没有问题。", "第二段有一个坏字节\u{FFFD}在这里，其余照常。"])
        let repair = try #require(result.diagnostics.first { $0.id == "ingest.encoding-repair" })
        #expect(repair.line == 3 && repair.column == 13)
    }

    @Test func aDeclarationTheBytesContradictIsOverruledAndReported() throws {
        // Declares UTF-8, is GB18030.
        let page = "<html><head><meta charset=\"utf-8\"></head><body><p>这是用国标码保存的网页，声明却是万国码。</p></body></html>"
        let data = try #require(page.data(using: TextEncoding.gb18030.foundationEncoding))
        let result = try HTMLIngester.ingest(data, source: nil)
        #expect(Self.texts(result) == ["这是用国标码保存的网页，声明却是万国码。"])
        #expect(result.metadata.encoding == "GB18030")
        #expect(result.diagnostics.contains { $0.id == "ingest.encoding-mismatch" && $0.severity == .warning })
    }

    @Test func libxml2EncodingErrorsBecomeDiagnosticsAndTheHandlerIsRestored() throws {
        let before = __xmlStructuredError().pointee
        // Not UTF-8, but handed to libxml2 as UTF-8: libxml2 complains (on stderr, were it not captured).
        let parse = LibXMLParse(bytes: Array("<p>abc ".utf8) + [0xFF, 0xFE, 0xC3] + Array(" def</p>".utf8), encoding: "UTF-8")
        #expect(parse.document != nil)
        #expect(parse.findings.contains { $0.id == "ingest.html-encoding" && $0.line == 1 })
        let after = __xmlStructuredError().pointee
        #expect((before == nil) == (after == nil))
    }

    @Test func linesPastLibxml2sLimitAndOldMacLineEndingsStillGetSpans() throws {
        // libxml2 stops counting at line 65535; blocks further down are found from the previous one.
        var page = "<html><body><div class=\"nav\"><a href=\"/\">首页</a></div>\n"
        page += String(repeating: "<br>\n", count: 70_000)
        page += "<div><p>正文第一段，位于很后面的一行。</p>\n<p>　　第二段，也是正文。</p></div></body></html>\n"
        let result = try HTMLIngester.ingest(Data(page.utf8), source: nil)
        #expect(result.blocks.map(\.text) == ["正文第一段，位于很后面的一行。", "第二段，也是正文。"])
        #expect(result.blocks.map(\.span.startLine) == [70_002, 70_003])
        #expect(result.blocks.map(\.span.startColumn) == [9, 6])  // after "<div><p>", after "<p>　　"
        // Carriage returns alone end no line for libxml2 either: everything is on line 1, in order.
        let mac = "<html><body>\r<p>第一段，写在这里。</p>\r<p>第二段，写在那里。</p>\r</body></html>"
        let old = try HTMLIngester.ingest(Data(mac.utf8), source: nil)
        #expect(old.blocks.map(\.text) == ["第一段，写在这里。", "第二段，写在那里。"])
        #expect(old.blocks.allSatisfy { $0.span.startLine == 1 && $0.span.endLine == 1 })
        #expect(old.blocks[0].span.startColumn < old.blocks[1].span.startColumn)
    }

    @Test func pagesWithoutProseStillComeOut() throws {
        let page = "<html><body><ul><li>第一项</li><li>第二项</li></ul></body></html>"
        let result = try HTMLIngester.ingest(Data(page.utf8), source: nil)
        #expect(Self.texts(result) == ["第一项", "第二项"])
        // Nothing but navigation: no article, no body, said so.
        let menu = "<html><body><ul><li><a href=\"/a\">首页</a></li><li><a href=\"/b\">新闻</a></li></ul>"
            + "<p>版权所有 © 某某网站</p></body></html>"
        let navigation = try HTMLIngester.ingest(Data(menu.utf8), source: nil)
        #expect(navigation.blocks.isEmpty)
        #expect(navigation.diagnostics.contains { $0.id == "ingest.no-article" })
        let bare = try HTMLIngester.ingest(Data("<html><head><title>空</title></head><body></body></html>".utf8), source: nil)
        #expect(bare.blocks.isEmpty)
        #expect(bare.metadata.title == "空")
        #expect(bare.diagnostics.contains { $0.id == "ingest.html-no-text" })
    }
}

/// Finds a `charset=` declaration, for checking the test's own stripping.
enum GBDeclaration {
    static func charset(in page: String) -> String? {
        HTMLEncodingChoice.declaredCharset(in: Array(page.utf8))
    }
}
