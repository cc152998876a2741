import Foundation
import Testing
@testable import PlanKit

/// Text reuse on adaptations of the real Shenyang plan made the way cities adapt text, where the right answer
/// is known: each generated target paragraph says which source paragraph it came from and how.
struct ReuseTests {
    static let plan = "plans/shenyang-ftz-plan-2021.txt"

    /// Source paragraphs of at least four sentences, so that one can be dropped or moved and most of the
    /// paragraph remains (a city dropping one sentence of two has written a new paragraph).
    static func sourceUnits() throws -> [ReuseUnit] {
        let document = try segmentCorpusText(plan)
        return ReuseUnit.units(of: document.root, document: "shenyang")
            .filter { sentences($0.text).count >= 4 && $0.matchingLength >= 80 }
    }

    static func sentences(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if "。；！？".contains(character) {
                result.append(current)
                current = ""
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// A city's adaptation: place names swapped.
    static func swapPlaces(_ text: String) -> String {
        text.replacingOccurrences(of: "沈阳", with: "大连").replacingOccurrences(of: "辽宁", with: "吉林")
            .replacingOccurrences(of: "东北", with: "华北")
    }

    /// Punctuation re-typed: full-width commas and semicolons half-width, spaces after them.
    static func retype(_ text: String) -> String {
        text.replacingOccurrences(of: "，", with: ", ").replacingOccurrences(of: "；", with: "; ")
            .replacingOccurrences(of: "、", with: ",")
    }

    static func unit(_ id: String, _ text: String) -> ReuseUnit {
        ReuseUnit(document: "", id: id, path: id, text: text)
    }

    @Test func adaptationsAreFoundAsTheirSourceParagraph() throws {
        let sources = try Self.sourceUnits()
        #expect(sources.count >= 20)
        let finder = ReuseFinder(sources: sources)
        var checked = 0
        for (index, source) in sources.prefix(40).enumerated() {
            let parts = Self.sentences(source.text)
            // The sentence dropped: the shortest after the first, as a city leaves out a line that does not fit.
            let dropped = parts.indices.dropFirst().min { parts[$0].count < parts[$1].count }!
            let variants: [(String, String, ReuseKind)] = [
                ("verbatim", Self.retype(source.text), .verbatim),
                ("swapped", Self.swapPlaces(source.text), Self.swapPlaces(source.text) != source.text ? .adapted : .verbatim),
                ("dropped", parts.enumerated().filter { $0.offset != dropped }.map(\.element).joined(), .adapted),
                ("moved", ([parts[parts.count - 1]] + parts.dropLast()).joined(), .adapted),
                ("added", source.text + "加强统筹协调，确保各项任务落到实处。", .adapted),
            ]
            for (name, text, kind) in variants {
                let target = Self.unit("t\(index)-\(name)", text)
                let best = finder.matches(for: target).first
                #expect(best?.source.id == source.id, "\(name) of \(source.id) matched \(best?.source.id ?? "nothing")")
                #expect(best?.kind == kind, "\(name) of \(source.id): \(best?.kind.rawValue ?? "-") \(best?.similarity ?? 0)")
                checked += 1
            }
        }
        #expect(checked == 200)
    }

    @Test func twoSentencesInsideNewTextArePartialAndLocated() throws {
        let sources = try Self.sourceUnits()
        let finder = ReuseFinder(sources: sources)
        // A paragraph of which the two sentences taken are less than half.
        let source = try #require(sources.first {
            let parts = Self.sentences($0.text)
            return parts.count >= 4 && ReuseText(parts[1] + parts[2]).scalars.count * 2 < $0.matchingLength
                && ReuseText(parts[1] + parts[2]).scalars.count >= 30
        })
        let parts = Self.sentences(source.text)
        let taken = parts[1] + parts[2]
        let newText = "为贯彻落实全省工作部署，结合我市实际，现就有关工作提出如下要求。" + taken
            + "各区县要明确责任分工，按季度报送进展情况，市政府将适时组织督查并通报结果，对工作不力的单位进行约谈。"
            + "本意见自印发之日起施行，由市发展改革委负责解释，此前有关规定与本意见不一致的，以本意见为准。"
        let best = try #require(finder.matches(for: Self.unit("new", newText)).first)
        #expect(best.source.id == source.id)
        #expect(best.kind == .partial, "\(best.similarity)")
        // `shared` locates exactly the two sentences taken (their end punctuation aside).
        let sharedText = best.shared.joined()
        #expect(ReuseText(sharedText).scalars == ReuseText(taken).scalars, "\(best.shared)")
    }

    @Test func paragraphsSharingOnlyTopicWordsAreNotReported() throws {
        let finder = ReuseFinder(sources: try Self.sourceUnits())
        let topical = [
            "优化营商环境，发展数字经济，推进跨境电商和现代物流，建设对外开放新高地，打造国际化营商环境。",
            "坚持以习近平新时代中国特色社会主义思想为指导，统筹推进本市各项改革发展任务，确保完成年度目标。",
            "加快建设自由贸易试验区，推动制度创新，促进贸易投资便利化，提升开放型经济水平，服务国家战略。",
        ]
        for (index, text) in topical.enumerated() {
            let pairs = finder.matches(for: Self.unit("topic\(index)", text))
            #expect(pairs.isEmpty, "\(text): \(pairs.map { "\($0.source.id) \($0.kind) \($0.shared)" })")
        }
    }

    @Test func alignmentFollowsMovedSentencesAndSkipsOverlaps() {
        let a = Array(ReuseText("甲乙丙丁戊己庚辛。子丑寅卯辰巳午未。").scalars)
        let b = Array(ReuseText("子丑寅卯辰巳午未。甲乙丙丁戊己庚辛。").scalars)
        let passages = PassageAligner.align(a, b, minimumLength: 6)
        #expect(passages.map(\.length) == [8, 8])
        #expect(passages.map(\.targetStart) == [0, 8])
        #expect(passages.map(\.sourceStart) == [8, 0])
        // A repeated stretch in the source is used once.
        let repeated = PassageAligner.align(Array(ReuseText("甲乙丙丁戊己甲乙丙丁戊己").scalars),
                                            Array(ReuseText("甲乙丙丁戊己").scalars), minimumLength: 6)
        #expect(repeated.count == 1)
    }

    @Test func sharesCountEachTargetCharacterOnce() throws {
        let sources = try Self.sourceUnits()
        let report = ReuseReport(target: .init(key: "t", title: nil), sources: [.init(key: "shenyang", title: nil)],
                                 pairs: ReuseFinder(sources: sources).matches(for: sources.prefix(3).map {
                                     ReuseUnit(document: "t", id: $0.id, path: $0.path, text: $0.text)
                                 }),
                                 targetUnits: sources.prefix(3).map { ReuseUnit(document: "t", id: $0.id, path: $0.path, text: $0.text) })
        #expect(report.shares.first?.share == 1.0)
        #expect(report.shares.first?.paragraphs == 3)
    }
}
