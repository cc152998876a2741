import PlanKit

/// A document made ready for storage where it was loaded, on every core: its node rows and whatever the backend
/// derives from them there (SQLite: a term digest; PostgreSQL: the search vectors). The single writer then only
/// stores.
public struct PreparedDocument: Sendable {
    let rows: [NodeRow]
    /// The rows of the records given to `DocumentPreparer.prepare` (each record's text found in its node's, see
    /// `RecordRow.rows`), made here too: on the writer's thread they were a twelfth of its time.
    let records: [RecordRow]
    /// The backend's own material, made by its `DocumentPreparer`; each backend reads back only its own type.
    let payload: (any Sendable)?

    init(rows: [NodeRow], records: [RecordRow] = [], payload: (any Sendable)?) {
        self.rows = rows
        self.records = records
        self.payload = payload
    }

    /// The rows of `records`, the records the document is stored with: those made here when they are the
    /// records it was prepared with, else made now.
    func recordRows(of records: [IndexedRecord]) -> [RecordRow] {
        self.records.count == records.count && zip(self.records, records).allSatisfy({ $0.nodeID == $1.nodeID && $0.type == $1.type && $0.year == $1.year })
            ? self.records : RecordRow.rows(of: records, nodes: rows)
    }
}

/// How a knowledge base wants documents prepared on the loading threads (`KnowledgeBase.documentPreparer()`).
public struct DocumentPreparer: Sendable {
    private let derive: @Sendable ([NodeRow]) -> (any Sendable)?

    init(derive: @escaping @Sendable ([NodeRow]) -> (any Sendable)?) { self.derive = derive }

    /// Flattens the tree into rows and nothing more.
    public static let rowsOnly = DocumentPreparer { _ in nil }

    /// The document's rows, the rows of its `records` (those it will be stored with) and the backend's material.
    public func prepare(_ document: PlanDocument, records: [IndexedRecord] = []) -> PreparedDocument {
        let rows = NodeRow.rows(of: document)
        return PreparedDocument(rows: rows, records: RecordRow.rows(of: records, nodes: rows), payload: derive(rows))
    }
}
