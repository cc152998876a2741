import ArgumentParser
import Foundation
import PlanCommandLine
import PlanIngest
import PlanKit

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert files and folders of documents to JSON, Markdown, Akoma Ntoso XML, JSON Lines and CSV.",
        discussion: HelpText.reflow("""
        Reads files, folders (recursively: \(DocumentReaders.fileExtensionList)), shell patterns (quoted ones
        are expanded here: * ? [..], and ** for any depth) or - for a list of paths on standard input, one a
        line. The format and encoding of each file are recognised from its content. Work is spread over
        --jobs workers; memory holds one document per worker, however many files there are.

        Written to DIR, per document (named after the input's path below the folder given, with / as __, as in
        corpus/govcn-2019/01.html → govcn-2019__01.json; line N of a JSON Lines file → …__N.json):
          json      the document as `plankb parse --format json` writes it (schemas/document.schema.json)
          markdown  .md: metadata as front matter, headings with ids as anchors
          akn       .akn.xml: Akoma Ntoso 3.0, an <act> for laws, a <doc> otherwise, eIds = node ids
        Per run, in input order:
          jsonl     documents.jsonl (one document a line) and records.jsonl (one record a line)
          csv       records.csv (UTF-8 with BOM, as `plankb records --format csv`)
          chunks    chunks.jsonl (retrieval chunks, as `plankb chunks --json`; schemas/chunk.schema.json)
          qdpx      project.qdpx, a REFI-QDA project (NVivo, ATLAS.ti, MAXQDA, QualCoder): each document
                    a text source, each record a coded selection of its clause; and codes.csv, the same
                    codes for a spreadsheet
        Always: errors.jsonl, one line per input that failed: {"id", "path", "reason"}
        (schemas/convert-error.schema.json).

        A bad file never stops the run. A second run skips inputs whose content and settings are unchanged
        (DIR/.plankb-manifest.jsonl, schemas/convert-manifest.schema.json); --force converts all again.
        Every file is written under a temporary name and renamed, so a killed run leaves no half-written
        output and running it again finishes the job.

        Exit status: 0 when every input converted, 1 when any failed, 2 on usage errors.

        Examples:
          plankb convert corpus --out out/ --exclude gold
          plankb convert 'scraped/**/*.html' --out out/ --to json,csv --jobs 2
          find scraped -name '*.htm' | plankb convert - --out out/ --no-records
        """)
    ).underPlanKB

    @Argument(help: "Files, folders or patterns to convert; - reads a list of paths from standard input.")
    var inputs: [String]

    @Option(name: .shortAndLong, help: "The folder to write to (created when missing).")
    var out: String

    @Option(name: .long, help: ArgumentHelp("Outputs, comma-separated (md and xml are aliases of markdown and akn; default: all but qdpx).", valueName: "outputs"))
    var to = CommaList(ConvertFormat.defaults)

    @OptionGroup var excluding: ExcludeOptions

    @Option(name: .shortAndLong, help: "Parallel workers (default: the number of active processors).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .long, help: "Convert every input again, even those the manifest says are up to date.")
    var force = false

    @Flag(name: .long, help: "Skip record extraction (the slowest stage): no records in the JSON, no records.jsonl / records.csv.")
    var noRecords = false

    @OptionGroup var coding: CodingOptions

    @Flag(name: .shortAndLong, help: "Print no progress (the summary still goes to standard output).")
    var quiet = false

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("Name at least one file, folder or pattern, or - for a list on standard input.") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func formats() -> Set<ConvertFormat> { Set(to.elements) }

    func run() throws {
        let (found, missing) = ConvertInputs.expand(inputs, excluding: excluding.excludedPaths) {
            String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        for argument in missing {
            FileHandle.standardError.write(Data("\(argument): error: no such file, folder or match\n".utf8))
        }
        if found.isEmpty {
            FileHandle.standardError.write(Data("plankb convert: no documents to convert\n".utf8))
            throw ExitCode(1)
        }
        let directory = URL(fileURLWithPath: out)
        let totalBytes = found.reduce(0) { $0 + $1.bytes }
        let progress = ConvertProgress(style: ConvertProgress.style(quiet: quiet), totalFiles: found.count, totalBytes: totalBytes)
        let settings = ConvertSettings(formats: formats(), extractRecords: !noRecords, extraction: try coding.settings())
        let run = ConvertRun(inputs: found, directory: directory, settings: settings, force: force, jobs: jobs, progress: progress)
        let outcomes = try run.run()
        progress.close()
        let summary = ConvertSummary(outcomes: outcomes, inputs: found, seconds: progress.elapsedSeconds, directory: out)
        print(summary.text, terminator: "")
        if summary.failed > 0 || !missing.isEmpty { throw ExitCode(1) }
    }
}

/// The closing summary: converted (with warnings), up to date, failed, time and throughput.
struct ConvertSummary {
    var converted = 0, withWarnings = 0, upToDate = 0, failed = 0, documents = 0, records = 0, bytesConverted = 0
    var text = ""

    init(outcomes: [InputOutcome], inputs: [ConvertInput], seconds: Double, directory: String) {
        var failures: [String] = []
        for (input, outcome) in zip(inputs, outcomes) {
            switch outcome {
            case .converted(let entry):
                converted += 1
                bytesConverted += entry.bytes
            case .upToDate:
                upToDate += 1
            case .failed(let reason, let id):
                failed += 1
                failures.append("  \(input.path): \(IngestError.message(reason, after: input.path)) (\(id))\n")
            }
            if let entry = outcome.entry {
                if entry.documentsWithWarnings > 0 { withWarnings += 1 }
                documents += entry.documents
                records += entry.records
            }
        }
        let rate = Double(bytesConverted) / 1_000_000 / max(seconds, 1e-3)
        text = "\(inputs.count) inputs: \(converted) converted, \(upToDate) up to date, \(failed) failed "
            + "(\(withWarnings) with warnings; \(documents) documents, \(records) records) → \(directory)\n"
            + String(format: "%.2f s, %.2f MB converted, %.2f MB/s\n", seconds, Double(bytesConverted) / 1_000_000, rate)
        if !failures.isEmpty { text += "failed (listed in errors.jsonl):\n" + failures.joined() }
    }
}
