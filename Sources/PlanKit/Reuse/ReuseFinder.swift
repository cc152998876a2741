/// A target paragraph that reuses text of a source paragraph (`plankb reuse`, schemas/reuse.schema.json).
public struct ReusePair: Codable, Hashable, Sendable {
    public struct Side: Codable, Hashable, Sendable {
        /// The document key (its source path); absent on the target side of a file-to-file comparison.
        public var document: String?
        public var id: String
        public var text: String
        public var path: String
    }

    public var target: Side
    public var source: Side
    /// Dice's coefficient over the aligned characters, 0…1.
    public var similarity: Double
    /// The passages both contain, as printed in the target, in target order.
    public var shared: [String]
    public var kind: ReuseKind
    /// Where the shared passages stand in each text, as ranges of Unicode scalars (`start`, `end` exclusive),
    /// for marking them up.
    public var targetRanges: [ScalarRange]
    public var sourceRanges: [ScalarRange]
}

/// A range of Unicode scalar offsets in a text.
public struct ScalarRange: Codable, Hashable, Sendable {
    public var start: Int
    public var end: Int
}

/// Finds, for paragraphs of a target, the source paragraphs whose text they reuse (`ReuseSettings` explains
/// the method). The sources are indexed once; each target unit is then compared with its candidates only.
public struct ReuseFinder: Sendable {
    public let settings: ReuseSettings
    public let sources: [ReuseUnit]
    private let index: [UInt64: [Int32]]

    public init(sources: [ReuseUnit], settings: ReuseSettings = ReuseSettings()) {
        self.settings = settings
        self.sources = sources
        var index: [UInt64: [Int32]] = [:]
        for (position, unit) in sources.enumerated() {
            for shingle in unit.matching.shingles(length: settings.shingleLength) {
                index[shingle, default: []].append(Int32(position))
            }
        }
        self.index = index.filter { $0.value.count <= settings.commonShingleLimit }
    }

    /// The reuse pairs of one target unit, best first (at most `matchesPerUnit`). Units of the same document
    /// and node as the target are never paired with it; with `otherDocumentsOnly`, no unit of its document is.
    public func matches(for target: ReuseUnit, otherDocumentsOnly: Bool = false) -> [ReusePair] {
        var counts: [Int32: Int] = [:]
        for shingle in target.matching.shingles(length: settings.shingleLength) {
            for position in index[shingle] ?? [] { counts[position, default: 0] += 1 }
        }
        let candidates = counts.filter { $0.value >= settings.minimumSharedShingles }
            .sorted { ($0.value, -$0.key) > ($1.value, -$1.key) }
            .prefix(settings.candidateLimit == .max ? counts.count : settings.candidateLimit)
        var pairs: [ReusePair] = []
        for (position, _) in candidates {
            let source = sources[Int(position)]
            if source.document == target.document, otherDocumentsOnly || source.id == target.id { continue }
            if let pair = compare(target, source) { pairs.append(pair) }
        }
        pairs.sort { ($0.similarity, $1.source.id) > ($1.similarity, $0.source.id) }
        return Array(pairs.prefix(settings.matchesPerUnit))
    }

    /// Every reuse pair of the target units, in target order.
    public func matches(for targets: [ReuseUnit]) -> [ReusePair] {
        targets.flatMap { matches(for: $0) }
    }

    /// The pair, when `target` reuses `source` by the settings' rules; nil when they merely share words.
    public func compare(_ target: ReuseUnit, _ source: ReuseUnit) -> ReusePair? {
        let t = target.matching.scalars
        let s = source.matching.scalars
        guard !t.isEmpty, !s.isEmpty else { return nil }
        let passages = PassageAligner.align(t, s, minimumLength: settings.minimumPassageLength)
        let shared = passages.reduce(0) { $0 + $1.length }
        let longest = passages.map(\.length).max() ?? 0
        let similarity = Double(2 * shared) / Double(t.count + s.count)
        // How much of each side the shared passages cover: an adaptation covers most of both.
        let coverage = min(Double(shared) / Double(t.count), Double(shared) / Double(s.count))
        let kind: ReuseKind
        if t == s {
            kind = .verbatim
        } else if coverage >= settings.adaptedCoverage, longest >= settings.partialMinimumPassage || shared == t.count {
            kind = .adapted
        } else if shared >= settings.partialMinimumShared, longest >= settings.partialMinimumPassage {
            kind = .partial
        } else {
            return nil
        }
        let targetRanges = passages.map { Self.range(of: $0.targetStart, length: $0.length, in: target.matching) }
        let sourceRanges = passages.map { Self.range(of: $0.sourceStart, length: $0.length, in: source.matching) }
        let scalars = Array(target.text.unicodeScalars)
        let texts = targetRanges.map { range in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range.start..<range.end])
            return String(view)
        }
        return ReusePair(
            target: .init(document: target.document.isEmpty ? nil : target.document, id: target.id, text: target.text,
                          path: target.path),
            source: .init(document: source.document, id: source.id, text: source.text, path: source.path),
            similarity: (similarity * 1000).rounded() / 1000, shared: texts, kind: kind,
            targetRanges: targetRanges, sourceRanges: sourceRanges)
    }

    /// The printed range a passage of matching characters covers (from its first to its last character, so
    /// punctuation inside it is included).
    static func range(of start: Int, length: Int, in text: ReuseText) -> ScalarRange {
        ScalarRange(start: text.origins[start], end: text.origins[start + length - 1] + 1)
    }
}

/// What share of a target document's text reuses a source, for the document-pair table.
public struct ReuseShare: Codable, Hashable, Sendable {
    public var target: String
    public var source: String
    /// Target paragraphs with at least one pair.
    public var paragraphs: Int
    /// Matching characters of the target covered by shared passages, over all its matching characters.
    public var share: Double

    public init(target: String, source: String, pairs: [ReusePair], targetUnits: [ReuseUnit]) {
        self.target = target
        self.source = source
        let byID = Dictionary(targetUnits.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var covered: [String: Set<Int>] = [:]
        for pair in pairs {
            guard let unit = byID[pair.target.id] else { continue }
            for range in pair.targetRanges {
                for (position, origin) in unit.matching.origins.enumerated() where origin >= range.start && origin < range.end {
                    covered[pair.target.id, default: []].insert(position)
                }
            }
        }
        paragraphs = covered.count
        let total = targetUnits.reduce(0) { $0 + $1.matchingLength }
        let reused = covered.values.reduce(0) { $0 + $1.count }
        share = total == 0 ? 0 : (Double(reused) / Double(total) * 1000).rounded() / 1000
    }
}
