import Foundation
import ZIPFoundation

/// Writes a ZIP file of named parts (deflated), with a fixed modification date so that the same parts give
/// the same bytes: `convert --to qdpx` is as deterministic as its other outputs.
public enum ZipWriter {
    public static func write(_ parts: [(path: String, data: Data)], to url: URL) throws {
        try? FileManager.default.removeItem(at: url)
        let archive = try Archive(url: url, accessMode: .create)
        let date = Date(timeIntervalSince1970: 1_577_836_800)  // 2020-01-01, any fixed date
        for part in parts {
            try archive.addEntry(with: part.path, type: .file, uncompressedSize: Int64(part.data.count),
                                 modificationDate: date, compressionMethod: .deflate) { position, size in
                part.data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
    }
}
