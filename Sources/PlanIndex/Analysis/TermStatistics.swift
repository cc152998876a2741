import Foundation
import PlanKit

/// 词频统计 — counts of terms over a knowledge base, grouped by document, year, issuer or chapter, with the
/// characters of text in each group so that counts can be normalised.
///
/// Counting uses the search's own matching (`Highlighter.occurrences`, over the index tokenizer's cut), in the
/// text the index holds (`SearchableText`: each piece of text once): 电商 counts inside 跨境电商, never
/// across punctuation, and every occurrence counts, not every hit. Built on `KnowledgeBase.documents()` and
/// `searchableTexts(inDocument:)`, so every backend answers alike.
public struct TermStatistics: Sendable {
    /// One group's count of one term: `term`, the group's key (nil without grouping), `count` and `chars`.
    public struct Row: Codable, Hashable, Sendable {
        public var term: String
        public var group: String?
        public var count: Int
        /// Characters of indexed text in the group.
        public var chars: Int
    }

    /// Which documents to count in.
    public struct Filter: Sendable {
        /// A document key, or part of a title or source path.
        public var document: String?
        /// Part of the issuer's name.
        public var issuer: String?
        /// Publication years, inclusive.
        public var years: ClosedRange<Int>?

        public init(document: String? = nil, issuer: String? = nil, years: ClosedRange<Int>? = nil) {
            self.document = document
            self.issuer = issuer
            self.years = years
        }

        func admits(_ summary: DocumentSummary) -> Bool {
            if let document, summary.key != document, !(summary.title ?? "").contains(document), !summary.source.contains(document) {
                return false
            }
            if let issuer, !(summary.issuer ?? "").contains(issuer) { return false }
            if let years {
                guard let year = TermStatistics.year(of: summary.date), years.contains(year) else { return false }
            }
            return true
        }
    }

    /// One piece of indexed text and the groups it falls in.
    public struct Unit: Sendable {
        public var documentKey: String
        public var text: String
        public var year: String
        public var issuer: String
        public var chapter: String

        public func group(_ dimension: CountDimension?) -> String? {
            switch dimension {
            case nil: nil
            case .doc: documentKey
            case .year: year
            case .issuer: issuer
            case .chapter: chapter
            }
        }
    }

    public var units: [Unit]

    /// The indexed text of every document `filter` admits, in document order.
    public init(knowledgeBase: any KnowledgeBase, filter: Filter = Filter()) throws {
        var units: [Unit] = []
        for summary in try knowledgeBase.documents() where filter.admits(summary) {
            let year = Self.year(of: summary.date).map(String.init) ?? "(no date)"
            let issuer = summary.issuer ?? "(no issuer)"
            for row in try knowledgeBase.searchableTexts(inDocument: summary.key) {
                // As `query --count-by chapter` groups: the outermost heading, the title in front of it.
                let parts = PathSteps.split(row.path)
                let outside = parts.count == 1 && [.paragraph, .clause, .lead, .closing, .figure].contains(row.kind)
                let chapter = (summary.title ?? summary.key) + " › " + (outside ? "(front matter)" : parts[0])
                units.append(Unit(documentKey: summary.key, text: row.text, year: year, issuer: issuer, chapter: chapter))
            }
        }
        self.units = units
    }

    static func year(of date: String?) -> Int? {
        guard let date, date.count >= 4, let year = Int(date.prefix(4)) else { return nil }
        return year
    }

    /// The characters of text in each group.
    public func characters(by dimension: CountDimension?) -> [String: Int] {
        var result: [String: Int] = [:]
        for unit in units { result[unit.group(dimension) ?? "", default: 0] += PlainText.characterCount(unit.text) }
        return result
    }

    /// Counts of each term in each group (groups where a term does not occur have a row with 0), terms in
    /// the order given, groups by key.
    public func count(_ terms: [String], by dimension: CountDimension?) -> [Row] {
        let highlighter = Highlighter()
        let characters = characters(by: dimension)
        var counts: [String: [String: Int]] = [:]
        for unit in units {
            let group = unit.group(dimension) ?? ""
            for term in terms {
                let found = highlighter.occurrences(of: term, in: unit.text).count
                if found > 0 { counts[term, default: [:]][group, default: 0] += found }
            }
        }
        return terms.flatMap { term in
            characters.keys.sorted().map { group in
                Row(term: term, group: dimension == nil ? nil : group, count: counts[term]?[group] ?? 0,
                    chars: characters[group] ?? 0)
            }
        }
    }

