import Foundation
import PlanKit

/// Term top lists (champion lists): for every index token, the rows where it weighs most, best first.
///
/// FTS5 ranks by scoring every row that matches, so a query for a common term (发展, 的, 港) costs time in
/// proportion to how often the term occurs, seconds at a gigabyte. A token's top list holds its `capacity` best
/// rows by BM25 impact (see `BM25`), so the first pages of hits for a common term come from one short list
/// instead (Manning, Raghavan & Schütze, *Introduction to Information Retrieval*, §7.1.3). Lists are built from
/// the same tokens FTS5 stores and kept exact: a list always holds the true top-n rows of its token for its
/// current length n, or every row of the token when `isComplete`.
struct TermTopList: Equatable, Sendable {
    /// Rows kept per token. Pages that reach further than this (offset + limit) are ranked without the lists.
    static let capacity = 128

    /// Rows that hold the token (its document frequency, for the idf): added by each refresh, and the rows of
    /// deleted documents taken away by the next one (`SQLiteKnowledgeBase.uncount`).
    var rows: Int
    /// True while the list holds every row that contains the token.
    var isComplete: Bool
    /// Packed entries (see `TermTopEntry`), best first once `sorted()`; a min-heap while building.
    var entries: [UInt64]
}

/// One row in a top list packed in 64 bits so that comparing two packed values compares impacts, and among
/// equal impacts prefers the lower row id (as FTS5's ranking does, which meets rows in rowid order): the high 24
/// bits are the impact's Float32 bit pattern without its 8 lowest mantissa bits (positive floats order like
/// their bit patterns), the low 40 bits the row id (`doc_id << 20 | ordinal`) subtracted from 2^40 − 1.
enum TermTopEntry {
    static let rowBits: UInt64 = 40
    static let rowMask: UInt64 = (1 << rowBits) - 1
    /// Row ids at or above this cannot be packed; such knowledge bases (over a million documents) keep no lists.
    static let rowLimit: Int64 = 1 << 40

    static func pack(impact: Double, row: Int64) -> UInt64 {
        let bits = UInt64(Float(impact).bitPattern >> 8)
        return bits << rowBits | (rowMask - (UInt64(row) & rowMask))
    }

    static func row(_ entry: UInt64) -> Int64 { Int64(rowMask - (entry & rowMask)) }

    static func impact(_ entry: UInt64) -> Double {
        Double(Float(bitPattern: UInt32(truncatingIfNeeded: entry >> rowBits) << 8))
    }
}

/// Index tokens as 64-bit keys: a token of up to 8 UTF-8 bytes (every Han character and pair of them, most
/// words) is its bytes packed little-endian — UTF-8 of the text the index stores never contains a zero byte, so
/// the packing is unambiguous and its lowest byte is never zero; a longer word gets a numbered key whose lowest
/// byte is zero.
struct TokenKeys: Sendable {
    private var longKeys: [String: UInt64] = [:]
    private var longTexts: [String] = []

    mutating func key(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        if let key = Self.packed(bytes) { return key }
        return key(text: String(decoding: bytes, as: UTF8.self))
    }

    /// The key of a long token's text.
    mutating func key(text: String) -> UInt64 {
        if let key = longKeys[text] { return key }
        longTexts.append(text)
        let key = UInt64(longTexts.count) << 8
        longKeys[text] = key
        return key
    }

    /// The key of a token seen before, without adding one.
    func existingKey(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        // Not `??`: its autoclosure copied the two collections (a retain and release each) on every call.
        if let key = Self.packed(bytes) { return key }
        return longKeys[String(decoding: bytes, as: UTF8.self)]
    }

