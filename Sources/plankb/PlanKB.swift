import ArgumentParser
import Foundation
import PlanIndex

@main
struct PlanKB: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plankb",
        abstract: "Turn Chinese policy documents into a searchable knowledge base.",
        discussion: """
        PlanKB reads five-year plans (规划), programmes (方案), opinions (意见), laws
        and government work reports — HTML pages in UTF-8, GBK/GB2312/GB18030 or
        UTF-16, plain text, Markdown, JSON Lines — and segments them into a tree of
        chapters, sections, articles, paragraphs and clauses with stable ids.

        Start with:
          plankb parse corpus/plans/shenyang-ftz-plan-2021.txt --format tree
        """,
        subcommands: [
            ParseCommand.self, RecordsCommand.self, DiffCommand.self, EvalCommand.self, BenchParseCommand.self,
            IndexCommand.self, QueryCommand.self, KwicCommand.self, ConvertCommand.self, ServeCommand.self,
            BenchIndexCommand.self, BenchConvertCommand.self, ChunksCommand.self, MCPCommand.self,
            CodebookCommand.self, AgreementCommand.self, TermsCommand.self, CooccurCommand.self,
            ReuseCommand.self, RefsCommand.self, BenchReuseCommand.self,
        ]
    )

    /// Like ArgumentParser's own `main`, but usage errors exit with status 2, as documented.
    static func main() {
        do {
            var command = try parseAsRoot()
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
