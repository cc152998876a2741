import Foundation
import PlanIngest
import PlanKit
import Testing

/// Record extraction scored against the hand-annotated gold set in corpus/gold/ (see its README). The floors
/// are the aims of the records issue; `plankb eval --verbose` prints the same figures with every miss.
struct ExtractionGoldTests {
    static let repositoryURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Scores over every gold document, on the records the loader's pipeline extracted.
    static func evaluateAll() throws -> (report: EvaluationReport, evaluated: [String], skipped: [String]) {
        let goldDocuments = try GoldDocument.loadAll(in: repositoryURL.appendingPathComponent("corpus/gold"))
        var total = EvaluationReport()
        var evaluated: [String] = []
        var skipped: [String] = []
        for gold in goldDocuments {
            let url = repositoryURL.appendingPathComponent("corpus").appendingPathComponent(gold.header.source)
            guard let loaded = try? DocumentLoader.load(contentsOf: url),
                  let document = GoldEvaluation.documents(loaded, matching: gold.header).first else {
                skipped.append(gold.name)
                continue
            }
            total.add(GoldEvaluation.evaluate(document.records, document: document, gold: gold))
            evaluated.append(gold.name)
        }
        return (total, evaluated, skipped)
    }

    @Test func extractionMeetsTheFloorsOnTheGoldSet() throws {
        let (report, evaluated, skipped) = try Self.evaluateAll()
        print(report.formatted() + "evaluated: \(evaluated)\nskipped (source not loadable): \(skipped)")
        #expect(skipped.isEmpty, "every gold source must load")
        #expect(evaluated.count >= 7)
        #expect(report.quantities.f1 >= 0.95, "quantities F1 \(report.quantities.f1): \(report.misses) \(report.spurious)")
        #expect(report.typing.accuracy >= 0.90, "typing \(report.typing.accuracy)")
        #expect(report.measureTitles.accuracy >= 0.95, "measure titles \(report.measureTitles.accuracy)")
        #expect(report.codeViolations.isEmpty, "\(report.codeViolations)")
        for type in ["target", "achievement", "milestone"] {
            let f1 = report.byType[type]?.f1 ?? 0
            #expect(f1 >= 0.90, "\(type) F1 \(f1)")
        }
        for field in ["value", "unit", "comparator"] {
            #expect((report.fields[field]?.accuracy ?? 0) >= 0.95, "\(field)")
        }
        #expect((report.fields["year"]?.accuracy ?? 0) >= 0.90)
    }

    /// The scorer itself: a wrong value, a wrong type and a missing item must each cost.
    @Test func scorerCountsErrors() throws {
        let gold = GoldDocument(name: "t", header: .init(source: "x", types: ["target", "achievement", "quantity"]), items: [
            .init(type: "target", anchor: "增长5%左右", raw: "5%左右", value: 5, unit: "%", comparator: "~", year: 2025),
            .init(type: "achievement", anchor: "累计新注册企业1.9万户", raw: "1.9万户", value: 19000, unit: "户", comparator: "="),
            .init(type: "target", anchor: "粮食产量1.3万亿斤以上", raw: "1.3万亿斤以上", value: 1.3e12, unit: "斤", comparator: ">="),
        ])
        let span = SourceSpan(startLine: 1, startColumn: 1, endLine: 1, endColumn: 1)
        let good = Record(node: "p1", path: [], text: "国内生产总值增长5%左右", span: span, facts: .target(Record.Target(
            quantity: Quantity(value: 5, unit: "%", raw: "5%左右", comparator: .approximately, offsets: 0..<1),
            timing: Record.Timing(year: 2025))))
        let wrong = Record(node: "p2", path: [], text: "累计新注册企业1.9万户", span: span, facts: .target(Record.Target(
            quantity: Quantity(value: 1.9, unit: "户", raw: "1.9万户", offsets: 0..<1))))
        let document = PlanDocument(metadata: Metadata(), root: Node(kind: .document, text: "", span: span), diagnostics: [])
        let report = GoldEvaluation.evaluate([good, wrong], document: document, gold: gold)
        #expect(report.quantities == { var s = Score(); s.truePositives = 2; s.falseNegatives = 1; return s }())
        #expect(report.fields["value"]?.agreed == 1 && report.fields["value"]?.compared == 2)
        #expect(report.typing.agreed == 1 && report.typing.compared == 2)
        #expect(report.byType["achievement"]?.falseNegatives == 1)
    }
}
