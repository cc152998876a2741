import Foundation

/// Why an input could not be read at all. Everything short of these is a diagnostic, not an error.
public enum IngestError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case binary(offset: Int)
    case undecodable(String)
    case unreadable(String)
    case noDocuments(String)
    /// A file of a binary format (PDF, DOCX, OFD, DOC) that its reader cannot use: `id` is the stable
    /// identifier (`ingest.pdf-no-text`, `ingest.zip-bomb`), `detail` says what is wrong and where (the part
    /// of the archive, the page).
    case malformed(id: String, detail: String)
    /// A reader needs a program that is not installed (`soffice` for DOC, `pdftohtml` for PDF).
    case missingTool(tool: String, package: String, purpose: String)

    public var description: String {
        switch self {
        case .empty: "the input is empty"
        case .binary(let offset): "the input is binary, not text (a control byte at offset \(offset))"
        case .undecodable(let detail): "the input is not valid UTF-8, UTF-16 or GB18030 text: \(detail)"
        case .unreadable(let detail): "the input cannot be read: \(detail)"
        case .noDocuments(let detail): "the input holds no document: \(detail)"
        case .malformed(_, let detail): detail
        case .missingTool(let tool, let package, let purpose):
            "\(purpose) needs `\(tool)`, which is not installed (Debian: apt-get install \(package))"
        }
    }

    /// The stable identifier a batch reports the failure under (`errors.jsonl`).
    public var id: String {
        switch self {
        case .empty: "ingest.empty"
        case .binary: "ingest.binary"
        case .undecodable: "ingest.undecodable"
        case .unreadable: "ingest.unreadable"
        case .noDocuments: "ingest.no-documents"
        case .malformed(let id, _): id
        case .missingTool: "ingest.missing-tool"
        }
    }
}

extension IngestError {
    /// What a line that names the input already (`path: error: …`, `[3/11] path: failed: …`) says of a failure:
    /// `message` without the `path: ` that readers begin their messages with, so that those also stand alone
    /// (errors.jsonl keeps them whole). Without it the path was printed twice.
    public static func message(_ message: String, after path: String) -> String {
        message.hasPrefix(path + ": ") ? String(message.dropFirst(path.count + 2)) : message
    }
}

/// Text encodings these sites use, with the names PlanKB reports.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "UTF-8"
    case utf16LE = "UTF-16LE"
    case utf16BE = "UTF-16BE"
    case gb18030 = "GB18030"

    /// Foundation's encoding. GB18030 has no named constant on Linux; its CFStringEncoding is 0x0632.
    public var foundationEncoding: String.Encoding {
        switch self {
        case .utf8: .utf8
        case .utf16LE: .utf16LittleEndian
        case .utf16BE: .utf16BigEndian
        case .gb18030: String.Encoding(rawValue: 0x8000_0632)
        }
    }

    /// The encoding a declared charset name stands for. gb2312, gbk and x-gbk map to GB18030: pages that
    /// declare gb2312 routinely contain GBK-only characters (镕), and GB18030 is a superset of both.
    public init?(declaredName name: String) {
        switch name.lowercased().trimmingCharacters(in: .whitespaces) {
        case "utf-8", "utf8": self = .utf8
        case "gb2312", "gbk", "x-gbk", "gb18030", "cp936", "windows-936", "euc-cn", "hz-gb-2312": self = .gb18030
        case "utf-16le": self = .utf16LE
        case "utf-16be", "utf-16": self = .utf16BE
        default: return nil
        }
    }
}

/// The decoded text of an input, how it was decoded, and any repairs made on the way.
public struct DecodedText: Sendable {
    public var text: String
    public var encoding: TextEncoding
    public var diagnostics: [Diagnostic]
    /// Bytes of a byte-order mark skipped at the start.
    public var bomLength: Int
}

