import GRDB
import GRDBSQLite

/// Binds and steps a GRDB statement through the SQLite C API. The writer inserts millions of node rows in a
/// run, and building a `StatementArguments` array of boxed values for each costs more than SQLite's own insert.
struct RawStatement {
    private let handle: OpaquePointer
    private let sql: String
    private var index: CInt = 0

    /// SQLite copies the bytes of a bound text before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ statement: Statement) {
        handle = statement.sqliteStatement
        sql = statement.sql
    }

    mutating func bind(_ value: Int64) {
        index += 1
        sqlite3_bind_int64(handle, index, value)
    }

    mutating func bind(_ value: Int) { bind(Int64(value)) }

    mutating func bind(_ value: Int?) {
        if let value { bind(Int64(value)) } else { bindNull() }
    }

    mutating func bind(_ value: String?) {
        guard var value else { return bindNull() }
        index += 1
        let position = index
        value.withUTF8 { bytes in
            guard let base = bytes.baseAddress else {
                _ = sqlite3_bind_text(handle, position, "", 0, Self.transient)
                return
            }
            base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                _ = sqlite3_bind_text(handle, position, $0, CInt(bytes.count), Self.transient)
            }
        }
    }

    mutating func bindNull() {
        index += 1
        sqlite3_bind_null(handle, index)
    }

    /// Runs the statement with the values bound since the last run, then resets it for the next.
    mutating func step() throws {
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        index = 0
        guard code == SQLITE_DONE else {
            let database = sqlite3_db_handle(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                message: database.map { String(cString: sqlite3_errmsg($0)) }, sql: sql)
        }
    }
}
