import NIOCore
import PostgresNIO

/// One column of a bulk insert, sent as one array parameter in PostgreSQL's binary format and read back row by
/// row with `unnest` (`INSERT INTO nodes (…) SELECT * FROM unnest($1::int4[], $2::text[], …)`).
///
/// The server then only copies each value into its tuple: no JSON to lex and unescape (as `json_to_recordset`
/// did, ~10% of the server's time while indexing), no `tsvector` literal to parse (`SearchVector` sends its
/// vectors in `tsvector`'s binary form), and no `JSONEncoder` on our side. NULLs are elements of length -1, so
/// one array holds a column's optional values in order.
struct BinaryColumn: PostgresDynamicTypeEncodable, Sendable {
    /// The element types the knowledge base's tables use (named as in SQL), with their built-in type and array
    /// type ids.
    enum Element: String, Sendable {
        case int2, int4, int8, bool, text, tsvector, bytea

        var type: PostgresDataType {
            switch self {
            case .int2: .int2
            case .int4: .int4
            case .int8: .int8
            case .bool: .bool
            case .text: .text
            case .tsvector: .tsvector
            case .bytea: .bytea
            }
        }

        var arrayType: PostgresDataType {
            switch self {
            case .int2: .int2Array
            case .int4: .int4Array
            case .int8: .int8Array
            case .bool: .boolArray
            case .text: .textArray
            case .tsvector: .tsvectorArray
            case .bytea: .byteaArray
            }
        }
    }

    let element: Element
    private(set) var count = 0
    private var hasNull = false
    /// The elements, each its length (Int32, -1 for NULL) and its bytes.
    private var elements = ByteBuffer()

    init(_ element: Element, capacity: Int = 0) {
        self.element = element
        elements.reserveCapacity(capacity * 8)
    }

    /// A whole array of non-NULL values at once (`= ANY($1::bigint[])`, `unnest($1::text[], …)`).
    init(_ element: Element, integers: [Int]) {
        self.init(element, capacity: integers.count)
        for value in integers { append(value) }
    }

    init(texts: [String]) {
        self.init(.text, capacity: texts.count)
        for value in texts { append(value) }
    }

    init(booleans: [Bool]) {
        self.init(.bool, capacity: booleans.count)
        for value in booleans { append(value) }
    }

    var psqlType: PostgresDataType { element.arrayType }
    var psqlFormat: PostgresFormat { .binary }

    mutating func appendNull() {
        elements.writeInteger(Int32(-1))
        hasNull = true
        count += 1
    }

    /// An integer element of an `int2`, `int4` or `int8` column (a value out of the column's range traps, as
    /// any overflow does).
    mutating func append(_ value: Int?) {
        guard let value else { return appendNull() }
        switch element {
        case .int2:
            elements.writeInteger(Int32(2))
            elements.writeInteger(Int16(value))
        case .int4:
            elements.writeInteger(Int32(4))
            elements.writeInteger(Int32(value))
        case .int8:
            elements.writeInteger(Int32(8))
            elements.writeInteger(Int64(value))
        case .bool, .text, .tsvector, .bytea:
            preconditionFailure("an integer in a \(element) column")
        }
        count += 1
    }

    mutating func append(_ value: Bool) {
        precondition(element == .bool, "a boolean in a \(element) column")
        elements.writeInteger(Int32(1))
        elements.writeInteger(UInt8(value ? 1 : 0))
        count += 1
    }

    /// A text element (its UTF-8 bytes, which is what a server with UTF8 encoding stores).
    mutating func append(_ value: String?) {
        precondition(element == .text, "a string in a \(element) column")
        guard var value else { return appendNull() }
        value.withUTF8 { append(bytes: $0) }
    }

    /// An element already in the column type's binary form (a `tsvector` from `SearchVector.binary`).
    mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        elements.writeInteger(Int32(bytes.count))
        elements.writeBytes(bytes)
        count += 1
    }

    mutating func append(bytes: [UInt8]?) {
        guard let bytes else { return appendNull() }
        bytes.withUnsafeBufferPointer { append(bytes: $0) }
    }

    /// The array as `array_recv` reads it: dimensions (none when empty), a NULL flag, the element type, the one
    /// dimension's length and lower bound, then the elements.
    func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer,
                                                  context: PostgresEncodingContext<JSONEncoder>) {
        byteBuffer.writeInteger(Int32(count == 0 ? 0 : 1))
        byteBuffer.writeInteger(Int32(hasNull ? 1 : 0))
        byteBuffer.writeInteger(element.type.rawValue)
        guard count > 0 else { return }
        byteBuffer.writeInteger(Int32(count))
        byteBuffer.writeInteger(Int32(1))
        var elements = elements
        byteBuffer.writeBuffer(&elements)
    }
}
