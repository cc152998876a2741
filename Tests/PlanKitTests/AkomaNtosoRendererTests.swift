import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import PlanKit

/// Akoma Ntoso output of real corpus documents, parsed back with Foundation's XMLParser.
struct AkomaNtosoRendererTests {
    /// What a parse of the XML found: element names in order, eIds, the text of some elements.
    final class Collected: NSObject, XMLParserDelegate {
        var elements: [String] = []
        var eIDs: [String] = []
        var eIDElements: [String: String] = [:]
        var texts: [String: [String]] = [:]
        /// The text so far of each open element; characters belong to every element around them.
        var buffers: [String] = []
        var namespace: String?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append(elementName)
            if namespace == nil { namespace = attributes["xmlns"] }
            if let eID = attributes["eId"] {
                eIDs.append(eID)
                eIDElements[eID] = elementName == "hcontainer" ? "hcontainer:" + (attributes["name"] ?? "") : elementName
            }
            buffers.append("")
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            for index in buffers.indices { buffers[index] += string }
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            texts[elementName, default: []].append(buffers.removeLast())
        }
    }

    static func parse(_ xml: String) throws -> Collected {
        let parser = XMLParser(data: Data(xml.utf8))
        let collected = Collected()
        parser.delegate = collected
        let parsed = parser.parse()
        #expect(parsed, "not well-formed: \(parser.parserError.map { "\($0)" } ?? "") at line \(parser.lineNumber)")
        return collected
    }

    @Test func aLawIsAnActWhoseArticlesCarryTheTreeIDs() throws {
        var document = try segmentCorpusText("laws/law-animal-epidemic-1997-2021-drafts/1997.txt")
        document.metadata.documentNumber = "主席令第八十七号"
        let xml = AkomaNtosoRenderer.render(document)
        let parsed = try Self.parse(xml)
        #expect(parsed.elements.prefix(2) == ["akomaNtoso", "act"])
        #expect(parsed.namespace == AkomaNtosoRenderer.namespace)
        #expect(parsed.elements.contains("meta") && parsed.elements.contains("preface") && parsed.elements.contains("body"))
        // Every node other than sentence pieces appears once, under its own id, as the element of its kind.
        let nodes = document.root.descendants.filter { $0.kind != .lead && $0.kind != .clause }
        let eIDs = Set(parsed.eIDs)
        for node in nodes { #expect(eIDs.contains(node.id), "\(node.id) missing") }
        #expect(parsed.eIDs.count == Set(parsed.eIDs).count, "eIds are unique")
        let articles = nodes.filter { $0.kind == .article }
        #expect(articles.count > 30)
        for article in articles { #expect(parsed.eIDElements[article.id] == "article") }
        for chapter in nodes where chapter.kind == .chapter { #expect(parsed.eIDElements[chapter.id] == "chapter") }
        // Numbers and headings come through as printed.
        #expect(parsed.texts["num"]?.contains("第十条") == true)
        let firstChapter = try #require(nodes.first { $0.kind == .chapter })
        #expect(parsed.texts["heading"]?.contains(firstChapter.heading ?? "") == true)
        // The 文号 in the preface and in proprietary metadata.
        #expect(parsed.texts["docNumber"] == ["主席令第八十七号"])
        #expect(parsed.texts["plankb:documentNumber"] == ["主席令第八十七号"])
        #expect(xml.contains("<FRBRnumber value=\"主席令第八十七号\"/>"))
    }

    @Test func aPlanIsADocWithItsChaptersSectionsAndParagraphs() throws {
        let document = try segmentCorpusText("plans/shenyang-ftz-plan-2021.txt")
        let xml = AkomaNtosoRenderer.render(document)
        let parsed = try Self.parse(xml)
        #expect(parsed.elements.prefix(2) == ["akomaNtoso", "doc"])
        #expect(xml.contains("<doc name=\"plan\">"))
        #expect(parsed.elements.contains("mainBody"))
        let nodes = document.root.descendants.filter { $0.kind != .lead && $0.kind != .clause }
        for node in nodes { #expect(parsed.eIDElements[node.id] != nil, "\(node.id) missing") }
        #expect(nodes.contains { $0.kind == .section })
        for node in nodes where node.kind == .paragraph { #expect(parsed.eIDElements[node.id] == "paragraph") }
        // No paragraph text is lost: the text of each paragraph element is the paragraph's text.
        let paragraphs = nodes.filter { $0.kind == .paragraph }
        let pTexts = Set(parsed.texts["p"] ?? [])
        let kept = paragraphs.filter { pTexts.contains($0.text) }
        #expect(kept.count == paragraphs.count, "\(paragraphs.count - kept.count) paragraphs lost their text")
        // Clauses that tile their paragraph become spans with their own ids.
        let clauses = document.root.descendants.filter { $0.kind == .clause }
        #expect(!clauses.isEmpty)
        #expect(clauses.filter { parsed.eIDElements[$0.id] == "span" }.count > clauses.count / 2)
    }

    @Test func markupAndForbiddenCharactersInTextKeepTheXMLWellFormed() throws {
        var document = segment("第一章 总则\n\n第一条 A<B & C>D \"引号\" 'x' \u{01}\u{0B}控制字符]]>结束。\n")
        document.metadata.title = "标题 <script>&amp;"
        document.metadata.issuer = "\"机关\" & <部门>"
        document.metadata.source = "in/a&b <c>.txt#3"
        let xml = AkomaNtosoRenderer.render(document)
        let parsed = try Self.parse(xml)
        #expect(parsed.texts["docTitle"] == ["标题 <script>&amp;"])
        #expect(parsed.texts["plankb:issuer"] == ["\"机关\" & <部门>"])
        let article = try #require(parsed.texts["p"]?.first { $0.contains("A<B") })
        #expect(article.contains("A<B & C>D \"引号\" 'x' 控制字符]]>结束。"))
        #expect(!xml.unicodeScalars.contains { $0.value == 0x01 || $0.value == 0x0B })
    }

    @Test func theDocNameComesFromTheLastDocumentTypeWordOfTheTitle() {
        #expect(AkomaNtosoRenderer.documentName(for: "中国（辽宁）自由贸易试验区沈阳片区“十四五”发展规划") == "plan")
        #expect(AkomaNtosoRenderer.documentName(for: "国务院关于印发《实施方案》的通知") == "notice")
        #expect(AkomaNtosoRenderer.documentName(for: "关于加强管理的意见") == "opinion")
        #expect(AkomaNtosoRenderer.documentName(for: "2021年政府工作报告") == "report")
        #expect(AkomaNtosoRenderer.documentName(for: nil) == "document")
    }
}
