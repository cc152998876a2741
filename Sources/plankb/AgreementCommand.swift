import ArgumentParser
import Foundation
import PlanCommandLine
import PlanKit

struct AgreementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agreement",
        abstract: "Compare two instrument codings of the same records: percent agreement, Cohen's kappa, confusion table.",
        discussion: HelpText.reflow("""
        Each coding is a CSV with a header naming at least id and tool (or dimension) — plankb records
        --format csv writes one, a spreadsheet of hand codes can be one — or JSON Lines records (plankb records
        writes them, "instrument": {"tool", "dimension"}). Units are matched by source and id (by id alone
        when one file names no sources); an empty tool means "no instrument" and counts as the category
        (none).

        Examples:
          plankb records corpus/govcn-2019/07.html corpus/govcn-2019/08.html --type measure --format csv > tool.csv
          plankb agreement corpus/gold/instruments/govcn-2019-07-08.csv tool.csv
          plankb agreement coder1.csv coder2.csv --level dimension
        """)
    ).underPlanKB

    @Argument(help: "The first coding (CSV or JSON Lines).")
    var first: String

    @Argument(help: "The second coding.")
    var second: String

    @Option(help: "Compare tools or only their dimensions: tool or dimension.")
    var level: Coding.Level = .tool

    func run() throws {
        var codings: [Coding] = []
        for path in [first, second] {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("\(path): error: cannot be read\n".utf8))
                throw ExitCode(1)
            }
            do {
                codings.append(try Coding(text: String(decoding: data, as: UTF8.self), file: path, level: level))
            } catch {
                FileHandle.standardError.write(Data("\(error.description)\n".utf8))
                throw ExitCode(1)
            }
        }
        let agreement = Agreement(codings[0], codings[1])
        if agreement.units == 0 {
            FileHandle.standardError.write(Data("plankb agreement: the two codings share no record id\n".utf8))
            throw ExitCode(1)
        }
        print(agreement.report(firstName: first, secondName: second), terminator: "")
    }
}

extension Coding.Level: EnumeratedOption {}
