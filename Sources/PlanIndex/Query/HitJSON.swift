import Foundation
import PlanKit

/// The JSON of a page of hits (schemas/query-hit.schema.json), shared by `plankb query --json` and the web
/// API `/api/search`, so that both write exactly the same thing.
public struct HitsJSON: Encodable, Sendable {
    public var query: String
    public var hits: [HitJSON]

    public init(query: String, hits: [SearchHit]) {
        self.query = query
        self.hits = hits.map(HitJSON.init)
    }

    /// Pretty-printed with sorted keys and unescaped slashes, as every plankb JSON output is.
    public static func encode(_ value: some Encodable) -> String {
        ((try? SortedJSONEncoder(pretty: true).encodeToString(value)) ?? "{}") + "\n"
    }
}

/// A hit as JSON: the snippet as text with «» marks and as offsets (schemas/query-hit.schema.json).
public struct HitJSON: Encodable, Sendable {
    public var documentKey: String
    public var documentTitle: String
    public var issuer: String?
    public var date: String?
    public var source: String
    public var nodeID: String
    public var kind: String
    public var path: String
    /// The pages the node is printed on, where the source has pages (PDF, OFD).
    public var startPage: Int?
    public var endPage: Int?
    public var score: Double
    public var snippet: String
    public var marks: [[Int]]
    public var records: [RecordJSON]
    /// Present when the node matched only through an abbreviation its document defines.
    public var matchedThroughAbbreviation: AbbreviationMatch?

    public init(_ hit: SearchHit) {
        documentKey = hit.documentKey
        documentTitle = hit.documentTitle
        issuer = hit.issuer
        date = hit.date
        source = hit.source
        nodeID = hit.nodeID
        kind = hit.kind
        path = hit.path
        startPage = hit.startPage
        endPage = hit.endPage
        score = (hit.score * 1000).rounded() / 1000
        snippet = hit.snippet.rendered(open: "«", close: "»")
        marks = hit.snippet.marks.map { [$0.lowerBound, $0.upperBound - $0.lowerBound] }
        records = hit.records.map(RecordJSON.init)
        matchedThroughAbbreviation = hit.matchedThroughAbbreviation
    }
}

/// A record as JSON: where it is, its type and year, and the record itself (as the extractor wrote it).
public struct RecordJSON: Encodable, Sendable {
    public var nodeID: String
    public var type: String
    public var year: Int?
    public var record: JSONFragment

    public init(_ record: IndexedRecord) {
        nodeID = record.nodeID
        type = record.type
        year = record.year
        self.record = JSONFragment(text: record.json)
    }
}

/// Already-encoded JSON, embedded as a value (or as a string if it does not parse).
public struct JSONFragment: Encodable, Sendable {
    public var text: String

    public init(text: String) { self.text = text }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) {
            try container.encode(value)
        } else {
            try container.encode(text)
        }
    }
}

/// Any JSON value, for passing records through without knowing their fields.
public enum JSONValue: Codable, Hashable, Sendable {
    case null, bool(Bool), integer(Int64), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
