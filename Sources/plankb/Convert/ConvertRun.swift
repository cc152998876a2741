import Foundation
import PlanIndex
import PlanIngest
import PlanKit

/// What `convert` writes: per document `json`, `markdown`, `akn`; per run `jsonl` (documents.jsonl and
/// records.jsonl), `csv` (records.csv), `chunks` (chunks.jsonl, retrieval chunks with `Chunker`'s defaults) and
/// `qdpx` (project.qdpx and codes.csv, only when asked for).
enum ConvertFormat: String, CaseIterable, Sendable {
    case json, jsonl, csv, markdown, akn, chunks, qdpx

    /// What `--to` means when not given: everything but the REFI-QDA project, which holds the whole run.
    static let defaults: [ConvertFormat] = [.json, .jsonl, .csv, .markdown, .akn, .chunks]
}

/// The settings an output depends on; an input converted with other settings is converted again.
struct ConvertSettings: Sendable {
    var formats: Set<ConvertFormat>
    var extractRecords: Bool
    var extraction: ExtractionSettings = .standard

    var fingerprint: String {
        ConvertFormat.allCases.filter(formats.contains).map(\.rawValue).joined(separator: ",")
            + (extractRecords ? extraction.fingerprint : ";no-records") + ";v1"
    }
}

/// How one input ended.
enum InputOutcome: Sendable {
    case converted(ManifestEntry)
    /// Up to date from an earlier run: nothing was parsed.
    case upToDate(ManifestEntry)
    case failed(reason: String, id: String)

    var entry: ManifestEntry? {
        switch self {
        case .converted(let entry), .upToDate(let entry): entry
        case .failed: nil
        }
    }
}

/// Converts a list of inputs into DIR with N workers. Each worker takes the next input from a shared
/// counter, so at most N documents are in memory whatever the number of files; per-run files are built at
/// the end from per-input parts in input order, so they do not depend on which worker finished first.
final class ConvertRun: @unchecked Sendable {
    static let partsFolder = ".plankb-parts"

    let inputs: [ConvertInput]
    let directory: URL
    let settings: ConvertSettings
    let force: Bool
    let jobs: Int
    let progress: ConvertProgress

    private let writer: AtomicWriter
    private let previous: ConvertManifest
    private var appender: ManifestAppender?
    private var outcomes: [InputOutcome?]
    /// The order workers take inputs in: largest first, so that one big file started last does not leave
    /// the other workers idle at the end. Output order does not depend on it.
    private let schedule: [Int]
    private var next = 0
    private let lock = NSLock()

    init(inputs: [ConvertInput], directory: URL, settings: ConvertSettings, force: Bool, jobs: Int,
         progress: ConvertProgress) {
        self.inputs = inputs
        self.directory = directory
        self.settings = settings
        self.force = force
        self.jobs = max(1, jobs)
        self.progress = progress
        writer = AtomicWriter(directory: directory)
        previous = ConvertManifest(directory: directory)
        outcomes = Array(repeating: nil, count: inputs.count)
        let sizes = inputs.map(\.bytes)
        schedule = inputs.indices.sorted { (sizes[$0], $1) > (sizes[$1], $0) }
    }

    /// Runs the workers, then writes the per-run files and the compacted manifest. Returns each input's outcome.
    func run() throws -> [InputOutcome] {
        try FileManager.default.createDirectory(at: directory.appendingPathComponent(Self.partsFolder),
                                                withIntermediateDirectories: true)
        try writer.prepare()
        appender = try ManifestAppender(url: previous.url)
        let finished = DispatchGroup()
        for _ in 0..<min(jobs, max(inputs.count, 1)) {
            finished.enter()
            let thread = Thread { [self] in
                while let index = takeNext() {
                    let outcome = convert(inputs[index])
                    lock.lock()
                    outcomes[index] = outcome
                    lock.unlock()
                    progress.finished(inputs[index], outcome: outcome)
                }
                finished.leave()
            }
            // Deep trees recurse in the encoders and renderers; give workers the main thread's room.
            thread.stackSize = 64 << 20
            thread.start()
        }
        finished.wait()
        appender?.close()
        let results = outcomes.map { $0 ?? .failed(reason: "not converted", id: "convert.internal") }
        try writeRunFiles(results)
        try writeCompactManifest(results)
        writer.finish()
        return results
    }

