/// 文本复用 — which paragraphs of one document take their text from another: the policy-diffusion question
/// (a city's plan reusing the State Council's programme, a province adapting another's regulation), asked of
/// two different documents, clause by clause.
///
/// How similarity is computed, in named steps:
/// 1. **Units**: the paragraphs (and items, points, list entries) of each tree with at least
///    `minimumUnitLength` characters of matching text; the table of contents and headings alone are skipped.
/// 2. **Matching text**: letters and digits only — punctuation, spaces and their widths are dropped and
///    full-width forms folded (`ReuseText`), so that re-typed punctuation changes nothing.
/// 3. **Candidates**: every source unit sharing at least `minimumSharedShingles` distinct character
///    4-grams with the target unit, through an inverted index (4-grams in more than `commonShingleLimit`
///    source units carry no signal and are not indexed); the best `candidateLimit` by shared 4-grams go on.
/// 4. **Alignment**: the maximal common substrings of the pair (at least `minimumPassageLength` characters),
///    taken longest first without overlapping in either text — so moved sentences still align, and a swapped
///    place name merely splits a passage in two.
/// 5. **Similarity**: Dice's coefficient over the aligned characters, 2·shared / (|target| + |source|).
/// 6. **Kind**: `verbatim` when the matching texts are equal; `adapted` when the shared passages cover at
///    least `adaptedCoverage` of both texts (a place name swapped, one sentence of four dropped, added or moved
///    still leave 0.75 or more of each); `partial` when the shared
///    text is at least `partialMinimumShared` characters and one passage at least `partialMinimumPassage` — two
///    sentences of a source paragraph inside new text; anything less is two paragraphs on the same topic and
///    is not reported. (A 4-character topic word such as 营商环境 or 数字经济 is far below both limits; a
///    21-character slogan is below the shared limit of 24.)
public struct ReuseSettings: Sendable, Hashable {
    public var minimumUnitLength = 12
    public var shingleLength = 4
    public var minimumSharedShingles = 3
    public var commonShingleLimit = 64
    public var candidateLimit = 8
    public var minimumPassageLength = 6
    public var adaptedCoverage = 0.6
    public var partialMinimumShared = 24
    public var partialMinimumPassage = 12
    /// The most source matches reported for one target unit.
    public var matchesPerUnit = 3

    public init() {}
}

/// How a target paragraph reuses a source paragraph.
public enum ReuseKind: String, Codable, Sendable, CaseIterable {
    case verbatim, adapted, partial
}

/// A paragraph-like node of a document, ready for comparison.
public struct ReuseUnit: Sendable, Hashable {
    public var document: String
    public var id: String
    /// "第五章 … › 第四节 … › 段2".
    public var path: String
    /// As printed.
    public var text: String
    let matching: ReuseText

    public init(document: String, id: String, path: String, text: String) {
        self.document = document
        self.id = id
        self.path = path
        self.text = text
        matching = ReuseText(text)
    }

    /// Characters of matching text (letters and digits).
    public var matchingLength: Int { matching.scalars.count }

    /// The units of a document tree, in document order.
    public static func units(of root: Node, document: String, minimumLength: Int = ReuseSettings().minimumUnitLength)
        -> [ReuseUnit] {
        var result: [ReuseUnit] = []
        root.forEach { node, ancestors in
            guard Self.carriesText(node), !ancestors.contains(where: { $0.kind == .toc }) else { return }
            let unit = ReuseUnit(document: document, id: node.id, path: Node.path(of: node, ancestors: ancestors),
                                 text: node.text)
            if unit.matchingLength >= minimumLength { result.append(unit) }
        }
        return result
    }

    /// Nodes whose own text is running text: paragraphs, items and the like without blocks below them (their
    /// lead and clauses are parts of their text, not units of their own).
    static func carriesText(_ node: Node) -> Bool {
        switch node.kind {
        case .document, .toc, .lead, .clause, .figure, .closing, .part, .subpart, .chapter, .section, .preface,
             .preamble, .attachment, .box:
            return false
        default:
            return !node.children.contains { $0.kind != .lead && $0.kind != .clause }
        }
    }
}

