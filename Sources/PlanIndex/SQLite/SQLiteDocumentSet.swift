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

/// The documents each document filter allows, kept across searches while the documents stay the same (like a
/// search engine's filter cache): researchers filter by the same issuer or kind query after query, and the
/// filter reads every document. Keyed by the filter's SQL and arguments and by `documents_version`, which every
/// write of documents changes; a few dozen sets of a few kilobytes each.
final class DocumentSetCache: @unchecked Sendable {
    private let lock = NSLock()
    private var version = ""
    private var sets: [String: DocumentSet] = [:]
    private static let capacity = 64

    func set(for sql: String, _ arguments: StatementArguments, version: String,
             compute: () throws -> DocumentSet) throws -> DocumentSet {
        let key = sql + "\u{1F}" + arguments.description
        lock.lock()
        if self.version != version {
            self.version = version
            sets = [:]
        }
        let cached = sets[key]
        lock.unlock()
        if let cached { return cached }
        let computed = try compute()
        lock.lock()
        defer { lock.unlock() }
        if self.version == version {
            if sets.count >= Self.capacity { sets = [:] }
            sets[key] = computed
        }
        return computed
    }
}
