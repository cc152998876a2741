import Foundation
import PlanKit

/// The one entry point of the pipeline: bytes in, documents (metadata + tree + diagnostics) out. Every
/// subcommand — parse, records, index, convert, diff, serve — loads through here and never re-runs a stage.
///
/// The format is recognised from the content (`DocumentReaders`); its reader gives blocks and metadata, and
/// `Pipeline` segments and extracts.
public enum DocumentLoader {
    /// Which stages to run. Extraction is the costliest; a tree or text view does not need it.
    public struct Stages: Sendable {
        public var extractRecords: Bool
        public init(extractRecords: Bool = true) { self.extractRecords = extractRecords }
        public static let all = Stages()
        public static let treeOnly = Stages(extractRecords: false)
    }

    /// Loads every document in a file (a JSON Lines file holds several).
    public static func load(contentsOf url: URL, stages: Stages = .all,
                            options: ReaderOptions = ReaderOptions()) throws -> [PlanDocument] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw IngestError.unreadable("\(url.path): \((error as NSError).localizedDescription)")
        }
        return try load(data: data, source: url.relativePath, pathExtension: url.pathExtension, fileURL: url,
                        stages: stages, options: options)
    }

    /// Loads documents from bytes; `source` names them in metadata and diagnostics.
    public static func load(data: Data, source: String, pathExtension: String = "", fileURL: URL? = nil,
                            format: InputFormat? = nil, stages: Stages = .all,
                            options: ReaderOptions = ReaderOptions()) throws -> [PlanDocument] {
        guard !data.isEmpty else { throw IngestError.empty }
        let reader = format.flatMap(DocumentReaders.reader(for:))
            ?? DocumentReaders.reader(for: InputSample(data, pathExtension: pathExtension))
        let input = ReaderInput(data: data, source: source, fileURL: fileURL, pathExtension: pathExtension,
                                options: options)
        return try reader.read(input).map { ingested in
            var ingested = ingested
            if ingested.metadata.source == nil { ingested.metadata.source = source }
            if ingested.metadata.format == nil { ingested.metadata.format = reader.format.rawValue }
            return Pipeline.process(ingested, extractRecords: stages.extractRecords)
        }
    }
}
