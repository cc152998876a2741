import Foundation
import PlanKit

/// The knowledge base (知识库) as the commands see it, whatever stores it: documents added, replaced and
/// removed by source and content hash, full-text search with filters, counts, records.
///
/// Nothing here speaks SQL or names a backend: `SQLiteKnowledgeBase` (SQLite/) and `PostgresKnowledgeBase`
/// (PostgreSQL/) implement it with the same query language (`SearchQuery`) and the same results, and commands
/// open one through `KnowledgeBaseLocation` (a `--db` value) without knowing which. A new requirement needs a
/// default implementation in an extension, so that every backend keeps compiling.
public protocol KnowledgeBase: Sendable {
    /// Each indexed source (a file path) with the content hash it had when indexed.
    func indexedSources() throws -> [String: String]
    /// Replaces everything that came from each source by its new documents, all in one transaction: a reader
    /// sees either the old documents or the new ones, and an interrupted run leaves the old ones. (Indexing
    /// writes several sources per transaction: most backends pay per commit.)
    func replaceDocuments(_ sources: [SourceDocuments]) throws
    /// Removes everything that came from these sources (for sources that vanished), in one transaction.
    func removeDocuments(fromSources sources: [String]) throws
    /// Hits for `request`, best first.
    func search(_ request: SearchRequest) throws -> [SearchHit]
    /// How many hits (and documents) fall in each group, largest first.
    func count(_ request: SearchRequest, by dimension: CountDimension) throws -> [CountRow]
    /// The sources of the documents that have at least one hit (for comparing with grep).
    func matchingSources(_ request: SearchRequest) throws -> Set<String>
    /// What the loading threads compute for this backend from each document before it reaches the writer.
    func documentPreparer() throws -> DocumentPreparer
    /// Called once after an index run has written (or not): brings derived structures up to date, compacts,
    /// and completes a rebuild. `changedDocuments` says whether the run wrote or removed anything.
    func finishIndexRun(changedDocuments: Bool) throws
    /// Releases the connections; the instance must not be used afterwards.
    func close() throws
    /// Claims a source for this run before it is loaded, so that index runs writing into one knowledge base at
    /// the same time split the work: false when another run holds it, or when the knowledge base already holds
    /// this content. A claim lasts until the source is written, `releaseClaims` or `close` (or the process's end).
    func claim(source: String, contentHash: String) throws -> Bool
    /// Gives back claims on sources this run will not write (they failed to load).
    func releaseClaims(on sources: [String]) throws
    /// The records one node owns: its own, its clauses' and its lead sentence's (`IdentifierAssignment.owns`).
    func records(inDocument documentKey: String, nodeID: String) throws -> [IndexedRecord]
    /// The records of one type (`measure`, `target`…) in one document, in document order (empty when no
    /// document has this key), without reading the document whole.
    func records(ofType type: String, inDocument documentKey: String) throws -> [IndexedRecord]
    /// The full text of one node (hits carry only a snippet).
    func nodeText(documentKey: String, nodeID: String) throws -> String?
    /// Numbers of documents, nodes and records.
    func summary() throws -> KnowledgeBaseSummary
    /// Every indexed document, by date then title.
    func documents() throws -> [DocumentSummary]
    /// One document whole (metadata, tree, records), or nil when no document has this key.
    func document(withKey key: String) throws -> StoredDocument?
    /// The texts the full-text index holds for one document's nodes, in document order (empty when no document
    /// has this key): what term statistics count, without reading the document whole.
    func searchableTexts(inDocument documentKey: String) throws -> [SearchableText]
    /// The abbreviations documents define whose full name has one of these lookup keys
    /// (`DefinedAbbreviation.lookupKey`).
    func definedAbbreviations(withFullNameKeys keys: Set<String>) throws -> [DefinedAbbreviation]
}

extension KnowledgeBase {
    /// From the document read whole; a backend that can read the texts alone does so.
    public func searchableTexts(inDocument documentKey: String) throws -> [SearchableText] {
        guard let stored = try document(withKey: documentKey) else { return [] }
        return SearchableText.texts(of: stored.planDocument)
    }

    /// From the document read whole; a backend that can read the records alone does so.
    public func records(ofType type: String, inDocument documentKey: String) throws -> [IndexedRecord] {
        try document(withKey: documentKey)?.records.filter { $0.type == type } ?? []
    }
}

/// One piece of text the full-text index holds (`NodeRow.searchText`: a node's whole text, or its title when its
/// text is its children's; each piece of text once), with the node it belongs to.
public struct SearchableText: Hashable, Sendable {
    public var nodeID: String
    public var kind: NodeKind
    /// The node's path (`PathSteps`), as hits give it.
    public var path: String
    public var text: String

