import Foundation
import GRDB
import Testing
import PlanKit
@testable import PlanIndex

/// SQLite keeps each node's parent and chapter instead of its path and puts paths together when it reads them;
/// a file written before that (paths stored, no parents) is upgraded in place and reads the same paths and
/// counts the same chapters.
struct NodePathMigrationTests {
    @Test func aFileWithStoredPathsUpgradesToTheSamePathsAndChapters() throws {
        let sources = try KnowledgeBaseConformanceTests.sourceDocuments()
        let knowledgeBase = try Fixtures.scratchKnowledgeBase()
        try knowledgeBase.replaceDocuments(sources)
        let entries = sources.flatMap(\.documents)
        let requests = try ["发展", "附则", "跨境电商", "市场"].map { try Fixtures.request($0) }
        let chapters = try requests.map { try knowledgeBase.count($0, by: .chapter) }
        let path = knowledgeBase.path

        // The file as the writer left it before migration v10: the path of every searchable node in its row, no
        // parent or chapter ordinals.
        let paths = Dictionary(uniqueKeysWithValues: entries.map { entry in
            (entry.key, Dictionary(NodeRow.rows(of: entry.document).map { ($0.ordinal, $0.path) }, uniquingKeysWith: { first, _ in first }))
        })
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "ALTER TABLE nodes ADD COLUMN path TEXT")
            let documents = try Row.fetchAll(db, sql: "SELECT id, doc_key FROM documents")
            for document in documents {
                let id: Int64 = document["id"], key: String = document["doc_key"]
                for (ordinal, path) in paths[key] ?? [:] {
                    try db.execute(sql: "UPDATE nodes SET path = ? WHERE row_id = ? AND searchable > 0",
                                   arguments: [path, id << SQLiteKnowledgeBase.ordinalBits | Int64(ordinal)])
                }
            }
            try db.execute(sql: """
                ALTER TABLE nodes DROP COLUMN parent_ordinal;
                ALTER TABLE nodes DROP COLUMN chapter_ordinal;
                DELETE FROM grdb_migrations WHERE identifier LIKE 'v10:%';
                """)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM nodes WHERE path IS NOT NULL") ?? 0 > 1000)
        }
        try queue.close()

        let upgraded = try SQLiteKnowledgeBase(path: path)
        for entry in entries {
            let read = try upgraded.searchableTexts(inDocument: entry.key)
            #expect(read == SearchableText.texts(of: entry.document), "\(entry.key)")
        }
        #expect(try requests.map { try upgraded.count($0, by: .chapter) } == chapters)
        #expect(try requests.flatMap { try upgraded.search($0) }.allSatisfy { !$0.path.isEmpty })
        let columns = try upgraded.connections.read { db in try db.columns(in: "nodes").map(\.name) }
        #expect(!columns.contains("path") && columns.contains("parent_ordinal") && columns.contains("chapter_ordinal"))
    }
}
