/// The columns of one table's bulk insert (see `BinaryColumn`): their names and types, fixed per table, so
/// that a statement's text is made once.
struct BulkSchema: Sendable {
    let columns: [(name: String, element: BinaryColumn.Element)]

    /// `ordinal, node_id, …`
    var nameList: String { columns.map(\.name).joined(separator: ", ") }

    /// `$first::int4[], $(first+1)::text[], …`
    func parameters(from first: Int) -> String {
        columns.enumerated().map { "$\(first + $0.offset)::\($0.element.element.rawValue)[]" }.joined(separator: ", ")
    }

    /// `INSERT INTO table (doc_id, names…) SELECT d.id, … FROM d, unnest($first…)`: rows of one document, whose
    /// id is the one row of `d` (the statement's document insert); `ordered`, in the arrays' order
    /// (`WITH ORDINALITY`), for a table whose serial ids must follow it.
    func insertPart(into table: String, ordered: Bool, first: Int) -> String {
        guard ordered else {
            return "INSERT INTO \(table) (doc_id, \(nameList)) SELECT d.id, r.* FROM d, unnest(\(parameters(from: first))) AS r"
        }
        return """
            INSERT INTO \(table) (doc_id, \(nameList))
            SELECT d.id, \(nameList) FROM d, unnest(\(parameters(from: first))) WITH ORDINALITY AS r(\(nameList), i)
            ORDER BY r.i
            """
    }
}

/// The values of a bulk insert, appended row by row into one `BinaryColumn` per column of its schema.
struct BulkColumns {
    private(set) var columns: [BinaryColumn]

    init(_ schema: BulkSchema, capacity: Int) {
        columns = schema.columns.map { BinaryColumn($0.element, capacity: capacity) }
    }

    var values: [SQLValue] { columns.map { .column($0) } }

    subscript(index: Int) -> BinaryColumn {
        get { columns[index] }
        _modify { yield &columns[index] }
    }
}

extension BulkColumns {
    static let nodeSchema = BulkSchema(columns: [
        ("ordinal", .int4), ("node_id", .text), ("kind", .text), ("num", .int4), ("label", .text),
        ("heading", .text), ("text", .text), ("lead", .text), ("path", .text), ("start_line", .int4),
        ("start_column", .int4), ("end_line", .int4), ("end_column", .int4), ("start_page", .int4),
        ("end_page", .int4), ("text_start", .int4), ("text_end", .int4), ("parent_id", .text),
        ("searchable", .int2), ("token_count", .int4), ("long", .bool), ("search", .tsvector),
    ])

    /// A document's node rows (without `doc_id`, bound apart) and their search vectors.
    static func nodes(_ rows: [NodeRow], vectors: [SearchVector?]) -> BulkColumns {
        var columns = BulkColumns(nodeSchema, capacity: rows.count)
        for (row, vector) in zip(rows, vectors) {
            columns[0].append(row.ordinal)
            columns[1].append(row.nodeID)
            columns[2].append(row.kind.rawValue)
            columns[3].append(row.num)
            columns[4].append(row.label)
            columns[5].append(row.heading)
            columns[6].append(row.storedText)
            columns[7].append(row.lead)
            // Paths are kept for the nodes a query can return, as in SQLite.
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
        return columns
    }

    static let recordSchema = BulkSchema(columns: [
        ("node_id", .text), ("type", .text), ("year", .int4), ("json", .text), ("text_ordinal", .int4),
        ("text_start", .int4), ("text_end", .int4),
    ])

    /// A document's records (without `doc_id`), in their order.
    static func records(_ rows: [RecordRow]) -> BulkColumns {
        var columns = BulkColumns(recordSchema, capacity: rows.count)
        for row in rows {
            columns[0].append(row.nodeID)
            columns[1].append(row.type)
            columns[2].append(row.year)
            columns[3].append(row.json)
            columns[4].append(row.textOrdinal)
            columns[5].append(row.textSlice?.lowerBound)
            columns[6].append(row.textSlice?.upperBound)
        }
        return columns
    }
}
