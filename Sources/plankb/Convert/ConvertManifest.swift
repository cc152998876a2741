import Foundation

/// What a run of `convert` remembers about one input, so that the next run can skip it: the content hash,
/// the settings it was converted with, and every file it produced (`schemas/convert-manifest.schema.json`).
struct ManifestEntry: Codable, Hashable, Sendable {
    var path: String
    /// The stem the outputs are named after; another stem (the input list changed) means a redo.
    var stem: String
    /// The input's content hash, as the index keeps it (`ContentHash`: FNV-1a 64 and the length).
    var hash: String
    var bytes: Int
    /// The output formats and stages, as `ConvertSettings.fingerprint`; other settings mean a redo.
    var settings: String
    /// Per-document files in DIR, and the per-input parts the run files are rebuilt from.
    var outputs: [String]
    var parts: [String]
    var documents: Int
    /// Documents with a warning- or error-level diagnostic.
    var documentsWithWarnings: Int
    var records: Int
}

/// The manifest, `DIR/.plankb-manifest.jsonl`: one entry a line, appended as soon as an input's outputs are
/// all in place, so a run killed at any moment has recorded exactly the inputs that are finished. A line
/// cut short by the kill does not parse and is ignored; a later line for the same path wins. A finished run
/// rewrites the file with one line per input, in input order.
struct ConvertManifest {
    static let fileName = ".plankb-manifest.jsonl"

    let url: URL
    private(set) var entries: [String: ManifestEntry] = [:]

    init(directory: URL) {
        url = directory.appendingPathComponent(Self.fileName)
        guard let data = try? Data(contentsOf: url) else { return }
        let decoder = JSONDecoder()
        for line in data.split(separator: UInt8(ascii: "\n")) {
            if let entry = try? decoder.decode(ManifestEntry.self, from: Data(line)) { entries[entry.path] = entry }
        }
    }

    /// An entry as one JSON line, keys sorted.
    static func line(_ entry: ManifestEntry) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a struct of strings and integers cannot fail.
        return ((try? encoder.encode(entry)) ?? Data()) + Data("\n".utf8)
    }
}

/// Appends manifest lines from several workers; each line goes out in one `write`, so lines never interleave.
final class ManifestAppender: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()

    init(url: URL) throws {
        if !FileManager.default.fileExists(atPath: url.path) {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        // A previous run killed mid-line leaves a fragment; a newline ends it so the next entry parses.
        if let size = try? handle.offset(), size > 0, let last = try? lastByte(of: url), last != UInt8(ascii: "\n") {
            try handle.write(contentsOf: Data("\n".utf8))
        }
    }

    private func lastByte(of url: URL) throws -> UInt8? {
        let reader = try FileHandle(forReadingFrom: url)
        defer { try? reader.close() }
        let size = try reader.seekToEnd()
        guard size > 0 else { return nil }
        try reader.seek(toOffset: size - 1)
        return try reader.read(upToCount: 1)?.first
    }

    func append(_ entry: ManifestEntry) {
        lock.lock()
        defer { lock.unlock() }
        try? handle.write(contentsOf: ConvertManifest.line(entry))
    }

    func close() { try? handle.close() }
}

/// Writes files so that a reader — or a run killed halfway — never sees one half-written: the bytes go to a
/// temporary file in DIR's `.plankb-tmp/` (same file system) and are renamed into place.
struct AtomicWriter: Sendable {
    let directory: URL
    let temporaryDirectory: URL

    init(directory: URL) {
        self.directory = directory
        temporaryDirectory = directory.appendingPathComponent(".plankb-tmp")
    }

    /// Removes what a killed run left in the temporary folder, and makes the folders.
    func prepare() throws {
        try? FileManager.default.removeItem(at: temporaryDirectory)
        try FileManager.default.createDirectory(at: temporaryDirectory, withIntermediateDirectories: true)
    }

    func finish() { try? FileManager.default.removeItem(at: temporaryDirectory) }

    /// Writes `data` to `name` (relative to DIR) through a temporary file and a rename.
    ///
    /// Plain open/write/close, not `Data.write`: Foundation syncs every file it writes to disk, and a
    /// convert run writes seven files an input. The rename is what keeps readers and killed runs from a
    /// half-written file; a sync would only guard against the machine itself going down mid-run.
    func write(_ data: Data, to name: String) throws {
        let temporary = temporaryURL(for: name)
        try Self.writeFile(data, to: temporary.path)
        try moveIntoPlace(temporary, name: name)
    }

    /// Creates or truncates `path` and writes `data` to it, with an error naming the file.
    static func writeFile(_ data: Data, to path: String) throws {
        func failure(_ code: Int32) -> CocoaError {
            let kind: CocoaError.Code = switch code {
            case ENOSPC, EDQUOT: .fileWriteOutOfSpace
            case EACCES, EPERM, EROFS: .fileWriteNoPermission
            default: .fileWriteUnknown
            }
            return CocoaError(kind, userInfo: [NSFilePathErrorKey: path,
                                               NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)])
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw failure(errno) }
        var written = 0
        let result: Int32 = data.withUnsafeBytes { buffer in
            while written < buffer.count {
                let count = Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += count
            }
            return 0
        }
        if result != 0 {
            close(descriptor)
            throw failure(result)
        }
        guard close(descriptor) == 0 else { throw failure(errno) }
    }

    /// A temporary file name unique to this process and file, for writers that stream.
    func temporaryURL(for name: String) -> URL {
        temporaryDirectory.appendingPathComponent(name.replacingOccurrences(of: "/", with: "__") + ".\(getpid()).tmp")
    }

    func moveIntoPlace(_ temporary: URL, name: String) throws {
        let target = directory.appendingPathComponent(name)
        guard rename(temporary.path, target.path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target.path])
        }
    }
}
