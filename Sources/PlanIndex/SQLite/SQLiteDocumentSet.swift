import Foundation
import GRDB
import GRDBSQLite

extension DocumentSet {
    /// The ids in the first column of a statement's rows. Stepped through SQLite's C API: a filter can allow
    /// tens of thousands of documents, and a GRDB cursor costs several times SQLite's own step per row.
    init(_ statement: Statement, arguments: StatementArguments) throws {
        self.init()
        try statement.setArguments(arguments)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "reading document ids", sql: statement.sql)
            }
            insert(sqlite3_column_int64(handle, 0))
        }
    }
}

extension DocumentSetCache {
    /// Keyed by an SQLite statement's SQL and arguments.
    func set(for sql: String, _ arguments: StatementArguments, version: String,
             compute: () throws -> DocumentSet) throws -> DocumentSet {
        try set(for: sql + "\u{1F}" + arguments.description, version: version, compute: compute)
    }
}