    /// The words of a text as `--top` and `cooccur` count them: the index's Han bigrams and Latin words
    /// (numbers left out), without those the stop list excludes, with their byte ranges.
    static func words(in text: String, stopList: StopList) -> [(word: String, bytes: Range<Int>)] {
        IndexTokenizer(indexing: .bigram).tokens(of: text).compactMap { token in
            let word = token.token
            let utf8 = word.utf8
            // Two ideographs take 6 to 8 bytes (none is below U+3006); a Latin word is ASCII with a letter in it.
            let isBigram = (6...8).contains(utf8.count) && word.unicodeScalars.count == 2
                && word.unicodeScalars.allSatisfy { $0.properties.isIdeographic }
            let isWord = !isBigram && utf8.allSatisfy { $0 < 0x80 && $0 != 0x0D }
                && utf8.contains { (0x61...0x7A).contains($0 | 0x20) }
            // Each scalar of either is a character of its own.
            guard isBigram || isWord, !stopList.excludes(simpleWord: word) else { return nil }
            return (word, token.start..<token.end)
        }
    }

    /// The `n` most frequent words in each group (or overall), most frequent first.
    public func top(_ n: Int, by dimension: CountDimension?, stopList: StopList = .standard) -> [Row] {
        let characters = characters(by: dimension)
        var counts: [String: [String: Int]] = [:]
        for unit in units {
            let group = unit.group(dimension) ?? ""
            for (word, _) in Self.words(in: unit.text, stopList: stopList) { counts[group, default: [:]][word, default: 0] += 1 }
        }
        return counts.keys.sorted().flatMap { group in
            counts[group]!.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(n).map {
                Row(term: $0.key, group: dimension == nil ? nil : group, count: $0.value, chars: characters[group] ?? 0)
            }
        }
    }

    /// A word that shares clauses with the term: in how many clauses both occur, in how many the word does,
    /// and their pointwise mutual information, log2(P(term, word) / (P(term) P(word))) over clauses.
    public struct Cooccurrence: Codable, Hashable, Sendable {
        public var term: String
        public var word: String
        /// Clauses holding both.
        public var count: Int
        /// Clauses holding the word.
        public var wordClauses: Int
        /// Clauses holding the term.
        public var termClauses: Int
        /// All clauses counted.
        public var clauses: Int
        public var pmi: Double
    }

    /// The words that co-occur with `term` in the same clause (`SentenceSplitter`'s cut), at least
    /// `minimumCount` times, most frequent first; a word overlapping the term itself (商务 in 电商务) is not
    /// counted.
    public func cooccurring(with term: String, minimumCount: Int = 2, stopList: StopList = .standard) -> [Cooccurrence] {
        let highlighter = Highlighter()
        var clauses = 0, termClauses = 0
        var together: [String: Int] = [:]
        var wordClauses: [String: Int] = [:]
        for unit in units {
            for piece in SentenceSplitter.split(unit.text) {
                let clause = String(unit.text.dropFirst(piece.start).prefix(piece.end - piece.start))
                clauses += 1
                let places = highlighter.occurrences(of: term, in: clause)
                let words = Self.words(in: clause, stopList: stopList)
                let distinct = Set(words.map(\.word))
                for word in distinct { wordClauses[word, default: 0] += 1 }
                guard !places.isEmpty else { continue }
                termClauses += 1
                let outside = Set(words.filter { word in !places.contains { $0.overlaps(word.bytes) } }.map(\.word))
                for word in outside { together[word, default: 0] += 1 }
            }
        }
        guard termClauses > 0 else { return [] }
        return together.filter { $0.value >= minimumCount }.map { word, count in
            let pmi = log2(Double(count) * Double(clauses) / (Double(termClauses) * Double(wordClauses[word] ?? count)))
            return Cooccurrence(term: term, word: word, count: count, wordClauses: wordClauses[word] ?? count,
                                termClauses: termClauses, clauses: clauses, pmi: pmi)
        }.sorted { $0.count != $1.count ? $0.count > $1.count : ($0.pmi != $1.pmi ? $0.pmi > $1.pmi : $0.word < $1.word) }
    }
}
