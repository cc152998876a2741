import GRDB

/// The FTS5 tokenizer `plankb_cjk` (中文分词 for the index): `IndexTokenizer` registered with SQLite.
///
/// Declared in a table as `tokenize='plankb_cjk bigram'` or `'plankb_cjk unigram'`. Every connection that
/// reads or writes the full-text table must register it first (`SQLiteKnowledgeBase` does so in
/// `prepareDatabase`); the plain `sqlite3` shell cannot query `node_fts`, but reads every other table.
final class ChineseFTS5Tokenizer: FTS5CustomTokenizer {
    static let name = "plankb_cjk"

    private let tokenizer: IndexTokenizer

    init(db: Database, arguments: [String]) throws {
        let mode = arguments.first.flatMap(IdeographIndexing.init(rawValue:)) ?? .bigram
        tokenizer = IndexTokenizer(indexing: mode)
    }

    func tokenize(context: UnsafeMutableRawPointer?, tokenization: FTS5Tokenization,
                  pText: UnsafePointer<CChar>?, nText: CInt, tokenCallback: @escaping FTS5TokenCallback) -> CInt {
        guard let pText, nText > 0 else { return 0 }
        let forQuery = tokenization.contains(.query)
        var result: CInt = 0
        pText.withMemoryRebound(to: UInt8.self, capacity: Int(nText)) { bytes in
            tokenizer.tokenize(UnsafeBufferPointer(start: bytes, count: Int(nText)), forQuery: forQuery) { token in
                let flags: CInt = token.colocated ? 1 : 0 // FTS5_TOKEN_COLOCATED
                result = token.bytes.baseAddress!.withMemoryRebound(to: CChar.self, capacity: token.bytes.count) {
                    tokenCallback(context, flags, $0, CInt(token.bytes.count), CInt(token.start), CInt(token.end))
                }
                return result == 0
            }
        }
        return result
    }
}
