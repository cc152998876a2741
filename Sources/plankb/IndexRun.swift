import Foundation
import PlanIndex
import PlanIngest
import PlanKit

/// One run of `plankb index`: finds the input files, skips those whose content hash the knowledge base already
/// has, loads the others on all cores while one writer stores each source in its own transaction.
struct IndexRun {
    var paths: [String]
    /// Shell patterns (fnmatch) for files and folders to leave out, matched against each path step and the
    /// whole path: `gold`, `*.draft.txt`, `corpus/laws/*`.
    var excluded: [String] = []
    var prune = false
    /// Extract records (targets, measures …) while loading; off, documents are indexed without records.
    var extractRecords = true
    /// The codebook and what to code. Files indexed with other settings count as changed: their stored hash
    /// carries the settings' fingerprint.
    var extraction: ExtractionSettings = .standard
    /// Print a progress line on standard error (only on a terminal).
    var showProgress = false

    /// What the run did.
    struct Outcome {
        var written = 0
        var unchanged = 0
        /// Sources another index run, writing into the same knowledge base at the same time, took.
        var claimedElsewhere = 0
        var removed = 0
        var documents = 0
        var failures: [(path: String, reason: String)] = []
        /// Bytes of all input files read (including unchanged ones, which are read to hash them).
        var bytesRead = 0
        /// Bytes of the files that were loaded and written.
        var bytesWritten = 0
        var seconds = 0.0
        /// Time the writer spent storing (the rest of `seconds` it waited for loaded files).
        var writeSeconds = 0.0
    }

    /// The document files under `paths`, sorted (`DocumentFiles`, the walk `convert` shares); a file named
    /// directly is always taken.
    static func inputFiles(_ paths: [String], excluding excluded: [String] = []) throws -> [String] {
        let (found, missing) = DocumentFiles.find(under: paths, excluding: ExcludedPaths(patterns: excluded))
        if let first = missing.first { throw ValidationErrorText("no such file or folder: \(first)") }
        return Array(Set(found.map(\.path))).sorted()
    }

    func run(into knowledgeBase: some KnowledgeBase) throws -> Outcome {
        let start = Date()
        let files = try Self.inputFiles(paths, excluding: excluded)
        let indexed = try knowledgeBase.indexedSources()
        var outcome = Outcome()
        let loader = ParallelLoader(files: files, indexed: indexed, extractRecords: extractRecords, extraction: extraction,
                                    preparer: try knowledgeBase.documentPreparer(),
                                    claim: { try knowledgeBase.claim(source: $0, contentHash: $1) })
        loader.start()
        let progress = ProgressLine(enabled: showProgress, total: files.count)
        // Sources are written in batches of about `batchBytes`, each batch one transaction: every backend pays
        // per commit (SQLite's FTS5 writes a new index segment at each), so one per small file would be slow.
        // A batch is stored on its own thread while this one goes on taking loaded files, so that the loaders
        // keep working during a write; at most one batch waits behind the one being written.
        let batchBytes = 8 << 20
        var batch: [SourceDocuments] = []
        var batchSize = 0
        let writer = BatchWriter(knowledgeBase: knowledgeBase, progress: progress)
        func flush() {
            guard !batch.isEmpty else { return }
            writer.write(batch, bytes: batchSize)
            batch.removeAll()
            batchSize = 0
        }
        for index in files.indices {
            let item = loader.take(index)
            outcome.bytesRead += item.bytes
            switch item.result {
            case .unchanged:
                outcome.unchanged += 1
            case .claimedElsewhere:
                outcome.claimedElsewhere += 1
            case .failed(let reason):
                outcome.failures.append((item.path, reason))
                progress.interrupt("\(item.path): error: \(IngestError.message(reason, after: item.path))")
                // A claim that cannot be given back lasts until the run closes the knowledge base: no harm.
                try? knowledgeBase.releaseClaims(on: [item.path])
            case .loaded(let hash, let documents):
                let entries = documents.enumerated().map { ordinal, loaded in
                    var document = loaded.document
                    if document.metadata.title == nil {
                        document.metadata.title = URL(fileURLWithPath: item.path).deletingPathExtension().lastPathComponent
                    }
                    return IndexedDocument(key: DocumentKey.of(path: item.path, ordinal: ordinal, of: documents.count),
                                           document: document, records: loaded.records, prepared: loaded.prepared)
                }
                batch.append(SourceDocuments(source: item.path, contentHash: hash, documents: entries))
                batchSize += item.bytes
                if batchSize >= batchBytes { flush() }
            }
            progress.update(done: index + 1, bytes: outcome.bytesRead, since: start, current: item.path)
        }
        flush()
        let tally = writer.finish()
        outcome.written = tally.written
        outcome.documents = tally.documents
        outcome.bytesWritten = tally.bytesWritten
        outcome.writeSeconds = tally.writeSeconds
        outcome.failures += tally.failures
        progress.finish()
        if prune {
            let current = Set(files)
            let vanished = indexed.keys.sorted().filter { !current.contains($0) && !FileManager.default.fileExists(atPath: $0) }
            // Removed a batch per transaction, as sources are written.
            for start in stride(from: 0, to: vanished.count, by: 256) {
                let batch = Array(vanished[start..<min(start + 256, vanished.count)])
                try knowledgeBase.removeDocuments(fromSources: batch)
                outcome.removed += batch.count
            }
        }
        outcome.seconds = Date().timeIntervalSince(start)
        return outcome
    }
}

