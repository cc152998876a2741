import Foundation
import PlanKit

/// Reports a run's progress on standard error: on a terminal one line rewritten in place (files done/total,
/// MB/s, ETA, failures so far), otherwise one plain line per file, for logs; silent with `--quiet`.
final class ConvertProgress: @unchecked Sendable {
    enum Style { case terminal, lines, quiet }

    let style: Style
    let totalFiles: Int
    let totalBytes: Int
    private let start = DispatchTime.now()
    private let lock = NSLock()
    private var done = 0
    private var bytesDone = 0
    private var failures = 0
    private var lastDraw: UInt64 = 0

    init(style: Style, totalFiles: Int, totalBytes: Int) {
        self.style = style
        self.totalFiles = totalFiles
        self.totalBytes = totalBytes
    }

    /// Terminal when standard error is one, else lines; quiet wins.
    static func style(quiet: Bool) -> Style {
        quiet ? .quiet : (isatty(STDERR_FILENO) == 1 ? .terminal : .lines)
    }

    var elapsedSeconds: Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }

    func finished(_ input: ConvertInput, outcome: InputOutcome) {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        if case .failed = outcome { failures += 1 }
        bytesDone += outcome.entry?.bytes ?? input.bytes
        switch style {
        case .quiet:
            return
        case .lines:
            let width = String(totalFiles).count
            let count = String(repeating: " ", count: width - String(done).count) + "\(done)/\(totalFiles)"
            write("[\(count)] \(input.path): \(Self.describe(outcome, of: input.path))\n")
        case .terminal:
            // At most ten redraws a second: a fast run over small files would spend its time printing.
            let now = DispatchTime.now().uptimeNanoseconds
            guard done == totalFiles || now - lastDraw > 100_000_000 else { return }
            lastDraw = now
            write("\r\u{1B}[2K" + statusLine())
        }
    }

    /// Ends the terminal line so the summary starts on its own.
    func close() {
        if style == .terminal { write("\n") }
    }

    private func statusLine() -> String {
        let seconds = elapsedSeconds
        let rate = Double(bytesDone) / 1_000_000 / max(seconds, 1e-3)
        var line = "converting \(done)/\(totalFiles) files · " + String(format: "%.2f MB/s", rate)
        if bytesDone > 0, done < totalFiles {
            let remaining = Double(totalBytes - bytesDone) / max(Double(bytesDone) / max(seconds, 1e-3), 1)
            line += " · ETA " + Self.clock(remaining)
        }
        if failures > 0 { line += " · \(failures) failed" }
        return line
    }

    static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return whole >= 3600 ? String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
            : String(format: "%d:%02d", whole / 60, whole % 60)
    }

    static func describe(_ outcome: InputOutcome, of path: String) -> String {
        switch outcome {
        case .converted(let entry):
            let documents = entry.documents == 1 ? "1 document" : "\(entry.documents) documents"
            return "converted, \(documents)" + (entry.documentsWithWarnings > 0 ? ", \(entry.documentsWithWarnings) with warnings" : "")
        case .upToDate:
            return "up to date"
        case .failed(let reason, let id):
            return "failed: \(IngestError.message(reason, after: path)) (\(id))"
        }
    }

    private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}
