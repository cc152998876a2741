import ArgumentParser
import PlanCommandLine

/// `plankb-server`: `plankb serve` and `plankb mcp`, which `plankb` runs in this binary (see `ServerCommands`).
/// Run directly, `plankb-server serve …` is the same as `plankb serve …`.
@main
struct PlanKBServerMain: ParsableCommand {
    static let configuration = CommandConfiguration(
        // Named as users type it: usage lines and errors read `plankb serve …`, as `plankb serve` was called.
        commandName: PlanKBCommandLine.name,
        abstract: "The servers of plankb (\(ServerCommands.binaryName)): plankb serve and plankb mcp run this binary, which stands beside plankb.",
        version: PlanKBCommandLine.version,
        subcommands: [ServeCommand.self, MCPCommand.self]
    )

    static func main() { PlanKBCommandLine.main(Self.self) }
}
