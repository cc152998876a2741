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
            archive = try Self.open(data)
        } catch IngestError.unreadable(let detail) {
            throw IngestError.unreadable("\(source): \(detail)")
        } catch {
            throw IngestError.malformed(id: "ingest.zip-damaged",
                                        detail: "\(source): not a readable ZIP archive (truncated or damaged: \(error))")
        }
        // ZIPFoundation stops listing at an encrypted or unreadable entry without saying so; the central
        // directory, read here directly, tells such an archive from a short one.
        let directory = CentralDirectory(data)
        if let directory, !directory.encrypted.isEmpty {
            let names = directory.encrypted.prefix(3).joined(separator: ", ")
            throw IngestError.malformed(id: "ingest.zip-encrypted",
                                        detail: "\(source): the archive is encrypted (\(names)\(directory.encrypted.count > 3 ? ", …" : "")); it cannot be read without its password")
        }
        var entries: [String: Entry] = [:]
        var names: [String] = []
        var listed = 0
        for entry in archive {
            listed += 1
            guard entry.type == .file else { continue }
            let name = Self.normalise(entry.path)
            if entries[name] == nil { names.append(name) }
            entries[name] = entry
        }
        if let directory, let count = directory.count, listed < count {
            throw IngestError.malformed(id: "ingest.zip-damaged",
                                        detail: "\(source): the archive lists \(count) entries but only \(listed) can be read (truncated or damaged)")
        }
        self.entries = entries
        partNames = names
    }

    private static let sharedMemory = access("/dev/shm", W_OK | X_OK) == 0

    /// Whether `data` starts like a ZIP archive.
    public static func looksLikeZip(_ data: Data) -> Bool { data.starts(with: magic) }

    /// The part names of a ZIP archive, or nil when `data` is not one (for content sniffing).
    public static func partNames(of data: Data) -> Set<String>? {
        guard looksLikeZip(data), let archive = try? open(data) else { return nil }
        return Set(archive.map { normalise($0.path) })
    }

    /// ZIPFoundation's archive over bytes in memory traps (a range whose lower bound passes its upper one) when a
    /// damaged directory points past the end of the bytes — a DOCX with a piece cut out of it did, found by
    /// mutating real files; over a file the same read is a short read and an error. So the bytes are read through
    /// a file, removed at once (the archive's open stream keeps them until it is released): in /dev/shm, memory
    /// like the bytes themselves, where there is one (a file in the temporary folder cost each DOCX ~2 ms of
    /// wall time there), else in the temporary folder.
    private static func open(_ data: Data) throws -> Archive {
        let name = "plankb-zip-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        let folders = (sharedMemory ? [URL(fileURLWithPath: "/dev/shm")] : []) + [FileManager.default.temporaryDirectory]
        // Readable by this user alone. A full /dev/shm is no reason to call the archive damaged: the temporary
        // folder is tried next.
        guard let url = folders.lazy.map({ $0.appendingPathComponent(name) }).first(where: {
            FileManager.default.createFile(atPath: $0.path, contents: data, attributes: [.posixPermissions: 0o600])
        }) else {
            throw IngestError.unreadable("cannot write a temporary copy of the archive in \(folders.map(\.path).joined(separator: " or "))")
        }
        defer { try? FileManager.default.removeItem(at: url) }
        return try Archive(url: url, accessMode: .read)
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
        let limit = maxExpandedBytes >= 1 << 20 ? "\(maxExpandedBytes >> 20) MB" : "\(maxExpandedBytes) bytes"
        return .malformed(id: "ingest.zip-bomb",
                          detail: "\(source): part \(name) expands past \(limit) (alone or with the parts read before it); refused as a ZIP bomb")
    }
}

/// The central directory of a ZIP archive, read from its end record: how many entries it lists and which are
/// encrypted. Nil when there is no end record to read (ZIPFoundation then reports the archive as damaged).
struct CentralDirectory {
    /// The number of entries, when the end record gives it (not for ZIP64 archives).
    var count: Int?
    var encrypted: [String] = []

    init?(_ data: Data) {
        let size = data.count
        let start = data.startIndex
        func byte(_ at: Int) -> UInt8 { data[start + at] }
        func u16(_ at: Int) -> Int { Int(byte(at)) | Int(byte(at + 1)) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        func signature(_ at: Int, _ third: UInt8, _ fourth: UInt8) -> Bool {
            byte(at) == 0x50 && byte(at + 1) == 0x4B && byte(at + 2) == third && byte(at + 3) == fourth
        }
        // The end record: its signature, searched backwards (a comment of up to 64 KiB may follow it).
        guard size >= 22,
              let end = stride(from: size - 22, through: max(0, size - 65_557), by: -1).first(where: { signature($0, 5, 6) })
        else { return nil }
        let total = u16(end + 10)
        let offset = u32(end + 16)
        count = total == 0xFFFF || offset == 0xFFFF_FFFF ? nil : total
        // Walk the directory while its records are where the end record says; a damaged one is left to
        // ZIPFoundation.
        var position = offset
        var seen = 0
        while seen < total, position >= 0, position + 46 <= size, signature(position, 1, 2) {
            let flags = u16(position + 8)
            let nameLength = u16(position + 28)
            let extraLength = u16(position + 30)
            let commentLength = u16(position + 32)
            guard position + 46 + nameLength <= size else { break }
            if flags & 1 != 0 {
                encrypted.append(String(decoding: data[(start + position + 46)..<(start + position + 46 + nameLength)], as: UTF8.self))
            }
            position += 46 + nameLength + extraLength + commentLength
            seen += 1
        }
    }
}