/// Decides the encoding of raw bytes and decodes them.
///
/// Order: a byte-order mark; UTF-16 without one (every other byte NUL); valid UTF-8; GB18030. A file cut in
/// the middle of a multi-byte character is decoded up to the cut, with a warning. Binary input is refused.
public enum TextDecoder {
    public static func decode(_ data: Data) throws(IngestError) -> DecodedText {
        let bytes = [UInt8](data)
        guard !bytes.isEmpty else { throw .empty }

        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return try decode(bytes, from: 3, as: .utf8)
        }
        if bytes.starts(with: [0xFF, 0xFE]) { return try decode(bytes, from: 2, as: .utf16LE) }
        if bytes.starts(with: [0xFE, 0xFF]) { return try decode(bytes, from: 2, as: .utf16BE) }
        if let utf16 = sniffUTF16WithoutBOM(bytes) { return try decode(bytes, from: 0, as: utf16) }

        if let offset = firstBinaryByte(bytes) { throw .binary(offset: offset) }
        if isValidUTF8(bytes[...]) { return try decode(bytes, from: 0, as: .utf8) }
        // Valid UTF-8 but for a character cut off at the very end: a truncated UTF-8 file.
        let cut = incompleteUTF8Tail(bytes)
        if cut > 0, isValidUTF8(bytes[..<(bytes.count - cut)]) {
            var decoded = try decode(Array(bytes[..<(bytes.count - cut)]), from: 0, as: .utf8)
            decoded.diagnostics.append(truncationDiagnostic(in: decoded.text, bytes: cut))
            return decoded
        }
        return try decodeGB18030(bytes)
    }

    /// Decodes with a known encoding (a declaration the bytes agree with); falls back to `decode(_:)`.
    public static func decode(_ data: Data, declared: TextEncoding) throws(IngestError) -> DecodedText {
        let bytes = [UInt8](data)
        guard !bytes.isEmpty else { throw .empty }
        if declared == .gb18030, !isValidUTF8(bytes[...]) || bytes.allSatisfy({ $0 < 0x80 }) {
            return try decodeGB18030(bytes)
        }
        return try decode(data)
    }

    // MARK: - Pieces

    private static func decode(_ bytes: [UInt8], from start: Int, as encoding: TextEncoding) throws(IngestError) -> DecodedText {
        var body = Array(bytes[start...])
        var diagnostics: [Diagnostic] = []
        if encoding == .utf16LE || encoding == .utf16BE, body.count % 2 == 1 {
            body.removeLast()
            diagnostics.append(Diagnostic(.warning, "ingest.truncated-character",
                                          "the input ends in the middle of a UTF-16 character; the last byte was dropped"))
        }
        guard !body.isEmpty else { throw .empty }
        guard let text = String(data: Data(body), encoding: encoding.foundationEncoding) else {
            if encoding == .utf8 { return try decodeGB18030(body) }
            throw .undecodable("\(encoding.rawValue) decoding failed")
        }
        if encoding == .utf16LE || encoding == .utf16BE, let offset = firstControlCharacter(text) {
            throw .binary(offset: offset)
        }
        return DecodedText(text: text, encoding: encoding, diagnostics: diagnostics, bomLength: start)
    }

    private static func decodeGB18030(_ bytes: [UInt8]) throws(IngestError) -> DecodedText {
        let gb = TextEncoding.gb18030.foundationEncoding
        if let text = String(data: Data(bytes), encoding: gb) {
            return DecodedText(text: text, encoding: .gb18030, diagnostics: [], bomLength: 0)
        }
        // A GB18030 file cut inside a two- or four-byte character: drop the partial character.
        for cut in 1...3 where bytes.count > cut {
            if let text = String(data: Data(bytes[..<(bytes.count - cut)]), encoding: gb) {
                return DecodedText(text: text, encoding: .gb18030,
                                   diagnostics: [truncationDiagnostic(in: text, bytes: cut)], bomLength: 0)
            }
        }
        // Mostly GB18030 with a few bad bytes: repair them to U+FFFD and say where.
        return try repairGB18030(bytes)
    }

    private static func repairGB18030(_ bytes: [UInt8]) throws(IngestError) -> DecodedText {
        let gb = TextEncoding.gb18030.foundationEncoding
        var text = ""
        var bad = 0
        var firstBad: SourcePosition?
        var index = 0
        var line = 1
        var column = 1
        while index < bytes.count {
            let byte = bytes[index]
            var length = 1
            if byte >= 0x81 && byte <= 0xFE, index + 1 < bytes.count {
                let second = bytes[index + 1]
                length = (second >= 0x30 && second <= 0x39) ? 4 : 2
            }
            let end = min(index + length, bytes.count)
            if byte < 0x80 {
                let scalar = Character(Unicode.Scalar(byte))
                text.append(scalar)
                if byte == 0x0A { line += 1; column = 1 } else { column += 1 }
                index += 1
            } else if let piece = String(data: Data(bytes[index..<end]), encoding: gb) {
                text += piece
                column += piece.count
                index = end
            } else {
                text.append("\u{FFFD}")
                bad += 1
                if firstBad == nil { firstBad = SourcePosition(line: line, column: column) }
                column += 1
                index += 1
            }
        }
        // More than one bad sequence in twenty characters: this is not GB18030 text.
        guard bad * 20 < max(text.count, 1) else {
            throw .undecodable("\(bad) byte sequences are invalid in UTF-8 and in GB18030")
        }
        let diagnostic = Diagnostic(.warning, "ingest.encoding-repair",
                                    "\(bad) invalid byte sequence(s) replaced with U+FFFD while decoding as GB18030",
                                    at: firstBad)
        return DecodedText(text: text, encoding: .gb18030, diagnostics: [diagnostic], bomLength: 0)
    }

    private static func truncationDiagnostic(in text: String, bytes: Int) -> Diagnostic {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let position = SourcePosition(line: lines.count, column: (lines.last?.count ?? 0) + 1)
        return Diagnostic(.warning, "ingest.truncated-character",
                          "the input ends in the middle of a character; \(bytes) trailing byte(s) dropped", at: position)
    }

    /// UTF-16 without a byte-order mark: most characters of ASCII text have a NUL in one byte of each pair.
    private static func sniffUTF16WithoutBOM(_ bytes: [UInt8]) -> TextEncoding? {
        let sample = bytes.prefix(4096)
        guard sample.count >= 4 else { return nil }
        var evenZeros = 0
        var oddZeros = 0
        for (offset, byte) in sample.enumerated() where byte == 0 {
            if offset % 2 == 0 { evenZeros += 1 } else { oddZeros += 1 }
        }
        let pairs = sample.count / 2
        if oddZeros * 10 > pairs * 3, evenZeros * 10 < pairs { return .utf16LE }
        if evenZeros * 10 > pairs * 3, oddZeros * 10 < pairs { return .utf16BE }
        return nil
    }

    /// The offset of the first byte that cannot be in a text file (NUL and most C0 controls).
    public static func firstBinaryByte(_ bytes: [UInt8]) -> Int? {
        var controls = 0
        for (offset, byte) in bytes.prefix(65_536).enumerated() {
            if byte == 0 { return offset }
            if byte < 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D, byte != 0x0C, byte != 0x1B {
                controls += 1
                if controls > 8 { return offset }
            }
        }
        return nil
    }

    /// The offset of the first control character that text never holds (NUL and C0 controls other than
    /// tab, line feed, carriage return and form feed): bytes read as UTF-16 that were not UTF-16 text.
    private static func firstControlCharacter(_ text: String) -> Int? {
        for (offset, scalar) in text.unicodeScalars.prefix(65_536).enumerated()
        where scalar.value < 0x20 && ![0x09, 0x0A, 0x0D, 0x0C].contains(scalar.value) {
            return offset
        }
        return nil
    }

    public static func isValidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// How many bytes at the end start a UTF-8 sequence that the input cuts off (0 when none).
    private static func incompleteUTF8Tail(_ bytes: [UInt8]) -> Int {
        for back in 1...min(3, bytes.count) {
            let byte = bytes[bytes.count - back]
            if byte & 0xC0 == 0x80 { continue }  // continuation byte: look further back
            let needed = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            return needed > back ? back : 0
        }
        return 0
    }
}
