import Foundation
import PlanIndex
import PlanIngest
import PlanKit

/// A deterministic scale corpus for the benchmark: copies of the real corpus until a size is reached, each copy
/// in its own folder (`copy-0001/…`) and made distinct, so that no two files are byte duplicates:
/// - about one ASCII digit in twenty (outside HTML tags) is changed, by a generator seeded with copy and file;
/// - a marker paragraph (基准测试副本 K0001F07: copy 1, file 7) is added, which also gives rare queries.
/// JSON Lines are varied inside each document's `content`, so that every line stays valid JSON.
struct ScaleCorpus {
    var corpus: String
    var output: String
    var targetBytes: Int
    /// File name endings of the corpus files to copy (all document formats by default).
    var extensions: Set<String> = DocumentReaders.fileExtensions

    /// The marker of copy `copy`, file `file`, as it appears in the text.
    static func marker(copy: Int, file: Int) -> String { String(format: "K%04dF%02d", copy, file) }

    /// Writes the corpus (unless a finished one with the same parameters is already there) and returns its size.
    func generate(log: (String) -> Void) throws -> (bytes: Int, files: Int, reused: Bool) {
        let stamp = URL(fileURLWithPath: output).appendingPathComponent(".plankb-scale-corpus")
        let sources = try Self.sources(corpus, extensions: extensions)
        let signature = "target=\(targetBytes) sources=\(sources.count) generator=1"
        if let existing = try? String(contentsOf: stamp, encoding: .utf8), existing.hasPrefix(signature + "\n") {
            let parts = existing.split(separator: "\n")
            return (Int(parts[1]) ?? 0, Int(parts[2]) ?? 0, true)
        }
        let originals = try sources.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        let root = corpus.hasSuffix("/") ? String(corpus.dropLast()) : corpus
        var written = 0
        var files = 0
        var copy = 1
        while written < targetBytes {
            for (index, source) in sources.enumerated() where written < targetBytes {
                let relative = String(source.dropFirst(root.count + 1))
                let destination = URL(fileURLWithPath: output)
                    .appendingPathComponent(String(format: "copy-%04d", copy)).appendingPathComponent(relative)
                try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(),
                                                        withIntermediateDirectories: true)
                let varied = Self.vary(originals[index], pathExtension: destination.pathExtension,
                                       marker: Self.marker(copy: copy, file: index + 1),
                                       seed: UInt64(copy) << 16 | UInt64(index))
                try varied.write(to: destination)
                written += varied.count
                files += 1
            }
            if copy % 20 == 0 { log(String(format: "generated %d copies, %.0f MB", copy, Double(written) / 1_048_576)) }
            copy += 1
        }
        try (signature + "\n\(written)\n\(files)\n").write(to: stamp, atomically: true, encoding: .utf8)
        return (written, files, false)
    }

    /// The corpus files that are copied, in a fixed order (not `gold/`: answer keys, not documents).
    static func sources(_ corpus: String, extensions: Set<String>) throws -> [String] {
        try IndexRun.inputFiles([corpus], excluding: ["gold"])
            .filter { extensions.contains(URL(fileURLWithPath: $0).pathExtension.lowercased()) }
    }

    static func vary(_ data: Data, pathExtension: String, marker: String, seed: UInt64) -> Data {
        var random = SplitMix64(seed: seed)
        let note = "（基准测试副本 \(marker)）"
        switch pathExtension.lowercased() {
        case "jsonl", "ndjson":
            var lines: [Data] = []
            for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                guard var object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                      let content = object["content"] as? String else { lines.append(Data(line)); continue }
                let bytes = changeDigits(Array(content.utf8), insideTags: false, random: &random)
                object["content"] = String(decoding: bytes, as: UTF8.self) + "\n" + note
                lines.append((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(line))
            }
            return Data(lines.joined(separator: [UInt8(ascii: "\n")]))
        case "html", "htm", "shtml", "xhtml":
            var bytes = changeDigits(Array(data), insideTags: true, random: &random)
            let paragraph = Array("<p>\(note)</p>".utf8)
            if let position = firstRange(of: Array("<p".utf8), in: bytes)?.lowerBound
                ?? firstRange(of: Array("</body>".utf8), in: bytes)?.lowerBound {
                bytes.insert(contentsOf: paragraph, at: position)
            } else {
                bytes.append(contentsOf: paragraph)
            }
            return Data(bytes)
        default:
            var bytes = changeDigits(Array(data), insideTags: false, random: &random)
            bytes.append(contentsOf: Array("\n\n\(note)\n".utf8))
            return Data(bytes)
        }
    }

    /// Changes about one digit in twenty; in HTML, leaves digits inside tags (attributes, charset) alone.
    private static func changeDigits(_ input: [UInt8], insideTags: Bool, random: inout SplitMix64) -> [UInt8] {
        var bytes = input
        var inTag = false
        for index in bytes.indices {
            let byte = bytes[index]
            if insideTags {
                if byte == UInt8(ascii: "<") { inTag = true } else if byte == UInt8(ascii: ">") { inTag = false }
                if inTag { continue }
            }
            if byte >= 0x30 && byte <= 0x39 && random.next() % 20 == 0 {
                bytes[index] = 0x30 + UInt8((UInt64(byte - 0x30) + 1 + random.next() % 9) % 10)
            }
        }
        return bytes
    }

    private static func firstRange(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<(start + needle.count)]) == needle { return start..<(start + needle.count) }
        }
        return nil
    }
}
