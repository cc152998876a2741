import Foundation
import PlanKit

/// How the bytes of an HTML page are handed to libxml2: which bytes, under which encoding name, what PlanKB
/// reports as the page's encoding, and what was noticed on the way.
///
/// libxml2 is always told the encoding: a page's own declaration is often wrong (sites declare gb2312 and serve
/// UTF-8, or declare gb2312 and use GBK-only characters such as 镕, which libxml2 then drops with the rest of
/// the body). The bytes decide; the declaration only breaks ties.
struct HTMLEncodingChoice {
    /// The bytes to parse: the input itself, or a UTF-8 re-encoding of it (UTF-16, damaged GB18030).
    var bytes: [UInt8]
    /// The name passed to `htmlReadMemory`.
    var parserEncoding: String
    /// What `Metadata.encoding` reports: the encoding of the input as found.
    var reportedEncoding: String
    var diagnostics: [Diagnostic]
    /// The source as UTF-8, for finding blocks in it: `bytes` itself, or their decoding when libxml2 reads
    /// another encoding (the lines are the same lines).
    var utf8Source: [UInt8]

    init(bytes: [UInt8], parserEncoding: String, reportedEncoding: String, diagnostics: [Diagnostic],
         utf8Source: [UInt8]? = nil) {
        self.bytes = bytes
        self.parserEncoding = parserEncoding
        self.reportedEncoding = reportedEncoding
        self.diagnostics = diagnostics
        self.utf8Source = utf8Source ?? bytes
    }

    /// Decides the encoding of `data`.
    /// - Throws: `.empty` for no bytes, `.binary` for bytes that are not text, `.undecodable` when no
    ///   encoding fits.
    static func choose(for data: Data) throws(IngestError) -> HTMLEncodingChoice {
        var bytes = [UInt8](data)
        guard !bytes.isEmpty else { throw .empty }

        // UTF-16 (with a byte-order mark, or sniffed from its NUL bytes): libxml2's HTML parser handles it
        // poorly, so decode here and hand it UTF-8.
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) || bytes.prefix(4096).contains(0) {
            let decoded = try TextDecoder.decode(data)
            if decoded.encoding == .utf16LE || decoded.encoding == .utf16BE {
                var diagnostics = decoded.diagnostics
                diagnostics.append(Diagnostic(.note, "ingest.utf16-transcoded",
                                              "\(decoded.encoding.rawValue) input re-encoded as UTF-8 for the HTML parser"))
                return HTMLEncodingChoice(bytes: Array(decoded.text.utf8), parserEncoding: "UTF-8",
                                          reportedEncoding: decoded.encoding.rawValue, diagnostics: diagnostics)
            }
            // Not UTF-16 after all; `decode` refuses real binary, so whatever comes here is text.
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard !bytes.isEmpty else { throw .empty }
        if let offset = TextDecoder.firstBinaryByte(bytes) { throw .binary(offset: offset) }

        var diagnostics: [Diagnostic] = []
        let declaredName = declaredCharset(in: bytes)
        let declared = declaredName.flatMap(TextEncoding.init(declaredName:))

        // UTF-8 validity, forgiving a character cut off at the very end (a truncated download).
        var utf8Valid = TextDecoder.isValidUTF8(bytes[...])
        if !utf8Valid {
            let cut = incompleteUTF8Tail(bytes)
            if cut > 0, TextDecoder.isValidUTF8(bytes[..<(bytes.count - cut)]) {
                bytes.removeLast(cut)
                utf8Valid = true
                diagnostics.append(truncation(bytes: cut, in: bytes))
            }
        }
        let hasNonASCII = bytes.contains { $0 >= 0x80 }

        // UTF-8 with a stray bad byte or two (a CMS that cut a character) is still UTF-8: repair it rather
        // than read the whole page as GB18030, which would turn every character into two wrong ones. (GB18030
        // text read as UTF-8 has far more bad sequences than good ones; one in ten is the line.)
        if !utf8Valid {
            let (valid, invalid) = utf8Census(bytes)
            if invalid * 10 < valid {
                let repaired = String(decoding: bytes, as: UTF8.self)
                diagnostics.append(Diagnostic(.warning, "ingest.encoding-repair",
                                              "\(invalid) invalid UTF-8 sequence(s) in otherwise UTF-8 text replaced with U+FFFD",
                                              at: firstInvalidUTF8Position(bytes)))
                if declared == .gb18030 {
                    diagnostics.append(Diagnostic(.warning, "ingest.encoding-mismatch",
                                                  "the page declares \(declaredName ?? "GB2312") but its bytes are UTF-8; read as UTF-8"))
                }
                return HTMLEncodingChoice(bytes: Array(repaired.utf8), parserEncoding: "UTF-8",
                                          reportedEncoding: TextEncoding.utf8.rawValue, diagnostics: diagnostics)
            }
        }

        func utf8Choice() -> HTMLEncodingChoice {
            HTMLEncodingChoice(bytes: bytes, parserEncoding: "UTF-8", reportedEncoding: TextEncoding.utf8.rawValue,
                               diagnostics: diagnostics)
        }

        switch declared {
        case .gb18030?:
            if utf8Valid && hasNonASCII {
                diagnostics.append(Diagnostic(.warning, "ingest.encoding-mismatch",
                                              "the page declares \(declaredName ?? "GB2312") but its bytes are UTF-8; read as UTF-8"))
                return utf8Choice()
            }
            return try gb18030Choice(bytes, diagnostics: diagnostics)
        case .utf8?, nil:
            if utf8Valid { return utf8Choice() }
            if declared == .utf8 {
                diagnostics.append(Diagnostic(.warning, "ingest.encoding-mismatch",
                                              "the page declares UTF-8 but its bytes are not UTF-8; read as GB18030"))
            }
            if declared == nil, let name = declaredName, !isUTF16(name) {
                return try otherDeclaredChoice(bytes, name: name, diagnostics: diagnostics)
            }
            return try gb18030Choice(bytes, diagnostics: diagnostics)
        case .utf16LE?, .utf16BE?:
            // Declared UTF-16 but not UTF-16 bytes (we would have caught those above): ignore the declaration.
            if utf8Valid { return utf8Choice() }
            return try gb18030Choice(bytes, diagnostics: diagnostics)
        }
    }

