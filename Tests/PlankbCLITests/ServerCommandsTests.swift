import Foundation
import Testing

/// `plankb serve` and `plankb mcp` run in `plankb-server`, beside `plankb`: as a user sees them they are still
/// plankb's commands — listed by `plankb --help`, with their own options, usage lines and errors reading
/// `plankb …` — while the binary every other command starts no longer loads the web server, the MCP SDK and
/// libcurl. (The MCP and web tests run both commands end to end through `plankb`.)
struct ServerCommandsTests {
    @Test func serveAndMCPAreListedAndAnswerWithTheirOwnOptions() throws {
        #expect(try HelpLayoutTests.subcommands().contains("serve"))
        #expect(try HelpLayoutTests.subcommands().contains("mcp"))
        for arguments in [["serve", "--help"], ["help", "serve"]] {
            let help = try CLI.run(arguments)
            #expect(help.status == 0, "\(arguments)")
            #expect(help.stdout.contains("USAGE: plankb serve [--db <file-or-url>] [--host <host>] [--port <port>]"), "\(help.stdout)")
        }
        let mcp = try CLI.run(["mcp", "--help"])
        #expect(mcp.stdout.contains("USAGE: plankb mcp [--db <file-or-url>]"), "\(mcp.stdout)")
        // The completion scripts know the server commands' options too (declared once, in PlanCommandLine).
        let completion = try CLI.run(["--generate-completion-script", "bash"]).stdout
        #expect(completion.contains("--port") && completion.contains("--host"))
    }

    @Test func usageErrorsOfTheServerCommandsSayPlankbAndExitWithStatus2() throws {
        let result = try CLI.run(["serve", "--port", "70000", "--db", "kb.sqlite"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--port must be between 0 and 65535"), "\(result.stderr)")
        #expect(result.stderr.contains("plankb serve"), "\(result.stderr)")
        #expect(!result.stderr.contains("plankb-server"), "\(result.stderr)")
    }

    @Test func theQueryBinaryLoadsNoNetworkingLibraries() throws {
        // What the split is for: the binary of index, query and the rest names no libcurl (Foundation's
        // networking, which the MCP SDK brings, loaded about 30 shared libraries at every start).
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        process.arguments = [CLI.binaryURL.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let libraries = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(libraries.contains("libsqlite3"), "\(libraries)")
        #expect(!libraries.contains("libcurl"), "\(libraries)")
    }
}
