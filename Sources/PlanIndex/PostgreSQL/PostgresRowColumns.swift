/// A document's node rows as the columns of one `INSERT … SELECT FROM unnest(…)` (see `BinaryColumn`), in the
/// order of `names`.
struct NodeColumns {
    private static let columns: [(name: String, element: BinaryColumn.Element)] = [
        ("ordinal", .int4), ("node_id", .text), ("kind", .text), ("num", .int4), ("label", .text),
        ("heading", .text), ("text", .text), ("lead", .text), ("path", .text), ("start_line", .int4),
        ("start_column", .int4), ("end_line", .int4), ("end_column", .int4), ("start_page", .int4),
        ("end_page", .int4), ("text_start", .int4), ("text_end", .int4), ("parent_id", .text),
        ("searchable", .int2), ("token_count", .int4), ("long", .bool), ("search", .tsvector),
    ]
    static let names = columns.map(\.name).joined(separator: ", ")

    static func parameters(from first: Int) -> String {
        BinaryColumn.parameters(columns.map(\.element), from: first)
    }

    private var columns: [BinaryColumn]

    init(capacity: Int) {
        columns = Self.columns.map { BinaryColumn($0.element, capacity: capacity) }
    }

    var values: [SQLValue] { columns.map { .column($0) } }

    mutating func append(_ row: NodeRow, vector: SearchVector?) {
        // Paths are kept for the nodes a query can return, as in SQLite.
        columns[0].append(row.ordinal)
        columns[1].append(row.nodeID)
        columns[2].append(row.kind.rawValue)
        columns[3].append(row.num)
        columns[4].append(row.label)
        columns[5].append(row.heading)
        columns[6].append(row.storedText)
        columns[7].append(row.lead)
        columns[8].append(row.searchable == .none ? nil : row.path)
        columns[9].append(row.span.startLine)
        columns[10].append(row.span.startColumn)
        columns[11].append(row.span.endLine)
        columns[12].append(row.span.endColumn)
        columns[13].append(row.span.startPage)
        columns[14].append(row.span.endPage)
        columns[15].append(row.textSlice?.lowerBound)
        columns[16].append(row.textSlice?.upperBound)
        columns[17].append(row.parentID)
        columns[18].append(row.searchable.rawValue)
        columns[19].append(vector?.tokenCount ?? 0)
        columns[20].append(vector?.isLong ?? false)
        columns[21].append(bytes: vector?.binary)
    }
}

/// A document's records as the columns of one bulk insert, in the order of `names`.
struct RecordColumns {
    private static let columns: [(name: String, element: BinaryColumn.Element)] = [
        ("node_id", .text), ("type", .text), ("year", .int4), ("json", .text), ("text_ordinal", .int4),
        ("text_start", .int4), ("text_end", .int4),
    ]
    static let names = columns.map(\.name).joined(separator: ", ")

    static func parameters(from first: Int) -> String {
        BinaryColumn.parameters(columns.map(\.element), from: first)
    }

    private var columns: [BinaryColumn]

    init(capacity: Int) {
        columns = Self.columns.map { BinaryColumn($0.element, capacity: capacity) }
    }

    var values: [SQLValue] { columns.map { .column($0) } }

    mutating func append(_ row: RecordRow) {
        columns[0].append(row.nodeID)
        columns[1].append(row.type)
        columns[2].append(row.year)
        columns[3].append(row.json)
        columns[4].append(row.textOrdinal)
        columns[5].append(row.textSlice?.lowerBound)
        columns[6].append(row.textSlice?.upperBound)
    }
}
