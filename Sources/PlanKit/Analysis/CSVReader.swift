/// Reads RFC 4180 CSV as spreadsheets save it (BOM, CRLF or LF, quoted fields with doubled quotes and line
/// breaks) and keeps where each field began, so that a caller can name the line and column of a bad value.
public enum CSVReader {
    /// One field and where it starts: 1-based line and column, columns counted in characters.
    public struct Field: Hashable, Sendable {
        public var value: String
        public var line: Int
        public var column: Int
    }

    /// A malformed file: an unclosed quote, or text after a closing quote.
    public struct SyntaxError: Error, Hashable, Sendable {
        public var message: String
        public var line: Int
        public var column: Int
    }

    /// The rows of `text`; blank lines are skipped.
    public static func rows(of text: String) throws(SyntaxError) -> [[Field]] {
        var rows: [[Field]] = []
        var row: [Field] = []
        var value = ""
        var line = 1, column = 1
        var fieldLine = 1, fieldColumn = 1
        var quoted = false, afterQuote = false, fieldStarted = false, fieldWasQuoted = false
        var characters = Substring(text)
        if characters.first == "\u{FEFF}" { characters = characters.dropFirst() }
        var iterator = characters.makeIterator()
        var pending: Character? = nil

        func endField() {
            row.append(Field(value: value, line: fieldLine, column: fieldColumn))
            value = ""
            fieldStarted = false
            afterQuote = false
        }
        func endRow() {
            if !(row.count == 1 && row[0].value.isEmpty && !fieldWasQuoted) { rows.append(row) }
            row = []
        }
        while let character = pending ?? iterator.next() {
            pending = nil
            if !fieldStarted {
                fieldStarted = true
                fieldLine = line
                fieldColumn = column
                fieldWasQuoted = false
                if character == "\"" {
                    quoted = true
                    fieldWasQuoted = true
                    column += 1
                    continue
                }
            }
            if quoted {
                if character == "\"" {
                    let next = iterator.next()
                    if next == "\"" {
                        value.append("\"")
                        column += 2
                        continue
                    }
                    quoted = false
                    afterQuote = true
                    column += 1
                    pending = next
                    if next == nil { break }
                    continue
                }
                value.append(character)
                if character == "\n" || character == "\r\n" || character == "\r" {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                continue
            }
            switch character {
            case ",":
                endField()
                column += 1
                // The next field starts here, even when it is empty.
                fieldLine = line
                fieldColumn = column
            case "\n", "\r\n", "\r":
                endField()
                endRow()
                line += 1
                column = 1
            default:
                if afterQuote {
                    throw SyntaxError(message: "text after a closing quote", line: line, column: column)
                }
                value.append(character)
                column += 1
            }
        }
        if quoted { throw SyntaxError(message: "a quoted field is not closed", line: fieldLine, column: fieldColumn) }
        if fieldStarted || !row.isEmpty {
            endField()
            endRow()
        }
        return rows
    }
}
