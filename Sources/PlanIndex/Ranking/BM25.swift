import Foundation

/// Okapi BM25 as SQLite FTS5's `bm25()` computes it, so that hits ranked from the term top lists score like hits
/// ranked by FTS5: per matched phrase, idf × f·(k1+1) / (f + k1·(1 − b + b·len/avglen)), where f counts the
/// phrase's occurrences weighted by column (heading 8, lead 3, text 1) and len is the row's tokens over all columns.
///
/// One difference is deliberate: FTS5 divides by the live average row length, which moves with every write;
/// the top lists fix the average when a knowledge base's lists are first built, because an entry's place in a
/// list must not change when other documents arrive.
struct BM25: Sendable {
    static let k1 = 1.2
    static let b = 0.75
    /// Column weights in the order of `node_fts`'s columns (heading, lead, text); `Schema` stores the same.
    static let columnWeights: [Double] = [8, 3, 1]

    /// Average tokens per searchable row.
    var averageLength: Double

    /// The saturated, length-normalised frequency of one phrase in one row (everything but the idf).
    func impact(weightedFrequency f: Double, rowLength: Int) -> Double {
        guard f > 0 else { return 0 }
        // The same operations in the same order as FTS5's bm25(), so that `PageRanker` gives the same doubles.
        let norm = 1 - Self.b + Self.b * Double(rowLength) / averageLength
        return f * (Self.k1 + 1) / (f + Self.k1 * norm)
    }

    /// FTS5's idf: log((N − n + 0.5) / (n + 0.5)), floored at 1e-6 so that a term in most rows still counts.
    static func idf(rows: Int, matching: Int) -> Double {
        let value = log((Double(rows) - Double(matching) + 0.5) / (Double(matching) + 0.5))
        return value > 0 ? value : 1e-6
    }
}
