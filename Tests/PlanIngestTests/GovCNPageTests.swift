import Foundation
import PlanKit
import Testing
@testable import PlanIngest

/// The 40 gov.cn State Council pages against the crawler's own answer key (`NN.meta.json`): title, 发文机关,
/// 发文字号, 索引号; the publication date against the date in the page address (`/2019-02/15/`); and the
/// body found by the general method (text, punctuation and link density) against the one found through
/// gov.cn's `#UCAP-CONTENT`.
@Suite struct GovCNPageTests {
    struct AnswerKey: Decodable {
        var crawl_url: String
        var title: String
        var release_office: String
        var release_number: String
        var index_number: String

        /// `http://www.gov.cn/zhengce/content/2019-02/15/content_5365945.htm` → `2019-02-15`.
        var addressDate: String? {
            guard let match = crawl_url.firstMatch(of: /\/(\d{4})-(\d{2})\/(\d{2})\//) else { return nil }
            return "\(match.1)-\(match.2)-\(match.3)"
        }
    }

    /// Whitespace (spaces, U+3000, NBSP) does not count when comparing with the key.
    static func normalised(_ text: String?) -> String? {
        text.map { String($0.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init)) }
    }

    @Test(arguments: CorpusFiles.govCNPages)
    func metadataMatchesTheAnswerKey(page: String) throws {
        let key = try JSONDecoder().decode(
            AnswerKey.self, from: CorpusFiles.data("govcn-2019/" + page.replacingOccurrences(of: ".html", with: ".meta.json")))
        let result = try HTMLIngester.ingest(CorpusFiles.data("govcn-2019/" + page), source: page)
        let metadata = result.metadata
        #expect(Self.normalised(metadata.title) == Self.normalised(key.title))
        #expect(Self.normalised(metadata.issuer) == Self.normalised(key.release_office))
        #expect(Self.normalised(metadata.documentNumber) == Self.normalised(key.release_number))
        #expect(Self.normalised(metadata.indexNumber) == Self.normalised(key.index_number))
        if let addressDate = key.addressDate { #expect(metadata.date == addressDate) }
        // 成文日期 is on or before 发布日期.
        let written = try #require(metadata.writtenDate)
        #expect(written <= (metadata.date ?? written))
        #expect(metadata.subject?.isEmpty == false)
        #expect(metadata.encoding == "UTF-8")
    }

    @Test(arguments: CorpusFiles.govCNPages)
    func bodyStartsWithTheTitleAndHoldsNoMetadataTable(page: String) throws {
        let key = try JSONDecoder().decode(
            AnswerKey.self, from: CorpusFiles.data("govcn-2019/" + page.replacingOccurrences(of: ".html", with: ".meta.json")))
        let result = try HTMLIngester.ingest(CorpusFiles.data("govcn-2019/" + page), source: page)
        let first = try #require(result.blocks.first)
        // The title is the first block, centred, joined when the page breaks it over two lines.
        // (58 is a 国务院令: it starts with 中华人民共和国国务院令 and the order number.)
        if page != "58.html" {
            #expect(Self.normalised(first.text) == Self.normalised(key.title))
            #expect(first.hints.contains(.centered))
        }
        #expect(result.blocks.contains { Self.normalised($0.text) == Self.normalised(key.release_number) }
                || key.release_number.hasPrefix("国令"))
        for block in result.blocks {
            #expect(!block.text.contains("索引号") && !block.text.contains("索 引 号") && !block.text.contains("主题分类"))
            #expect(!block.text.contains("扫一扫"))
            #expect(!block.text.isEmpty && block.text == block.text.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(!block.text.contains("\n"))
        }
    }

    @Test(arguments: CorpusFiles.govCNPages)
    func generalMethodFindsTheSameBody(page: String) throws {
        let data = try CorpusFiles.data("govcn-2019/" + page)
        let known = try HTMLIngester.ingest(data, source: page, useKnownContainers: true)
        let general = try HTMLIngester.ingest(data, source: page, useKnownContainers: false)
        #expect(known.blocks.map(\.text) == general.blocks.map(\.text))
    }

    @Test func leadSentencesAndTablesKeepTheirHints() throws {
        // 32: 第三十二条 starts with a bold run ("第三十二条" in <strong>).
        let rules = try HTMLIngester.ingest(CorpusFiles.data("govcn-2019/32.html"), source: nil)
        let article = try #require(rules.blocks.first { $0.text.hasPrefix("第三十二条") })
        #expect(article.hints.contains(.boldLead))
        #expect(article.boldPrefixLength == "第三十二条".count)
        // 04: the indicator table comes out a row per block, cells separated by tabs.
        let hospital = try HTMLIngester.ingest(CorpusFiles.data("govcn-2019/04.html"), source: nil)
        let rows = hospital.blocks.filter { $0.hints.contains(.tableRow) }
        #expect(rows.count > 40)
        #expect(rows.allSatisfy { $0.text.contains("\t") })
        // Signatures at the end are right-aligned.
        let notice = try HTMLIngester.ingest(CorpusFiles.data("govcn-2019/01.html"), source: nil)
        #expect(notice.blocks.first { $0.text == "2019年1月27日" }?.hints.contains(.rightAligned) == true)
    }

    /// Without the metadata table (a page copied without its frame), the number under the title still
    /// gives 发文字号. (58, a 国务院令, prints 第706号 under 中华人民共和国国务院令; the key abbreviates it
    /// 国令第706号, which the page never prints, so it is not among these.)
    @Test(arguments: ["01.html", "19.html", "40.html"])
    func documentNumberFromTheBodyWhenTheTableIsGone(page: String) throws {
        let key = try JSONDecoder().decode(
            AnswerKey.self, from: CorpusFiles.data("govcn-2019/" + page.replacingOccurrences(of: ".html", with: ".meta.json")))
        let html = try #require(String(data: try CorpusFiles.data("govcn-2019/" + page), encoding: .utf8))
        let start = try #require(html.range(of: "<table"))
        let end = try #require(html.range(of: "</table>", range: start.upperBound..<html.endIndex))
        let frameless = html.replacingCharacters(in: start.lowerBound..<end.upperBound, with: "")
        let result = try HTMLIngester.ingest(Data(frameless.utf8), source: nil)
        #expect(result.metadata.indexNumber == nil)
        #expect(Self.normalised(result.metadata.documentNumber) == Self.normalised(key.release_number))
    }
}
