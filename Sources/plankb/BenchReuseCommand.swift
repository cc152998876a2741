import ArgumentParser
import Foundation
import PlanCommandLine
import PlanIndex
import PlanKit

struct BenchReuseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-reuse",
        abstract: "Measure plankb reuse --db against an exhaustive comparison of the same documents.",
        discussion: HelpText.reflow("""
        For each of the first --docs documents of the knowledge base (all by
        default), finds its reuse pairs twice in the same run: through the
        full-text index (what plankb reuse --db does) and exhaustively: every
        paragraph of every document loaded into memory, each paragraph compared
        with every paragraph of another document that shares a 4-gram with it
        (which misses no pair the rules report). Reports the seconds of each
        and the recall of the index against the exhaustive pairs.

        Example:
          plankb index corpus --db kb.sqlite --exclude gold --no-records
          plankb bench-reuse --db kb.sqlite
        """)
    ).underPlanKB

    @OptionGroup var database: DatabaseOption

    @Option(help: "How many documents to check (the first N by date and title); all by default.")
    var docs: Int?

    func run() throws {
        let knowledgeBase = try database.open()
        let reuse = KnowledgeBaseReuse(knowledgeBase: knowledgeBase)
        let documents = try knowledgeBase.documents()
        let checked = Array(documents.prefix(docs ?? documents.count))
        let clock = ContinuousClock()

        var started = clock.now
        var allUnits: [ReuseUnit] = []
        for document in documents {
            guard let stored = try knowledgeBase.document(withKey: document.key) else { continue }
            allUnits += ReuseUnit.units(of: stored.root, document: document.key)
        }
        let finder = ReuseFinder(sources: allUnits, settings: reuse.exhaustiveSettings)
        let loading = clock.now - started

        var indexPairs: Set<String> = []
        var brutePairs: Set<String> = []
        func key(_ pair: ReusePair) -> String { "\(pair.target.id)|\(pair.source.document ?? "")|\(pair.source.id)" }
        started = clock.now
        for document in checked {
            for pair in try reuse.report(forDocument: document.key)?.pairs ?? [] { indexPairs.insert(document.key + "|" + key(pair)) }
        }
        let indexed = clock.now - started
        started = clock.now
        for document in checked {
            for pair in try reuse.exhaustivePairs(forDocument: document.key, finder: finder) {
                brutePairs.insert(document.key + "|" + key(pair))
            }
        }
        let brute = clock.now - started + loading
        let found = brutePairs.intersection(indexPairs).count
        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        print("documents checked: \(checked.count) of \(documents.count); paragraphs in the knowledge base: \(allUnits.count)")
        print(String(format: "through the index: %.2f s (%.3f s a document), %d pairs", seconds(indexed),
                     seconds(indexed) / Double(max(1, checked.count)), indexPairs.count))
        print(String(format: "exhaustive:        %.2f s (%.3f s a document, loading included), %d pairs", seconds(brute),
                     seconds(brute) / Double(max(1, checked.count)), brutePairs.count))
        print(String(format: "speed-up %.1f×; recall of the index against the exhaustive pairs %.3f (%d of %d)",
                     seconds(brute) / max(seconds(indexed), 1e-9),
                     brutePairs.isEmpty ? 1.0 : Double(found) / Double(brutePairs.count), found, brutePairs.count))
        let missed = brutePairs.subtracting(indexPairs).sorted().prefix(5)
        for pair in missed { print("  missed: \(pair)") }
    }
}
