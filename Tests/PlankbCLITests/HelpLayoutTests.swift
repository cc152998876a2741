import Foundation
import Testing

/// `--help` as a terminal of 80 (or any) columns shows it: the discussion's paragraphs, table rows and list
/// items wrapped to the width, not source lines cut into a long line and a stub.
struct HelpLayoutTests {
    /// The subcommands `plankb --help` lists.
    static func subcommands() throws -> [String] {
        let help = try CLI.run(["--help"], environment: ["COLUMNS": "200"]).stdout
        let section = help.components(separatedBy: "SUBCOMMANDS:").last ?? ""
        return section.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("  "), !line.hasPrefix("    "), let name = line.split(separator: " ").first,
                  name.allSatisfy({ $0.isLowercase || $0 == "-" }) else { return nil }
            return String(name)
        }
    }

    /// What `--help` prints above USAGE (the overview and the discussion) at `columns`.
    static func discussion(of command: String, columns: Int) throws -> [String] {
        let help = try CLI.run([command, "--help"], environment: ["COLUMNS": String(columns)])
        #expect(help.status == 0, "\(command) --help")
        let text = help.stdout.components(separatedBy: "\nUSAGE:").first ?? ""
        return text.components(separatedBy: "\n")
    }

    static func width(_ text: some StringProtocol) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            width + ((0x1100...0x115F).contains(scalar.value) || (0x2E80...0xA4CF).contains(scalar.value)
                     || (0xAC00...0xD7A3).contains(scalar.value) || (0xFF00...0xFF60).contains(scalar.value) ? 2 : 1)
        }
    }

    @Test func everyCommandsDiscussionIsWrappedToTheTerminal() throws {
        let commands = try Self.subcommands()
        #expect(commands.count >= 20, "\(commands)")
        for command in commands {
            let narrow = try Self.discussion(of: command, columns: 80)
            // Nothing lost or reordered: the same characters as at 200 columns, whitespace aside.
            let wide = try Self.discussion(of: command, columns: 200)
            // (A shell command continued on the next line ends with ` \`.)
            let letters = { (lines: [String]) in
                lines.map { $0.hasSuffix(" \\") ? String($0.dropLast()) : $0 }.joined().filter { !$0.isWhitespace }
            }
            #expect(letters(narrow) == letters(wide), "\(command): text differs between widths")
            for (index, line) in narrow.enumerated() where index + 1 < narrow.count {
                // A paragraph line is broken only where the next word would not fit (no stubs).
                let next = narrow[index + 1]
                guard !line.hasPrefix(" "), !line.isEmpty, !next.isEmpty, !next.hasPrefix(" "),
                      let firstWord = next.split(separator: " ").first, !line.hasSuffix(":") else { continue }
                #expect(Self.width(line) + 1 + Self.width(firstWord) > 79,
                        "\(command) --help breaks early:\n\(line)\n\(next)")
            }
            for line in narrow {
                #expect(Self.width(line) < 80, "\(command) --help: a line of 80 columns or more:\n\(line)")
            }
        }
    }

    @Test func aLongExampleIsContinuedAsTheShellReadsIt() throws {
        let help = try Self.discussion(of: "agreement", columns: 80)
        guard let start = help.firstIndex(where: { $0.hasPrefix("  plankb records corpus/govcn-2019/07.html") }) else {
            Issue.record("no example in agreement --help:\n\(help.joined(separator: "\n"))"); return
        }
        #expect(help[start].hasSuffix(" \\") && help[start + 1].hasPrefix("      "), "\(help[start...].prefix(2))")
        let command = help[start...].prefix(2).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
            .replacingOccurrences(of: "\\ ", with: "")
        #expect(command == "plankb records corpus/govcn-2019/07.html corpus/govcn-2019/08.html --type measure --format csv > tool.csv")
    }

    @Test func aTableRowContinuesUnderItsDescription() throws {
        let help = try Self.discussion(of: "convert", columns: 80)
        guard let row = help.firstIndex(where: { $0.hasPrefix("  qdpx      project.qdpx") }) else {
            Issue.record("no qdpx row in convert --help:\n\(help.joined(separator: "\n"))"); return
        }
        #expect(help[row + 1].hasPrefix(String(repeating: " ", count: 12)) && !help[row + 1].hasPrefix(String(repeating: " ", count: 13)),
                "\(help[row...].prefix(3).joined(separator: "\n"))")
    }

    @Test func theHelpNamesEveryFormatTheFoldersAreWalkedFor() throws {
        // Taken from the readers' registration, so a format added there is named here too.
        let convert = try Self.discussion(of: "convert", columns: 200).joined(separator: "\n")
        let index = try Self.discussion(of: "index", columns: 200).joined(separator: "\n")
        for ext in [".html", ".pdf", ".docx", ".doc", ".wps", ".ofd", ".md", ".txt", ".jsonl"] {
            #expect(convert.contains(ext + " ") || convert.contains(ext + ")"), "convert --help lacks \(ext)")
            #expect(index.contains(ext + " ") || index.contains(ext + " files"), "index --help lacks \(ext)")
        }
        let parse = try Self.discussion(of: "parse", columns: 200)
        for format in ["html", "pdf", "docx", "doc", "jsonl", "markdown", "text", "ofd"] {
            #expect(parse.contains { $0.hasPrefix("  " + format + " ") }, "parse --help has no row for \(format)")
        }
    }

    @Test func withoutArgumentsTheRootPrintsItsWholeHelp() throws {
        let help = try CLI.run([], environment: ["COLUMNS": "80"])
        #expect(help.stdout.contains("Start with:") && help.stdout.contains("SUBCOMMANDS:"), "\(help.stdout)")
    }
}