    public init(nodeID: String, kind: NodeKind, path: String, text: String) {
        self.nodeID = nodeID
        self.kind = kind
        self.path = path
        self.text = text
    }

    /// The searchable texts of a document, as every store derives them from its rows; empty texts left out.
    static func texts(of document: PlanDocument) -> [SearchableText] {
        NodeRow.rows(of: document).compactMap { row in
            guard let text = row.searchText, !text.isEmpty else { return nil }
            return SearchableText(nodeID: row.nodeID, kind: row.kind, path: row.path, text: text)
        }
    }
}

/// The documents of one source (a file) with the content hash they were loaded from.
public struct SourceDocuments: Sendable {
    public var source: String
    public var contentHash: String
    public var documents: [IndexedDocument]

    public init(source: String, contentHash: String, documents: [IndexedDocument]) {
        self.source = source
        self.contentHash = contentHash
        self.documents = documents
    }
}

extension KnowledgeBase {
    /// Rows only: the backend derives everything else itself.
    public func documentPreparer() throws -> DocumentPreparer { .rowsOnly }

    public func finishIndexRun(changedDocuments: Bool) throws {}

    public func close() throws {}

    /// One writer at a time: every source is this run's.
    public func claim(source: String, contentHash: String) throws -> Bool { true }

    public func releaseClaims(on sources: [String]) throws {}

    /// Pages through `search`; a backend overrides it when it can answer more cheaply.
    public func matchingSources(_ request: SearchRequest) throws -> Set<String> {
        var request = request
        request.offset = 0
        request.limit = 1_000
        var sources = Set<String>()
        while true {
            let hits = try search(request)
            sources.formUnion(hits.map(\.source))
            guard hits.count == request.limit else { return sources }
            request.offset += request.limit
        }
    }

    /// None, for a backend that does not store abbreviations.
    public func definedAbbreviations(withFullNameKeys keys: Set<String>) throws -> [DefinedAbbreviation] { [] }

    /// Replaces everything that came from `source` by `documents`, in one transaction.
    public func replaceDocuments(fromSource source: String, contentHash: String, with documents: [IndexedDocument]) throws {
        try replaceDocuments([SourceDocuments(source: source, contentHash: contentHash, documents: documents)])
    }
}

/// A document ready to be stored: its key (unique in the knowledge base), the finished tree and its records.
public struct IndexedDocument: Sendable {
    /// `corpus/plans/x.txt`, or `reports.jsonl#2` for the second document of a multi-document file.
    public var key: String
    public var document: PlanDocument
    public var records: [IndexedRecord]
    /// The document's rows (and what the backend derives from them), when the loader prepared them on its own
    /// thread with the store's `documentPreparer()`. The store then takes the rows from here and never reads
    /// `document.root`, so a loader may drop the tree.
    public var prepared: PreparedDocument?

    public init(key: String, document: PlanDocument, records: [IndexedRecord] = [], prepared: PreparedDocument? = nil) {
        self.key = key
        self.document = document
        self.records = records
        self.prepared = prepared
    }
}

/// One extracted record (目标, 措施, 成就…) as stored: the node it came from, its type and year, and its JSON.
public struct IndexedRecord: Codable, Hashable, Sendable {
    public var nodeID: String
    public var type: String
    public var year: Int?
    /// The whole record as JSON, so that the store never needs to know its fields. A record read back from a
    /// store is put together here, when asked, from its stored JSON and the text it shares with its paragraph
    /// (`RecordRow.json(stored:base:slice:)`): a page of hits shown as a table needs only the type and year.
    public var json: String {
        get {
            switch storage {
            case .whole(let json): json
            case .stored(let stored, let base, let slice):
                RecordRow.json(stored: String(decoding: stored, as: UTF8.self),
                               base: base.map { String(decoding: $0, as: UTF8.self) }, slice: slice)
            }
        }
        set { storage = .whole(newValue) }
    }

    private var storage: Storage

    private enum Storage: Sendable {
        case whole(String)
        /// The JSON without its text, the stored text of the node holding it, and where in that text (UTF-8
        /// offsets) — as the store's bytes, made text only when the JSON is asked for: a page of hits with
        /// hundreds of records would otherwise check the UTF-8 of every record and paragraph it never shows.
        case stored(Data, base: Data?, slice: Range<Int>?)
    }

    public init(nodeID: String, type: String, year: Int?, json: String) {
        self.nodeID = nodeID
        self.type = type
        self.year = year
        self.storage = .whole(json)
    }

    /// A record as a store read it back (see `RecordRow`): its stored JSON and base text as UTF-8 bytes; its JSON
    /// is put together when first asked.
    init(nodeID: String, type: String, year: Int?, stored: Data, base: Data?, slice: Range<Int>?) {
        self.nodeID = nodeID
        self.type = type
        self.year = year
        self.storage = .stored(stored, base: base, slice: slice)
    }

