import Foundation
import PlanKit

/// A program PlanKB runs as a separate process (poppler's `pdftohtml`, LibreOffice's `soffice`): found on the
/// PATH at run time, run with a time limit, its output collected.
///
/// Running them as processes, not linking them, keeps PlanKB's own licence free of theirs (poppler is GPL)
/// and keeps a crash or a hang in a converter from taking the batch down with it.
public struct ExternalTool: Sendable {
    /// The program's name (`pdftohtml`).
    public var name: String
    /// The Debian package that installs it, for the error when it is missing.
    public var package: String
    /// What it is needed for, for the same error ("reading PDF").
    public var purpose: String

    public init(name: String, package: String, purpose: String) {
        self.name = name
        self.package = package
        self.purpose = purpose
    }

    /// The program's path, searched on PATH (then /usr/bin); nil when it is not installed.
    public var path: String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
            + ["/usr/bin", "/usr/local/bin"]
        for directory in directories {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// What a run gave.
    public struct Output: Sendable {
        public var status: Int32
        public var standardOutput: Data
        public var standardError: String
    }

    /// Runs the program with `arguments`; throws `missingTool` when it is not installed and `malformed`
    /// (`ingest.converter-timeout`) when it runs past `timeout` seconds (it is then killed, with its children).
    public func run(_ arguments: [String], timeout: Double, source: String,
                    environment: [String: String]? = nil, currentDirectory: URL? = nil) throws -> Output {
        guard let path else { throw IngestError.missingTool(tool: name, package: package, purpose: purpose) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice

        // Both pipes are drained while the program runs, so that a full pipe never blocks it.
        let collected = Collected()
        let group = DispatchGroup()
        for (pipe, isOutput) in [(output, true), (errors, false)] {
            group.enter()
            DispatchQueue.global().async {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.set(data, isOutput: isOutput)
                group.leave()
            }
        }
        do {
            try process.run()
        } catch {
            throw IngestError.unreadable("\(source): cannot start \(name): \(error)")
        }
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        if !process.isRunning { finished.signal() }
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            kill(-process.processIdentifier, SIGKILL)
            process.terminate()
            kill(process.processIdentifier, SIGKILL)
            _ = finished.wait(timeout: .now() + 5)
            _ = group.wait(timeout: .now() + 5)
            throw IngestError.malformed(id: "ingest.converter-timeout",
                                        detail: "\(source): \(name) did not finish within \(Int(timeout)) s; stopped")
        }
        group.wait()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, standardOutput: collected.output,
                      standardError: String(decoding: collected.errors, as: UTF8.self))
    }
}

/// The two streams of a run, filled from two threads.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var outputData = Data()
    private var errorData = Data()
    func set(_ data: Data, isOutput: Bool) {
        lock.lock()
        defer { lock.unlock() }
        if isOutput { outputData = data } else { errorData = data }
    }
    var output: Data { lock.lock(); defer { lock.unlock() }; return outputData }
    var errors: Data { lock.lock(); defer { lock.unlock() }; return errorData }
}

/// A private temporary folder, removed when the value is released.
public final class TemporaryFolder: @unchecked Sendable {
    public let url: URL
    public init(prefix: String = "plankb") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
}
