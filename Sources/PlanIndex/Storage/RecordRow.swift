import Foundation
import PlanKit

extension IndexedRecord {
    /// A record as every store keeps it: its JSON with keys sorted and slashes left alone, as `plankb records`
    /// writes it.
    public init(_ record: Record) {
        let json = (try? RecordRow.encoder.encode(record)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        self.init(nodeID: record.node, type: record.type.rawValue, year: record.year, json: json)
    }
}

/// A record flattened for storage, the same for every backend. Its text is nearly always a sentence of its
/// node's, so it is stored once: the JSON is written without its `text` member, and `textOrdinal` and
/// `textSlice` say which stored node text holds it (a paragraph's, for a clause's record) and where, in UTF-8
/// offsets. Reading puts the member back where it was (`json(stored:base:)`), byte for byte.
struct RecordRow: Sendable {
    var nodeID: String
    var type: String
    var year: Int?
    var json: String
    /// The ordinal (see `NodeRow.ordinal`) of the node row whose stored text holds the record's text.
    var textOrdinal: Int?
    var textSlice: Range<Int>?

    static let encoder = SortedJSONEncoder()

    /// The rows of a document's records, given its node rows (`NodeRow.rows`). A record whose text is not found
    /// in its node's keeps it in its JSON.
    static func rows(of records: [IndexedRecord], nodes: [NodeRow]) -> [RecordRow] {
        guard !records.isEmpty else { return [] }
        var byID: [String: Int] = [:]
        for (index, row) in nodes.enumerated() where byID[row.nodeID] == nil { byID[row.nodeID] = index }
        return records.map { record in
            var row = RecordRow(nodeID: record.nodeID, type: record.type, year: record.year, json: record.json)
            guard let member = JSONMembers.member("text", in: record.json), let text = member.string, !text.isEmpty,
                  let index = byID[record.nodeID] else { return row }
            let node = nodes[index]
            guard let found = node.text.range(of: text) else { return row }
            var slice = node.text.utf8.distance(from: node.text.startIndex, to: found.lowerBound)
                ..< node.text.utf8.distance(from: node.text.startIndex, to: found.upperBound)
            var base = node
            // A clause or lead keeps no text of its own: the record's text is then found in its paragraph's.
            if let own = node.textSlice {
                guard let parentID = node.parentID, let parent = byID[parentID], nodes[parent].textSlice == nil else { return row }
                base = nodes[parent]
                slice = (slice.lowerBound + own.lowerBound) ..< (slice.upperBound + own.lowerBound)
            }
            guard ParentSlice.text(of: base.storedText, slice) == text else { return row }
            row.json = member.removed
            row.textOrdinal = base.ordinal
            row.textSlice = slice
            return row
        }
    }

    /// The record's JSON as it was before storage: `stored` with its text put back from `base` (the stored text of
    /// row `textOrdinal`). `stored` is returned as it is when it kept its text or the base is missing.
    static func json(stored: String, base: String?, slice: Range<Int>?) -> String {
        guard let base, let slice, let text = ParentSlice.text(of: base, slice),
              let literal = try? encoder.encode([text]) else { return stored }
        // `["…"]`: the string literal between the brackets, escaped exactly as the whole record was.
        return JSONMembers.inserting("text", literal: String(decoding: literal.dropFirst().dropLast(), as: UTF8.self),
                                     into: stored)
    }
}

/// Top-level members of a compact JSON object written with sorted keys (`RecordRow.encoder`), found without
/// decoding the whole object: strings are skipped with their escapes, nested objects and arrays by depth.
enum JSONMembers {
    struct Member {
        /// The object without the member (and one of its commas).
        var removed: String
        /// The member's value when it is a string.
        var string: String?
    }

    /// Each top-level member's key and where the member begins (its key's opening quote) and ends (after its value),
    /// as UTF-8 offsets; nil when `json` is not an object.
    private static func members(of json: String) -> [(key: String, start: Int, end: Int)]? {
        let bytes = Array(json.utf8)
        guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else { return nil }
        var result: [(key: String, start: Int, end: Int)] = []
        var index = 1
        func skipString() -> Int? {
            // At an opening quote; returns the offset after the closing one.
            var at = index + 1
            while at < bytes.count {
                switch bytes[at] {
                case UInt8(ascii: "\\"): at += 2
                case UInt8(ascii: "\""): return at + 1
                default: at += 1
                }
            }
            return nil
        }
        while index < bytes.count - 1 {
            guard bytes[index] == UInt8(ascii: "\"") else { return nil }
            let start = index
            guard let keyEnd = skipString() else { return nil }
            let key = String(decoding: bytes[(start + 1)..<(keyEnd - 1)], as: UTF8.self)
            index = keyEnd
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            var depth = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    guard let next = skipString() else { return nil }
                    index = next
                    continue
                }
                if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
                if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                    if depth == 0 { break }
                    depth -= 1
                }
                if byte == UInt8(ascii: ","), depth == 0 { break }
                index += 1
            }
            result.append((key, start, index))
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") { index += 1 }
        }
        return result
    }

    /// The top-level member `key` of `json`, and `json` without it.
    static func member(_ key: String, in json: String) -> Member? {
        guard let members = members(of: json), let position = members.firstIndex(where: { $0.key == key }) else { return nil }
        let bytes = Array(json.utf8)
        let member = members[position]
        let valueStart = member.start + key.utf8.count + 3
        let value = bytes[valueStart..<member.end]
        let string = value.first == UInt8(ascii: "\"")
            ? (try? JSONDecoder().decode([String].self, from: Data("[".utf8) + Data(value) + Data("]".utf8)))?.first
            : nil
        // The member and the comma after it, or the comma before it when it is the last.
        var cut = member.start..<member.end
        if position + 1 < members.count { cut = member.start..<members[position + 1].start }
        else if position > 0 { cut = members[position - 1].end..<member.end }
        var removed = bytes
        removed.removeSubrange(cut)
        return Member(removed: String(decoding: removed, as: UTF8.self), string: string)
    }

    /// `json` with the member `key`: `literal` (a JSON value) put where sorted keys place it.
    static func inserting(_ key: String, literal: String, into json: String) -> String {
        guard let members = members(of: json) else { return json }
        var bytes = Array(json.utf8)
        let member = Array("\"\(key)\":\(literal)".utf8)
        if let next = members.first(where: { $0.key > key }) {
            bytes.insert(contentsOf: member + [UInt8(ascii: ",")], at: next.start)
        } else {
            bytes.insert(contentsOf: (members.isEmpty ? [] : [UInt8(ascii: ",")]) + member, at: bytes.count - 1)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
