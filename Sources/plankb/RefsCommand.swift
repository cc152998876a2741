import ArgumentParser
import Foundation
import PlanCommandLine
import PlanIndex

struct RefsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refs",
        abstract: "What a document cites, linked to the documents of the knowledge base, and what cites it (法条联想).",
        discussion: HelpText.reflow("""
        Every reference record of the document (《…》 titles, 文号, agreements) is
        looked up among the indexed documents: by title (with or without
        中华人民共和国, brackets of either width) and by 文号. An article named
        with the title (《立法法》第八十条) links to that article's node (art_80).
        Where several versions share a title, the latest is linked and the others
        are listed. "Cited by" lists the nodes of other documents whose
        references resolve to this one.

        Output: a list for a terminal, or --json.

        Examples:
          plankb refs --db kb.sqlite --doc corpus/laws/law-company-2018-2023/company-law-2023.md
          plankb refs --db kb.sqlite --doc corpus/govcn-2019/01.html --json
        """)
    ).underPlanKB

    @OptionGroup var database: DatabaseOption

    @Option(help: "The document: its key (source path).")
    var doc: String

    @Flag(help: "Write JSON (schemas/refs.schema.json).")
    var json = false

    func run() throws {
        let resolver = ReferenceResolver(knowledgeBase: try database.open())
        guard let report = try resolver.report(forDocument: doc) else {
            FileHandle.standardError.write(Data("\(database.location): error: no document with the key \(doc)\n".utf8))
            throw ExitCode(1)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            FileHandle.standardOutput.write(try encoder.encode(report))
            print()
            return
        }
        print("\(report.title ?? report.document)")
        let found = report.cites.filter { $0.resolved != nil }.count
        print("\ncites (\(report.cites.count), \(found) in the knowledge base):")
        for citation in report.cites {
            var line = "  \(citation.node)  《\(citation.name)》"
            if citation.kind != "title" { line = "  \(citation.node)  \(citation.name)" }
            if let target = citation.resolved {
                line += " → \(target.document)" + (target.node.map { "#\($0)" } ?? "")
            } else {
                line += " (not in the knowledge base)"
            }
            print(line)
        }
        print("\ncited by (\(report.citedBy.count)):")
        for citing in report.citedBy {
            print("  \(citing.document)#\(citing.node)  \(citing.path)")
        }
    }
}
