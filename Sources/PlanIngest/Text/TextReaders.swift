import Foundation
import PlanKit

extension InputFormat {
    public static let text = InputFormat(rawValue: "text")
    public static let markdown = InputFormat(rawValue: "markdown")
    public static let jsonLines = InputFormat(rawValue: "jsonl")
}

/// Plain text in UTF-8, UTF-16 or GB18030, including text extracted from PDFs with its broken lines.
public enum PlainTextReader: DocumentReader {
    public static let format = InputFormat.text
    public static let fileExtensions = ["txt", "text"]
    public static let summary = "plain text in UTF-8, UTF-16 or GB18030 (also text pasted from PDFs, reflowed)"

    public static func recognize(_ sample: InputSample) -> Recognition {
        fileExtensions.contains(sample.pathExtension) ? .fileExtension : .no
    }

    public static func read(_ input: ReaderInput) throws -> [IngestedText] {
        [try TextFlavorReading.read(input, flavor: .plain)]
    }
}

/// Markdown (headings `#`, front matter), as law collections publish it.
public enum MarkdownReader: DocumentReader {
    public static let format = InputFormat.markdown
    public static let fileExtensions = ["md", "markdown"]
    public static let summary = "Markdown: # headings, front matter, an INFO block"

    public static func recognize(_ sample: InputSample) -> Recognition {
        if fileExtensions.contains(sample.pathExtension) { return .fileExtension }
        // WordSearch answers as Foundation's `contains` does, on the bytes (every input's head is asked).
        let head = WordSearch.Haystack(String(sample.head))
        if head.contains("<!-- INFO END -->") || sample.head.hasPrefix("# ") || head.contains("\n## ") { return .guess }
        return .no
    }

    public static func read(_ input: ReaderInput) throws -> [IngestedText] {
        [try TextFlavorReading.read(input, flavor: .markdown)]
    }
}

/// The shared path of plain text and Markdown: decode, refuse white space alone, ingest.
enum TextFlavorReading {
    static func read(_ input: ReaderInput, flavor: TextIngester.Flavor) throws -> IngestedText {
        let decoded = try TextDecoder.decode(input.data)
        guard !decoded.text.allSatisfy(\.isWhitespace) else { throw IngestError.empty }
        let metadata = Metadata(source: input.source, encoding: decoded.encoding.rawValue)
        var ingested = TextIngester.ingest(decoded.text, flavor: flavor, metadata: metadata)
        ingested.diagnostics.insert(contentsOf: decoded.diagnostics, at: 0)
        return ingested
    }
}

/// One document a line: `content` (or `text`, `body`) with optional `title`, `url`, `year`, `date`, `issuer`.
public enum JSONLinesReader: DocumentReader {
    public static let format = InputFormat.jsonLines
    public static let fileExtensions = ["jsonl", "ndjson"]
    public static let summary = "JSON Lines: one document a line, its text in \"content\" (or \"text\", \"body\")"

    public static func recognize(_ sample: InputSample) -> Recognition {
        if sample.head.hasPrefix("{"), let firstLine = sample.head.split(separator: "\n").first,
           firstLine.trimmingCharacters(in: .whitespaces).hasSuffix("}") {
            return .content
        }
        return fileExtensions.contains(sample.pathExtension) ? .fileExtension : .no
    }

    public static func read(_ input: ReaderInput) throws -> [IngestedText] {
        let decoded = try TextDecoder.decode(input.data)
        var documents: [IngestedText] = []
        var problems: [Diagnostic] = []
        for (index, line) in lines(of: decoded.text).enumerated() {
            let lineNumber = index + 1
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                problems.append(Diagnostic(.error, "ingest.jsonl-line", "line \(lineNumber) is not a JSON object; skipped",
                                           at: SourcePosition(line: lineNumber, column: 1)))
                continue
            }
            guard let content = (object["content"] ?? object["text"] ?? object["body"]) as? String,
                  !content.allSatisfy(\.isWhitespace) else {
                problems.append(Diagnostic(.warning, "ingest.jsonl-line",
                                           "line \(lineNumber) has no \"content\" text; skipped",
                                           at: SourcePosition(line: lineNumber, column: 1)))
                continue
            }
            var metadata = Metadata(encoding: decoded.encoding.rawValue)
            metadata.title = object["title"] as? String
            metadata.source = "\(input.source)#\(lineNumber)"
            metadata.url = object["url"] as? String
            metadata.issuer = object["issuer"] as? String
            if let date = object["date"] as? String { metadata.date = DateText.firstDate(in: date) ?? date }
            if metadata.date == nil, let year = object["year"] as? String ?? (object["year"] as? Int).map(String.init) {
                metadata.date = year
            }
            if metadata.issuer == nil, metadata.title?.contains("国务院政府工作报告") == true { metadata.issuer = "国务院" }
            documents.append(TextIngester.ingest(content, flavor: .plain, metadata: metadata))
        }
        guard !documents.isEmpty else {
            throw IngestError.noDocuments("no line of the JSON Lines file has a \"content\" text")
        }
        documents[0].diagnostics.insert(contentsOf: problems, at: 0)
        return documents
    }

    /// The text split at each LF byte, so that a file with CR LF line ends (one `Character` in Swift) is split
    /// too; the CR left at a line's end is whitespace to JSON.
    private static func lines(of text: String) -> [Substring] {
        var lines: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var index = utf8.startIndex
        while index < utf8.endIndex {
            if utf8[index] == 0x0A {
                lines.append(text[start..<index])
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        lines.append(text[start...])
        return lines
    }
}
