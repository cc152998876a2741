/// REFI-QDA (QDA-XML 1.0, `schemas/refi-qda/Project-mrt2019.xsd`): the project.qde that NVivo, ATLAS.ti,
/// MAXQDA and QualCoder import, with each document a `TextSource` (its plain text, `PlainTextRenderer`), a
/// codebook of the instrument dimensions and tools and of the record types, and each record a
/// `PlainTextSelection` whose start and end (Unicode scalars of the plain text, end exclusive) cut out its
/// clause exactly, coded with its type and, when it has one, its instrument's tool.
public enum QDAProject {
    /// One record placed in its document's plain text.
    public struct Selection: Codable, Hashable, Sendable {
        public var record: String
        public var type: String
        public var dimension: String?
        public var tool: String?
        public var cues: [String]?
        public var start: Int
        public var end: Int
        public var text: String
    }

    /// One document ready for the project: its name, plain text and placed records.
    public struct Source: Codable, Hashable, Sendable {
        public var source: String
        public var name: String
        public var text: String
        public var selections: [Selection]
    }

    /// The plain text of `document` and its records placed in it. A record whose clause cannot be found in
    /// its node's line (never, for records the extractor made) is left out and counted in `missing`.
    public static func source(of document: PlanDocument, source: String) -> (source: Source, missing: Int) {
        let (text, lines) = PlainTextRenderer.renderWithLines(document)
        var parents: [String: [String]] = [:]
        document.root.forEach { node, ancestors in parents[node.id] = ancestors.map(\.id).reversed() }
        var selections: [Selection] = []
        var missing = 0
        for record in document.records {
            let holders = [record.node] + (parents[record.node] ?? [])
            guard let line = holders.lazy.compactMap({ lines[$0] }).first,
                  let range = line.text.unicodeScalars.firstRange(of: record.text.unicodeScalars) else {
                missing += 1
                continue
            }
            let start = line.offset + line.text.unicodeScalars.distance(from: line.text.unicodeScalars.startIndex, to: range.lowerBound)
            selections.append(Selection(record: record.id, type: record.type.rawValue,
                                        dimension: record.instrument?.dimension.rawValue, tool: record.instrument?.tool,
                                        cues: record.instrument?.cues, start: start,
                                        end: start + record.text.unicodeScalars.count, text: record.text))
        }
        let name = document.metadata.title ?? source
        return (Source(source: source, name: name, text: text, selections: selections), missing)
    }

    /// The path of a source's text inside the .qdpx (`sources/<guid>.txt`).
    public static func textPath(of source: Source, index: Int) -> String {
        "sources/" + guid("source \(index) \(source.source)") + ".txt"
    }

    /// project.qde for `sources` in this order, with `codebook`'s tools as codes.
    public static func projectXML(name: String, sources: [Source], codebook: Codebook) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"\(escape(name))\" origin=\"PlanKB\">\n"
        xml += "  <CodeBook>\n    <Codes>\n"
        xml += "      <Code guid=\"\(guid("code 政策工具"))\" name=\"政策工具\" isCodable=\"false\">\n"
        xml += "        <Description>Rothwell &amp; Zegveld's policy instruments, coded from the codebook's cue words</Description>\n"
        for dimension in Instrument.Dimension.allCases {
            let tools = codebook.tools.filter { $0.dimension == dimension }
            guard !tools.isEmpty else { continue }
            xml += "        <Code guid=\"\(guid("dimension \(dimension.rawValue)"))\" name=\"\(dimension.chineseName)\" isCodable=\"false\">\n"
            xml += "          <Description>\(dimension.rawValue)</Description>\n"
            for tool in tools {
                xml += "          <Code guid=\"\(toolGUID(tool.tool))\" name=\"\(escape(tool.tool))\" isCodable=\"true\"/>\n"
            }
            xml += "        </Code>\n"
        }
        xml += "      </Code>\n"
        xml += "      <Code guid=\"\(guid("code 记录类型"))\" name=\"记录类型\" isCodable=\"false\">\n"
        xml += "        <Description>The types of PlanKB records</Description>\n"
        for type in Record.RecordType.allCases {
            xml += "        <Code guid=\"\(typeGUID(type.rawValue))\" name=\"\(type.rawValue)\" isCodable=\"true\"/>\n"
        }
        xml += "      </Code>\n    </Codes>\n  </CodeBook>\n"
        if !sources.isEmpty {
            xml += "  <Sources>\n"
            for (index, source) in sources.enumerated() {
                let path = textPath(of: source, index: index)
                xml += "    <TextSource guid=\"\(guid("source \(index) \(source.source)"))\" name=\"\(escape(source.name))\""
                    + " plainTextPath=\"internal://\(path.dropFirst("sources/".count))\">\n"
                xml += "      <Description>\(escape(source.source))</Description>\n"
                for selection in source.selections {
                    let id = "\(index) \(selection.record)"
                    xml += "      <PlainTextSelection guid=\"\(guid("selection " + id))\" name=\"\(escape(selection.record))\""
                        + " startPosition=\"\(selection.start)\" endPosition=\"\(selection.end)\">\n"
                    xml += "        <Coding guid=\"\(guid("coding type " + id))\"><CodeRef targetGUID=\"\(typeGUID(selection.type))\"/></Coding>\n"
                    if let tool = selection.tool {
                        xml += "        <Coding guid=\"\(guid("coding tool " + id))\"><CodeRef targetGUID=\"\(toolGUID(tool))\"/></Coding>\n"
                    }
                    xml += "      </PlainTextSelection>\n"
                }
                xml += "    </TextSource>\n"
            }
            xml += "  </Sources>\n"
        }
        return xml + "</Project>\n"
    }

    /// The codes as a spreadsheet: one row per placed record (UTF-8 BOM, CRLF, as the records CSV).
    public static let codesHeader = "\u{FEFF}" + ["source", "record", "type", "dimension", "tool", "cues", "start", "end", "text"]
        .joined(separator: ",") + "\r\n"

    public static func codesRows(_ source: Source) -> String {
        source.selections.map { selection in
            RecordCSVExporter.line([source.source, selection.record, selection.type, selection.dimension ?? "",
                                    selection.tool ?? "", selection.cues?.joined(separator: " ") ?? "",
                                    String(selection.start), String(selection.end), selection.text])
        }.joined()
    }

    static func toolGUID(_ tool: String) -> String { guid("tool " + tool) }
    static func typeGUID(_ type: String) -> String { guid("type " + type) }

    /// A GUID derived from a name (two FNV-1a 64-bit hashes), so that the same run gives the same project.
    static func guid(_ name: String) -> String {
        func fnv(_ seed: UInt64) -> UInt64 {
            var value = seed
            for byte in name.utf8 {
                value ^= UInt64(byte)
                value = value &* 0x100000001b3
            }
            return value
        }
        let high = fnv(0xcbf29ce484222325), low = fnv(0x84222325cbf29ce4)
        func hex(_ value: UInt64, _ digits: Int) -> String {
            let text = String(value, radix: 16)
            return String(repeating: "0", count: max(0, digits - text.count)) + text.suffix(digits)
        }
        let versioned = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x5000  // version 5 (name-based) nibble
        let variant = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return hex(versioned >> 32, 8) + "-" + hex((versioned >> 16) & 0xFFFF, 4) + "-" + hex(versioned & 0xFFFF, 4) + "-"
            + hex(variant >> 48, 4) + "-" + hex(variant & 0xFFFF_FFFF_FFFF, 12)
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\n": result += "&#10;"
            default:
                // Characters XML 1.0 forbids (C0 controls other than tab, LF, CR) are dropped.
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\r" { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