/// Stores batches of sources on a thread of its own, one transaction each, and tallies what was written.
final class BatchWriter<Base: KnowledgeBase>: @unchecked Sendable {
    private let knowledgeBase: Base
    private let progress: ProgressLine
    private let queue = DispatchQueue(label: "plankb.index.writer")
    /// One batch being written and at most one more waiting: bounds the memory of loaded documents.
    private let slots = DispatchSemaphore(value: 2)
    /// What was written (the writing fields of an outcome), touched only on `queue`.
    private var tally = IndexRun.Outcome()

    init(knowledgeBase: Base, progress: ProgressLine) {
        self.knowledgeBase = knowledgeBase
        self.progress = progress
    }

    func write(_ batch: [SourceDocuments], bytes: Int) {
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            let start = Date()
            do {
                try knowledgeBase.replaceDocuments(batch)
                tally.written += batch.count
                tally.documents += batch.reduce(0) { $0 + $1.documents.count }
                tally.bytesWritten += bytes
            } catch {
                for source in batch {
                    tally.failures.append((source.source, "could not be stored: \(error)"))
                    progress.interrupt("\(source.source): error: could not be stored: \(error)")
                }
                try? knowledgeBase.releaseClaims(on: batch.map(\.source))
            }
            tally.writeSeconds += Date().timeIntervalSince(start)
        }
    }

    /// Waits for every batch to be stored.
    func finish() -> IndexRun.Outcome {
        queue.sync { tally }
    }
}

/// A message for a bad argument, printed without a stack of error types.
struct ValidationErrorText: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Loads files on every core, ahead of the writer but never more than a window ahead (to bound memory),
/// and hands them out in input order.
final class ParallelLoader: @unchecked Sendable {
    enum Result {
        case unchanged
        case claimedElsewhere
        case loaded(hash: String, documents: [(document: PlanDocument, records: [IndexedRecord], prepared: PreparedDocument)])
        case failed(String)
    }
    struct Item {
        var path: String
        var bytes: Int
        var result: Result
    }

    private let files: [String]
    private let indexed: [String: String]
    private let condition = NSCondition()
    private var slots: [Int: Item] = [:]
    private var nextToLoad = 0
    private var taken = 0
    private let window: Int
    private let workers: Int
    private let extractRecords: Bool
    private let extraction: ExtractionSettings
    private let preparer: DocumentPreparer
    private let claim: (String, String) throws -> Bool

