import GRDB
import PlanKit

/// The abbreviations each document defines (`Metadata.abbreviations`), in the table `abbreviations`, so that a
/// search for a full name can also find the paragraphs that use only the short one.
extension SQLiteKnowledgeBase {
    static func insertAbbreviations(of metadata: Metadata, documentID: Int64, in db: Database) throws {
        guard let abbreviations = metadata.abbreviations, !abbreviations.isEmpty else { return }
        let statement = try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO abbreviations (doc_id, short, full, full_key, node_id) VALUES (?, ?, ?, ?, ?)
            """)
        for abbreviation in abbreviations {
            try statement.execute(arguments: [documentID, abbreviation.short, abbreviation.full,
                                              DefinedAbbreviation.lookupKey(abbreviation.full), abbreviation.node])
        }
    }

    static func deleteAbbreviations(documentID: Int64, in db: Database) throws {
        try db.execute(sql: "DELETE FROM abbreviations WHERE doc_id = ?", arguments: [documentID])
    }

    public func definedAbbreviations(withFullNameKeys keys: Set<String>) throws -> [DefinedAbbreviation] {
        guard !keys.isEmpty else { return [] }
        return try connections.read { db in
            try Row.fetchAll(db, sql: """
                SELECT d.doc_key, a.short, a.full FROM abbreviations a JOIN documents d ON d.id = a.doc_id
                WHERE a.full_key IN (\(Array(repeating: "?", count: keys.count).joined(separator: ",")))
                ORDER BY d.doc_key, a.short
                """, arguments: StatementArguments(keys.sorted())).map {
                DefinedAbbreviation(documentKey: $0[0], short: $0[1], full: $0[2])
            }
        }
    }
}
