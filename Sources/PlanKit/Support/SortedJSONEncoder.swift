import Foundation

/// JSON with sorted keys and unescaped slashes, compact or pretty: byte for byte what Foundation's
/// `JSONEncoder` writes with `[.sortedKeys, .withoutEscapingSlashes]` (and `.prettyPrinted`), the settings of
/// every JSON file and line PlanKB writes, at a fraction of its cost.
///
/// Foundation builds a tree of values (a dictionary for each object, a coding path for each value) and sorts
/// each object's keys as it prints the tree. This encoder writes each value's bytes into one buffer as it is
/// encoded: an array's elements go in place as they come, and an object's members are put in key order
/// (byte order of the keys' UTF-8, as Foundation sorts them) once the object is complete. Coding paths are
/// built only when a type asks for one. `SortedJSONEncoderTests` holds it to Foundation's output over the
/// corpus's documents and the corner cases (empty containers, escapes, numbers, nested containers).
public struct SortedJSONEncoder: Sendable {
    public var pretty: Bool

    public init(pretty: Bool = false) { self.pretty = pretty }

    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let sink = JSONSink(pretty: pretty)
        sink.bytes.reserveCapacity(4096)
        try sink.write(value, depth: 0, parent: nil, key: nil)
        return sink.bytes
    }

    public func encodeToString<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }

    /// `text` as a JSON string literal, quoted and escaped as `encode` writes strings.
    public static func literal(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        JSONSink.appendString(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The buffer values are written into, and the writers of scalars.
final class JSONSink {
    var bytes: [UInt8] = []
    let pretty: Bool

    init(pretty: Bool) { self.pretty = pretty }

    /// Writes `value` at the end of the buffer; `depth` is its nesting, for the indentation of pretty output.
    func write<T: Encodable>(_ value: T, depth: Int, parent: JSONValueEncoder?, key: JSONPathKey?) throws {
        // The types Foundation's encoder writes itself rather than through their own `encode(to:)`.
        if T.self == String.self { writeString(value as! String); return }
        if T.self == Int.self { writeInteger(value as! Int); return }
        if T.self == Double.self { try writeFloat(value as! Double, path: { path(parent, key) }); return }
        if T.self == Bool.self { writeASCII((value as! Bool) ? "true" : "false"); return }
        if T.self == URL.self { writeString((value as! URL).absoluteString); return }
        if T.self == Data.self { writeString((value as! Data).base64EncodedString()); return }
        if T.self == Decimal.self { bytes.append(contentsOf: (value as! Decimal).description.utf8); return }
        let encoder = JSONValueEncoder(sink: self, depth: depth, parent: parent, key: key)
        try value.encode(to: encoder)
        try encoder.finish()
    }

    func path(_ parent: JSONValueEncoder?, _ key: JSONPathKey?) -> [any CodingKey] {
        (parent?.codingPath ?? []) + (key.map { [$0.codingKey] } ?? [])
    }

    func writeASCII(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    func writeInteger<I: BinaryInteger>(_ value: I) {
        if value >= 0 && value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }

    /// Foundation's form: the shortest text that reads back as the same number (`description`), without a
    /// trailing ".0"; NaN and infinities are an error, as there.
    func writeFloat<F: BinaryFloatingPoint & CustomStringConvertible>(_ value: F, path: () -> [any CodingKey]) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, EncodingError.Context(
                codingPath: path(), debugDescription: "Unable to encode \(F.self).\(value) directly in JSON."))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    /// A JSON string: `"` and `\` escaped, control characters as \b \f \n \r \t or \u00XX, the rest as is.
    func writeString(_ text: String) { Self.appendString(text, to: &bytes) }

    static func appendString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
                runStart = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                }
            }
            if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    func writeIndent(_ depth: Int) {
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }
}

/// A coding path's step, kept as it came so that the path is built only when asked for.
enum JSONPathKey {
    case key(any CodingKey)
    case index(Int)
    case superKey

