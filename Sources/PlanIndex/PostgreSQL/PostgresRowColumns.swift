/// The columns of one table's bulk insert (`INSERT INTO t (names) SELECT … FROM unnest(parameters)`, see
/// `BinaryColumn`): their names and types, and the values appended row by row.
struct BulkColumns {
    let names: [String]
    private(set) var columns: [BinaryColumn]

    init(_ schema: [(name: String, element: BinaryColumn.Element)], capacity: Int) {
        names = schema.map(\.name)
        columns = schema.map { BinaryColumn($0.element, capacity: capacity) }
    }

    /// `ordinal, node_id, …`
    var nameList: String { names.joined(separator: ", ") }

    /// `$first::int4[], $(first+1)::text[], …`
    func parameters(from first: Int) -> String {
        BinaryColumn.parameters(columns.map(\.element), from: first)
    }

    var values: [SQLValue] { columns.map { .column($0) } }

    subscript(index: Int) -> BinaryColumn {
        get { columns[index] }
        _modify { yield &columns[index] }
    }
}

extension BulkColumns {
    /// A document's node rows (without `doc_id`, bound apart) and their search vectors.
    static func nodes(_ rows: [NodeRow], vectors: [SearchVector?]) -> BulkColumns {
        var columns = BulkColumns([
            ("ordinal", .int4), ("node_id", .text), ("kind", .text), ("num", .int4), ("label", .text),
            ("heading", .text), ("text", .text), ("lead", .text), ("path", .text), ("start_line", .int4),
            ("start_column", .int4), ("end_line", .int4), ("end_column", .int4), ("start_page", .int4),
            ("end_page", .int4), ("text_start", .int4), ("text_end", .int4), ("parent_id", .text),
            ("searchable", .int2), ("token_count", .int4), ("long", .bool), ("search", .tsvector),
        ], capacity: rows.count)
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

    /// A document's records (without `doc_id`), in their order.
    static func records(_ rows: [RecordRow]) -> BulkColumns {
        var columns = BulkColumns([
            ("node_id", .text), ("type", .text), ("year", .int4), ("json", .text), ("text_ordinal", .int4),
            ("text_start", .int4), ("text_end", .int4),
        ], capacity: rows.count)
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
