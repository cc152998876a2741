import PlanKit

/// A document made ready for storage where it was loaded, on every core: its node rows and whatever the backend
/// derives from them there (SQLite: a term digest; PostgreSQL: the search vectors). The single writer then only
/// stores.
public struct PreparedDocument: Sendable {
    let rows: [NodeRow]
    /// The backend's own material, made by its `DocumentPreparer`; each backend reads back only its own type.
    let payload: (any Sendable)?

    init(rows: [NodeRow], payload: (any Sendable)?) {
        self.rows = rows
        self.payload = payload
    }
}

/// How a knowledge base wants documents prepared on the loading threads (`KnowledgeBase.documentPreparer()`).
public struct DocumentPreparer: Sendable {
    private let derive: @Sendable ([NodeRow]) -> (any Sendable)?

    init(derive: @escaping @Sendable ([NodeRow]) -> (any Sendable)?) { self.derive = derive }

    /// Flattens the tree into rows and nothing more.
    public static let rowsOnly = DocumentPreparer { _ in nil }

    public func prepare(_ document: PlanDocument) -> PreparedDocument {
        let rows = NodeRow.rows(of: document)
        return PreparedDocument(rows: rows, payload: derive(rows))
    }
}
