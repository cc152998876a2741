import ArgumentParser
import Foundation
import PlanCommandLine
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
        version: PlanKBCommandLine.version,
        subcommands: [
            ParseCommand.self, RecordsCommand.self, DiffCommand.self, EvalCommand.self, BenchParseCommand.self,
            IndexCommand.self, QueryCommand.self, KwicCommand.self, ConvertCommand.self, ServeForwarder.self,
            BenchIndexCommand.self, BenchConvertCommand.self, BenchCLICommand.self, ChunksCommand.self, MCPForwarder.self,
            CodebookCommand.self, AgreementCommand.self, TermsCommand.self, CooccurCommand.self,
            ReuseCommand.self, RefsCommand.self, BenchReuseCommand.self,
        ]
    )

    static func main() { PlanKBCommandLine.main(Self.self) }
}