    var codingKey: any CodingKey {
        switch self {
        case .key(let key): key
        case .index(let index): JSONIndexKey(intValue: index)
        case .superKey: JSONIndexKey(stringValue: "super")
        }
    }
}

struct JSONIndexKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        stringValue = "Index \(intValue)"
        self.intValue = intValue
    }
}

/// The encoder one value is encoded through. Its container writes into the sink; `finish()` closes it once
/// the value's `encode(to:)` has returned.
final class JSONValueEncoder: Encoder {
    let sink: JSONSink
    let depth: Int
    let parent: JSONValueEncoder?
    let key: JSONPathKey?
    /// Where this value's bytes begin in the sink.
    let start: Int

    /// An object's members as written: the key and where its value's bytes are (or the encoder of a value
    /// still open, from `nestedContainer` or `superEncoder`, written when this object closes).
    struct Member {
        var key: String
        var range: Range<Int>
        var deferred: JSONValueEncoder?
    }

    enum Container {
        case none
        case object([Member])
        /// The number of elements, and elements whose encoders were still open, by the offset they go in at.
        case array(count: Int, deferred: [(offset: Int, encoder: JSONValueEncoder)])
        case single
    }

    var container: Container = .none

    init(sink: JSONSink, depth: Int, parent: JSONValueEncoder?, key: JSONPathKey?) {
        self.sink = sink
        self.depth = depth
        self.parent = parent
        self.key = key
        start = sink.bytes.count
    }

