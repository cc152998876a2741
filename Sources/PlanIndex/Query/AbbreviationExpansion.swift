import PlanKit

/// An abbreviation a stored document defines (以下简称“沈阳片区”), as `KnowledgeBase.definedAbbreviations` finds it.
public struct DefinedAbbreviation: Codable, Hashable, Sendable {
    public var documentKey: String
    public var short: String
    public var full: String

    public init(documentKey: String, short: String, full: String) {
        self.documentKey = documentKey
        self.short = short
        self.full = full
    }

    /// How a full name is looked up: its index tokens, folded and without punctuation or spacing, so that
    /// 中国（辽宁）自由贸易试验区沈阳片区 and 中国(辽宁)自由贸易试验区沈阳片区 are one name.
    public static func lookupKey(_ name: String) -> String {
        IndexTokenizer(indexing: .unigram).tokens(of: name).map(\.token).joined()
    }
}

/// A hit found only through an abbreviation: the query named the full name, the node uses the short one.
public struct AbbreviationMatch: Codable, Hashable, Sendable {
    public var short: String
    public var full: String
}

extension KnowledgeBase {
    /// `search`, and where a term or phrase of the query is the full name of an abbreviation a document defines,
    /// also that document's nodes that use only the short name (marked `matchedThroughAbbreviation`), merged by
    /// score. The short name needs no expansion: the definition itself contains it.
    public func searchExpandingAbbreviations(_ request: SearchRequest) throws -> [SearchHit] {
        let strings = request.query.positiveStrings
        let keys = Dictionary(strings.map { (DefinedAbbreviation.lookupKey($0), $0) }, uniquingKeysWith: { first, _ in first })
        let defined = try definedAbbreviations(withFullNameKeys: Set(keys.keys.filter { !$0.isEmpty }))
        guard !defined.isEmpty else { return try search(request) }
        var wide = request
        wide.offset = 0
        wide.limit = request.offset + request.limit
        var hits = try search(wide)
        var seen = Set(hits.map { $0.documentKey + "\u{0}" + $0.nodeID })
        let highlighter = Highlighter()
        for (documentKey, abbreviations) in Dictionary(grouping: defined, by: \.documentKey).sorted(by: { $0.key < $1.key }) {
            var shorts: [String: [String]] = [:]
            for abbreviation in abbreviations {
                shorts[DefinedAbbreviation.lookupKey(abbreviation.full), default: []].append(abbreviation.short)
            }
            var inDocument = wide
            inDocument.query = request.query.expanding(shorts)
            inDocument.document = documentKey
            // Hits already found by the plain search are skipped below: fetch that many more, so that the page
            // holds the same hits whatever its size.
            inDocument.limit = wide.limit + seen.count
            if let filter = request.document, !documentKey.contains(filter) {
                // The user's own document filter still applies: keep the document only if it passes it.
                var check = request
                check.query = inDocument.query
                check.limit = 1
                check.offset = 0
                guard try !search(check).filter({ $0.documentKey == documentKey }).isEmpty else { continue }
            }
            for var hit in try search(inDocument) where hit.documentKey == documentKey {
                guard seen.insert(hit.documentKey + "\u{0}" + hit.nodeID).inserted else { continue }
                let text = try nodeText(documentKey: documentKey, nodeID: hit.nodeID) ?? hit.snippet.text
                if highlighter.matches(of: strings, in: text).isEmpty,
                   let used = abbreviations.first(where: { !highlighter.matches(of: [$0.short], in: text).isEmpty }) {
                    hit.matchedThroughAbbreviation = AbbreviationMatch(short: used.short, full: used.full)
                }
                hits.append(hit)
            }
        }
        // Ties in a fixed order, so that a page is the same slice of the merged list whatever the page size.
        hits.sort { ($0.score, $1.documentKey, $1.nodeID) > ($1.score, $0.documentKey, $0.nodeID) }
        return Array(hits.dropFirst(request.offset).prefix(request.limit))
    }
}

extension SearchQuery {
    /// The query with every term or phrase whose lookup key is in `shorts` widened to itself OR its short
    /// names (as phrases). Excluded terms stay as they are.
    func expanding(_ shorts: [String: [String]]) -> SearchQuery {
        switch self {
        case .term(let text), .phrase(let text):
            guard let names = shorts[DefinedAbbreviation.lookupKey(text)] else { return self }
            return .any([self] + names.map { .phrase($0) })
        case .all(let members): return .all(members.map { $0.expanding(shorts) })
        case .any(let members): return .any(members.map { $0.expanding(shorts) })
        case .exclude: return self
        }
    }
}
