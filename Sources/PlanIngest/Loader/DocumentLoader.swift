import Foundation
import PlanKit

/// The forms of input PlanKB reads.
public enum InputFormat: String, Sendable, CaseIterable {
    case html, markdown, text, jsonLines = "jsonl"

    /// The format of `data`, judged from its content first and its file extension second.
    public static func detect(_ data: Data, pathExtension: String) -> InputFormat {
        var head = String(decoding: data.prefix(2048), as: UTF8.self)
        // UTF-16 (with or without a byte-order mark) has NUL bytes in the ASCII of its tags.
        let sample = data.prefix(512)
        if sample.starts(with: [0xFF, 0xFE]) || sample.starts(with: [0xFE, 0xFF])
            || sample.filter({ $0 == 0 }).count * 4 > sample.count,
           let decoded = try? TextDecoder.decode(Data(data.prefix(4096))) {
            head = String(decoded.text.prefix(2048))
        }
        let trimmed = head.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" })
        let lowered = trimmed.prefix(600).lowercased()
        let htmlMarkers = ["<!doctype html", "<html", "<head", "<body", "<meta", "<div", "<table", "<p", "<!--", "<span", "<title"]
        if trimmed.hasPrefix("<"), htmlMarkers.contains(where: { lowered.hasPrefix($0) }) || lowered.contains("</") {
            if !(lowered.hasPrefix("<!--") && !lowered.contains("<html") && !lowered.contains("<div")) { return .html }
        }
        if trimmed.hasPrefix("{"), let firstLine = trimmed.split(separator: "\n").first,
           firstLine.trimmingCharacters(in: .whitespaces).hasSuffix("}") {
            return .jsonLines
        }
        switch pathExtension.lowercased() {
        case "html", "htm", "shtml", "xhtml": return .html
        case "md", "markdown": return .markdown
        case "jsonl", "ndjson": return .jsonLines
        default: break
        }
        if head.contains("<!-- INFO END -->") || head.hasPrefix("# ") || head.contains("\n## ") { return .markdown }
        return .text
    }
}

/// The one entry point of the pipeline: bytes in, documents (metadata + tree + diagnostics) out. Every
/// subcommand — parse, records, index, convert, diff — loads through here and never re-runs a stage.
public enum DocumentLoader {
    /// Which stages to run. Extraction is the costliest; a tree or text view does not need it.
    public struct Stages: Sendable {
        public var extractRecords: Bool
        public init(extractRecords: Bool = true) { self.extractRecords = extractRecords }
        public static let all = Stages()
        public static let treeOnly = Stages(extractRecords: false)
    }

    /// Loads every document in a file (a JSON Lines file holds several).
    public static func load(contentsOf url: URL, stages: Stages = .all) throws -> [PlanDocument] {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw IngestError.unreadable("\(url.path): \((error as NSError).localizedDescription)")
        }
        return try load(data: data, source: url.relativePath, pathExtension: url.pathExtension, stages: stages)
    }

    /// Loads documents from bytes; `source` names them in metadata and diagnostics.
    public static func load(data: Data, source: String, pathExtension: String = "",
                            format: InputFormat? = nil, stages: Stages = .all) throws -> [PlanDocument] {
        guard !data.isEmpty else { throw IngestError.empty }
        let format = format ?? InputFormat.detect(data, pathExtension: pathExtension)
        switch format {
        case .html:
            var ingested = try HTMLIngester.ingest(data, source: source)
            ingested.metadata.source = source
            return [Pipeline.process(ingested, extractRecords: stages.extractRecords)]
        case .markdown, .text:
            let decoded = try TextDecoder.decode(data)
            var metadata = Metadata(source: source, encoding: decoded.encoding.rawValue)
            metadata.source = source
            var ingested = TextIngester.ingest(decoded.text, flavor: format == .markdown ? .markdown : .plain,
                                               metadata: metadata)
            ingested.diagnostics.insert(contentsOf: decoded.diagnostics, at: 0)
            return [Pipeline.process(ingested, extractRecords: stages.extractRecords)]
        case .jsonLines:
            return try loadJSONLines(data, source: source, stages: stages)
        }
    }

    /// One document a line: `content` (or `text`, `body`) with optional `title`, `url`, `year`, `date`, `issuer`.
    private static func loadJSONLines(_ data: Data, source: String, stages: Stages) throws -> [PlanDocument] {
        let decoded = try TextDecoder.decode(data)
        var documents: [PlanDocument] = []
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
            metadata.source = "\(source)#\(lineNumber)"
            metadata.url = object["url"] as? String
            metadata.issuer = object["issuer"] as? String
            if let date = object["date"] as? String { metadata.date = DateText.firstDate(in: date) ?? date }
            if metadata.date == nil, let year = object["year"] as? String ?? (object["year"] as? Int).map(String.init) {
                metadata.date = year
            }
            if metadata.issuer == nil, metadata.title?.contains("国务院政府工作报告") == true { metadata.issuer = "国务院" }
            let ingested = TextIngester.ingest(content, flavor: .plain, metadata: metadata)
            documents.append(Pipeline.process(ingested, extractRecords: stages.extractRecords))
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