    var codingPath: [any CodingKey] { sink.path(parent, key) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .none = container { container = .object([]) }
        return KeyedEncodingContainer(JSONKeyedContainer<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .none = container {
            container = .array(count: 0, deferred: [])
            sink.bytes.append(UInt8(ascii: "["))
            if sink.pretty { sink.bytes.append(UInt8(ascii: "\n")) }
        }
        return JSONUnkeyedContainer(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueContainer(encoder: self)
    }

    /// A value of this object, written at the end of the buffer.
    func addMember<T: Encodable>(_ value: T, key: any CodingKey) throws {
        let valueStart = sink.bytes.count
        try sink.write(value, depth: depth + 1, parent: self, key: .key(key))
        appendMember(Member(key: key.stringValue, range: valueStart..<sink.bytes.count, deferred: nil))
    }

    func appendMember(_ member: Member) {
        guard case .object(var members) = container else { return }
        container = .none
        members.append(member)
        container = .object(members)
    }

    /// The separator and indentation before the next element of this array; returns the element's index.
    func beginElement() -> Int {
        guard case .array(let count, let deferred) = container else { return 0 }
        if count > 0 { sink.bytes.append(UInt8(ascii: ",")); if sink.pretty { sink.bytes.append(UInt8(ascii: "\n")) } }
        if sink.pretty { sink.writeIndent(depth + 1) }
        container = .array(count: count + 1, deferred: deferred)
        return count
    }

    func addElement<T: Encodable>(_ value: T) throws {
        let index = beginElement()
        try sink.write(value, depth: depth + 1, parent: self, key: .index(index))
    }

    /// An encoder for a value written later, into a buffer of its own.
    func deferredEncoder(key: JSONPathKey, depth: Int) -> JSONValueEncoder {
        JSONValueEncoder(sink: JSONSink(pretty: sink.pretty), depth: depth, parent: self, key: key)
    }

    /// Closes the container: an object's members in key order, an array's closing bracket; a value that
    /// encoded nothing is an empty object, as in Foundation.
    func finish() throws {
        switch container {
        case .single:
            return
        case .none:
            sink.bytes.append(UInt8(ascii: "{"))
            if sink.pretty {
                sink.bytes.append(contentsOf: [UInt8(ascii: "\n"), UInt8(ascii: "\n")])
                sink.writeIndent(depth)
            }
            sink.bytes.append(UInt8(ascii: "}"))
        case .array(_, let deferred):
            for (offset, encoder) in deferred.reversed() {
                try encoder.finish()
                sink.bytes.insert(contentsOf: encoder.sink.bytes, at: offset)
            }
            if sink.pretty {
                sink.bytes.append(UInt8(ascii: "\n"))
                sink.writeIndent(depth)
            }
            sink.bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            try writeObject(members)
        }
    }

    /// Whether key `a` sorts before `b` by the bytes of their UTF-8 (nil when they are equal).
    private static func keyPrecedes(_ a: String, _ b: String) -> Bool? {
        var a = a, b = b
        return a.withUTF8 { left in
            b.withUTF8 { right in
                let common = min(left.count, right.count)
                let order = common == 0 ? 0 : memcmp(left.baseAddress!, right.baseAddress!, common)
                if order != 0 { return order < 0 }
                return left.count == right.count ? nil : left.count < right.count
            }
        }
    }

    private func writeObject(_ members: [Member]) throws {
        // Key order by the bytes of the keys' UTF-8; a key given twice keeps its last value.
        var order = Array(members.indices)
        order.sort { left, right in
            let (a, b) = (members[left].key, members[right].key)
            return Self.keyPrecedes(a, b) ?? (left < right)
        }
        order = order.enumerated().filter { position, index in
            position + 1 == order.count || members[order[position + 1]].key != members[index].key
        }.map(\.element)
        let pretty = sink.pretty
        var object: [UInt8] = []
        object.reserveCapacity(sink.bytes.count - start + members.count * (pretty ? 2 * depth + 12 : 4) + 4)
        object.append(UInt8(ascii: "{"))
        if pretty { object.append(UInt8(ascii: "\n")) }
        for (position, index) in order.enumerated() {
            let member = members[index]
            if position > 0 { object.append(UInt8(ascii: ",")); if pretty { object.append(UInt8(ascii: "\n")) } }
            if pretty { object.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * (depth + 1))) }
            JSONSink.appendString(member.key, to: &object)
            if pretty { object.append(UInt8(ascii: " ")) }
            object.append(UInt8(ascii: ":"))
            if pretty { object.append(UInt8(ascii: " ")) }
            if let deferred = member.deferred {
                try deferred.finish()
                object.append(contentsOf: deferred.sink.bytes)
            } else {
                sink.bytes.withUnsafeBufferPointer { object.append(contentsOf: UnsafeBufferPointer(rebasing: $0[member.range])) }
            }
        }
        if pretty {
            object.append(UInt8(ascii: "\n"))
            object.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
        }
        object.append(UInt8(ascii: "}"))
        sink.bytes.replaceSubrange(start..., with: object)
    }
}

struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: JSONValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    /// A scalar member: its bytes written by `write` at the end of the buffer.
    private func scalar(_ key: Key, _ write: (JSONSink) throws -> Void) rethrows {
        let start = encoder.sink.bytes.count
        try write(encoder.sink)
        encoder.appendMember(.init(key: key.stringValue, range: start..<encoder.sink.bytes.count, deferred: nil))
    }

    mutating func encodeNil(forKey key: Key) throws { scalar(key) { $0.writeASCII("null") } }
    mutating func encode(_ value: Bool, forKey key: Key) throws { scalar(key) { $0.writeASCII(value ? "true" : "false") } }
    mutating func encode(_ value: String, forKey key: Key) throws { scalar(key) { $0.writeString(value) } }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        try scalar(key) { try $0.writeFloat(value, path: { codingPath + [key] }) }
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        try scalar(key) { try $0.writeFloat(value, path: { codingPath + [key] }) }
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { scalar(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: Int8, forKey key: Key) throws { scalar(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: Int16, forKey key: Key) throws { scalar(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: Int32, forKey key: Key) throws { scalar(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: Int64, forKey key: Key) throws { scalar(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt, forKey key: Key) throws { scalar(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { scalar(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { scalar(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { scalar(key) { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { scalar(key) { $0.writeInteger(value) } }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try encoder.addMember(value, key: key) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey> {
        let nested = deferred(.key(key), name: key.stringValue)
        return nested.container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        deferred(.key(key), name: key.stringValue).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { deferred(.superKey, name: "super") }
    mutating func superEncoder(forKey key: Key) -> any Encoder { deferred(.key(key), name: key.stringValue) }

    private func deferred(_ pathKey: JSONPathKey, name: String) -> JSONValueEncoder {
        let nested = encoder.deferredEncoder(key: pathKey, depth: encoder.depth + 1)
        encoder.appendMember(.init(key: name, range: 0..<0, deferred: nested))
        return nested
    }
}

struct JSONUnkeyedContainer: UnkeyedEncodingContainer, JSONScalarContainer {
    let encoder: JSONValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int {
        if case .array(let count, _) = encoder.container { return count }
        return 0
    }

    func scalar(_ write: (JSONSink) throws -> Void) rethrows {
        _ = encoder.beginElement()
        try write(encoder.sink)
    }

    /// The path of the element being written (asked for only when writing it fails).
    var scalarPath: [any CodingKey] { codingPath + [JSONIndexKey(intValue: count - 1)] }

    mutating func encode<T: Encodable>(_ value: T) throws { try encoder.addElement(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        deferred().container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { deferred().unkeyedContainer() }

    mutating func superEncoder() -> any Encoder { deferred() }

    /// An element whose encoder stays open: its bytes go in at this place when the array closes.
    private func deferred() -> JSONValueEncoder {
        let index = encoder.beginElement()
        let nested = encoder.deferredEncoder(key: .index(index), depth: encoder.depth + 1)
        if case .array(let count, var deferred) = encoder.container {
            deferred.append((encoder.sink.bytes.count, nested))
            encoder.container = .array(count: count, deferred: deferred)
        }
        return nested
    }
}

struct JSONSingleValueContainer: SingleValueEncodingContainer, JSONScalarContainer {
    let encoder: JSONValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    func scalar(_ write: (JSONSink) throws -> Void) rethrows {
        encoder.container = .single
        try write(encoder.sink)
    }

    var scalarPath: [any CodingKey] { codingPath }

    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.container = .single
        try encoder.sink.write(value, depth: encoder.depth, parent: encoder.parent, key: encoder.key)
    }
}

/// The scalar writes an unkeyed and a single-value container share: each says how a scalar goes in
/// (`scalar`) and what path an error names (`scalarPath`).
protocol JSONScalarContainer {
    func scalar(_ write: (JSONSink) throws -> Void) rethrows
    var scalarPath: [any CodingKey] { get }
}

extension JSONScalarContainer {
    mutating func encodeNil() throws { scalar { $0.writeASCII("null") } }
    mutating func encode(_ value: Bool) throws { scalar { $0.writeASCII(value ? "true" : "false") } }
    mutating func encode(_ value: String) throws { scalar { $0.writeString(value) } }
    mutating func encode(_ value: Double) throws { try scalar { try $0.writeFloat(value, path: { scalarPath }) } }
    mutating func encode(_ value: Float) throws { try scalar { try $0.writeFloat(value, path: { scalarPath }) } }
    mutating func encode(_ value: Int) throws { scalar { $0.writeInteger(value) } }
    mutating func encode(_ value: Int8) throws { scalar { $0.writeInteger(value) } }
    mutating func encode(_ value: Int16) throws { scalar { $0.writeInteger(value) } }
    mutating func encode(_ value: Int32) throws { scalar { $0.writeInteger(value) } }
    mutating func encode(_ value: Int64) throws { scalar { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt) throws { scalar { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt8) throws { scalar { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt16) throws { scalar { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt32) throws { scalar { $0.writeInteger(value) } }
    mutating func encode(_ value: UInt64) throws { scalar { $0.writeInteger(value) } }
}
