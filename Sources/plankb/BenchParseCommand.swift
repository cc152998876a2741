import ArgumentParser
import Foundation
import PlanCommandLine
import PlanIngest
import PlanKit

struct BenchParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-parse",
        abstract: "Measure parsing speed over the corpus, per format, beside external tools' floor on the same files.",
        discussion: HelpText.reflow("""
        Parses every document under FOLDER --repeat times in this process and reports MB/s, overall and per
        format (grouped by the reader that takes each file). Beside each format it runs, over the same files
        the same number of times, the floor an external tool sets: `xmllint --html --noout` for HTML
        (libxml2-utils), `pdftotext` for PDF (poppler-utils), `unzip -p F word/document.xml | xmllint --noout -`
        for DOCX, unpacking an OFD and `xmllint --noout` over its XML parts (unzip, libxml2-utils); and prints
        the ratio (DOC has none: its floor is LibreOffice's own conversion, which plankb runs). Both sides are
        measured in the same run, so the ratios hold on any machine. Build in release mode first:

          swift build -c release --static-swift-stdlib \\
            -Xswiftc -Xfrontend \\
            -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors
          .build/release/plankb bench-parse corpus --repeat 5
        """)
    ).underPlanKB

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
        let allBytes = contents.reduce(0) { $0 + $1.1.count }
        // Grouped by the reader that takes each file, as `DocumentLoader` picks it.
        var byFormat: [InputFormat: [(URL, Data)]] = [:]
        for (url, data) in contents {
            byFormat[InputFormat.detect(data, pathExtension: url.pathExtension), default: []].append((url, data))
        }

        func parseAll(_ set: [(URL, Data)], stages: DocumentLoader.Stages, repetitions: Int) -> (seconds: Double, nodes: Int, failures: Int) {
            var nodes = 0
            var failures = 0
            let start = DispatchTime.now()
            for _ in 0..<repetitions {
                for (url, data) in set {
                    do {
                        let documents = try DocumentLoader.load(data: data, source: url.path, pathExtension: url.pathExtension,
                                                                fileURL: url, stages: stages)
                        nodes += documents.reduce(0) { $0 + $1.root.descendants.count }
                    } catch {
                        failures += 1
                    }
                }
            }
            return (seconds(since: start), nodes, failures)
        }

        print("corpus: \(files.count) files, \(format(megabytes: allBytes)); \(`repeat`) repetitions")
        let all = parseAll(contents, stages: .treeOnly, repetitions: `repeat`)
        print("plankb parse (tree), all formats: \(rate(allBytes * `repeat`, all.seconds)) (\(String(format: "%.2f", all.seconds)) s, \(all.nodes / `repeat`) nodes a pass, \(all.failures / `repeat`) unreadable files)")
        let withRecords = parseAll(contents, stages: .all, repetitions: 1)
        print("plankb parse + records (one pass): \(rate(allBytes, withRecords.seconds)) (\(String(format: "%.2f", withRecords.seconds)) s)")

        // Each format on its own, beside the floor an external tool sets for the same files in the same run.
        print("by format (tree stages; PDF and DOC include their converter processes):")
        for (inputFormat, set) in byFormat.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            let bytes = set.reduce(0) { $0 + $1.1.count } * `repeat`
            let run = parseAll(set, stages: .treeOnly, repetitions: `repeat`)
            let plankbRate = Double(bytes) / max(run.seconds, 1e-9)
            var line = "  \(inputFormat.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)) \(String(format: "%4d", set.count)) files \(format(megabytes: bytes / `repeat`)): \(rate(bytes, run.seconds))"
            if run.failures > 0 { line += " (\(run.failures / `repeat`) unreadable)" }
            if let baseline = try baseline(for: inputFormat, files: set.map(\.0)) {
                let baselineSeconds = try timed(`repeat`) { try baseline.run() }
                let baselineRate = Double(bytes) / max(baselineSeconds, 1e-9)
                line += "; \(baseline.name): \(rate(bytes, baselineSeconds)) → ratio " + String(format: "%.2f", plankbRate / baselineRate)
            }
            print(line)
        }
        print("(ratios: plankb decodes, finds the layout or strips chrome, segments and builds the tree; the floors only parse or extract text)")
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print("peak memory (max RSS): \(usage.ru_maxrss / 1024) MB")
    }

    /// The external floor of a format: a tool that does less than plankb over the same files.
    private struct Baseline {
        var name: String
        var run: () throws -> Void
    }

    private func baseline(for inputFormat: InputFormat, files: [URL]) throws -> Baseline? {
        switch inputFormat.rawValue {
        case "html":
            guard let xmllint = which("xmllint") else { return missing("xmllint", "libxml2-utils") }
            return Baseline(name: "xmllint --html --noout") {
                try runTool(xmllint, ["--html", "--noout", "--nowarning"] + files.map(\.path))
            }
        case "pdf":
            guard let pdftotext = which("pdftotext") else { return missing("pdftotext", "poppler-utils") }
            return Baseline(name: "pdftotext") {
                for file in files { try runTool(pdftotext, ["-q", file.path, "-"]) }
            }
        case "docx":
            guard which("unzip") != nil, which("xmllint") != nil else { return missing("unzip and xmllint", "unzip libxml2-utils") }
            return Baseline(name: "unzip -p … word/document.xml | xmllint --noout -") {
                for file in files {
                    try runTool("/bin/sh", ["-c", "unzip -p \"$1\" word/document.xml | xmllint --noout -", "sh", file.path])
                }
            }
        case "ofd":
            guard which("unzip") != nil, which("xmllint") != nil else { return missing("unzip and xmllint", "unzip libxml2-utils") }
            // The floor of a ZIP of XML parts: unpack the package and parse every part, nothing more.
            return Baseline(name: "unzip -d … && xmllint --noout every .xml part") {
                for file in files {
                    try runTool("/bin/sh", ["-c", "d=$(mktemp -d) && unzip -qq \"$1\" -d \"$d\" && find \"$d\" -name '*.xml' -exec xmllint --noout {} +; rm -rf \"$d\"",
                                            "sh", file.path])
                }
            }
        default:
            return nil
        }
    }

    private func missing(_ tool: String, _ package: String) -> Baseline? {
        print("  (\(tool) not found, apt-get install \(package): no baseline)")
        return nil
    }

    private func runTool(_ path: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
    }

    private func timed(_ repetitions: Int, _ body: () throws -> Void) throws -> Double {
        let start = DispatchTime.now()
        for _ in 0..<repetitions { try body() }
        return seconds(since: start)
    }

    private func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
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
