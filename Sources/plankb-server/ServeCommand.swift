import ArgumentParser
import Foundation
import PlanCommandLine
import PlanIndex
import PlanWeb

struct ServeCommand: ParsableCommand {
    static let configuration = ServerCommands.serve

    @OptionGroup var options: ServeOptions

    func run() throws {
        let knowledgeBase = try options.database.open(for: .serving)
        let host = options.host
        let application = PlanWebApplication.application(knowledgeBase: knowledgeBase, host: host, port: options.port) { port in
            FileHandle.standardError.write(Data("plankb serve: http://\(host):\(port)/ (Ctrl-C to stop)\n".utf8))
        }
        // The command line is synchronous; the server runs on Swift's concurrency pool until it is stopped
        // (SIGINT or SIGTERM shut it down gracefully).
        let finished = DispatchSemaphore(value: 0)
        let outcome = ServeOutcome()
        Task {
            do { try await application.runService() } catch { outcome.record(error) }
            finished.signal()
        }
        finished.wait()
        if let error = outcome.error {
            FileHandle.standardError.write(Data("plankb serve: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// The error the server stopped with, handed from its task to the waiting command.
private final class ServeOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?

    func record(_ error: Error) { lock.withLock { stored = error } }
    var error: Error? { lock.withLock { stored } }
}
