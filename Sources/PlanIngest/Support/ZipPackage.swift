import Foundation
import PlanKit
import ZIPFoundation

/// A ZIP container (DOCX, OFD) opened for reading, with the limits that keep a hostile archive harmless:
/// every entry is refused past `maxExpandedBytes` — by its declared size before extraction and by the bytes
/// actually produced during it, since a ZIP bomb may lie about its sizes — and so is the archive as a whole.
///
/// Part names are compared without a leading `/` and with `\` read as `/` (some producers write either).
public final class ZipPackage {
    private let archive: Archive
    /// The archive's entries by normalised part name.
    private let entries: [String: Entry]
    /// Part names in the archive's order.
    public let partNames: [String]
    private let maxExpandedBytes: Int
    private var expandedSoFar = 0
    /// The file the archive came from, for errors.
    public let source: String

    /// The ZIP magic number (a local file header).
    public static let magic: [UInt8] = [0x50, 0x4B, 0x03, 0x04]

    public init(data: Data, source: String, maxExpandedBytes: Int) throws {
        self.source = source
        self.maxExpandedBytes = maxExpandedBytes
        do {
            archive = try Archive(data: data, accessMode: .read)
        } catch {
            throw IngestError.malformed(id: "ingest.zip-damaged",
                                        detail: "\(source): not a readable ZIP archive (truncated or damaged: \(error))")
        }
        var entries: [String: Entry] = [:]
        var names: [String] = []
        for entry in archive where entry.type == .file {
            let name = Self.normalise(entry.path)
            if entries[name] == nil { names.append(name) }
            entries[name] = entry
        }
        self.entries = entries
        partNames = names
    }

    /// Whether `data` starts like a ZIP archive.
    public static func looksLikeZip(_ data: Data) -> Bool { data.starts(with: magic) }

    /// The part names of a ZIP archive, or nil when `data` is not one (for content sniffing).
    public static func partNames(of data: Data) -> Set<String>? {
        guard looksLikeZip(data), let archive = try? Archive(data: data, accessMode: .read) else { return nil }
        return Set(archive.map { normalise($0.path) })
    }

    static func normalise(_ path: String) -> String {
        var name = path.replacingOccurrences(of: "\\", with: "/")
        while name.hasPrefix("/") { name.removeFirst() }
        return name
    }

    public func contains(_ part: String) -> Bool { entries[Self.normalise(part)] != nil }

    /// The part whose name equals `part` ignoring case, for producers that change the case of names.
    public func resolve(_ part: String) -> String? {
        let name = Self.normalise(part)
        if entries[name] != nil { return name }
        let lowered = name.lowercased()
        return partNames.first { $0.lowercased() == lowered }
    }

    /// The bytes of one part; nil when there is no such part. Throws when the part is damaged or expands past
    /// the limits.
    public func read(_ part: String) throws -> Data? {
        guard let name = resolve(part), let entry = entries[name] else { return nil }
        let limit = maxExpandedBytes
        if entry.uncompressedSize > UInt64(limit) || expandedSoFar + Int(clamping: entry.uncompressedSize) > limit {
            throw bomb(name)
        }
        var data = Data()
        var overLimit = false
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                data.append(chunk)
                if data.count > limit || self.expandedSoFar + data.count > limit {
                    overLimit = true
                    throw CocoaError(.fileReadTooLarge)
                }
            }
        } catch {
            if overLimit { throw bomb(name) }
            throw IngestError.malformed(id: "ingest.zip-damaged", detail: "\(source): part \(name) cannot be extracted (\(error))")
        }
        expandedSoFar += data.count
        return data
    }

    private func bomb(_ name: String) -> IngestError {
        .malformed(id: "ingest.zip-bomb",
                   detail: "\(source): part \(name) expands past \(maxExpandedBytes >> 20) MB; refused as a ZIP bomb")
    }
}
