import ArgumentParser
import Foundation
import PlanCommandLine
import PlanMCP

struct MCPCommand: ParsableCommand {
    static let configuration = ServerCommands.mcp

    /// What the server announces to clients at initialization (the package has no release numbers yet).
    static let serverVersion = PlanKBCommandLine.version

    @OptionGroup var options: MCPOptions

    func run() throws {
        let knowledgeBase = try options.database.open(for: .serving)
        final class Outcome: @unchecked Sendable { var error: (any Error)? }
        let outcome = Outcome()
        let finished = DispatchSemaphore(value: 0)
        Task {
            do {
                try await PlanKBServer.run(knowledgeBase, version: Self.serverVersion)
            } catch {
                outcome.error = error
            }
            finished.signal()
        }
        finished.wait()
        if let error = outcome.error { throw error }
    }
}
