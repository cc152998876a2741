import ArgumentParser
import Foundation
import PlanCommandLine

/// `plankb serve` and `plankb mcp` run in `plankb-server`, the binary beside this one (see `ServerCommands`):
/// `plankb` replaces itself with it (`execv`: the same process, standard input and output, environment and
/// exit status, which an MCP client and a service manager rely on), before any parsing.
enum ServerForwarding {
    /// The server binary's arguments for this command line, when it is one of the server's commands (or help
    /// for one); nil otherwise.
    static func arguments(for commandLine: [String]) -> [String]? {
        guard let first = commandLine.first else { return nil }
        if ServerCommands.names.contains(first) { return commandLine }
        if first == "help", commandLine.count >= 2, ServerCommands.names.contains(commandLine[1]) {
            return [commandLine[1], "--help"]
        }
        return nil
    }

    /// Replaces this process with the server binary; returns only by throwing, when it cannot be run.
    static func exec(_ arguments: [String]) throws -> Never {
        let directory = URL(fileURLWithPath: BenchCLICommand.executablePath()).deletingLastPathComponent()
        let path = directory.appendingPathComponent(ServerCommands.binaryName).path
        let argv = [path] + arguments
        var cArguments = argv.map { strdup($0) } + [nil]
        execv(path, &cArguments)
        let reason = String(cString: strerror(errno))
        throw ServerBinaryMissing(path: path, command: arguments.first ?? "", reason: reason)
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

/// `plankb serve`, as `plankb --help` and the completion scripts show it; the call itself goes to the server
/// binary (`PlanKB.main` hands it over before parsing; `run` is there for a parse that gets here all the same).
struct ServeForwarder: ParsableCommand {
    static let configuration = ServerCommands.serve
    @OptionGroup var options: ServeOptions
    func run() throws { try ServerForwarding.exec(Array(CommandLine.arguments.dropFirst())) }
}

/// `plankb mcp`, as `plankb --help` and the completion scripts show it; the call itself goes to the server binary.
struct MCPForwarder: ParsableCommand {
    static let configuration = ServerCommands.mcp
    @OptionGroup var options: MCPOptions
    func run() throws { try ServerForwarding.exec(Array(CommandLine.arguments.dropFirst())) }
}
