import Foundation
import PlanCommandLine
import PlanIndex

/// `bench-index --db postgres://…`: the same scale corpus and queries against PostgreSQL, beside the SQLite figures
/// of the same run.
struct PostgresBenchmark {
    let location: KnowledgeBaseLocation
    let corpus: String
    let withRecords: Bool
    let runs: Int
    /// Query the database as a previous run left it (no indexing, no two-writer run).
    let reuse: Bool
    let bench: BenchIndexCommand

    /// What SQLite measured earlier in the same run.
    struct Baseline {
        var megabytesPerSecond: Double?
        var latencies: [Double]
    }

    func report(queries: [BenchmarkQueries.Query], sqlite: SQLiteKnowledgeBase, baseline: Baseline) throws -> String {
        var report = "### PostgreSQL (\(location), beside SQLite from the same run)\n\n"
        // 1. Two writers first: two `plankb index` processes over the same folder at once, into an emptied
        // database; then one writer, in this process, so that the queries (and a later --reuse-index) read the
        // one-writer database, whose document ids follow SQLite's order (ties among the copies break alike).
        var twoWriters: (seconds: Double, summary: KnowledgeBaseSummary)?
        var knowledgeBase = try open()
        if !reuse {
            try knowledgeBase.removeEverything()
            try knowledgeBase.close()
            bench.log("indexing \(corpus) into \(location) with 2 concurrent plankb index processes")
            let seconds = try bench.time { try runConcurrentIndexers(2) } / 1000
            knowledgeBase = try open()
            twoWriters = (seconds, try knowledgeBase.summary())
        }
        var single = try knowledgeBase.summary()
        var megabytes = 0.0
        if !reuse {
            try knowledgeBase.removeEverything()
            bench.log("indexing \(corpus) into \(location) (1 writer)")
            let outcome = try IndexRun(paths: [corpus], extractRecords: withRecords, showProgress: true).run(into: knowledgeBase)
            let finishSeconds = try bench.time { try knowledgeBase.finishIndexRun(changedDocuments: true) } / 1000
            megabytes = Double(outcome.bytesWritten) / 1_048_576
            let oneWriter = megabytes / (outcome.seconds + finishSeconds)
            single = try knowledgeBase.summary()
            report += String(format: "- indexing, 1 writer: %.1f MB in %.1f s (+ %.1f s ANALYZE): **%.1f MB/s** (SQLite: %@)\n",
                             megabytes, outcome.seconds, finishSeconds, oneWriter,
                             baseline.megabytesPerSecond.map { String(format: "%.1f MB/s", $0) } ?? "not measured, --reuse-index")
        } else {
            report += "- indexing not measured (--reuse-index): the database as the previous run left it\n"
        }
        let stored = try knowledgeBase.storedBytes()
        report += String(format: "- stored: %.1f MB of tables and indexes; %d documents, %d nodes (%d searchable), %d records\n",
                         Double(stored) / 1_048_576, single.documents, single.nodes, single.searchableNodes, single.records)

        // 2. Queries against the one-writer database: latency, and every page against SQLite's.
        bench.log("running \(queries.count) queries × \(runs) runs against PostgreSQL")
        var latencies: [Double] = []
        var identical = 0
        var shares: [Double] = []
        var differing: [String] = []
        var medians: [(label: String, milliseconds: Double, ranking: PostgresRanking)] = []
        var rankings: [PostgresRanking: Int] = [:]
        for query in queries {
            let request = try query.request()
            let hits = try knowledgeBase.search(request)
            let reference = try sqlite.search(request)
            if hits == reference { identical += 1 } else { differing.append(query.label) }
            // As for SQLite's own pages: the share of the page that FTS5 scores at least as high as its 20th hit.
            let exact = try sqlite.search(request, ranking: .fts5)
            if exact.isEmpty || hits.isEmpty {
                shares.append(exact.isEmpty && hits.isEmpty ? 1 : 0)
            } else {
                let floor = (exact.map(\.score).min() ?? 0) * (1 - 1e-9)
                let good = try sqlite.fts5Scores(request, of: hits).filter { ($0 ?? -.infinity) >= floor }.count
                shares.append(Double(good) / Double(max(hits.count, exact.count)))
            }
            var times: [Double] = []
            for _ in 0..<runs { times.append(try bench.time { _ = try knowledgeBase.search(request) }) }
            latencies += times
            let ranking = try knowledgeBase.ranking(of: request)
            rankings[ranking, default: 0] += 1
            medians.append((query.label, Latency.percentile(times, 0.5), ranking))
        }
        report += String(format: "- queries (top 20 with snippets, %d × %d runs): p50 %.2f ms, p95 %.2f ms, max %.2f ms; SQLite in the same run: p50 %.2f ms, p95 %.2f ms\n",
                         queries.count, runs, Latency.percentile(latencies, 0.5), Latency.percentile(latencies, 0.95),
                         latencies.max() ?? 0, Latency.percentile(baseline.latencies, 0.5), Latency.percentile(baseline.latencies, 0.95))
        report += String(format: "- pages identical to SQLite's (hits, order, scores, snippets, records): %d of %d; agreement with FTS5's top 20: %.3f\n",
                         identical, queries.count, shares.reduce(0, +) / Double(max(shares.count, 1)))
        if !differing.isEmpty { report += "- pages that differ from SQLite's: " + differing.joined(separator: ", ") + "\n" }
        report += "- answered from the term top lists: \(rankings[.termTopLists] ?? 0) of \(queries.count), from the postings: "
            + "\(rankings[.postings] ?? 0), from every GIN candidate: \(rankings[.candidates] ?? 0); slowest (median): "
            + medians.sorted { $0.milliseconds > $1.milliseconds }.prefix(8).map {
                String(format: "%@ %.1f ms (%@)", $0.label, $0.milliseconds, $0.ranking.rawValue)
            }.joined(separator: ", ") + "\n"
        try knowledgeBase.close()
        if let (twoSeconds, double) = twoWriters {
            let same = double.documents == single.documents && double.nodes == single.nodes && double.records == single.records
            report += String(format: "- indexing, 2 writers (processes): %.1f MB in %.1f s: **%.1f MB/s** (%.2f × SQLite's one writer); afterwards %d documents, %d nodes, %d records: %@\n",
                             megabytes, twoSeconds, megabytes / twoSeconds,
                             (megabytes / twoSeconds) / (baseline.megabytesPerSecond ?? .nan),
                             double.documents, double.nodes, double.records,
                             same ? "the same as one writer's, none lost or duplicated" : "DIFFERENT from one writer's")
        }
        return report + "\n"
    }

    private func open() throws -> PostgresKnowledgeBase {
        guard let knowledgeBase = try location.open(for: .writing) as? PostgresKnowledgeBase else {
            throw ValidationErrorText("--db must be a postgres:// URL")
        }
        return knowledgeBase
    }

    /// Runs `count` `plankb index` processes at once; the URL goes in `PLANKB_DB`, never on a command line
    /// (which any user of the machine can read).
    private func runConcurrentIndexers(_ count: Int) throws {
        let executable = URL(fileURLWithPath: PlanKBCommandLine.executablePath())
        var environment = ProcessInfo.processInfo.environment
        environment["PLANKB_DB"] = location.value
        let processes = try (0..<count).map { _ in
            let process = Process()
            process.executableURL = executable
            process.arguments = ["index", corpus, "--quiet"] + (withRecords ? [] : ["--no-records"])
            process.environment = environment
            try process.run()
            return process
        }
        for process in processes {
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw ValidationErrorText("a concurrent plankb index exited with status \(process.terminationStatus)")
            }
        }
    }
}
