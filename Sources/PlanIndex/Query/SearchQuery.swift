/// A parsed search query (检索式): terms, "phrases", AND / OR / NOT, a leading `-` to exclude, parentheses.
///
/// Adjacent terms are joined by AND. `AND`, `OR` and `NOT` are operators only in capitals; `and` is a word.
/// A term is never pasted into SQL: each backend turns the parsed query into its own bound expression
/// (SQLite: `fts5MatchExpression`; PostgreSQL: a `tsquery`).
public indirect enum SearchQuery: Equatable, Sendable {
    /// A bare word as typed (金融, RCEP, 5G); a Han run in it must match contiguously.
    case term(String)
    /// A quoted phrase ("跨境 电商", “自由贸易”): its tokens must stand in this order, side by side.
    case phrase(String)
    /// All must match, and no `.exclude` member may.
    case all([SearchQuery])
    /// Any may match.
    case any([SearchQuery])
    /// Excluded (NOT x, -x); only meaningful inside `.all`.
    case exclude(SearchQuery)

    /// Parses `text`, or throws a `SearchQuerySyntaxError` naming the column where it goes wrong.
    public init(parsing text: String) throws(SearchQuerySyntaxError) {
        var parser = SearchQueryParser(text: text)
        self = try parser.parse()
    }

    /// The strings a hit is expected to contain (terms and phrases not under NOT), for highlighting.
    public var positiveStrings: [String] {
        switch self {
        case .term(let text), .phrase(let text): [text]
        case .all(let members), .any(let members): members.flatMap(\.positiveStrings)
        case .exclude: []
        }
    }
}

/// Why a query could not be read, with the 1-based column (in characters) where the problem is.
public struct SearchQuerySyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public var column: Int
    public var message: String

    public var description: String { "query error at column \(column): \(message)" }
}

/// Recursive-descent parser over characters: or := and (OR and)*; and := unary+ (AND between optional);
/// unary := NOT unary | -primary | primary; primary := word | "phrase" | ( or ).
private struct SearchQueryParser {
    enum Lexeme: Equatable {
        case word(String), phrase(String), open, close, and, or, not, minus
    }

    var lexemes: [(lexeme: Lexeme, column: Int)] = []
    var position = 0
    let text: String
    var lexError: SearchQuerySyntaxError?

    init(text: String) {
        self.text = text
        do throws(SearchQuerySyntaxError) { lexemes = try Self.lex(Array(text)) } catch { lexError = error }
    }

    static func lex(_ characters: [Character]) throws(SearchQuerySyntaxError) -> [(lexeme: Lexeme, column: Int)] {
        var result: [(Lexeme, Int)] = []
        var index = 0
        func isBoundary(_ character: Character) -> Bool {
            character.isWhitespace || character == "(" || character == ")" || character == "\"" || character == "“"
                || character == "”"
        }
        while index < characters.count {
            let character = characters[index]
            let column = index + 1
            if character.isWhitespace { index += 1; continue }
            switch character {
            case "(": result.append((.open, column)); index += 1
            case ")": result.append((.close, column)); index += 1
            case "\"", "“", "”":
                let closing: Set<Character> = character == "\"" ? ["\""] : ["”", "“"]
                var end = index + 1
                while end < characters.count && !closing.contains(characters[end]) { end += 1 }
                guard end < characters.count else {
                    throw SearchQuerySyntaxError(column: column, message: "the quote opened here is not closed")
                }
                let phrase = String(characters[(index + 1)..<end])
                guard !phrase.allSatisfy(\.isWhitespace) else {
                    throw SearchQuerySyntaxError(column: column, message: "the phrase is empty")
                }
                result.append((.phrase(phrase), column))
                index = end + 1
            case "-" where index + 1 < characters.count && !characters[index + 1].isWhitespace
                && (result.isEmpty || index == 0 || isBoundary(characters[index - 1])):
                result.append((.minus, column)); index += 1
            default:
                var end = index
                while end < characters.count && !isBoundary(characters[end]) { end += 1 }
                let word = String(characters[index..<end])
                switch word {
                case "AND": result.append((.and, column))
                case "OR": result.append((.or, column))
                case "NOT": result.append((.not, column))
                default: result.append((.word(word), column))
                }
                index = end
            }
        }
        return result
    }

    mutating func parse() throws(SearchQuerySyntaxError) -> SearchQuery {
        if let lexError { throw lexError }
        guard !lexemes.isEmpty else {
            throw SearchQuerySyntaxError(column: 1, message: "the query is empty; give a term to search for")
        }
        let query = try parseAny()
        if position < lexemes.count {
            let (lexeme, column) = lexemes[position]
            throw SearchQuerySyntaxError(column: column, message: lexeme == .close
                ? "this ')' has no matching '('" : "unexpected \(Self.name(of: lexeme))")
        }
        try Self.requireIncluded(query, column: 1)
        return query
    }

