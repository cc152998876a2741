import ArgumentParser
import Foundation
import PlanIngest
import PlanKit

struct BenchParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-parse",
        abstract: "Measure parsing speed over the corpus, beside xmllint's bare HTML parse of the same files.",
        discussion: """
        Parses every document under FOLDER (HTML, text, Markdown, JSON Lines) --repeat times in this process
        and reports MB/s, then runs `xmllint --html --noout` (Debian's libxml2-utils) over the same HTML files
        the same number of times and reports the ratio. Both are measured in the same run, so the ratio holds
        on any machine. Build in release mode first:

          swift build -c release && .build/release/plankb bench-parse corpus --repeat 5
        """
    )

    @Argument(help: "The folder of documents to parse.")
    var folder: String = "corpus"

    @Option(name: .long, help: "How many times to parse the whole folder.")
    var `repeat`: Int = 5

    func validate() throws {
        guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1") }
    }

    func run() throws {
        // corpus/gold holds answer keys (JSON Lines of annotations), not documents.
        let files = DocumentFiles.find(under: [folder], excluding: ExcludedPaths(patterns: ["gold"])).files
            .map { URL(fileURLWithPath: $0.path) }
        guard !files.isEmpty else { throw ValidationError("no documents under \(folder)") }
        let contents = try files.map { ($0, try Data(contentsOf: $0)) }
        let html = contents.filter { ["html", "htm"].contains($0.0.pathExtension.lowercased()) }
        let allBytes = contents.reduce(0) { $0 + $1.1.count }
        let htmlBytes = html.reduce(0) { $0 + $1.1.count }

        func parseAll(_ set: [(URL, Data)], stages: DocumentLoader.Stages, repetitions: Int) -> (seconds: Double, nodes: Int, failures: Int) {
            var nodes = 0
            var failures = 0
            let start = DispatchTime.now()
            for _ in 0..<repetitions {
                for (url, data) in set {
                    do {
                        let documents = try DocumentLoader.load(data: data, source: url.path, pathExtension: url.pathExtension,
                                                                stages: stages)
                        nodes += documents.reduce(0) { $0 + $1.root.descendants.count }
                    } catch {
                        failures += 1
                    }
                }
            }
            return (Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9, nodes, failures)
        }

        print("corpus: \(files.count) files, \(format(megabytes: allBytes)) (\(html.count) HTML files, \(format(megabytes: htmlBytes))); \(`repeat`) repetitions")
        let all = parseAll(contents, stages: .treeOnly, repetitions: `repeat`)
        print("plankb parse (tree), all formats: \(rate(allBytes * `repeat`, all.seconds)) (\(String(format: "%.2f", all.seconds)) s, \(all.nodes / `repeat`) nodes a pass, \(all.failures / `repeat`) unreadable files)")
        let withRecords = parseAll(contents, stages: .all, repetitions: 1)
        print("plankb parse + records (one pass): \(rate(allBytes, withRecords.seconds)) (\(String(format: "%.2f", withRecords.seconds)) s)")
        guard !html.isEmpty else { return }
        let htmlRun = parseAll(html, stages: .treeOnly, repetitions: `repeat`)
        let plankbRate = Double(htmlBytes * `repeat`) / htmlRun.seconds
        print("plankb parse (tree), HTML only: \(rate(htmlBytes * `repeat`, htmlRun.seconds)) (\(String(format: "%.2f", htmlRun.seconds)) s)")

        guard let xmllint = which("xmllint") else {
            print("xmllint not found (apt-get install libxml2-utils): no baseline")
            return
        }
        let start = DispatchTime.now()
        for _ in 0..<`repeat` {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: xmllint)
            process.arguments = ["--html", "--noout", "--nowarning"] + html.map { $0.0.path }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
        }
        let xmllintSeconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let xmllintRate = Double(htmlBytes * `repeat`) / xmllintSeconds
        print("xmllint --html --noout:    \(rate(htmlBytes * `repeat`, xmllintSeconds)) (\(String(format: "%.2f", xmllintSeconds)) s)")
        print(String(format: "ratio plankb/xmllint on HTML: %.2f (plankb decodes, strips chrome, segments and builds the tree; xmllint only parses)",
                     plankbRate / xmllintRate))
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print("peak memory (max RSS): \(usage.ru_maxrss / 1024) MB")
    }

    private func rate(_ bytes: Int, _ seconds: Double) -> String {
        String(format: "%.1f MB/s", Double(bytes) / 1_000_000 / max(seconds, 1e-9))
    }

    private func format(megabytes bytes: Int) -> String { String(format: "%.2f MB", Double(bytes) / 1_000_000) }

    private func which(_ tool: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}