    func text(_ key: UInt64) -> String {
        if key & 0xFF == 0 { return longTexts[Int(key >> 8) - 1] }
        var bytes: [UInt8] = []
        forEachByte(of: key) { bytes.append($0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The token's UTF-8 bytes in order, without making a string of a packed one.
    func forEachByte(of key: UInt64, _ body: (UInt8) -> Void) {
        if key & 0xFF == 0 {
            for byte in longTexts[Int(key >> 8) - 1].utf8 { body(byte) }
            return
        }
        var rest = key
        while rest != 0 {
            body(UInt8(truncatingIfNeeded: rest))
            rest >>= 8
        }
    }

    /// The bytes as one number, the first byte lowest. Inlined: it runs for every token a matcher reads.
    @inline(__always)
    static func packed(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard bytes.count <= 8 else { return nil }
        var key: UInt64 = 0
        var shift: UInt64 = 0
        for byte in bytes {
            key |= UInt64(byte) &<< shift
            shift &+= 8
        }
        return key
    }
}

/// What to weigh a knowledge base's rows with: how its index cuts ideographs and the BM25 average length its
/// lists are built with (`averageLength` is fixed per knowledge base, see `BM25`).
public struct TermTopParameters: Sendable {
    public var indexing: IdeographIndexing
    public var averageLength: Double

    /// The average length new knowledge bases use: the mean tokens per searchable row over the bundled corpus
    /// (46–48), rounded.
    public static let defaultAverageLength = 48.0
}

/// The term top list material of one document: for each distinct token, how many of the document's rows hold
/// it and each such row's BM25 impact. Computed where documents are loaded, on every core, so that the single
/// writer only merges digests into the knowledge base's lists.
public struct TermDigest: Sendable {
    /// Distinct tokens (packed keys; see `TokenKeys`), with the text of long ones.
    private(set) var tokens: [UInt64] = []
    private(set) var keys = TokenKeys()
    /// Rows holding each token.
    private(set) var rows: [Int32] = []
    /// `entries[offsets[i] ..< offsets[i + 1]]` are token i's entries, rows numbered by their ordinal in the
    /// document (the writer adds the document id).
    private(set) var offsets: [Int32] = []
    private(set) var entries: [UInt64] = []
    /// With `keepingFrequencies`: per entry, the token's weighted frequency in the row (heading 8, lead 3, text 1,
    /// a whole number), and per row ordinal its length as BM25 counts it — what the PostgreSQL backend's postings
    /// store (`PostgresPostings`). Empty otherwise.
    private(set) var frequencies: [Int32] = []
    private(set) var lengths: [Int32] = []
    private(set) var keepsFrequencies = false

    /// The digest of a document's searchable rows, tokenized as the index is given them (`NodeRow.searchText`).
    init(rows: [NodeRow], parameters: TermTopParameters, keepingFrequencies: Bool = false) {
        let searchable = rows.lazy.filter { $0.searchable != .none }.map { row in
            (ordinal: row.ordinal, columns: [row.heading, row.searchLead, row.searchText])
        }
        self.init(rows: searchable, parameters: parameters, keepingFrequencies: keepingFrequencies)
    }

    init(rows: some Sequence<(ordinal: Int, columns: [String?])>, parameters: TermTopParameters,
         keepingFrequencies: Bool = false) {
        let tokenizer = IndexTokenizer(indexing: parameters.indexing)
        let bm25 = BM25(averageLength: parameters.averageLength)
        keepsFrequencies = keepingFrequencies
        var tokenIndex = KeyTable()
        var rowTokens = KeyTable()
        var rowFrequencies: [Double] = []
        var pairTokens: [Int32] = []
        var pairEntries: [UInt64] = []
        var pairFrequencies: [Int32] = []
        for row in rows {
            rowTokens.removeAll()
            rowFrequencies.removeAll(keepingCapacity: true)
            var length = 0
            for (column, value) in row.columns.enumerated() {
                guard var text = value else { continue }
                let weight = BM25.columnWeights[column]
                text.withUTF8 { bytes in
                    tokenizer.tokenize(bytes, forQuery: false) { token in
                        if !token.colocated { length += 1 }
                        let slot = rowTokens.index(of: keys.key(token.bytes), inserting: Int32(rowFrequencies.count))
                        if slot == rowFrequencies.count { rowFrequencies.append(weight) } else { rowFrequencies[slot] += weight }
                        return true
                    }
                }
            }
            for (key, slot) in rowTokens.entries {
                let index = tokenIndex.index(of: key, inserting: Int32(tokens.count))
                if index == tokens.count {
                    tokens.append(key)
                    self.rows.append(0)
                }
                self.rows[index] += 1
                pairTokens.append(Int32(index))
                pairEntries.append(TermTopEntry.pack(
                    impact: bm25.impact(weightedFrequency: rowFrequencies[Int(slot)], rowLength: length),
                    row: Int64(row.ordinal)))
                if keepingFrequencies { pairFrequencies.append(Int32(rowFrequencies[Int(slot)])) }
            }
            if keepingFrequencies {
                if lengths.count <= row.ordinal { lengths.append(contentsOf: repeatElement(0, count: row.ordinal + 1 - lengths.count)) }
                lengths[row.ordinal] = Int32(length)
            }
        }
        // Group the entries by token (a counting sort).
        offsets = [Int32](repeating: 0, count: tokens.count + 1)
        for token in pairTokens { offsets[Int(token) + 1] += 1 }
        for index in tokens.indices { offsets[index + 1] += offsets[index] }
        var next = offsets
        entries = [UInt64](repeating: 0, count: pairEntries.count)
        if keepingFrequencies { frequencies = [Int32](repeating: 0, count: pairEntries.count) }
        for (pair, token) in pairTokens.enumerated() {
            let slot = Int(next[Int(token)])
            entries[slot] = pairEntries[pair]
            if keepingFrequencies { frequencies[slot] = pairFrequencies[pair] }
            next[Int(token)] += 1
        }
    }
}

/// The term top lists being built from the digests of many documents.
struct TermTopAccumulator {
    let capacity: Int
    private var keys = TokenKeys()
    private var listIndex = KeyTable(capacityPowerOfTwo: 16)
    private var listKeys: [UInt64] = []
    private var lists: [TermTopList] = []

    init(capacity: Int) { self.capacity = capacity }

    var isEmpty: Bool { lists.isEmpty }

    /// Adds a document's digest; its rows are numbered `documentID << ordinalBits | ordinal`.
    mutating func add(_ digest: TermDigest, documentID: Int64, ordinalBits: Int64) {
        let base = UInt64(documentID) << UInt64(ordinalBits)
        for (position, token) in digest.tokens.enumerated() {
            let key = token & 0xFF == 0 ? keys.key(text: digest.keys.text(token)) : token
            let index = listIndex.index(of: key, inserting: Int32(lists.count))
            if index == lists.count {
                lists.append(TermTopList(rows: 0, isComplete: true, entries: []))
                listKeys.append(key)
            }
            lists[index].rows += Int(digest.rows[position])
            for entry in digest.entries[Int(digest.offsets[position]) ..< Int(digest.offsets[position + 1])] {
                // Digest entries number rows by ordinal alone; the row bits hold 2^40 − 1 − ordinal.
                lists[index].offer(entry - base, capacity: capacity)
            }
        }
    }

    /// The lists with their entries best first, in the byte order of their tokens (SQLite's text order).
    func finished() -> [(token: String, list: TermTopList)] {
        var result = zip(listKeys, lists).map { key, list in
            var list = list
            list.entries.sort(by: >)
            return (token: keys.text(key), list: list)
        }
        result.sort { $0.token.utf8.lexicographicallyPrecedes($1.token.utf8) }
        return result
    }

    /// Joins a list built from new rows into the stored list of the same token, keeping only what is certain:
    /// an entry stays when no row missing from either list could rank above it. `isLive` drops entries of rows
    /// that were deleted since the stored list was written.
    static func merge(stored: TermTopList, new: TermTopList, capacity: Int, isLive: (Int64) -> Bool) -> TermTopList {
        // Dropping deleted rows keeps each list the best of what is left: every row it lacks ranked below them.
        let kept = stored.entries.filter { isLive(TermTopEntry.row($0)) }
        let added = new.entries.filter { isLive(TermTopEntry.row($0)) }
        var threshold: UInt64 = 0
        for (list, live) in [(stored, kept), (new, added)] where !list.isComplete {
            // Rows this list lacks rank at or below its weakest entry, so entries of the other list below that
            // are uncertain; with no entry left, nothing is certain.
            threshold = max(threshold, live.last ?? .max)
        }
        var merged = (kept + added).sorted(by: >)
        let certain = merged.prefix { $0 >= threshold }.count
        var isComplete = stored.isComplete && new.isComplete
        if certain < merged.count { merged.removeLast(merged.count - certain); isComplete = false }
        if merged.count > capacity { merged.removeLast(merged.count - capacity); isComplete = false }
        return TermTopList(rows: stored.rows + new.rows, isComplete: isComplete, entries: merged)
    }
}

/// An open-addressing hash table from token keys (never 0) to small integers, in flat arrays: the builder
/// looks up every token of every row, and `Dictionary`'s seeded hashing costs several times more.
///
/// The slots are allocated at the first insertion: a knowledge base opened only to be read still makes its
/// (empty) term top accumulator, whose table of 2^16 slots was 0.8 MB zeroed, and 200 page faults, per query
/// command.
struct KeyTable {
    private var keys: [UInt64] = []
    private var values: [Int32] = []
    private var used: [Int32] = []
    private var shift: UInt64

    init(capacityPowerOfTwo bits: Int = 10) {
        shift = UInt64(64 - bits)
    }

    /// The value stored for `key`, or `value` after storing it when the key is new.
    @inline(__always)
    mutating func index(of key: UInt64, inserting value: Int32) -> Int {
        if used.count * 2 >= keys.count { grow() }
        let mask = keys.count - 1
        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            let found = keys[slot]
            if found == key { return Int(values[slot]) }
            if found == 0 {
                keys[slot] = key
                values[slot] = value
                used.append(Int32(slot))
                return Int(value)
            }
            slot = (slot + 1) & mask
        }
    }

    /// Keys and values in insertion order.
    var entries: [(key: UInt64, value: Int32)] { used.map { (keys[Int($0)], values[Int($0)]) } }

    mutating func removeAll() {
        for slot in used { keys[Int(slot)] = 0 }
        used.removeAll(keepingCapacity: true)
    }

    private mutating func grow() {
        let bits = 64 - Int(shift)
        guard !keys.isEmpty else {
            keys = [UInt64](repeating: 0, count: 1 << bits)
            values = [Int32](repeating: 0, count: 1 << bits)
            return
        }
        let old = entries
        self = KeyTable(capacityPowerOfTwo: bits + 1)
        for (key, value) in old { _ = index(of: key, inserting: value) }
    }
}

extension TermTopList {
    /// Keeps an entry if the list has room or the entry beats the weakest kept one. While building, `entries`
    /// is a min-heap on the packed value: its root is the weakest entry.
    mutating func offer(_ entry: UInt64, capacity: Int) {
        if entries.count < capacity {
            entries.append(entry)
            var child = entries.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard entries[parent] > entries[child] else { break }
                entries.swapAt(parent, child)
                child = parent
            }
            return
        }
        isComplete = false
        guard let weakest = entries.first, entry > weakest else { return }
        entries[0] = entry
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < entries.count && entries[left] < entries[smallest] { smallest = left }
            if right < entries.count && entries[right] < entries[smallest] { smallest = right }
            guard smallest != parent else { break }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
    }
}

extension TermTopList {
    /// The entries as stored (SQLite blob, PostgreSQL bytea): 8 bytes each, little-endian, best first.
    var blob: Data {
        var data = Data(capacity: entries.count * 8)
        for entry in entries { withUnsafeBytes(of: entry.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func entries(fromBlob data: Data) -> [UInt64] {
        data.withUnsafeBytes { raw in
            (0..<raw.count / 8).map { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
        }
    }
}

extension PreparedDocument {
    /// Rows and, with `termTopParameters`, their term digest (what the SQLite backend's preparer makes).
    public init(document: PlanDocument, termTopParameters: TermTopParameters?) {
        let rows = NodeRow.rows(of: document)
        self.init(rows: rows, payload: termTopParameters.map { TermDigest(rows: rows, parameters: $0) })
    }

    /// The term digest the backend's preparer made, if any (alone, or beside the backend's own material).
    var digest: TermDigest? { payload as? TermDigest ?? (payload as? TermDigestCarrier)?.digest }
}

/// A backend's prepared material that carries a term digest beside its own (PostgreSQL: the search vectors).
protocol TermDigestCarrier: Sendable {
    var digest: TermDigest? { get }
}

/// Digests of documents written by this instance whose lists are not refreshed yet. A digest joins only after
/// its document's transaction committed, so a rolled-back write leaves nothing behind.
final class TermTopStaging: @unchecked Sendable {
    /// Merging digests costs about an eighth of the writer's time, and the writer is what an index run waits
    /// for: the merge runs on its own queue, and reading the result waits for the merges queued before it.
    private let queue = DispatchQueue(label: "plankb.term-top-staging")
    private var accumulator = TermTopAccumulator(capacity: TermTopList.capacity)
    private var documents = Set<Int64>()
    /// How the backend numbers a row: `documentID << ordinalBits | ordinal`.
    private let ordinalBits: Int64

    init(ordinalBits: Int64) { self.ordinalBits = ordinalBits }

    func add(_ digests: [(documentID: Int64, digest: TermDigest)]) {
        queue.async { [self] in
            for (documentID, digest) in digests {
                accumulator.add(digest, documentID: documentID, ordinalBits: ordinalBits)
                documents.insert(documentID)
            }
        }
    }

    /// A copy of what was collected (the refresh may still fail and need it again).
    func take() -> TermTopAccumulator {
        queue.sync { accumulator }
    }

    func digestedDocuments() -> Set<Int64> {
        queue.sync { documents }
    }

    func clear() {
        queue.sync {
            accumulator = TermTopAccumulator(capacity: TermTopList.capacity)
            documents = []
        }
    }
}
