import ArgumentParser

/// The options of `plankb serve`, declared once for both binaries: `plankb`'s help and completion scripts show
/// them, and `plankb-server` parses them.
public struct ServeOptions: ParsableArguments {
    public init() {}

    @OptionGroup public var database: DatabaseOption

    @Option(help: "The address to listen on; 0.0.0.0 opens the server to the network.")
    public var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one).")
    public var port = 8080

    public func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }
}

/// The options of `plankb mcp`, declared once for both binaries.
public struct MCPOptions: ParsableArguments {
    public init() {}

    @OptionGroup public var database: DatabaseOption
}

/// The commands that run in `plankb-server`, the binary beside `plankb` that holds the web server and the MCP
/// server (with Hummingbird, the MCP SDK and Foundation's networking, which loads libcurl and about 30 more
/// shared libraries): `plankb serve` and `plankb mcp` run it in their place (`exec`), so that every other
/// command starts without them. Their configurations and options are here, once, for both binaries.
public enum ServerCommands {
    /// The file name of the server binary, beside `plankb`.
    public static let binaryName = "plankb-server"

    public static var serve: CommandConfiguration {
        CommandConfiguration(
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
    }

    public static var mcp: CommandConfiguration {
        CommandConfiguration(
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
    }
}
