import ArgumentParser
import Foundation
import PlanIndex

@main
struct PlanKB: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plankb",
        abstract: "Turn Chinese policy documents into a searchable knowledge base.",
        discussion: HelpText.reflow("""
        PlanKB reads five-year plans (规划), programmes (方案), opinions (意见), laws
        and government work reports — PDF, Word (DOCX; DOC and WPS through
        LibreOffice), OFD, HTML pages in UTF-8, GBK/GB2312/GB18030 or UTF-16, plain
        text, Markdown, JSON Lines — and segments them into a tree of chapters,
        sections, articles, paragraphs and clauses with stable ids, then indexes,
        searches, converts, compares and codes them.

        Start with:
          plankb parse corpus/plans/shenyang-ftz-plan-2021.txt --format tree
          plankb index corpus --db kb.sqlite --exclude gold
          plankb query 跨境电商 --db kb.sqlite
        """),
        version: PlanKB.version,
        subcommands: [
            ParseCommand.self, RecordsCommand.self, DiffCommand.self, EvalCommand.self, BenchParseCommand.self,
            IndexCommand.self, QueryCommand.self, KwicCommand.self, ConvertCommand.self, ServeCommand.self,
            BenchIndexCommand.self, BenchConvertCommand.self, BenchCLICommand.self, ChunksCommand.self, MCPCommand.self,
            CodebookCommand.self, AgreementCommand.self, TermsCommand.self, CooccurCommand.self,
            ReuseCommand.self, RefsCommand.self, BenchReuseCommand.self,
        ]
    )

    /// The version `plankb --version` prints and the MCP server announces.
    static let version = "0.1.0"

    /// A well-formed call of one subcommand, parsed by that subcommand alone; nil for anything else (help,
    /// version, completion scripts, a mistake, no subcommand), which the root then parses and reports as usual.
    ///
    /// Why: parsing at the root makes ArgumentParser build the options of every subcommand (it looks across the
    /// whole tree for completion-script and pass-through requests), and each first use of a generic option type
    /// costs the Swift runtime a scan of this large binary's protocol conformances — `plankb query` spent more
    /// time there than in its search (see `plankb bench-cli`).
    static func parseSubcommandAlone(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> (any ParsableCommand)? {
        guard let name = arguments.first,
              let subcommand = configuration.subcommands.first(where: { $0._commandName == name }),
              subcommand.configuration.subcommands.isEmpty else { return nil }
        let rest = Array(arguments.dropFirst())
        let rootHandles = ["-h", "--help", "help", "--version", "--experimental-dump-help"]
        guard !rest.contains(where: { rootHandles.contains($0) || $0.hasPrefix("--generate-completion") }) else { return nil }
        return try? subcommand.parseAsRoot(rest)
    }

    /// Like ArgumentParser's own `main`, but usage errors exit with status 2, as documented.
    static func main() {
        do {
            var command = try parseSubcommandAlone() ?? parseAsRoot()
            try command.run()
        } catch let error as KnowledgeBaseOpenError {
            // Absent, unreachable or refused: one line (naming host and database, never a password), status 1.
            FileHandle.standardError.write(Data("plankb: error: \(error)\n".utf8))
            Foundation.exit(1)
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

extension CommandConfiguration {
    /// A subcommand's configuration naming `plankb` as the command above it. ArgumentParser reads the name only
    /// where the subcommand is the root of a parse (`PlanKB.parseSubcommandAlone`): its usage then reads
    /// `plankb query`, and the parse skips the two trial parses that look for `--generate-completion-script`
    /// (which `parseSubcommandAlone` has ruled out), each of which costs a first use of more option types.
    var underPlanKB: CommandConfiguration {
        var configuration = self
        configuration._superCommandName = PlanKB._commandName
        return configuration
    }
}
