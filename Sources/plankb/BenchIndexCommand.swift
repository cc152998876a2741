import ArgumentParser
import Foundation
import PlanCommandLine
import PlanIndex
import PlanKit

struct BenchIndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-index",
        abstract: "Benchmark the knowledge base on a generated scale corpus, against grep.",
        discussion: HelpText.reflow("""
        Steps, all in one run:
        1. Generate a scale corpus of --size-mb MB into --out: copies of --corpus in copy-NNNN/ folders, each with about one digit in twenty changed by a seeded generator
        and a marker paragraph (基准测试副本 K0001F07), so that no two files are byte-identical. An existing corpus with the same parameters is reused.
        2. Index it into a new knowledge base (--out/.plankb-bench-<tokenizer>.sqlite; records only with --with-records). Reports MB/s of input, the time of the single SQLite writer, the process's CPU time, and the knowledge base's size relative to the input and to the text it indexes.
        3. Run 53 fixed queries (1-, 2-, 4-character terms, phrases, Latin/digits, boolean, filtered, rare, common), each --runs times after a warm-up: p50/p95/max latency of the top-20 page with snippets.
        4. Answer the plain term queries with grep -rlF (and rg -lF when installed) over the same files: time ratio, and whether both find the same files.
        5. With --db postgres://…: index the same corpus into that database (emptied first) with one writer and then with two concurrent plankb index processes (MB/s, and whether both give the same documents), run the same queries there (p50/p95) and compare every page with SQLite's.

        Build with -c release. The report is Markdown on standard output; progress goes to standard error.

        Example:
          swift build -c release --static-swift-stdlib \\
            -Xswiftc -Xfrontend \\
            -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors
          .build/release/plankb bench-index --out /tmp/plankb-scale --size-mb 1024
        """)
    ).underPlanKB

    @Option(help: "The real corpus to copy.")
    var corpus = "corpus"

    @Option(help: "Folder for the scale corpus and the benchmark knowledge base.")
    var out: String

    @Option(help: "Size of the scale corpus in MB (1 MB = 1 048 576 bytes).")
    var sizeMb = 1024

    @Option(help: "Timed runs of each query (after one warm-up).")
    var runs = 5

    @Option(help: "How many term queries to compare with grep.")
    var grepQueries = 20

    @Option(help: "Han indexing of the benchmark knowledge base.")
    var tokenizer = IdeographIndexing.bigram

    @Option(help: "Which corpus files to copy, by extension (comma-separated).")
    var formats = "html,txt,md,jsonl"

    @Flag(help: "Also extract records while indexing (off by default: the benchmark measures the index).")
    var withRecords = false

    @Flag(help: "Reuse the knowledge bases from a previous run (skip indexing, SQLite's and PostgreSQL's).")
    var reuseIndex = false

    @Option(help: ArgumentHelp("A PostgreSQL database to benchmark beside SQLite (its plankb tables are emptied first, unless --reuse-index); default $PLANKB_DB when it is a URL.",
                               valueName: "postgres-url"))
    var db: String?

    func run() throws {
        let indexing = tokenizer
        let outRoot = out.hasSuffix("/") ? String(out.dropLast()) : out
        var report = "## Benchmark: \(sizeMb) MB scale corpus\n\n"
        report += "Machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average before the run: \(loadAverage())\n\n"

        // 1. Corpus
        let generationStart = Date()
        let extensions = Set(formats.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        let generated = try ScaleCorpus(corpus: corpus, output: outRoot, targetBytes: sizeMb * 1_048_576,
                                        extensions: extensions).generate(log: log)
        report += "Formats copied: \(extensions.sorted().joined(separator: ", "))\n\n"
        report += String(format: "Scale corpus: %d files, %.1f MB (%@ in %.1f s)\n\n", generated.files,
                         Double(generated.bytes) / 1_048_576, generated.reused ? "reused" : "generated",
                         Date().timeIntervalSince(generationStart))

        // 2. Indexing
        var sqliteMegabytesPerSecond: Double?
        let dbPath = outRoot + "/.plankb-bench-\(indexing.rawValue).sqlite"
        if !reuseIndex {
            try SQLiteFile.remove(dbPath)
            let knowledgeBase = try SQLiteKnowledgeBase(path: dbPath, creatingWith: indexing)
            log("indexing \(outRoot) into \(dbPath)")
            let outcome = try IndexRun(paths: [outRoot], extractRecords: withRecords, showProgress: true).run(into: knowledgeBase)
            let listsStart = Date()
            try knowledgeBase.refreshTermTopLists()
            let listsSeconds = Date().timeIntervalSince(listsStart)
            let optimizeStart = Date()
            try knowledgeBase.optimize()
            let optimizeSeconds = Date().timeIntervalSince(optimizeStart)
            try knowledgeBase.close()
            let megabytes = Double(outcome.bytesWritten) / 1_048_576
            let total = outcome.seconds + listsSeconds + optimizeSeconds
            report += "### Indexing (tokenizer plankb_cjk \(indexing.rawValue), records \(withRecords ? "extracted" : "not extracted"))\n\n"
            sqliteMegabytesPerSecond = megabytes / total
            report += String(format: "- %d files, %d documents, %.1f MB in %.1f s + %.1f s term top lists + %.1f s FTS optimize = %.1f s: **%.1f MB/s** (%.1f MB/s for the documents alone)\n",
                             outcome.written, outcome.documents, megabytes, outcome.seconds, listsSeconds, optimizeSeconds,
                             total, megabytes / total, megabytes / outcome.seconds)
            report += String(format: "- of which %.1f s writing to SQLite (one thread) while %d threads loaded and segmented; CPU time of the process %.1f s\n",
                             outcome.writeSeconds, ProcessInfo.processInfo.activeProcessorCount, cpuSeconds())
            if !outcome.failures.isEmpty {
                report += "- \(outcome.failures.count) files failed, e.g. \(outcome.failures[0].path): \(outcome.failures[0].reason)\n"
            }
        }
        let knowledgeBase = try SQLiteKnowledgeBase(path: dbPath)
        let summary = try knowledgeBase.summary()
        let dbBytes = fileSize(dbPath) + fileSize(dbPath + "-wal")
        let textBytes = try knowledgeBase.searchableTextBytes()
        report += String(format: "- knowledge base: %.1f MB = %.2f × the input, %.2f × the text it indexes (%.1f MB of node text); %d documents, %d nodes (%d searchable)\n\n",
                         Double(dbBytes) / 1_048_576, Double(dbBytes) / Double(max(generated.bytes, 1)),
                         Double(dbBytes) / Double(max(textBytes, 1)), Double(textBytes) / 1_048_576,
                         summary.documents, summary.nodes, summary.searchableNodes)

        // 3. Query latency
        let sources = try ScaleCorpus.sources(corpus, extensions: extensions)
        let textFileIndex = (sources.firstIndex { $0.hasSuffix(".txt") } ?? 0) + 1
        let queries = BenchmarkQueries.list(rareMarkers: [ScaleCorpus.marker(copy: 1, file: textFileIndex),
                                                           ScaleCorpus.marker(copy: 2, file: textFileIndex)])
        log("running \(queries.count) queries × \(runs) runs")
        var latencies: [Double] = []
        var exactLatencies: [Double] = []
        var byCategory: [String: [Double]] = [:]
        var exactByCategory: [String: [Double]] = [:]
        var hitCounts: [String: Int] = [:]
        var fromLists: [String: Int] = [:]
        var agreement: [String: [Double]] = [:]
        var disagreeing: [String] = []
        var slowest: [(label: String, milliseconds: Double, fromLists: Bool)] = []
        for query in queries {
            let request = try query.request()
            let hits = try knowledgeBase.search(request) // warm-up
            let exact = try knowledgeBase.search(request, ranking: .fts5)
            hitCounts[query.label] = hits.count
            let answeredFromLists = try knowledgeBase.answersFromTermTopLists(request)
            if answeredFromLists { fromLists[query.category, default: 0] += 1 }
            // The share of the page that FTS5 ranks as high as its own page's last hit: 1 when both pages are
            // equally good by FTS5's measure. Counting by score, not identity, lets tied rows (the scale
            // corpus's copies of one paragraph) stand in for each other.
            let share: Double
            if exact.isEmpty || hits.isEmpty {
                share = exact.isEmpty && hits.isEmpty ? 1 : 0
            } else {
                let floor = (exact.map(\.score).min() ?? 0) * (1 - 1e-9)
                let scores = try knowledgeBase.fts5Scores(request, of: hits)
                let good = scores.filter { ($0 ?? -.infinity) >= floor }.count
                share = Double(good) / Double(max(hits.count, exact.count))
            }
            agreement[query.category, default: []].append(share)
            if share < 1 { disagreeing.append(String(format: "%@ %.2f", query.label, share)) }
            var own: [Double] = []
            defer { slowest.append((query.label, median(own), answeredFromLists)) }
            for _ in 0..<runs {
                let milliseconds = try time { _ = try knowledgeBase.search(request) }
                own.append(milliseconds)
                latencies.append(milliseconds)
                byCategory[query.category, default: []].append(milliseconds)
                let exactMilliseconds = try time { _ = try knowledgeBase.search(request, ranking: .fts5) }
                exactLatencies.append(exactMilliseconds)
                exactByCategory[query.category, default: []].append(exactMilliseconds)
            }
        }
        report += "### Query latency (top 20 hits with snippets; \(queries.count) queries × \(runs) runs after a warm-up)\n\n"
        report += String(format: "- all: p50 %.2f ms, p95 %.2f ms, max %.2f ms\n", Latency.percentile(latencies, 0.5),
                         Latency.percentile(latencies, 0.95), latencies.max() ?? 0)
        report += String(format: "- baseline in the same run, every query ranked by FTS5 alone: p50 %.2f ms, p95 %.2f ms, max %.2f ms (p95 ratio %.0f×)\n",
                         Latency.percentile(exactLatencies, 0.5), Latency.percentile(exactLatencies, 0.95), exactLatencies.max() ?? 0,
                         Latency.percentile(exactLatencies, 0.95) / max(Latency.percentile(latencies, 0.95), 0.001))
        let allShares = agreement.values.flatMap { $0 }
        report += String(format: "- agreement with FTS5's top 20: %.3f on average (share of the page that FTS5 scores at least as high as its own 20th hit); %d of %d queries agree fully\n",
                         allShares.reduce(0, +) / Double(max(allShares.count, 1)), allShares.filter { $0 == 1 }.count, allShares.count)
        if !disagreeing.isEmpty { report += "- differing: " + disagreeing.joined(separator: ", ") + "\n" }
        report += "- slowest (median): " + slowest.sorted { $0.milliseconds > $1.milliseconds }.prefix(6).map {
            String(format: "%@ %.1f ms (%@)", $0.label, $0.milliseconds, $0.fromLists ? "top lists" : "FTS5")
        }.joined(separator: ", ") + "\n"
        report += "\n| category | queries | from top lists | p50 ms | p95 ms | max ms | FTS5 alone p50 ms | FTS5 alone p95 ms | agreement |\n"
        report += "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        for category in BenchmarkQueries.categories {
            guard let values = byCategory[category], let exactValues = exactByCategory[category] else { continue }
            let shares = agreement[category] ?? []
            report += String(format: "| %@ | %d | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.3f |\n", category, values.count / runs,
                             fromLists[category] ?? 0, Latency.percentile(values, 0.5), Latency.percentile(values, 0.95), values.max() ?? 0,
                             Latency.percentile(exactValues, 0.5), Latency.percentile(exactValues, 0.95),
                             shares.reduce(0, +) / Double(max(shares.count, 1)))
        }
        report += "\n"

        // 5. PostgreSQL, beside these figures (before grep, so that the report keeps its sections together).
        if let location = KnowledgeBaseLocation(option: db), location.backend == PostgresBackend.self {
            report += try PostgresBenchmark(location: location, corpus: outRoot, withRecords: withRecords, runs: runs,
                                          reuse: reuseIndex, bench: self)
                .report(queries: queries, sqlite: knowledgeBase,
                        baseline: .init(megabytesPerSecond: sqliteMegabytesPerSecond, latencies: latencies))
        } else if db != nil {
            throw ValidationError("--db must be a postgres:// URL (the SQLite knowledge base is always benchmarked)")
        }

        // 4. grep
        let termQueries = Array(queries.filter(\.isPlainTerm).prefix(grepQueries))
        let tools = [("grep", "/usr/bin/grep")] + (findExecutable("rg").map { [("rg", $0)] } ?? [])
        report += "### Against \(tools.map(\.0).joined(separator: " and ")) (\(termQueries.count) term queries, same files)\n\n"
        report += "Index time is the top-20 query above (what a user waits for) and, for the same answer as\n"
        report += "`grep -l`, the list of all matching documents.\n\n"
        report += "| term | index top-20 ms | index all docs ms | " + tools.map { "\($0.0) -l ms" }.joined(separator: " | ")
            + " | grep ÷ top-20 | grep ÷ all docs | files: both / grep only / index only |\n"
        report += "|---|---:|---:|" + tools.map { _ in "---:|" }.joined() + "---:|---:|---|\n"
        var ratiosTop: [Double] = []
        var ratiosAll: [Double] = []
        var agreeing = 0
        var explanations: [String: Int] = [:]
        for query in termQueries {
            let request = try query.request()
            let top = median(try (0..<3).map { _ in try time { _ = try knowledgeBase.search(request) } })
            var sourcesFound = Set<String>()
            let all = median(try (0..<3).map { _ in try time { sourcesFound = try knowledgeBase.matchingSources(request) } })
            var toolTimes: [Double] = []
            var grepFiles = Set<String>()
            for (name, path) in tools {
                let caseless = query.text.unicodeScalars.contains { $0.isASCII && $0.properties.isAlphabetic }
                let caseFlag: [String] = caseless ? ["-i"] : []
                let sortedExtensions = extensions.sorted()
                var arguments: [String]
                if name == "grep" {
                    arguments = ["-rlF"] + caseFlag
                    arguments += sortedExtensions.map { "--include=*.\($0)" }
                } else {
                    arguments = ["-lF", "--no-ignore"] + caseFlag
                    arguments += sortedExtensions.flatMap { ["-g", "*.\($0)"] }
                }
                arguments += ["--", query.text, outRoot]
                var files: [String] = []
                let milliseconds = time { files = runTool(path, arguments) }
                toolTimes.append(milliseconds)
                if name == "grep" { grepFiles = Set(files) }
            }
            let both = grepFiles.intersection(sourcesFound).count
            let grepOnlyFiles = grepFiles.subtracting(sourcesFound)
            let grepOnly = grepOnlyFiles.count
            let indexOnly = sourcesFound.subtracting(grepFiles).count
            if grepOnly == 0 && indexOnly == 0 { agreeing += 1 }
            for file in grepOnlyFiles { explanations[Self.whyGrepOnly(file: file, term: query.text), default: 0] += 1 }
            ratiosTop.append(toolTimes[0] / top)
            ratiosAll.append(toolTimes[0] / all)
            report += String(format: "| %@ | %.2f | %.1f | ", query.text, top, all)
                + toolTimes.map { String(format: "%.0f", $0) }.joined(separator: " | ")
                + String(format: " | %.0f× | %.1f× | %d / %d / %d |\n", ratiosTop.last!, ratiosAll.last!, both, grepOnly, indexOnly)
        }
        report += String(format: "\n- median speed-up over grep: %.0f× (top 20), %.1f× (all matching documents)\n",
                         median(ratiosTop), median(ratiosAll))
        report += "- same files found by both: \(agreeing) of \(termQueries.count) terms"
        if !explanations.isEmpty {
            report += "; files only grep lists, by cause: "
                + explanations.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        }
        report += "\n"
        report += "\nHit counts (top-20 page) per query: " + queries.map { "\($0.label) \(hitCounts[$0.label] ?? 0)" }.joined(separator: ", ") + "\n"
        printOut(report)
    }

    /// Why grep lists a file that the index does not find for a term: grep compares bytes, so it "finds" a
    /// UTF-8 term inside the bytes of a GB18030 page where the decoded text does not have it; or the term is only
    /// in what ingest leaves out (markup, navigation, footers). Anything else would be an index defect.
    static func whyGrepOnly(file: String, term: String) -> String {
        guard let data = FileManager.default.contents(atPath: file), let decoded = try? TextDecoder.decode(data) else {
            return "unreadable"
        }
        if !decoded.text.contains(term) { return "byte matches in \(decoded.encoding.rawValue) text" }
        return "term in the page but outside its indexed text (markup, site chrome)"
    }

    func log(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    func loadAverage() -> String {
        ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?").split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// User + system CPU time of this process so far.
    func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now()
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e6
    }

    func median(_ values: [Double]) -> Double { Latency.percentile(values, 0.5) }

    func findExecutable(_ name: String) -> String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs a search tool and returns the file paths it prints, one a line.
    func runTool(_ path: String, _ arguments: [String]) -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return [] }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}

