import Foundation
import PlanIngest
import PlanKit
import Testing

/// Whether the PDF tests can run: always in CI (where a missing tool must fail, not skip), else when
/// pdftohtml is installed.
enum Poppler {
    static let available: Bool = ProcessInfo.processInfo.environment["CI"] != nil
        || ["/usr/bin/pdftohtml", "/usr/local/bin/pdftohtml"].contains { FileManager.default.isExecutableFile(atPath: $0) }
}

/// PDF input through the real poppler tools, over the corpus PDFs and the fixtures
/// `corpus/office/fixtures/make_pdf_fixtures.py` builds. In CI (CI set) poppler-utils is installed and nothing
/// is skipped; elsewhere the suite is skipped only when pdftohtml is missing.
@Suite(.enabled(if: Poppler.available, "pdftohtml (poppler-utils) is not installed"))
struct PDFReaderTests {
    static let repository = CorpusFiles.root.deletingLastPathComponent()

    static func load(_ path: String, stages: DocumentLoader.Stages = .treeOnly) throws -> PlanDocument {
        let url = repository.appendingPathComponent(path)
        let documents = try DocumentLoader.load(data: try Data(contentsOf: url), source: path, pathExtension: url.pathExtension,
                                                fileURL: url, stages: stages)
        return try #require(documents.first)
    }

    static func blocks(_ path: String) throws -> [Block] {
        let url = repository.appendingPathComponent(path)
        let input = ReaderInput(data: try Data(contentsOf: url), source: path, fileURL: url, pathExtension: "pdf")
        return try #require(PDFReader.read(input).first).blocks
    }

    /// Text without white space, so that line breaks and letter-spacing do not count.
    static func compact(_ text: some StringProtocol) -> String { String(text.filter { !$0.isWhitespace && $0 != "\u{3000}" }) }

    // MARK: The NDRC notice against its dataset's reference text

    /// The reference text has one sentence a line (it splits paragraphs at 。 and ；) and ends the titles of
    /// （一）… items with 。, which the PDF does not print. Every paragraph the reader finds must be exactly a
    /// run of consecutive reference lines, and together they must be the whole reference text.
    @Test func ndrcNoticeParagraphsAreRunsOfTheReferenceLines() throws {
        let reference = try String(contentsOf: CorpusFiles.url("office/pdf/ndrc-notice-2019-860.reference.txt"), encoding: .utf8)
            // The dataset wrote it with CRLF line ends, and "\r\n" is one Character in Swift: split on any newline.
            .split(whereSeparator: \.isNewline).map(Self.compact).filter { !$0.isEmpty }
        let blocks = try Self.blocks("corpus/office/pdf/ndrc-notice-2019-860.pdf")
        var next = 0
        for block in blocks {
            let target = Self.compact(block.text)
            var joined = ""
            let start = next
            while next < reference.count, joined.count < target.count {
                var line = reference[next]
                // "（一）全面实施个人所得税申报信用承诺制。" — the PDF's heading has no 。.
                if LabelParser.parse(Substring(line))?.kind == .item, line.hasSuffix("。"), target.count < joined.count + line.count {
                    line.removeLast()
                }
                joined += line
                next += 1
            }
            #expect(joined == target, "paragraph at \(block.span.compactDescription) is not reference lines \(start + 1)…\(next): \(target.prefix(40))")
            if joined != target { return }
        }
        #expect(next == reference.count, "reference lines \(next + 1)… are missing from the PDF's paragraphs")
    }

