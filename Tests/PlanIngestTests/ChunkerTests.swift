import Foundation
import PlanIngest
import PlanKit
import Testing

/// `Chunker` over the real corpus: what a retrieval pipeline relies on, checked on every document.
struct ChunkerTests {
    static func load(_ source: String) throws -> [PlanDocument] {
        let url = CorpusGoldenTests.repositoryURL.appendingPathComponent(source)
        return try DocumentLoader.load(data: try Data(contentsOf: url), source: source,
                                       pathExtension: url.pathExtension, stages: .treeOnly)
    }

    /// The nearest chapter, section, article, division (一、) or other container above a node (its "boundary").
    static func boundaries(of root: Node) -> [String: String] {
        var result: [String: String] = [:]
        root.forEach { node, ancestors in
            let boundary = ancestors.last { $0.kind.isContainer && $0.kind != .document || $0.kind == .article || $0.kind == .division }
            // A division with text of its own (一、加强……。) is the boundary of its own text too.
            result[node.id] = node.kind == .division ? node.id : boundary?.id ?? "doc"
        }
        return result
    }

    static func letters(_ text: String) -> String { String(text.filter { !$0.isWhitespace }) }

    @Test(arguments: CorpusGoldenTests.sources)
    func everyParagraphIsInExactlyOneChunkInOrderAndNoChunkCrossesABoundary(_ source: String) throws {
        for (ordinal, document) in try Self.load(source).enumerated() {
            let boundaries = Self.boundaries(of: document.root)
            var parents: [String: Node] = [:]
            document.root.forEach { node, ancestors in if let parent = ancestors.last { parents[node.id] = parent } }
            var paragraphs: [Node] = []
            document.root.forEach { node, _ in if Chunker.isParagraph(node) { paragraphs.append(node) } }
            for maximum in [60, 500] {
                let chunks = Chunker(maxCharacters: maximum).chunks(of: document, key: "\(source)#\(ordinal)")
                let listed = chunks.flatMap(\.nodes)
                #expect(Set(listed).count == listed.count, "a node in two chunks: \(source) max \(maximum)")
                // In order, whole: each paragraph once, or its clauses once each, one after the other.
                var expected: [String] = []
                for paragraph in paragraphs {
                    if listed.contains(paragraph.id) { expected.append(paragraph.id) }
                    else { expected += paragraph.children.filter { $0.kind == .clause || $0.kind == .lead }.map(\.id) }
                }
                #expect(listed == expected, "\(source) max \(maximum): chunks do not list the paragraphs in order")
                // No text lost or repeated.
                #expect(Self.letters(chunks.map(\.text).joined()) == Self.letters(paragraphs.map(\.text).joined()),
                        "\(source) max \(maximum): the chunks' text is not the paragraphs' text")
                // Every sentence of every 款 or unnumbered paragraph is there, found by its own node.
                document.root.forEach { node, _ in
                    guard node.kind == .clause || node.kind == .lead || node.kind == .paragraph,
                          !node.text.allSatisfy(\.isWhitespace), let parent = parents[node.id] else { return }
                    let covered = listed.contains(node.id) || listed.contains(parent.id)
                        || node.children.contains { listed.contains($0.id) }
                    #expect(covered, "\(source): \(node.id) is in no chunk")
                }
                for chunk in chunks {
                    let inside = Set(chunk.nodes.map { boundaries[$0] ?? "?" })
                    #expect(inside.count == 1, "\(source): chunk \(chunk.id) crosses \(inside.sorted())")
                    #expect(chunk.text.count <= maximum || chunk.nodes.count == 1,
                            "\(source): chunk \(chunk.id) of \(chunk.text.count) characters holds several pieces")
                    // The chapter, section or article it sits in is named in its path.
                    if let boundary = inside.first.flatMap({ $0 == "doc" ? nil : document.root.node(withID: $0) }),
                       boundary.label != nil || boundary.heading != nil {
                        #expect(chunk.path.contains(boundary.displayTitle), "\(source): \(chunk.id) lacks \(boundary.displayTitle)")
                    }
                }
            }
        }
    }

    @Test func aChunkOfThePlanCarriesItsHeadingsAndCitation() throws {
        let document = try Self.load("corpus/plans/shenyang-ftz-plan-2021.txt")[0]
        let chunks = Chunker(maxCharacters: 500).chunks(of: document, key: "corpus/plans/shenyang-ftz-plan-2021.txt")
        let chunk = try #require(chunks.first { $0.nodes.contains("chp_1__sec_1__para_4") })
        #expect(chunk.path == ["第一章 “十三五”时期创新试验情况", "第一节 沈阳片区成立以来主要工作成效"])
        #expect(chunk.anchor == "chp_1__sec_1")
        #expect(chunk.text.contains("加快国家跨境电商综试区核心区"))
        #expect(chunk.document.key == "corpus/plans/shenyang-ftz-plan-2021.txt")
        #expect(chunk.document.title == "沈阳市“十四五”中国(辽宁)自由贸易试验区沈阳片区发展规划")
        #expect(chunk.span.startLine <= 23 && chunk.span.endLine >= 23)
        #expect(chunk.text.count <= 500)
        // Paragraphs of one section are merged up to the limit (291 + 249 characters would pass it).
        #expect(chunk.nodes == ["chp_1__sec_1__para_4"])
        let merged = try #require(chunks.first { $0.nodes.contains("chp_1__sec_1__para_2") })
        #expect(merged.nodes == ["chp_1__sec_1__para_1", "chp_1__sec_1__para_2"])
        // …but never with the next section's, however short.
        #expect(chunks.allSatisfy { chunk in chunk.anchor == "doc" || chunk.nodes.allSatisfy { $0.hasPrefix(chunk.anchor + "__") } })
    }

    @Test func anArticleIsOneChunkWithBothOfItsParagraphs() throws {
        let document = try Self.load("corpus/laws/law-company-2018-2023/company-law-2023.md")[0]
        let chunks = Chunker(maxCharacters: 500).chunks(of: document, key: "company-law-2023.md")
        let chunk = try #require(chunks.first { $0.nodes.contains("art_3__para_1") })
        #expect(chunk.nodes == ["art_3__para_1", "art_3__para_2"])
        #expect(chunk.path == ["第一章 总 则", "第三条"])
        #expect(chunk.text == "公司是企业法人，有独立的法人财产，享有法人财产权。公司以其全部财产对公司的债务承担责任。\n公司的合法权益受法律保护，不受侵犯。")
    }

    @Test func aLongParagraphIsSplitOnlyBetweenItsClausesWithTheOverlapApart() throws {
        let document = try Self.load("corpus/plans/shenyang-ftz-plan-2021.txt")[0]
        let paragraph = try #require(document.root.node(withID: "chp_1__sec_1__para_4"))
        let chunks = Chunker(maxCharacters: 120, overlapCharacters: 120).chunks(of: document, key: "plan")
        let pieces = chunks.filter { $0.nodes.contains { $0.hasPrefix("chp_1__sec_1__para_4__") } }
        #expect(pieces.count >= 2)
        #expect(pieces.map(\.text).joined().contains(paragraph.text))
        for piece in pieces {
            #expect(piece.text.count <= 120)
            #expect("。；！？".contains(piece.text.last!), "a piece ends inside a clause: \(piece.text)")
        }
        // The overlap repeats the end of the chunk before (whole clauses, at most 120 characters), not in the text.
        let second = pieces[1]
        let overlap = try #require(second.overlap)
        #expect(overlap.count <= 120 && pieces[0].text.hasSuffix(overlap))
        #expect(!second.text.hasPrefix(overlap))
    }
}
