import GRDB
import GRDBSQLite

/// Binds and steps a GRDB statement through the SQLite C API. The writer inserts millions of node rows in a
/// run, and building a `StatementArguments` array of boxed values for each costs more than SQLite's own insert.
struct RawStatement {
    private let handle: OpaquePointer
    /// Kept for the SQL of an error message, read only then: GRDB's `sql` trims the text each time (1.5 M
    /// instructions at its first use in a process, the first use of Foundation's character sets).
    private let statement: Statement
    private var index: CInt = 0

    /// SQLite copies the bytes of a bound text before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ statement: Statement) {
        handle = statement.sqliteStatement
        self.statement = statement
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

    /// Runs a statement that gives at most one row with the values bound since the last run, reads the row (nil
    /// when there is none) before resetting the statement for the next run.
    mutating func one<T>(_ read: (RawRow) -> T) throws -> T? {
        let code = sqlite3_step(handle)
        defer {
            sqlite3_reset(handle)
            index = 0
        }
        switch code {
        case SQLITE_ROW: return read(RawRow(handle: handle))
        case SQLITE_DONE: return nil
        default:
            let database = sqlite3_db_handle(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                message: database.map { String(cString: sqlite3_errmsg($0)) }, sql: statement.sql)
        }
    }

    /// Runs the statement with the values bound since the last run, then resets it for the next.
    mutating func step() throws {
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        index = 0
        guard code == SQLITE_DONE else {
            let database = sqlite3_db_handle(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                message: database.map { String(cString: sqlite3_errmsg($0)) }, sql: statement.sql)
        }
    }
}

/// The current row of a `RawStatement`, its columns read by position (from 0).
struct RawRow {
    fileprivate let handle: OpaquePointer

    func integer(_ column: CInt) -> Int64? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    func text(_ column: CInt) -> String? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))), as: UTF8.self)
    }
}