    /// GB18030 through libxml2 when Foundation agrees the bytes are GB18030; otherwise PlanKit's decoder
    /// repairs them (a cut character, a few bad bytes) and libxml2 gets UTF-8, because libxml2 stops reading
    /// at the first bad byte and would lose the rest of the page.
    private static func gb18030Choice(_ bytes: [UInt8], diagnostics: [Diagnostic]) throws(IngestError) -> HTMLEncodingChoice {
        if let text = String(data: Data(bytes), encoding: TextEncoding.gb18030.foundationEncoding) {
            return HTMLEncodingChoice(bytes: bytes, parserEncoding: "GB18030",
                                      reportedEncoding: TextEncoding.gb18030.rawValue, diagnostics: diagnostics,
                                      utf8Source: Array(text.utf8))
        }
        let decoded = try TextDecoder.decode(Data(bytes), declared: .gb18030)
        return HTMLEncodingChoice(bytes: Array(decoded.text.utf8), parserEncoding: "UTF-8",
                                  reportedEncoding: decoded.encoding.rawValue,
                                  diagnostics: diagnostics + decoded.diagnostics)
    }

    /// A declared encoding PlanKB has no name for (Big5, windows-1252…): the sites PlanKB reads are UTF-8 or
    /// GB; say so and read the bytes as GB18030.
    private static func otherDeclaredChoice(_ bytes: [UInt8], name: String, diagnostics: [Diagnostic]) throws(IngestError) -> HTMLEncodingChoice {
        var diagnostics = diagnostics
        diagnostics.append(Diagnostic(.warning, "ingest.encoding-unsupported",
                                      "the page declares the encoding \"\(name)\", which PlanKB does not read; read as GB18030"))
        return try gb18030Choice(bytes, diagnostics: diagnostics)
    }

    private static func isUTF16(_ name: String) -> Bool { name.lowercased().hasPrefix("utf-16") }

    /// The charset named by a `<meta charset>` or `<meta http-equiv="Content-Type" content="…charset=…">`
    /// in the first 4 KB, lowercased.
    static func declaredCharset(in bytes: [UInt8]) -> String? {
        let head = bytes.prefix(4096).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        let key = Array("charset".utf8)
        var index = 0
        while index + key.count < head.count {
            guard head[index..<(index + key.count)].elementsEqual(key) else { index += 1; continue }
            // Only inside a <meta …> tag.
            let tagStart = head[..<index].lastIndex(of: UInt8(ascii: "<"))
            let tagEnd = head[..<index].lastIndex(of: UInt8(ascii: ">"))
            let inMeta = tagStart.map { start in
                (tagEnd.map { $0 < start } ?? true) && head[(start + 1)...].starts(with: Array("meta".utf8))
            } ?? false
            var cursor = index + key.count
            index = cursor
            guard inMeta else { continue }
            while cursor < head.count, head[cursor] == 0x20 { cursor += 1 }
            guard cursor < head.count, head[cursor] == UInt8(ascii: "=") else { continue }
            cursor += 1
            while cursor < head.count, [0x20, 0x22, 0x27].contains(head[cursor]) { cursor += 1 }
            var name: [UInt8] = []
            while cursor < head.count, isCharsetNameByte(head[cursor]) { name.append(head[cursor]); cursor += 1 }
            if !name.isEmpty { return String(decoding: name, as: UTF8.self) }
        }
        return nil
    }

    private static func isCharsetNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x5F
            || byte == 0x2E || byte == 0x3A
    }

    /// Multi-byte UTF-8 characters and invalid sequences in `bytes`.
    private static func utf8Census(_ bytes: [UInt8]) -> (valid: Int, invalid: Int) {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var valid = 0
        var invalid = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if scalar.value >= 0x80 { valid += 1 }
            case .error: invalid += 1
            case .emptyInput: return (valid, invalid)
            }
        }
    }

    /// Line and column (in characters) of the first invalid UTF-8 sequence.
    private static func firstInvalidUTF8Position(_ bytes: [UInt8]) -> SourcePosition? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var line = 1
        var column = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .error: return SourcePosition(line: line, column: column)
            case .emptyInput: return nil
            }
        }
    }

    /// How many bytes at the end begin a UTF-8 character that the input cuts off (0 when none).
    private static func incompleteUTF8Tail(_ bytes: [UInt8]) -> Int {
        for back in 1...min(3, bytes.count) {
            let byte = bytes[bytes.count - back]
            if byte & 0xC0 == 0x80 { continue }
            let needed = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            return needed > back ? back : 0
        }
        return 0
    }

    private static func truncation(bytes cut: Int, in bytes: [UInt8]) -> Diagnostic {
        let lineCount = bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        return Diagnostic(.warning, "ingest.truncated-character",
                          "the input ends in the middle of a character; \(cut) trailing byte(s) dropped",
                          at: SourcePosition(line: lineCount, column: 1))
    }
}