    init(files: [String], indexed: [String: String], extractRecords: Bool, extraction: ExtractionSettings = .standard,
         preparer: DocumentPreparer, claim: @escaping (String, String) throws -> Bool = { _, _ in true }) {
        self.claim = claim
        self.files = files
        self.indexed = indexed
        self.extractRecords = extractRecords
        self.extraction = extraction
        self.preparer = preparer
        workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        window = workers * 4
    }

    func start() {
        for _ in 0..<workers {
            Thread.detachNewThread { [self] in work() }
        }
    }

    private func work() {
        while true {
            condition.lock()
            while nextToLoad < files.count && nextToLoad >= taken + window { condition.wait() }
            guard nextToLoad < files.count else { condition.unlock(); return }
            let index = nextToLoad
            nextToLoad += 1
            condition.unlock()
            let item = load(files[index])
            condition.lock()
            slots[index] = item
            condition.broadcast()
            condition.unlock()
        }
    }

    private func load(_ path: String) -> Item {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            return Item(path: path, bytes: 0, result: .failed("cannot be read: \((error as NSError).localizedDescription)"))
        }
        let hash = data.withUnsafeBytes { ContentHash.of($0) } + (extractRecords ? extraction.fingerprint : "")
        if indexed[path] == hash { return Item(path: path, bytes: data.count, result: .unchanged) }
        do {
            if try !claim(path, hash) { return Item(path: path, bytes: data.count, result: .claimedElsewhere) }
        } catch {
            return Item(path: path, bytes: data.count, result: .failed("could not be claimed: \(error)"))
        }
        do {
            // Records are extracted here, by the loader on the loading threads, so that the writer only stores.
            let documents = try DocumentLoader.load(data: data, source: path,
                                                    pathExtension: URL(fileURLWithPath: path).pathExtension,
                                                    stages: DocumentLoader.Stages(extractRecords: extractRecords, extraction: extraction))
            // So are each document's rows and what the backend derives from them; the tree is then dropped
            // here, off the writer's thread, which stores the prepared rows.
            let loaded = documents.map { document in
                let records = !extractRecords ? [] : document.records.map { record in IndexedRecord(record) }
                let prepared = preparer.prepare(document, records: records)
                var stripped = document
                stripped.root.children = []
                return (document: stripped, records: records, prepared: prepared)
            }
            return Item(path: path, bytes: data.count, result: .loaded(hash: hash, documents: loaded))
        } catch {
            return Item(path: path, bytes: data.count, result: .failed("\(error)"))
        }
    }

    /// Waits for the file at `index` to be loaded and returns it.
    func take(_ index: Int) -> Item {
        condition.lock()
        defer { condition.unlock() }
        while slots[index] == nil { condition.wait() }
        let item = slots.removeValue(forKey: index)!
        taken = index + 1
        condition.broadcast()
        return item
    }
}

/// A one-line progress report on standard error, redrawn in place; silent when standard error is not a terminal.
final class ProgressLine {
    private let enabled: Bool
    private let total: Int
    private var lastDraw = Date.distantPast

    init(enabled: Bool, total: Int) {
        self.enabled = enabled && isatty(2) == 1
        self.total = total
    }

    func update(done: Int, bytes: Int, since start: Date, current: String) {
        guard enabled, Date().timeIntervalSince(lastDraw) > 0.2 || done == total else { return }
        lastDraw = Date()
        let seconds = max(0.001, Date().timeIntervalSince(start))
        let megabytes = Double(bytes) / 1_048_576
        let line = String(format: "%d/%d files, %.1f MB, %.1f MB/s  ", done, total, megabytes, megabytes / seconds)
            + String(current.suffix(50))
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
    }

    /// Prints a message on its own line (keeping the progress line below it).
    func interrupt(_ message: String) {
        FileHandle.standardError.write(Data(((enabled ? "\r\u{1B}[K" : "") + message + "\n").utf8))
    }

    func finish() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