    /// The record itself, decoded from its JSON; nil for a record written by another version of the extractor,
    /// which is left out rather than guessed. (Pass one decoder for many records.)
    public func record(decodingWith decoder: JSONDecoder = JSONDecoder()) -> Record? {
        try? decoder.decode(Record.self, from: Data(json.utf8))
    }

    private enum CodingKeys: String, CodingKey { case nodeID, type, year, json }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(nodeID: try container.decode(String.self, forKey: .nodeID),
                  type: try container.decode(String.self, forKey: .type),
                  year: try container.decodeIfPresent(Int.self, forKey: .year),
                  json: try container.decode(String.self, forKey: .json))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(nodeID, forKey: .nodeID)
        try container.encode(type, forKey: .type)
        try container.encodeIfPresent(year, forKey: .year)
        try container.encode(json, forKey: .json)
    }

    /// Records are equal when they read the same, however they were put together.
    public static func == (a: IndexedRecord, b: IndexedRecord) -> Bool {
        (a.nodeID, a.type, a.year) == (b.nodeID, b.type, b.year) && a.json == b.json
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(nodeID)
        hasher.combine(type)
        hasher.combine(year)
        hasher.combine(json)
    }
}

/// What to search for and where: a parsed query plus filters, and the page of hits wanted.
public struct SearchRequest: Sendable {
    public var query: SearchQuery
    /// Document key, or a part of its title or source path.
    public var document: String?
    /// Only nodes holding a record of this type (target, measure, achievement…).
    public var recordType: Record.RecordType?
    /// Only nodes holding a record of this year, or in this range of years (inclusive).
    public var recordYears: ClosedRange<Int>?
    /// Part of the issuing organ's name (发文机关).
    public var issuer: String?
    /// Publication dates, inclusive: a backend compares the stored dates with `publishedAfter.lowerBound` and
    /// `publishedBefore.upperBound` (the end of the year or month a bound names).
    public var publishedAfter: PublicationDate?
    public var publishedBefore: PublicationDate?
    /// Only nodes of these kinds or inside one (a paragraph of an article); empty means all.
    public var kinds: [NodeKind]
    public var limit: Int
    public var offset: Int

    public init(query: SearchQuery, document: String? = nil, recordType: Record.RecordType? = nil,
                recordYears: ClosedRange<Int>? = nil, issuer: String? = nil, publishedAfter: PublicationDate? = nil,
                publishedBefore: PublicationDate? = nil, kinds: [NodeKind] = [], limit: Int = 20, offset: Int = 0) {
        self.query = query
        self.document = document
        self.recordType = recordType
        self.recordYears = recordYears
        self.issuer = issuer
        self.publishedAfter = publishedAfter
        self.publishedBefore = publishedBefore
        self.kinds = kinds
        self.limit = limit
        self.offset = offset
    }
}

/// One hit (命中): a paragraph, clause or heading, where it sits, and why it matched.
public struct SearchHit: Codable, Hashable, Sendable {
    public var documentKey: String
    public var documentTitle: String
    public var issuer: String?
    public var date: String?
    public var source: String
    public var nodeID: String
    public var kind: String
    /// Headings above the node and the node itself: `第五章 … › 第四节 跨境电商 › 段2`.
    public var path: String
    /// The page the node starts on, where its source has pages (PDF, OFD); nil otherwise.
    public var startPage: Int?
    /// The page the node ends on, where its source has pages.
    public var endPage: Int?
    public var snippet: Highlighter.Snippet
    /// BM25 relevance, larger is better (the same double on every backend; see `BM25`).
    public var score: Double
    public var records: [IndexedRecord]
    /// Set when the node matched only through an abbreviation its document defines: the query named the full
    /// name, the node uses the short one (`searchExpandingAbbreviations`).
    public var matchedThroughAbbreviation: AbbreviationMatch?

    /// "p. 12" (or "pp. 12–13") where the source has pages, for citing the hit.
    public var pageCitation: String? { SourceSpan.pageCitation(from: startPage, to: endPage) }
}

/// What `--count-by` groups hits by.
public enum CountDimension: String, Sendable, CaseIterable {
    case doc, year, issuer, chapter
}

/// One group of `--count-by`: its name, and how many hits and distinct documents fall in it.
public struct CountRow: Codable, Hashable, Sendable {
    public var key: String
    public var hits: Int
    public var documents: Int
}

/// How big a knowledge base is.
public struct KnowledgeBaseSummary: Codable, Hashable, Sendable {
    public var sources: Int
    public var documents: Int
    public var nodes: Int
    public var searchableNodes: Int
    public var records: Int
}

extension KnowledgeBase {
    /// Removes everything that came from `source`, in one transaction.
    public func removeDocuments(fromSource source: String) throws {
        try removeDocuments(fromSources: [source])
    }
}
