import ArgumentParser
import Foundation
import PlanCommandLine
import PlanIndex
import PlanWeb

struct ServeCommand: ParsableCommand {
    static let configuration = ServerCommands.serve

    @OptionGroup var database: DatabaseOption

    @Option(help: "The address to listen on; 0.0.0.0 opens the server to the network.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 8080

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() throws {
        let knowledgeBase = try database.open(for: .serving)
        let host = self.host
        let application = PlanWebApplication.application(knowledgeBase: knowledgeBase, host: host, port: port) { port in
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
