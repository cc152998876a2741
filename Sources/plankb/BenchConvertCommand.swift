import ArgumentParser
import Foundation
import PlanCommandLine
import PlanIngest

struct BenchConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-convert",
        abstract: "Measure `convert` throughput and peak memory over the corpus repeated to a size, beside xmllint.",
        discussion: HelpText.reflow("""
        Copies the documents under --corpus into WORKDIR/input as many times as it takes to reach --size-mb
        (deterministic; kept for the next run when the size and corpus are unchanged), then for each --jobs
        value runs `plankb convert WORKDIR/input --out WORKDIR/out-jN --force --quiet` as a child process and
        reports MB/s and its peak memory (max RSS from wait4). In the same run it measures the bare libxml2
        parse of the same HTML files — `xmllint --html --noout` (Debian's libxml2-utils), one process and
        then one per job — so the ratio holds on any machine.

        Record extraction is the slowest stage; the benchmark skips it (convert --no-records) unless
        --records is given. Build in release mode first:

          swift build -c release --static-swift-stdlib \\
            -Xswiftc -Xfrontend \\
            -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors
          .build/release/plankb bench-convert /tmp/plankb-bench --size-mb 500
        """)
    ).underPlanKB

    @Argument(help: "The folder to build the repeated corpus and the outputs in.")
    var workDirectory: String

    @Option(name: .long, help: "The folder of documents to repeat.")
    var corpus: String = "corpus"

    @Option(name: .long, help: "The size to repeat the corpus to, in MB (10^6 bytes).")
    var sizeMB: Int = 500

    @Option(name: .long, help: "The --jobs values to measure, comma-separated.")
    var jobs: String = "1,2"

    @Flag(name: .long, help: "Run record extraction too (much slower).")
    var records = false

    @Option(name: .long, help: "Outputs to write, as convert --to.")
    var to = CommaList(ConvertFormat.defaults)

    @Flag(name: .long, help: "Keep each run's output folder (by default removed after it is measured, to save disk).")
    var keepOutputs = false

    func validate() throws {
        guard sizeMB >= 1 else { throw ValidationError("--size-mb must be at least 1") }
        guard !jobValues.isEmpty, jobValues.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--jobs takes numbers ≥ 1, e.g. 1,2") }
    }

    private var jobValues: [Int] { jobs.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func run() throws {
        let work = URL(fileURLWithPath: workDirectory)
        let input = work.appendingPathComponent("input")
        let (files, bytes) = try buildRepeatedCorpus(in: input)
        let html = files.filter { ["html", "htm", "shtml"].contains(($0 as NSString).pathExtension.lowercased()) }
        let htmlBytes = html.reduce(0) { $0 + fileSize($1) }
        print(String(format: "input: %d files, %.1f MB (%d HTML files, %.1f MB) in ", files.count, Double(bytes) / 1e6,
                     html.count, Double(htmlBytes) / 1e6) + input.path)
        print("convert --to \(to.defaultValueDescription)\(records ? "" : " --no-records")")
        let executable = PlanKBCommandLine.executablePath()
        for jobCount in jobValues {
            let out = work.appendingPathComponent("out-j\(jobCount)")
            var arguments = ["convert", input.path, "--out", out.path, "--force", "--quiet", "--jobs", String(jobCount), "--to", to.defaultValueDescription]
            if !records { arguments.append("--no-records") }
            let log = work.appendingPathComponent("convert-j\(jobCount).log")
            let measured = try Self.measure(executable, arguments, stdout: log.path)
            let summary = (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n").first.map(String.init) ?? ""
            // The outputs are several times the input's size; they go before the next run writes its own.
            if !keepOutputs { try? FileManager.default.removeItem(at: out) }
            print(String(format: "plankb convert --jobs %d: %.2f MB/s (%.1f s; %.1f s CPU, %.2f MB per CPU second), peak memory %d MB, exit %d — ",
                         jobCount, Double(bytes) / 1e6 / measured.seconds, measured.seconds, measured.cpuSeconds,
                         Double(bytes) / 1e6 / measured.cpuSeconds, measured.maxRSSKilobytes / 1024, measured.status) + summary)
        }
        guard !html.isEmpty else { return }
        guard let xmllint = Self.which("xmllint") else {
            print("xmllint not found (apt-get install libxml2-utils): no baseline")
            return
        }
        for processes in Set(jobValues).sorted() {
            let measured = try Self.measureXmllint(xmllint, html, processes: processes)
            print(String(format: "xmllint --html --noout, %d at once: %.2f MB/s of HTML (%.1f s; %.1f s CPU, %.2f MB per CPU second), peak memory %d MB",
                         processes, Double(htmlBytes) / 1e6 / measured.seconds, measured.seconds, measured.cpuSeconds,
                         Double(htmlBytes) / 1e6 / measured.cpuSeconds, measured.maxRSSKilobytes / 1024))
        }
    }

    // MARK: the repeated corpus

    /// Copies the corpus into `folder` as `copy-0001/…`, `copy-0002/…` until `sizeMB` is reached. A marker
    /// file records what was built, so a second benchmark reuses it.
    private func buildRepeatedCorpus(in folder: URL) throws -> (files: [String], bytes: Int) {
        let sources = DocumentFiles.find(under: [corpus], excluding: ExcludedPaths(patterns: ["gold"])).files
            .map { URL(fileURLWithPath: $0.path) }
        guard !sources.isEmpty else { throw ValidationError("no documents under \(corpus)") }
        let corpusBytes = sources.reduce(0) { $0 + fileSize($1.path) }
        let copies = (sizeMB * 1_000_000 + corpusBytes - 1) / corpusBytes
        let marker = folder.appendingPathComponent(".plankb-bench")
        let description = "\(copies) copies of \(sources.count) files, \(corpusBytes) bytes, from \(corpus)\n"
        if (try? String(contentsOf: marker, encoding: .utf8)) != description {
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let root = URL(fileURLWithPath: corpus).standardizedFileURL.path
            for copy in 1...copies {
                let copyFolder = folder.appendingPathComponent(String(format: "copy-%04d", copy))
                for source in sources {
                    let relative = String(source.standardizedFileURL.path.dropFirst(root.count + 1))
                    let target = copyFolder.appendingPathComponent(relative)
                    try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try FileManager.default.copyItem(at: source, to: target)
                }
            }
            try description.write(to: marker, atomically: true, encoding: .utf8)
        }
        let files = DocumentFiles.find(under: [folder.path]).files.map(\.path)
        return (files, files.reduce(0) { $0 + fileSize($1) })
    }

    private func fileSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    // MARK: measuring child processes

    struct Measurement {
        var seconds: Double
        /// User + system CPU time: on a shared machine, the figure that does not depend on the neighbours.
        var cpuSeconds: Double
        var maxRSSKilobytes: Int
        var status: Int32
    }

    static func cpuSeconds(_ usage: rusage) -> Double {
        Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// Runs a program to its end; wall time, and its own peak memory from `wait4` (not the sum of children
    /// measured so far, as RUSAGE_CHILDREN would give).
    static func measure(_ executable: String, _ arguments: [String], stdout: String = "/dev/null") throws -> Measurement {
        let start = DispatchTime.now()
        let pid = try spawn(executable, arguments, stdout: stdout)
        let (status, usage) = waitFor(pid)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return Measurement(seconds: seconds, cpuSeconds: cpuSeconds(usage), maxRSSKilobytes: Int(usage.ru_maxrss), status: status)
    }

    /// xmllint over the files in batches (an argument list has a limit), split over `processes` at once.
    static func measureXmllint(_ xmllint: String, _ files: [String], processes: Int) throws -> Measurement {
        let batchSize = 200
        let share = (files.count + processes - 1) / processes
        let start = DispatchTime.now()
        var peak = 0
        var cpu = 0.0
        let shares = stride(from: 0, to: files.count, by: share).map { Array(files[$0..<min($0 + share, files.count)]) }
        // Each share runs its batches one after another; the shares run side by side.
        var running: [(pid: pid_t, remaining: ArraySlice<[String]>)] = []
        for list in shares {
            var batches = stride(from: 0, to: list.count, by: batchSize).map { Array(list[$0..<min($0 + batchSize, list.count)]) }[...]
            let first = batches.removeFirst()
            running.append((try spawn(xmllint, ["--html", "--noout", "--nowarning"] + first, stdout: "/dev/null", stderr: "/dev/null"), batches))
        }
        while !running.isEmpty {
            var usage = rusage()
            var status: Int32 = 0
            let pid = wait4(-1, &status, 0, &usage)
            guard pid > 0, let index = running.firstIndex(where: { $0.pid == pid }) else { break }
            peak = max(peak, Int(usage.ru_maxrss))
            cpu += cpuSeconds(usage)
            if let batch = running[index].remaining.popFirst() {
                running[index].pid = try spawn(xmllint, ["--html", "--noout", "--nowarning"] + batch, stdout: "/dev/null", stderr: "/dev/null")
            } else {
                running.remove(at: index)
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return Measurement(seconds: seconds, cpuSeconds: cpu, maxRSSKilobytes: peak, status: 0)
    }

    private static func spawn(_ executable: String, _ arguments: [String], stdout: String, stderr: String? = nil) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let stderr { posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard result == 0 else { throw ValidationError("cannot start \(executable): error \(result)") }
        return pid
    }

    private static func waitFor(_ pid: pid_t) -> (status: Int32, usage: rusage) {
        var usage = rusage()
        var status: Int32 = 0
        while wait4(pid, &status, 0, &usage) < 0, errno == EINTR {}
        // WEXITSTATUS: the exit code sits in the second byte.
        return ((status >> 8) & 0xff, usage)
    }

    static func which(_ tool: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let path = "\(directory)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}
