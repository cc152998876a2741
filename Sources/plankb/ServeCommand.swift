import ArgumentParser
import Foundation
import PlanIndex
import PlanWeb

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a knowledge base on the web: search, read documents, compare versions, JSON API.",
        discussion: HelpText.reflow("""
        Pages: /  (search box), /search?q=…, /documents, /documents/{key}, /compare.
        JSON:  /api/search?q=…  (hits as plankb query --json writes them), /api/documents,
               /api/documents/{key}, /api/documents/{key}/records[?format=csv], /api/diff?old=KEY&new=KEY.
        A document key is its source path, percent-encoded as one path segment (/ as %2F).
        The server binds to loopback (127.0.0.1) unless --host says otherwise; it only reads the knowledge base
        (a file, or a PostgreSQL database through a pool of connections).
        Stop it with Ctrl-C.

        Examples:
          plankb serve --db kb.sqlite
          plankb serve --db kb.sqlite --port 9000
          PLANKB_DB=postgres://plankb@db.example.org/plankb plankb serve --host 0.0.0.0
          curl 'http://127.0.0.1:8080/api/search?q=跨境电商&limit=5'
        """)
    ).underPlanKB

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
