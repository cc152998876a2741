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
        /// The codebook for instruments, and whether clauses are coded too.
        public var extraction: ExtractionSettings
        public init(extractRecords: Bool = true, extraction: ExtractionSettings = .standard) {
            self.extractRecords = extractRecords
            self.extraction = extraction
        }
        public static let all = Stages()
        public static let treeOnly = Stages(extractRecords: false)
    }

    /// Loads every document in a file (a JSON Lines file holds several).
    public static func load(contentsOf url: URL, stages: Stages = .all,
                            options: ReaderOptions = ReaderOptions()) throws -> [PlanDocument] {
        let data: Data
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            throw IngestError.unreadable("\(url.path) is a folder, not a document (index, convert and records take folders)")
        }
        do {
            data = try Data(contentsOf: url)
        } catch {
            // Foundation's own message on Linux names no cause ("The operation could not be completed"); errno does.
            let reason = FileManager.default.fileExists(atPath: url.path) ? String(cString: strerror(EACCES)) : "no such file"
            throw IngestError.unreadable("\(url.path): \(reason)")
        }
        return try load(data: data, source: url.relativePath, pathExtension: url.pathExtension, fileURL: url,
                        stages: stages, options: options)
    }

    /// Loads documents from bytes; `source` names them in metadata and diagnostics.
    public static func load(data: Data, source: String, pathExtension: String = "", fileURL: URL? = nil,
                            format: InputFormat? = nil, stages: Stages = .all,
                            options: ReaderOptions = ReaderOptions()) throws -> [PlanDocument] {
        // White space alone (spaces, line breaks, U+3000, a byte order mark) is no document, in any format.
        guard !holdsOnlyWhiteSpace(data) else { throw IngestError.empty }
        let reader = format.flatMap(DocumentReaders.reader(for:))
            ?? DocumentReaders.reader(for: InputSample(data, pathExtension: pathExtension))
        let input = ReaderInput(data: data, source: source, fileURL: fileURL, pathExtension: pathExtension,
                                options: options)
        return try reader.read(input).map { ingested in
            var ingested = ingested
            if ingested.metadata.source == nil { ingested.metadata.source = source }
            if ingested.metadata.format == nil { ingested.metadata.format = reader.format.rawValue }
            return Pipeline.process(ingested, extractRecords: stages.extractRecords, settings: stages.extraction)
        }
    }

    /// Whether `data` is empty or UTF-8 white space only. Stops at the first character that is not white space.
    static func holdsOnlyWhiteSpace(_ data: Data) -> Bool {
        var index = data.startIndex
        while index < data.endIndex {
            let byte = data[index]
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D:
                index += 1
            case 0xC2...0xF4: // one multi-byte character: U+3000, NBSP, a byte order mark are white space here
                let length = byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
                guard index + length <= data.endIndex,
                      let scalar = String(decoding: data[index..<(index + length)], as: UTF8.self).unicodeScalars.first,
                      scalar.properties.isWhitespace || scalar == "\u{FEFF}" else { return false }
                index += length
            default:
                return false
            }
        }
        return true
    }
}
