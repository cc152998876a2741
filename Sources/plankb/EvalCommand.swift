import ArgumentParser
import Foundation
import PlanCommandLine
import PlanIngest
import PlanKit

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score record extraction against the hand-annotated gold set (corpus/gold/).",
        discussion: HelpText.reflow("""
        For each gold file, loads the document it names (under the corpus folder), extracts records and prints
        precision, recall and F1 for quantities and per record type, agreement per field (value, unit,
        comparator, approx, year), target/achievement typing, measure-title recall and any code read as a
        quantity; then the totals. The gold format is described in corpus/gold/README.md.

        Example:
          plankb eval --verbose
        """)
    ).underPlanKB

    @Option(help: "The folder of gold files.")
    var gold: String = "corpus/gold"

    @Option(help: "The corpus folder gold sources are relative to.")
    var corpus: String = "corpus"

    @Flag(name: .shortAndLong, help: "List every missed gold item and every prediction without a gold item.")
    var verbose = false

    func run() throws {
        let goldDocuments = try GoldDocument.loadAll(in: URL(fileURLWithPath: gold))
        var total = EvaluationReport()
        var output = ""
        var skipped = 0
        for goldDocument in goldDocuments {
            let url = URL(fileURLWithPath: corpus).appendingPathComponent(goldDocument.header.source)
            let documents: [PlanDocument]
            do {
                documents = GoldEvaluation.documents(try DocumentLoader.load(contentsOf: url), matching: goldDocument.header)
            } catch {
                output += "== \(goldDocument.name): skipped, \(goldDocument.header.source) does not load: \(error)\n\n"
                skipped += 1
                continue
            }
            guard let document = documents.first else {
                output += "== \(goldDocument.name): skipped, no document titled \(goldDocument.header.title ?? "")\n\n"
                skipped += 1
                continue
            }
            let report = GoldEvaluation.evaluate(document.records, document: document, gold: goldDocument)
            total.add(report)
            output += "== \(goldDocument.name) (\(goldDocument.header.source))\n" + report.formatted() + "\n"
        }
        output += "== total over \(goldDocuments.count - skipped) of \(goldDocuments.count) gold documents\n" + total.formatted()
        if verbose {
            output += "\nmissed gold items:\n" + total.misses.map { "  " + $0 }.joined(separator: "\n")
            output += "\npredictions without a gold item:\n" + total.spurious.map { "  " + $0 }.joined(separator: "\n") + "\n"
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}
