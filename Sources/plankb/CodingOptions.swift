import ArgumentParser
import Foundation
import PlanCommandLine
import PlanKit

/// `--codebook` and `--code-clauses`, as `records`, `index` and `convert` take them.
struct CodingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A codebook CSV (dimension,tool,cue[,weight…]) replacing the default one (plankb codebook prints it).",
                               valueName: "file"))
    var codebook: String?

    @Flag(help: "Also code every clause: one clause record each, with an instrument where a cue occurs.")
    var codeClauses = false

    /// The extraction settings; a codebook that cannot be read is reported as `file:line:column: error: …`
    /// on standard error and ends the command with status 1.
    func settings() throws -> ExtractionSettings {
        guard let codebook else { return ExtractionSettings(codeClauses: codeClauses) }
        do {
            return ExtractionSettings(codebook: try Self.readCodebook(codebook), codeClauses: codeClauses)
        } catch let error as Codebook.FormatError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(1)
        }
    }

    static func readCodebook(_ path: String) throws -> Codebook {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Codebook.FormatError(file: path, line: 1, column: 1, message: "the codebook cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Codebook.FormatError(file: path, line: 1, column: 1, message: "the codebook is not UTF-8 (save it as “CSV UTF-8”)")
        }
        return try Codebook(csv: text, file: path)
    }
}

extension ExtractionSettings {
    /// A short mark of settings other than the default, for convert's manifest and index's stored hashes, so
    /// that a changed codebook converts or indexes the files again; "" for the defaults.
    var fingerprint: String {
        guard self != .standard else { return "" }
        var hasher = FNV1a()
        hasher.add(codebook.csv)
        return ";coding=" + String(hasher.value, radix: 16) + (codeClauses ? "+clauses" : "")
    }
}

/// FNV-1a, 64 bits: a stable digest (Swift's `Hasher` changes from run to run).
struct FNV1a {
    var value: UInt64 = 0xcbf29ce484222325
    mutating func add(_ text: String) {
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x100000001b3
        }
    }
}

struct CodebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codebook",
        abstract: "Print the default instrument codebook as CSV, to edit and pass back with --codebook.",
        discussion: HelpText.reflow("""
        Columns: dimension (supply, environment, demand — or 供给型, 环境型, 需求型), tool, cue, weight. Rows
        with more columns are fine (a note column, say); a missing weight counts 1.

        Examples:
          plankb codebook > my-codebook.csv
          plankb records corpus/govcn-2019/05.html --type measure --codebook my-codebook.csv --format csv
        """)
    ).underPlanKB

    func run() throws {
        FileHandle.standardOutput.write(Data(DefaultCodebook.csv.utf8))
    }
}