    @Test func ndrcNoticeStructureMetadataAndDroppedPageNumbers() throws {
        let document = try Self.load("corpus/office/pdf/ndrc-notice-2019-860.pdf")
        #expect(document.metadata.title == "关于加强个人所得税纳税信用建设的通知")
        #expect(document.metadata.documentNumber == "发改办财金规〔2019〕860号")
        #expect(document.metadata.format == "pdf")
        #expect(document.metadata.pages == 5)
        let divisions = document.root.children.filter { $0.kind == .division }
        #expect(divisions.map(\.heading) == ["总体要求", "建立个人所得税纳税信用管理机制", "完善守信联合激励和失信联合惩戒机制",
                                             "加强信息安全和权益维护", "强化组织实施"])
        #expect(divisions.map { $0.children.filter { $0.kind == .item }.count } == [0, 3, 2, 2, 2])
        // "— 1 —" … "— 5 —" are gone, with a note naming where the first one was.
        #expect(!document.root.descendants.contains { $0.text.contains("—1—") || $0.text.contains("— 1 —") })
        let note = try #require(document.diagnostics.first { $0.id == "ingest.page-number-dropped" })
        #expect(note.message.contains("5 page number"))
        #expect(note.page == 1)
    }

    @Test func spacesTextExtractionPutsBesideDigitsAreGone() throws {
        // pdftotext itself writes "2019 年 1 月 1 日" for this notice; the reader must not.
        let text = try Self.blocks("corpus/office/pdf/ndrc-notice-2019-860.pdf").map(\.text).joined(separator: "\n")
        #expect(text.contains("2019年1月1日起全面施行"))
        #expect(text.contains("（国发〔2018〕41号）"))
        #expect(text.contains("（2014-2020年）"))
        #expect(text.firstMatch(of: /\p{Han} +\d|\d +\p{Han}/) == nil)
    }

    // MARK: The constitution

    @Test func constitutionHasItsPrefaceChaptersSectionsAndEveryArticleInOrder() throws {
        let document = try Self.load("corpus/office/pdf/constitution.pdf")
        #expect(document.metadata.title == "中华人民共和国宪法")
        #expect(document.metadata.author == "罗海山")
        #expect(document.metadata.pages == 31)
        let top = document.root.children
        #expect(top.contains { $0.kind == .preface && $0.children.count == 13 })
        #expect(top.contains { $0.kind == .toc })
        let chapters = top.filter { $0.kind == .chapter }
        #expect(chapters.map(\.num) == [1, 2, 3, 4])
        #expect(chapters.map(\.heading) == ["总纲", "公民的基本权利和义务", "国家机构", "国旗、国歌、国徽、首都"])
        #expect(chapters[2].children.filter { $0.kind == .section }.map(\.num) == Array(1...8))
        let articles = document.root.descendants.filter { $0.kind == .article }
        #expect(articles.compactMap(\.num) == Array(1...143))
        // No paragraph was cut at a page or column end, none swallowed a page number or a heading.
        #expect(!document.diagnostics.contains { $0.id == "segment.truncated-paragraph" })
        for paragraph in document.root.descendants where paragraph.kind == .paragraph {
            #expect(paragraph.text.firstMatch(of: /[—－-]\s*\d+\s*[—－-]|第\s*\d+\s*页/) == nil, "\(paragraph.id)")
            #expect(!paragraph.text.contains("中华人民共和国宪法") || paragraph.text.count > 20, "\(paragraph.id)")
        }
    }

    @Test func constitutionSpansCiteThePage() throws {
        let document = try Self.load("corpus/office/pdf/constitution.pdf")
        // 第三十三条 begins at the foot of page 10 (pdftohtml: top 1057 of 1262, the page's 24th line; its
        // second line, "国公民。", is the page's last) and its paragraphs run on to page 11.
        let article = try #require(document.root.descendants.first { $0.kind == .article && $0.num == 33 })
        #expect(article.span.startPage == 10)
        #expect(article.span.endPage == 11)
        #expect(article.span.startLine == 24)
        #expect(article.span.compactDescription.hasPrefix("p10:24:1-p11:"))
        let first = try #require(article.children.first)
        #expect(first.text.hasPrefix("凡具有中华人民共和国国籍的人都是中华人民共和国公民。"))
        #expect(first.span.start == SourcePosition(line: 24, column: 6, page: 10))
    }

    // MARK: A plan as PDF against its text

    /// `corpus/office/pdf/shenyang-ftz-plan-2021.pdf` was made from `corpus/plans/shenyang-ftz-plan-2021.txt`
    /// with a running header, "— N —" page numbers and 第五章 in two columns: the trees must be the same.
    @Test func planPDFGivesTheTreeOfItsText() throws {
        let pdf = try Self.load("corpus/office/pdf/shenyang-ftz-plan-2021.pdf")
        let text = try Self.load("corpus/plans/shenyang-ftz-plan-2021.txt")
        func outline(_ document: PlanDocument) -> [String] {
            document.root.descendants.map { "\($0.id) \($0.kind) \($0.heading ?? "") \(Self.compact($0.text))" }
        }
        let pdfOutline = outline(pdf), textOutline = outline(text)
        #expect(pdfOutline.count == textOutline.count)
        for (a, b) in zip(pdfOutline, textOutline) where a != b {
            Issue.record("first difference:\n  pdf:  \(a.prefix(120))\n  text: \(b.prefix(120))")
            break
        }
        #expect(pdf.root.descendants.filter { $0.kind == .chapter }.count == 9)
        #expect(pdf.metadata.title == text.metadata.title)
        #expect(pdf.diagnostics.contains { $0.id == "ingest.running-header-dropped" })
        #expect(pdf.diagnostics.contains { $0.id == "ingest.page-number-dropped" && $0.message.contains("40 page number") })
    }

    // MARK: Bad input

    @Test(arguments: [("truncated.pdf", "ingest.pdf-truncated"), ("encrypted.pdf", "ingest.pdf-encrypted"),
                      ("scanned.pdf", "ingest.pdf-no-text")])
    func badPDFsAreErrorsNamingTheFile(_ name: String, _ id: String) throws {
        let path = "Tests/Fixtures/pdf/\(name)"
        do {
            _ = try Self.load(path)
            Issue.record("\(name) loaded")
        } catch let error as IngestError {
            guard case .malformed(let found, let detail) = error else {
                Issue.record("\(name): \(error)")
                return
            }
            #expect(found == id)
            #expect(detail.hasPrefix(path))
        }
    }

    @Test func pdfIsRecognisedByItsHeaderWhateverTheName() throws {
        let data = try CorpusFiles.data("office/pdf/constitution.pdf")
        #expect(InputFormat.detect(data, pathExtension: "txt") == .pdf)
        #expect(InputFormat.detect(data, pathExtension: "") == .pdf)
        #expect(DocumentReaders.fileExtensions.contains("pdf"))
        // Bytes from standard input (no file on disk) are read through a private temporary copy.
        let documents = try DocumentLoader.load(data: data, source: "-", stages: .treeOnly)
        #expect(documents.first?.root.descendants.filter { $0.kind == .article }.count == 143)
    }
}
