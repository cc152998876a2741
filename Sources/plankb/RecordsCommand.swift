import ArgumentParser
import Foundation
import PlanCommandLine
import PlanIngest
import PlanKit

struct RecordsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "records",
        abstract: "Extract typed records — targets, achievements, milestones, measures, references, quantities.",
        discussion: HelpText.reflow("""
        Every record has an id (<node id>#<type>_<n>), its type, the node and headings it came from, the clause
        text and its span; targets and achievements carry a quantity (value in base units, unit, raw, comparator,
        approx, low/high for ranges, metric) and a year. schemas/record.schema.json describes one JSON record.

        Formats:
          jsonl  one JSON record a line, with "source" naming the document (default)
          csv    UTF-8 with BOM, one row per record, quantity fields as columns (RFC 4180 quoting)
          table  an aligned overview for reading in a terminal

        Examples:
          plankb records corpus/plans/shenyang-ftz-plan-2021.txt --type target
          plankb records corpus/reports/government-work-reports-2021-2025.jsonl --format csv > targets.csv
          plankb records corpus/govcn-2019 --type measure --format table
        """)
    ).underPlanKB

    enum Format: String, EnumeratedOption {
        case jsonl, csv, table
    }

    @Argument(help: "The documents or folders to read (PDF, DOCX, DOC/WPS, OFD, HTML, text, Markdown, JSON Lines); folders are walked as index walks them.")
    var files: [String]

    @Option(name: .shortAndLong, help: "Only records of this type (repeatable).")
    var type: [Record.RecordType] = []

    @Option(name: .shortAndLong, help: "Output format.")
    var format: Format = .jsonl

    @OptionGroup var coding: CodingOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("Name at least one document.") }
    }

    func run() throws {
        var rows: [(source: String, record: Record)] = []
        var failed = false
        let stages = DocumentLoader.Stages(extraction: try coding.settings())
        let (found, missing) = DocumentFiles.find(under: files)
        for path in missing {
            FileHandle.standardError.write(Data("\(path): error: no such file or folder\n".utf8))
            failed = true
        }
        for file in found.map(\.path) {
            do {
                for document in try DocumentLoader.load(contentsOf: URL(fileURLWithPath: file), stages: stages) {
                    let source = document.metadata.source ?? file
                    for record in document.records where type.isEmpty || type.contains(record.type) {
                        rows.append((source, record))
                    }
                }
            } catch {
                FileHandle.standardError.write(Data("\(file): error: \(error)\n".utf8))
                failed = true
            }
        }
        let output: String
        switch format {
        case .jsonl: output = try rows.map { try RecordLinesExporter.line($0.record, source: $0.source) }.joined(separator: "\n")
            + (rows.isEmpty ? "" : "\n")
        case .csv: output = RecordCSVExporter.render(rows)
        case .table: output = RecordTable.render(rows)
        }
        FileHandle.standardOutput.write(Data(output.utf8))
        if failed { throw ExitCode(1) }
    }
}


/// Records as aligned text for a terminal.
enum RecordTable {
    static func render(_ rows: [(source: String, record: Record)]) -> String {
        var lines: [[String]] = [["type", "year", "value", "unit", "cmp", "metric / title / name", "node"]]
        for (_, record) in rows {
            let quantity = record.quantity
            let label = record.name ?? ""
            lines.append([
                record.type.rawValue, record.year.map(String.init) ?? "", quantity.map { RecordCSVExporter.number($0.value) } ?? "",
                quantity?.unit ?? "", quantity?.comparator.rawValue ?? "", String(label.prefix(40)), record.node,
            ])
        }
        let widths = (0..<lines[0].count).map { column in lines.map { DisplayWidth.of($0[column]) }.max() ?? 0 }
        return lines.map { line in
            line.enumerated().map { column, cell in
                column == line.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - DisplayWidth.of(cell))
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