/// The benchmark's fixed query list. Categories follow the issue: 1-, 2- and 4-character terms, phrases,
/// Latin and digits, boolean, filtered, rare and common.
enum BenchmarkQueries {
    struct Query {
        var category: String
        var text: String
        var kinds: [String] = []
        var issuer: String?
        var publishedAfter: String?
        var document: String?

        var label: String {
            text + (kinds.isEmpty ? "" : " --kind \(kinds.joined(separator: ","))") + (issuer.map { " --issuer \($0)" } ?? "")
                + (publishedAfter.map { " --published-after \($0)" } ?? "") + (document.map { " --doc \($0)" } ?? "")
        }

        /// A single word without operators, which grep -F can answer too.
        var isPlainTerm: Bool {
            ["1-char", "2-char", "4-char", "latin/digits", "rare", "common"].contains(category)
        }

        func request() throws -> SearchRequest {
            SearchRequest(query: try SearchQuery(parsing: text), document: document, issuer: issuer,
                          publishedAfter: publishedAfter.flatMap(PublicationDate.init), kinds: kinds.compactMap { NodeKind(rawValue: $0) }, limit: 20)
        }
    }

    static let categories = ["1-char", "2-char", "4-char", "phrase", "latin/digits", "boolean", "filtered", "rare", "common"]

