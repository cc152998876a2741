import ArgumentParser
import Foundation
import PlanIndex

/// What `plankb` and `plankb-server` share at their entry: the name users type, the version, how a call is
/// parsed and how errors end the process.
public enum PlanKBCommandLine {
    /// The command users type; both binaries' usage lines read `plankb …`.
    public static let name = "plankb"

    /// The version `plankb --version` prints and the MCP server announces.
    public static let version = "0.1.0"

    /// This binary, as the kernel names it (not as typed, which may be relative, a symbolic link or found on the
    /// PATH): what benchmarks run as child processes, and where `plankb-server` stands beside `plankb`.
    public static func executablePath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// A well-formed call of one subcommand of `root`, parsed by that subcommand alone; nil for anything else
    /// (help, version, completion scripts, a mistake, no subcommand), which the root then parses and reports as
    /// usual.
    ///
    /// Why: parsing at the root makes ArgumentParser build the options of every subcommand (it looks across the
    /// whole tree for completion-script and pass-through requests), and each first use of a generic option type
    /// costs the Swift runtime a scan of the binary's protocol conformances — `plankb query` spent more time
    /// there than in its search (see `plankb bench-cli`).
    public static func parseSubcommandAlone(of root: any ParsableCommand.Type,
                                            _ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> (any ParsableCommand)? {
        guard let name = arguments.first,
              let subcommand = root.configuration.subcommands.first(where: { $0._commandName == name }),
              subcommand.configuration.subcommands.isEmpty else { return nil }
        let rest = Array(arguments.dropFirst())
        let rootHandles = ["-h", "--help", "help", "--version", "--experimental-dump-help"]
        guard !rest.contains(where: { rootHandles.contains($0) || $0.hasPrefix("--generate-completion") }) else { return nil }
        return try? subcommand.parseAsRoot(rest)
    }

    /// Like ArgumentParser's own `main`, but usage errors exit with status 2, as documented, and a knowledge
    /// base that cannot be opened is one line with status 1.
    public static func main(_ root: any ParsableCommand.Type) -> Never {
        do {
            var command = try parseSubcommandAlone(of: root) ?? root.parseAsRoot()
            try command.run()
            exit(0)
        } catch let error as KnowledgeBaseOpenError {
            // Absent, unreachable or refused: one line (naming host and database, never a password), status 1.
            FileHandle.standardError.write(Data("plankb: error: \(error)\n".utf8))
            exit(1)
        } catch {
            if root.exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((root.fullMessage(for: error) + "\n").utf8))
                exit(2)
            }
            root.exit(withError: error)
        }
    }
}

extension CommandConfiguration {
    /// A subcommand's configuration naming `plankb` as the command above it. ArgumentParser reads the name only
    /// where the subcommand is the root of a parse (`PlanKBCommandLine.parseSubcommandAlone`): its usage then
    /// reads `plankb query`, and the parse skips the two trial parses that look for
    /// `--generate-completion-script` (which `parseSubcommandAlone` has ruled out), each of which costs a first
    /// use of more option types.
    public var underPlanKB: CommandConfiguration {
        var configuration = self
        configuration._superCommandName = PlanKBCommandLine.name
        return configuration
    }
}