    static func name(of lexeme: Lexeme) -> String {
        switch lexeme {
        case .word(let word): "'\(word)'"
        case .phrase(let phrase): "\"\(phrase)\""
        case .open: "'('"
        case .close: "')'"
        case .and: "'AND'"
        case .or: "'OR'"
        case .not: "'NOT'"
        case .minus: "'-'"
        }
    }

    /// A query (or an OR branch) made only of exclusions would mean "everything except", which FTS5 cannot do.
    static func requireIncluded(_ query: SearchQuery, column: Int) throws(SearchQuerySyntaxError) {
        switch query {
        case .exclude:
            throw SearchQuerySyntaxError(column: column, message:
                "a query cannot only exclude (NOT, -); add a term to search for")
        case .any(let members):
            for member in members { try requireIncluded(member, column: column) }
        case .all(let members):
            if members.allSatisfy({ if case .exclude = $0 { true } else { false } }) {
                throw SearchQuerySyntaxError(column: column, message:
                    "a query cannot only exclude (NOT, -); add a term to search for")
            }
            for member in members { if case .exclude = member { continue }; try requireIncluded(member, column: column) }
        case .term, .phrase:
            break
        }
    }

    var current: (lexeme: Lexeme, column: Int)? { position < lexemes.count ? lexemes[position] : nil }

    mutating func parseAny() throws(SearchQuerySyntaxError) -> SearchQuery {
        var members = [try parseAll()]
        while let (lexeme, column) = current, lexeme == .or {
            position += 1
            guard let next = current, next.lexeme != .or, next.lexeme != .and, next.lexeme != .close else {
                throw SearchQuerySyntaxError(column: column, message: "'OR' needs a term after it")
            }
            members.append(try parseAll())
        }
        return members.count == 1 ? members[0] : .any(members)
    }

    mutating func parseAll() throws(SearchQuerySyntaxError) -> SearchQuery {
        var members: [SearchQuery] = []
        while let (lexeme, column) = current {
            switch lexeme {
            case .or, .close:
                if members.isEmpty {
                    throw SearchQuerySyntaxError(column: column, message: lexeme == .or
                        ? "'OR' needs a term before it" : "this ')' closes an empty group or has no '('")
                }
                return members.count == 1 ? members[0] : .all(members)
            case .and:
                guard !members.isEmpty else {
                    throw SearchQuerySyntaxError(column: column, message: "'AND' needs a term before it")
                }
                position += 1
                guard let next = current, next.lexeme != .or, next.lexeme != .and, next.lexeme != .close else {
                    throw SearchQuerySyntaxError(column: column, message: "'AND' needs a term after it")
                }
            default:
                members.append(try parseUnary())
            }
        }
        guard !members.isEmpty else {
            throw SearchQuerySyntaxError(column: text.count + 1, message: "a term is missing at the end")
        }
        return members.count == 1 ? members[0] : .all(members)
    }

    mutating func parseUnary() throws(SearchQuerySyntaxError) -> SearchQuery {
        guard let (lexeme, column) = current else {
            throw SearchQuerySyntaxError(column: text.count + 1, message: "a term is missing at the end")
        }
        switch lexeme {
        case .not, .minus:
            position += 1
            guard let next = current, next.lexeme != .or, next.lexeme != .and, next.lexeme != .close,
                  next.lexeme != .not, next.lexeme != .minus else {
                throw SearchQuerySyntaxError(column: column, message: "\(Self.name(of: lexeme)) needs a term after it")
            }
            return .exclude(try parsePrimary())
        default:
            return try parsePrimary()
        }
    }

    mutating func parsePrimary() throws(SearchQuerySyntaxError) -> SearchQuery {
        guard let (lexeme, column) = current else {
            throw SearchQuerySyntaxError(column: text.count + 1, message: "a term is missing at the end")
        }
        position += 1
        switch lexeme {
        case .word(let word):
            try Self.requireSearchable(word, column: column)
            return .term(word)
        case .phrase(let phrase):
            try Self.requireSearchable(phrase, column: column)
            return .phrase(phrase)
        case .open:
            let inner = try parseAny()
            guard let (closing, _) = current, closing == .close else {
                throw SearchQuerySyntaxError(column: column, message: "the '(' opened here is not closed")
            }
            position += 1
            return inner
        default:
            throw SearchQuerySyntaxError(column: column, message: "unexpected \(Self.name(of: lexeme))")
        }
    }

    /// A term of punctuation only (，、——) would become an FTS5 phrase of no tokens.
    static func requireSearchable(_ text: String, column: Int) throws(SearchQuerySyntaxError) {
        let searchable = text.unicodeScalars.contains { scalar in
            SearchCharacter.classify(scalar.value).isSearchable
        }
        guard searchable else {
            throw SearchQuerySyntaxError(column: column, message:
                "'\(text)' has no letters, digits or Chinese characters to search for")
        }
    }
}