    static func list(rareMarkers: [String]) -> [Query] {
        var queries: [Query] = []
        for term in ["港", "税", "债", "碳", "农", "医", "网", "粮"] { queries.append(Query(category: "1-char", text: term)) }
        for term in ["金融", "电商", "创新", "改革", "就业", "数据", "物流", "海关", "疫情", "养老"] {
            queries.append(Query(category: "2-char", text: term))
        }
        for term in ["营商环境", "跨境电商", "自由贸易", "乡村振兴", "知识产权", "数字经济", "公司章程"] {
            queries.append(Query(category: "4-char", text: term))
        }
        for phrase in ["\"自由贸易试验区\"", "\"高质量发展\"", "\"一带一路\"", "\"制度创新\"", "\"人民代表大会常务委员会\""] {
            queries.append(Query(category: "phrase", text: phrase))
        }
        for term in ["RCEP", "5G", "2025", "GDP"] { queries.append(Query(category: "latin/digits", text: term)) }
        for expression in ["金融 AND 开放", "电商 OR 物流", "改革 NOT 开放", "创新 -科技", "(海关 OR 口岸) 通关", "数字 经济 发展"] {
            queries.append(Query(category: "boolean", text: expression))
        }
        queries.append(Query(category: "filtered", text: "金融", kinds: ["article"]))
        queries.append(Query(category: "filtered", text: "开放", issuer: "国务院"))
        queries.append(Query(category: "filtered", text: "创新", publishedAfter: "2020-01-01"))
        queries.append(Query(category: "filtered", text: "就业", document: "reports"))
        queries.append(Query(category: "filtered", text: "营商环境", kinds: ["paragraph"]))
        for term in rareMarkers + ["冷鲜港", "动物防疫", "反垄断"] { queries.append(Query(category: "rare", text: term)) }
        for term in ["的", "发展", "国家"] { queries.append(Query(category: "common", text: term)) }
        return queries
    }
}