    private func takeNext() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < schedule.count else { return nil }
        next += 1
        return schedule[next - 1]
    }

    // MARK: one input

    private func convert(_ input: ConvertInput) -> InputOutcome {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: input.path))
        } catch {
            return .failed(reason: "the input cannot be read: \((error as NSError).localizedDescription)", id: "ingest.unreadable")
        }
        let hash = ContentHash.of(data)
        let earlier = previous.entries[input.path]
        if !force, let earlier, earlier.hash == hash, earlier.settings == settings.fingerprint,
           earlier.stem == input.stem,
           (earlier.outputs + earlier.parts).allSatisfy({ FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path) }) {
            return .upToDate(earlier)
        }
        let documents: [PlanDocument]
        do {
            let stages = DocumentLoader.Stages(extractRecords: settings.extractRecords, extraction: settings.extraction)
            documents = try DocumentLoader.load(data: data, source: input.path,
                                                pathExtension: (input.path as NSString).pathExtension,
                                                fileURL: URL(fileURLWithPath: input.path), stages: stages)
        } catch let error as IngestError {
            removeOutputs(of: earlier)
            return .failed(reason: error.description, id: Self.diagnosticID(for: error))
        } catch {
            removeOutputs(of: earlier)
            return .failed(reason: "\(error)", id: "ingest.failed")
        }
        do {
            let entry = try writeOutputs(of: documents, input: input, hash: hash, bytes: data.count)
            // Outputs of an earlier conversion that this one no longer makes (a JSON Lines file lost a line).
            if let earlier {
                let kept = Set(entry.outputs + entry.parts)
                for stale in earlier.outputs + earlier.parts where !kept.contains(stale) {
                    try? FileManager.default.removeItem(at: directory.appendingPathComponent(stale))
                }
            }
            appender?.append(entry)
            return .converted(entry)
        } catch {
            return .failed(reason: "cannot write the outputs: \((error as NSError).localizedDescription)", id: "convert.write-failed")
        }
    }

    static func diagnosticID(for error: IngestError) -> String { error.id }

    private func removeOutputs(of entry: ManifestEntry?) {
        guard let entry else { return }
        for name in entry.outputs + entry.parts {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }

    private func writeOutputs(of documents: [PlanDocument], input: ConvertInput, hash: String, bytes: Int) throws -> ManifestEntry {
        let formats = settings.formats
        var outputs: [String] = []
        var parts: [String] = []
        var documentLines: [UInt8] = []
        var recordLines = "", csvRows = "", chunkLines = ""
        var qdaSources: [QDAProject.Source] = []
        var withWarnings = 0, records = 0
        for (index, document) in documents.enumerated() {
            let stem = ConvertInputs.documentStem(inputStem: input.stem, source: document.metadata.source,
                                                  documentCount: documents.count, index: index)
            let source = document.metadata.source ?? input.path
            // One encoding for both the .json file and the documents.jsonl line.
            let prettyJSON = formats.contains(.json) ? try DocumentJSONExporter.encodeBytes(document, pretty: true) : nil
            if let prettyJSON {
                try writer.write(Data(prettyJSON + [UInt8(ascii: "\n")]), to: stem + ".json")
                outputs.append(stem + ".json")
            }
            if formats.contains(.markdown) {
                try writer.write(Data(MarkdownRenderer.render(document).utf8), to: stem + ".md")
                outputs.append(stem + ".md")
            }
            if formats.contains(.akn) {
                try writer.write(Data(AkomaNtosoRenderer.render(document).utf8), to: stem + ".akn.xml")
                outputs.append(stem + ".akn.xml")
            }
            if formats.contains(.jsonl) {
                documentLines += try prettyJSON.map(DocumentJSONExporter.compact(fromPretty:))
                    ?? DocumentJSONExporter.encodeBytes(document, pretty: false)
                documentLines.append(UInt8(ascii: "\n"))
                for record in document.records where settings.extractRecords {
                    recordLines += try RecordLinesExporter.line(record, source: source) + "\n"
                }
            }
            if formats.contains(.csv), settings.extractRecords {
                for record in document.records { csvRows += RecordCSVExporter.row(source: source, record: record) }
            }
            if formats.contains(.qdpx), settings.extractRecords {
                qdaSources.append(QDAProject.source(of: document, source: source).source)
            }
            if formats.contains(.chunks) {
                let key = DocumentKey.of(path: input.path, ordinal: index, of: documents.count)
                chunkLines += try ChunkJSONLines.render(Chunker().chunks(of: document, key: key))
            }
            if document.diagnostics.contains(where: { $0.severity >= .warning }) { withWarnings += 1 }
            records += document.records.count
        }
        // Parts hold this input's share of the per-run files, so a later run can rebuild them without
        // parsing again.
        let partStem = Self.partsFolder + "/" + input.stem
        if formats.contains(.jsonl) {
            try writer.write(Data(documentLines), to: partStem + ".documents.jsonl")
            parts.append(partStem + ".documents.jsonl")
            if settings.extractRecords {
                try writer.write(Data(recordLines.utf8), to: partStem + ".records.jsonl")
                parts.append(partStem + ".records.jsonl")
            }
        }
        if formats.contains(.csv), settings.extractRecords {
            try writer.write(Data(csvRows.utf8), to: partStem + ".records.csv")
            parts.append(partStem + ".records.csv")
        }
        if formats.contains(.chunks) {
            try writer.write(Data(chunkLines.utf8), to: partStem + ".chunks.jsonl")
            parts.append(partStem + ".chunks.jsonl")
        }
        if formats.contains(.qdpx), settings.extractRecords {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try writer.write(try encoder.encode(qdaSources), to: partStem + ".qda.json")
            parts.append(partStem + ".qda.json")
        }
        return ManifestEntry(path: input.path, stem: input.stem, hash: hash, bytes: bytes, settings: settings.fingerprint,
                             outputs: outputs, parts: parts, documents: documents.count,
                             documentsWithWarnings: withWarnings, records: records)
    }

    // MARK: per-run files

    /// documents.jsonl, records.jsonl, records.csv and errors.jsonl, from the parts in input order.
    private func writeRunFiles(_ results: [InputOutcome]) throws {
        var runFiles: [(name: String, suffix: String, header: Data)] = []
        if settings.formats.contains(.jsonl) {
            runFiles.append(("documents.jsonl", ".documents.jsonl", Data()))
            if settings.extractRecords { runFiles.append(("records.jsonl", ".records.jsonl", Data())) }
        }
        if settings.formats.contains(.csv), settings.extractRecords {
            runFiles.append(("records.csv", ".records.csv", Data(RecordCSVExporter.header.utf8)))
        }
        if settings.formats.contains(.chunks) { runFiles.append(("chunks.jsonl", ".chunks.jsonl", Data())) }
        for file in runFiles {
            let temporary = writer.temporaryURL(for: file.name)
            _ = FileManager.default.createFile(atPath: temporary.path, contents: file.header)
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.seekToEnd()
            for (input, outcome) in zip(inputs, results) where outcome.entry != nil {
                let part = directory.appendingPathComponent(Self.partsFolder + "/" + input.stem + file.suffix)
                // One part at a time: memory stays at the size of one input's share.
                try handle.write(contentsOf: try Data(contentsOf: part))
            }
            try handle.close()
            try writer.moveIntoPlace(temporary, name: file.name)
        }
        if settings.formats.contains(.qdpx), settings.extractRecords { try writeProject(results) }
        var errors = ""
        for (input, outcome) in zip(inputs, results) {
            guard case .failed(let reason, let id) = outcome else { continue }
            errors += try Self.jsonLine(["path": input.path, "reason": reason, "id": id])
        }
        try writer.write(Data(errors.utf8), to: "errors.jsonl")
    }

    /// project.qdpx (project.qde and sources/) and codes.csv, from the parts in input order.
    private func writeProject(_ results: [InputOutcome]) throws {
        var sources: [QDAProject.Source] = []
        for (input, outcome) in zip(inputs, results) where outcome.entry != nil {
            let part = directory.appendingPathComponent(Self.partsFolder + "/" + input.stem + ".qda.json")
            sources += try JSONDecoder().decode([QDAProject.Source].self, from: Data(contentsOf: part))
        }
        let name = directory.lastPathComponent
        var entries: [(path: String, data: Data)] = [
            ("project.qde", Data(QDAProject.projectXML(name: name, sources: sources, codebook: settings.extraction.codebook).utf8)),
        ]
        var codes = QDAProject.codesHeader
        for (index, source) in sources.enumerated() {
            entries.append((QDAProject.textPath(of: source, index: index), Data(source.text.utf8)))
            codes += QDAProject.codesRows(source)
        }
        let temporary = writer.temporaryURL(for: "project.qdpx")
        try ZipWriter.write(entries, to: temporary)
        try writer.moveIntoPlace(temporary, name: "project.qdpx")
        try writer.write(Data(codes.utf8), to: "codes.csv")
    }

    static func jsonLine(_ object: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(object), as: UTF8.self) + "\n"
    }

    /// One line per converted input, in input order: the same inputs give the same manifest, however the
    /// run went.
    private func writeCompactManifest(_ results: [InputOutcome]) throws {
        var data = Data()
        for outcome in results { if let entry = outcome.entry { data += ConvertManifest.line(entry) } }
        try writer.write(data, to: ConvertManifest.fileName)
    }
}
