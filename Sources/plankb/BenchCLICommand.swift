import ArgumentParser
import Foundation
import PlanCommandLine
import PlanIndex

/// `plankb bench-cli`: what a query costs as a user runs it — a new `plankb query` process per query — against
/// the process start-up alone (`plankb --version`) and the same searches in one process, all in one run.
struct BenchCLICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-cli",
        abstract: "Benchmark plankb query as a command: each query a new process, beside the bare start-up.",
        discussion: HelpText.reflow("""
        Runs, in one run and in turn (so that the machine's load touches all alike):
          1. the start-up alone: `plankb --version` (the Swift runtime, the argument parser, no knowledge base);
          2. each of the fixed benchmark queries (terms of 1, 2 and 4 characters, phrases, Latin and digits, \
        boolean, filtered, rare, common — bench-index's list) as `plankb query Q --db KB --limit 20`, writing the \
        table to /dev/null, each --runs times after a warm-up run;
          3. the same searches in this process on a knowledge base opened once, and the opening alone.
        Reports p50/p95/max of each and what a query adds above the start-up (goal: p95 of the query commands \
        no more than 10 ms above the start-up's p50). The binary measured is this one.

        Example:
          plankb index corpus --db kb.sqlite --exclude gold && plankb bench-cli --db kb.sqlite --runs 5
        """)
    ).underPlanKB

    @OptionGroup var database: DatabaseOption

    @Option(help: "How many times each command runs after its warm-up.")
    var runs = 5

    func run() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        let executable = PlanKBCommandLine.executablePath()
        let queries = BenchmarkQueries.list(rareMarkers: [])
        // The children find the knowledge base in PLANKB_DB, so that a password never stands in their arguments.
        setenv(KnowledgeBaseLocation.environmentVariable, database.location.value, 1)
        var startup: [Double] = [], commands: [Double] = [], byQuery: [(label: String, seconds: [Double])] = []
        // Start-up and queries interleaved, so that a change of load during the run touches both.
        for query in queries {
            let arguments = ["query", query.text] + Self.filterArguments(query) + ["--limit", "20"]
            let warmUp = try BenchConvertCommand.measure(executable, arguments)
            guard warmUp.status == 0 else {
                throw ValidationError("plankb query \(query.label) exited with status \(warmUp.status)")
            }
            guard try BenchConvertCommand.measure(executable, ["--version"]).status == 0 else {
                throw ValidationError("plankb --version failed")
            }
            var seconds: [Double] = []
            for _ in 0..<runs {
                startup.append(try BenchConvertCommand.measure(executable, ["--version"]).seconds)
                seconds.append(try BenchConvertCommand.measure(executable, arguments).seconds)
            }
            commands += seconds
            byQuery.append((query.label, seconds))
        }
        // In this process: the knowledge base opened once, then the same searches; and the opening alone.
        var opening: [Double] = [], searches: [Double] = []
        for _ in 0..<runs {
            let started = DispatchTime.now()
            _ = try database.open()
            opening.append(Self.seconds(since: started))
        }
        let knowledgeBase = try database.open()
        for query in queries {
            let request = try query.request()
            _ = try knowledgeBase.searchExpandingAbbreviations(request)
            for _ in 0..<runs {
                let started = DispatchTime.now()
                _ = try knowledgeBase.searchExpandingAbbreviations(request)
                searches.append(Self.seconds(since: started))
            }
        }

        let base = Latency.percentile(startup, 0.5)
        var report = "## bench-cli: \(queries.count) queries × \(runs) runs on \(database.location), \(executable)\n\n"
        report += "| what | p50 ms | p95 ms | max ms |\n|---|---|---|---|\n"
        for (name, values) in [("start-up alone (`plankb --version`)", startup), ("`plankb query … --limit 20` (a new process each)", commands),
                               ("the same searches in one process", searches), ("opening the knowledge base in-process", opening)] {
            report += "| \(name) | " + String(format: "%.1f | %.1f | %.1f |\n", Latency.percentile(values, 0.5) * 1000,
                                                  Latency.percentile(values, 0.95) * 1000, (values.max() ?? 0) * 1000)
        }
        report += String(format: "\nAbove the start-up's p50 (%.1f ms): query commands p50 +%.1f ms, p95 +%.1f ms (goal: p95 ≤ +10 ms).\n",
                         base * 1000, (Latency.percentile(commands, 0.5) - base) * 1000, (Latency.percentile(commands, 0.95) - base) * 1000)
        report += "\nSlowest query commands (median of their runs):\n"
        for entry in byQuery.sorted(by: { Latency.percentile($0.seconds, 0.5) > Latency.percentile($1.seconds, 0.5) }).prefix(5) {
            report += "- \(entry.label): " + String(format: "%.1f ms\n", Latency.percentile(entry.seconds, 0.5) * 1000)
        }
        print(report, terminator: "")
    }

    /// The command-line options of a benchmark query's filters.
    static func filterArguments(_ query: BenchmarkQueries.Query) -> [String] {
        var arguments: [String] = []
        if !query.kinds.isEmpty { arguments += ["--kind", query.kinds.joined(separator: ",")] }
        if let issuer = query.issuer { arguments += ["--issuer", issuer] }
        if let after = query.publishedAfter { arguments += ["--published-after", after] }
        if let document = query.document { arguments += ["--doc", document] }
        return arguments
    }

    static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}

/// Percentiles of measured times, as every benchmark reports them.
enum Latency {
    /// The nearest-rank percentile (`fraction` 0.95 for p95); 0 for no values.
    static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count) * fraction).rounded(.up)) - 1))]
    }
}
