import CLibXML2
import Foundation
import PlanKit

/// One libxml2 parse of a page: the document, owned and freed here, and what libxml2 complained about.
///
/// libxml2 reports encoding errors through its global error handlers even with `HTML_PARSE_NOERROR` (they
/// would land on stderr), so a structured error handler is installed for the duration of the parse and the
/// previous one put back afterwards. libxml2 keeps these handlers per thread, and the parse does not suspend,
/// so concurrent parses on other threads are not disturbed.
final class LibXMLParse {
    let document: htmlDocPtr?
    let findings: [Diagnostic]

    /// libxml2 wants `xmlInitParser` called once before parses run on several threads.
    private static let initialised: Void = xmlInitParser()

    init(bytes: [UInt8], encoding: String) {
        _ = Self.initialised
        guard !bytes.isEmpty else {
            document = nil
            findings = []
            return
        }
        let log = LibXMLErrorLog()
        let previousHandler = __xmlStructuredError().pointee
        let previousContext = __xmlStructuredErrorContext().pointee
        xmlSetStructuredErrorFunc(Unmanaged.passUnretained(log).toOpaque(), libXMLErrorCallback)
        defer { xmlSetStructuredErrorFunc(previousContext, previousHandler) }

        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue
                            | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue)
        document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
                htmlReadMemory(pointer, Int32(clamping: buffer.count), nil, encoding, options)
            }
        }
        findings = log.diagnostics()
    }

    deinit {
        if let document { xmlFreeDoc(document) }
    }
}

/// Collects libxml2's structured errors during one parse.
private final class LibXMLErrorLog {
    struct Entry {
        var kind: Kind
        var line: Int
        var message: String
    }
    enum Kind { case encoding, depth, fatal }

    private var entries: [Entry] = []
    private var encodingErrors = 0

    func record(_ error: xmlError) {
        let message = error.message.map { String(cString: $0) }?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "unknown libxml2 error"
        let kind: Kind
        if Self.isEncodingError(domain: error.domain, code: error.code) {
            kind = .encoding
            encodingErrors += 1
        } else if message.contains("Excessive depth") {
            kind = .depth
        } else if error.level == XML_ERR_FATAL {
            kind = .fatal
        } else {
            return  // tag soup: recovered silently, as a browser would
        }
        // A damaged 50 MB file can raise an error per byte; keep the first few.
        if kind == .encoding, encodingErrors > 5 { return }
        if entries.count < 20 { entries.append(Entry(kind: kind, line: Int(error.line), message: message)) }
    }

    private static func isEncodingError(domain: Int32, code: Int32) -> Bool {
        if domain == Int32(XML_FROM_I18N.rawValue) { return true }
        let codes: [xmlParserErrors] = [XML_ERR_INVALID_CHAR, XML_ERR_INVALID_ENCODING, XML_ERR_UNKNOWN_ENCODING,
                                        XML_ERR_UNSUPPORTED_ENCODING, XML_IO_ENCODER]
        return codes.contains { Int32($0.rawValue) == code }
    }

    func diagnostics() -> [Diagnostic] {
        var result = entries.map { entry -> Diagnostic in
            let position = entry.line > 0 ? SourcePosition(line: entry.line, column: 1) : nil
            switch entry.kind {
            case .encoding:
                return Diagnostic(.warning, "ingest.html-encoding", "libxml2: \(entry.message)", at: position)
            case .depth:
                return Diagnostic(.warning, "ingest.html-depth",
                                  "the page nests elements deeper than libxml2 allows; the text below that depth is lost (\(entry.message))",
                                  at: position)
            case .fatal:
                return Diagnostic(.warning, "ingest.html-parse", "libxml2 stopped: \(entry.message)", at: position)
            }
        }
        if encodingErrors > 5 {
            result.append(Diagnostic(.warning, "ingest.html-encoding",
                                     "libxml2 reported \(encodingErrors) encoding errors in all; only the first 5 are listed"))
        }
        return result
    }
}

/// C-callable: recovers the log from the context pointer libxml2 hands back.
private let libXMLErrorCallback: xmlStructuredErrorFunc = { context, error in
    guard let context, let error else { return }
    Unmanaged<LibXMLErrorLog>.fromOpaque(context).takeUnretainedValue().record(error.pointee)
}
