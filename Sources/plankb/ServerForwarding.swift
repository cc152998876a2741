import ArgumentParser
import Foundation
import PlanCommandLine

/// `plankb serve` and `plankb mcp` run in `plankb-server`, the binary beside this one (see `ServerCommands`).
/// They are parsed here like every command (the same configuration and options as in the server, so help,
/// completion scripts and usage errors are plankb's own); then `plankb` replaces itself with the server binary
/// (`execv`: the same process, standard input and output, environment and exit status, which an MCP client and a
/// service manager rely on), which parses the same arguments again and runs.
enum ServerForwarding {
    /// Replaces this process with the server binary running this command line; returns only by throwing, when
    /// it cannot be run.
    static func exec() throws -> Never {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let directory = URL(fileURLWithPath: PlanKBCommandLine.executablePath()).deletingLastPathComponent()
        let path = directory.appendingPathComponent(ServerCommands.binaryName).path
        var cArguments = ([path] + arguments).map { strdup($0) } + [nil]
        execv(path, &cArguments)
        throw ServerBinaryMissing(path: path, command: arguments.first ?? "", reason: String(cString: strerror(errno)))
    }

    struct ServerBinaryMissing: Error, CustomStringConvertible {
        var path: String
        var command: String
        var reason: String
        var description: String {
            "plankb \(command) runs \(ServerCommands.binaryName), which could not be started at \(path) (\(reason)); "
                + "build both binaries (README's build command: swift build without --product) and keep them side by side"
        }
    }
}

/// `plankb serve`: parsed here, run in the server binary.
struct ServeForwarder: ParsableCommand {
    static let configuration = ServerCommands.serve
    @OptionGroup var options: ServeOptions
    func run() throws { try ServerForwarding.exec() }
}

/// `plankb mcp`: parsed here, run in the server binary.
struct MCPForwarder: ParsableCommand {
    static let configuration = ServerCommands.mcp
    @OptionGroup var options: MCPOptions
    func run() throws { try ServerForwarding.exec() }
}