/// The matching form of a text: its letters and digits, folded, with where each came from.
public struct ReuseText: Sendable, Hashable {
    /// Folded letters and digits (Han characters included).
    let scalars: [Unicode.Scalar]
    /// For each of `scalars`, its index among the original text's Unicode scalars.
    let origins: [Int]

    init(_ text: String) {
        var scalars: [Unicode.Scalar] = []
        var origins: [Int] = []
        for (index, scalar) in text.unicodeScalars.enumerated() {
            guard let folded = Normalizer.fold(scalar), Self.isMatchable(folded) else { continue }
            scalars.append(Self.lowercased(folded))
            origins.append(index)
        }
        self.scalars = scalars
        self.origins = origins
    }

    /// Letters and digits (Han characters included): what reuse compares.
    public static func isMatchable(_ scalar: Unicode.Scalar) -> Bool {
        if Normalizer.isHan(scalar) { return true }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    static func lowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        (0x41...0x5A).contains(scalar.value) ? Unicode.Scalar(scalar.value + 0x20)! : scalar
    }

    /// Distinct hashed k-grams.
    func shingles(length: Int) -> Set<UInt64> {
        guard scalars.count >= length else { return scalars.isEmpty ? [] : [Self.hash(scalars[...])] }
        var result = Set<UInt64>()
        for start in 0...(scalars.count - length) {
            result.insert(Self.hash(scalars[start..<start + length]))
        }
        return result
    }

    static func hash(_ slice: ArraySlice<Unicode.Scalar>) -> UInt64 {
        var value: UInt64 = 0xcbf29ce484222325
        for scalar in slice {
            value ^= UInt64(scalar.value)
            value &*= 0x100000001b3
        }
        return value
    }
}

/// One passage both texts contain: where it is in each, in matching characters.
struct AlignedPassage: Hashable, Sendable {
    var targetStart: Int
    var sourceStart: Int
    var length: Int
}

enum PassageAligner {
    /// The maximal common substrings of `target` and `source` of at least `minimumLength`, longest first,
    /// none overlapping another in either text, in target order.
    /// - Complexity: O(|target|·|source|) time, O(|source|) memory.
    static func align(_ target: [Unicode.Scalar], _ source: [Unicode.Scalar], minimumLength: Int) -> [AlignedPassage] {
        guard !target.isEmpty, !source.isEmpty else { return [] }
        var previous = [Int](repeating: 0, count: source.count + 1)
        var current = previous
        var found: [AlignedPassage] = []
        for i in 1...target.count {
            let t = target[i - 1]
            for j in 1...source.count {
                if t == source[j - 1] {
                    current[j] = previous[j - 1] + 1
                    let length = current[j]
                    // Maximal: it cannot be extended to the right.
                    let endsHere = i == target.count || j == source.count || target[i] != source[j]
                    if endsHere, length >= minimumLength {
                        found.append(AlignedPassage(targetStart: i - length, sourceStart: j - length, length: length))
                    }
                } else {
                    current[j] = 0
                }
            }
            swap(&previous, &current)
        }
        found.sort { ($0.length, -$0.targetStart) > ($1.length, -$1.targetStart) }
        var usedTarget = [Bool](repeating: false, count: target.count)
        var usedSource = [Bool](repeating: false, count: source.count)
        var accepted: [AlignedPassage] = []
        for passage in found {
            // A passage overlapping an accepted one keeps its free middle part, when that is still long enough.
            var start = 0
            var end = passage.length
            while start < end, usedTarget[passage.targetStart + start] || usedSource[passage.sourceStart + start] { start += 1 }
            while end > start, usedTarget[passage.targetStart + end - 1] || usedSource[passage.sourceStart + end - 1] { end -= 1 }
            guard end - start >= minimumLength else { continue }
            let range = start..<end
            guard !range.contains(where: { usedTarget[passage.targetStart + $0] || usedSource[passage.sourceStart + $0] })
            else { continue }
            for offset in range {
                usedTarget[passage.targetStart + offset] = true
                usedSource[passage.sourceStart + offset] = true
            }
            accepted.append(AlignedPassage(targetStart: passage.targetStart + start, sourceStart: passage.sourceStart + start,
                                           length: end - start))
        }
        return accepted.sorted { $0.targetStart < $1.targetStart }
    }
}
