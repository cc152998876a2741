import Foundation

/// A document as JSON (`schemas/document.schema.json`), keys in a stable order: what `plankb parse`, `convert`
/// (`<stem>.json`, `documents.jsonl`) write.
public enum DocumentJSONExporter {
    /// `pretty` for one document a file, compact for one document a line.
    public static func encode(_ document: PlanDocument, pretty: Bool) throws -> String {
        try SortedJSONEncoder(pretty: pretty).encodeToString(document)
    }

    /// The same as UTF-8 bytes, for a caller that writes them to a file.
    public static func encodeBytes(_ document: PlanDocument, pretty: Bool) throws -> [UInt8] {
        try SortedJSONEncoder(pretty: pretty).encode(document)
    }

    /// The compact form of pretty JSON from this encoder: the same tokens without the spaces and line
    /// breaks between them, which is what `encode(_:pretty: false)` writes — so that a caller that needs
    /// both (`convert` writes the .json file and the documents.jsonl line) encodes the document once.
    public static func compact(fromPretty pretty: String) -> String {
        String(decoding: compact(fromPretty: Array(pretty.utf8)), as: UTF8.self)
    }

    public static func compact(fromPretty pretty: [UInt8]) -> [UInt8] {
        // One pass over the bytes into a buffer as long as the input (the output is never longer): strings
        // are copied as they are, white space between tokens is dropped.
        [UInt8](unsafeUninitializedCapacity: pretty.count) { output, written in
            pretty.withUnsafeBufferPointer { input in
                var count = 0, index = 0
                let length = input.count
                while index < length {
                    let byte = input[index]
                    index += 1
                    if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                        continue
                    }
                    output[count] = byte
                    count += 1
                    guard byte == UInt8(ascii: "\"") else { continue }
                    // A string: to its closing quote, an escaped character being taken whole.
                    while index < length {
                        let inner = input[index]
                        index += 1
                        output[count] = inner
                        count += 1
                        if inner == UInt8(ascii: "\"") { break }
                        if inner == UInt8(ascii: "\\"), index < length {
                            output[count] = input[index]
                            count += 1
                            index += 1
                        }
                    }
                }
                written = count
            }
        }
    }
}

/// One record a JSON line with the document's `source` first (`schemas/record.schema.json`): what `plankb
/// records --format jsonl` and `convert`'s records.jsonl write.
public enum RecordLinesExporter {
    public static func line(_ record: Record, source: String) throws -> String {
        let encoder = SortedJSONEncoder()
        let body = try encoder.encodeToString(record)
        let sourceJSON = try encoder.encodeToString(source)
        return "{\"source\":\(sourceJSON)," + body.dropFirst()
    }
}

/// Records as a spreadsheet — a BOM so that Excel reads UTF-8, CRLF line ends, RFC 4180 quoting — one row a
/// record, quantity and instrument fields as columns. The one records CSV: `plankb records --format csv`,
/// `convert`'s records.csv and the web page's download all write it.
public enum RecordCSVExporter {
    public static let columns = [
        "source", "id", "type", "node", "path", "value", "unit", "raw", "comparator", "approx", "low", "high", "metric",
        "year", "startYear", "deadline", "direction", "strength", "baselineRatio", "baselineAgainst", "step", "title",
        "verbs", "name", "referenceKind", "dimension", "tool", "cues", "runnerUpDimension", "runnerUpTool",
        "line", "column", "text",
    ]

    /// The byte-order mark and the header line.
    public static let header = "\u{FEFF}" + columns.joined(separator: ",") + "\r\n"

    public static func render(_ rows: [(source: String, record: Record)]) -> String {
        var output = header
        for (source, record) in rows { output += row(source: source, record: record) }
        return output
    }

    /// One record as a CSV line, CRLF included.
    public static func row(source: String, record: Record) -> String {
        let quantity = record.quantity
        let instrument = record.instrument
        // The columns only some types fill.
        var startYear: Int?, deadline: String?, direction: String?, strength: String?, step: Int?, verbs: [String]?
        var reference: Record.Reference?
        switch record.facts {
        case .target(let target):
            (startYear, deadline, direction, strength) = (target.startYear, target.deadline, target.direction, target.strength?.rawValue)
        case .achievement(let achievement): (startYear, deadline) = (achievement.startYear, achievement.deadline)
        case .quantity(let bare): (startYear, deadline) = (bare.startYear, bare.deadline)
        case .milestone(let milestone): (deadline, step) = (milestone.deadline, milestone.step)
        case .measure(let measure): (verbs, strength) = (measure.verbs, measure.strength?.rawValue)
        case .reference(let named): reference = named
        case .clause: break
        }
        let fields: [String?] = [
            source, record.id, record.type.rawValue, record.node, record.path.joined(separator: " > "),
            quantity.map { number($0.value) }, quantity?.unit, quantity?.raw, quantity?.comparator.rawValue,
            quantity?.approx, quantity?.low.map(number), quantity?.high.map(number), quantity?.metric,
            record.year.map(String.init), startYear.map(String.init), deadline, direction,
            strength, record.baseline.map { number($0.ratio) }, record.baseline?.against,
            step.map(String.init), record.title, verbs?.joined(separator: " "), reference?.name,
            reference?.referenceKind.rawValue, instrument?.dimension.rawValue, instrument?.tool,
            instrument?.cues.joined(separator: " "), instrument?.runnerUp?.dimension.rawValue, instrument?.runnerUp?.tool,
            String(record.span.startLine), String(record.span.startColumn), record.text,
        ]
        return line(fields.map { $0 ?? "" })
    }

    /// Fields as one CSV line, CRLF included.
    public static func line(_ fields: [String]) -> String {
        fields.map(quote).joined(separator: ",") + "\r\n"
    }

    /// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled.
    public static func quote(_ field: String) -> String {
        // On the bytes: a "\r\n" in a field is one Character, equal to neither line break.
        guard field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D })
        else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Integers without ".0", other values as Swift prints them (shortest exact form).
    public static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
