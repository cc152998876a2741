import ArgumentParser
import Foundation
import PlanMCP

struct MCPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve a knowledge base to LLM agents: a Model Context Protocol server on standard input and output.",
        discussion: HelpText.reflow("""
        An MCP client (Claude Desktop, an agent framework, the MCP Python SDK) starts this command and talks
        JSON-RPC to it over stdio. Tools: search (the query language of plankb query, with its filters; hits
        cite document, node id, heading path and matched text), read_node (a node with its context or
        children), records (targets, measures, achievements with quantities and years), documents (the list
        with metadata). Resources: plankb://doc/KEY (a document as Markdown) and plankb://doc/KEY#NODE.
        The server only reads the file.

        Client configuration (Claude Desktop's claude_desktop_config.json):
          {"mcpServers": {"plankb": {"command": "plankb",
                                     "args": ["mcp", "--db", "/path/to/kb.sqlite"]}}}
        """)
    ).underPlanKB

    /// What the server announces to clients at initialization (the package has no release numbers yet).
    static let serverVersion = PlanKB.version

    @OptionGroup var database: DatabaseOption

    func run() throws {
        let knowledgeBase = try database.open(for: .serving)
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
