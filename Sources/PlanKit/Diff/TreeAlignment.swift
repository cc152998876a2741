/// 结构对齐 — which node of the old tree corresponds to which node of the new one.
///
/// Leaves (articles, paragraphs) are aligned first, by content rather than by number, because amendments
/// renumber articles en masse: identical bodies, then bigram similarity among candidates from an inverted
/// index, then splits and merges, then leftovers between aligned neighbours. Outline nodes (chapters,
/// sections) follow, by heading and by how many of their leaves went to the same place.
struct TreeAlignment {
    let old: [DiffUnit]
    let new: [DiffUnit]
    /// The new unit each old unit corresponds to. Every old part of a merge points to the merged node.
    var partnerOfOld: [Int?]
    /// The old unit each new unit corresponds to. Every new part of a split points to the split node.
    var partnerOfNew: [Int?]
    /// Old unit → the new parts it was split into, in order.
    var splits: [Int: [Int]] = [:]
    /// New unit → the old parts merged into it, in order.
    var merges: [Int: [Int]] = [:]

    /// Bigram similarity at or above which two leaves are taken for the same node, edited.
    static let leafThreshold = 0.5
    /// A lower bar for leaves left over between two aligned neighbours, where position vouches for them.
    static let gapThreshold = 0.3
    /// Combined similarity of split parts (or merged parts) with the whole.
    static let partsThreshold = 0.75

    /// Aligns two documents' units.
    /// - Complexity: about O(n·k·s) for n leaves, k candidates per leaf and s bigrams per leaf.
    init(old: [DiffUnit], new: [DiffUnit]) {
        self.old = old
        self.new = new
        partnerOfOld = Array(repeating: nil, count: old.count)
        partnerOfNew = Array(repeating: nil, count: new.count)
        let kinds = Set(old.map(\.kind)).intersection(new.map(\.kind))
        for kind in kinds.sorted(by: { $0.rawValue < $1.rawValue }) {
            let oldLeaves = old.filter { !$0.isOutline && $0.kind == kind }
            let newLeaves = new.filter { !$0.isOutline && $0.kind == kind }
            guard !oldLeaves.isEmpty, !newLeaves.isEmpty else { continue }
            matchIdentical(oldLeaves, newLeaves)
            matchSimilar(oldLeaves, newLeaves)
            findSplitsAndMerges(oldLeaves, newLeaves)
            fillGaps(oldLeaves, newLeaves)
        }
        for kind in kinds.sorted(by: { $0.rawValue < $1.rawValue }) {
            let oldOutline = old.filter { $0.isOutline && $0.kind == kind }
            let newOutline = new.filter { $0.isOutline && $0.kind == kind }
            guard !oldOutline.isEmpty, !newOutline.isEmpty else { continue }
            matchOutline(oldOutline, newOutline)
            fillGaps(oldOutline, newOutline)
        }
        // Leaves once more, now that their headings are aligned: a rewritten item in its old slot.
        for kind in kinds.sorted(by: { $0.rawValue < $1.rawValue }) {
            fillGaps(old.filter { !$0.isOutline && $0.kind == kind }, new.filter { !$0.isOutline && $0.kind == kind })
        }
    }

    private mutating func pair(_ oldPosition: Int, _ newPosition: Int) {
        partnerOfOld[oldPosition] = newPosition
        partnerOfNew[newPosition] = oldPosition
    }

    /// How far apart two units stand, as a fraction of each document: 0 at the same relative place.
    private func displacement(_ oldPosition: Int, _ newPosition: Int) -> Double {
        abs(Double(oldPosition) / Double(max(old.count, 1)) - Double(newPosition) / Double(max(new.count, 1)))
    }

    // MARK: Leaves

    /// Pairs leaves whose normalised bodies are equal. The sequences of bodies are aligned first (Myers, as
    /// for text), so that repeated bodies ("（一）罚款；", a recurring sentence) pair in order and are not crossed
    /// over each other; identical bodies left out of that alignment (moved ones) pair afterwards, a body found
    /// once in each version first, then the nearest in relative position.
    private mutating func matchIdentical(_ oldLeaves: [DiffUnit], _ newLeaves: [DiffUnit]) {
        var interner = TextDiff.TokenInterner()
        var blank = -1
        func key(_ unit: DiffUnit) -> Int {
            guard !unit.body.isEmpty else { blank -= 1; return blank }  // empty bodies never match
            return interner.id(of: unit.body)
        }
        let oldKeys = oldLeaves.map(key)
        let newKeys = newLeaves.map(key)
        var oldIndex = 0
        var newIndex = 0
        for step in TextDiff.alignSequences(oldKeys, newKeys) {
            switch step.op {
            case .equal:
                for offset in 0..<step.count {
                    pair(oldLeaves[oldIndex + offset].position, newLeaves[newIndex + offset].position)
                }
                oldIndex += step.count
                newIndex += step.count
            case .delete: oldIndex += step.count
            case .insert: newIndex += step.count
            }
        }

        var oldByBody: [String: [Int]] = [:]
        var newByBody: [String: [Int]] = [:]
        for unit in oldLeaves where !unit.body.isEmpty && partnerOfOld[unit.position] == nil {
            oldByBody[unit.body, default: []].append(unit.position)
        }
        for unit in newLeaves where !unit.body.isEmpty && partnerOfNew[unit.position] == nil {
            newByBody[unit.body, default: []].append(unit.position)
        }
        for (body, olds) in oldByBody.sorted(by: { $0.value[0] < $1.value[0] }) {
            guard var free = newByBody[body] else { continue }
            if olds.count == 1 && free.count == 1 {
                pair(olds[0], free[0])
                continue
            }
            for position in olds where !free.isEmpty {
                let nearest = free.indices.min { displacement(position, free[$0]) < displacement(position, free[$1]) }!
                pair(position, free.remove(at: nearest))
            }
        }
    }

    /// Pairs the remaining leaves by bigram similarity, best pairs first: near-identical pairs first, then the
    /// rest, preferring a candidate that keeps the order of the pairs already made (an amended article is
    /// more likely the one standing where it stood than a look-alike elsewhere).
    private mutating func matchSimilar(_ oldLeaves: [DiffUnit], _ newLeaves: [DiffUnit]) {
        matchSimilar(oldLeaves, newLeaves, threshold: 0.8, orderBonus: false)
        matchSimilar(oldLeaves, newLeaves, threshold: Self.leafThreshold, orderBonus: true)
    }

    private mutating func matchSimilar(_ oldLeaves: [DiffUnit], _ newLeaves: [DiffUnit], threshold: Double,
                                       orderBonus: Bool) {
        let freeNew = newLeaves.filter { partnerOfNew[$0.position] == nil }
        guard !freeNew.isEmpty else { return }
        let index = ShingleIndex(freeNew)
        let newByID = Dictionary(freeNew.map { ($0.node.id, $0.position) }, uniquingKeysWith: { first, _ in first })
        let anchors = orderBonus ? monotoneAnchors(oldLeaves.map(\.position)) : []
        /// Whether pairing the two keeps the order of the anchors around them.
        func keepsOrder(_ oldPosition: Int, _ newPosition: Int) -> Bool {
            guard orderBonus else { return false }
            var low = 0
            var high = anchors.count
            while low < high {
                let middle = (low + high) / 2
                if anchors[middle].old < oldPosition { low = middle + 1 } else { high = middle }
            }
            let before = low > 0 ? anchors[low - 1].new : -1
            let after = low < anchors.count ? anchors[low].new : Int.max
            return before < newPosition && newPosition < after
        }
        var scored: [(score: Double, similarity: Double, old: Int, new: Int)] = []
        for unit in oldLeaves where partnerOfOld[unit.position] == nil {
            var candidates = index.candidates(for: unit.shingles, limit: 8)
            if let sameID = newByID[unit.node.id], !candidates.contains(sameID) { candidates.append(sameID) }
            for candidate in candidates {
                let similarity = Shingles.leafSimilarity(unit.shingles, new[candidate].shingles)
                guard similarity >= threshold else { continue }
                let sameID = new[candidate].node.id == unit.node.id ? 0.03 : 0
                let order = keepsOrder(unit.position, candidate) ? 0.15 : 0
                let score = similarity + sameID + order + 0.05 * (1 - displacement(unit.position, candidate))
                scored.append((score, similarity, unit.position, candidate))
            }
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.old < $1.old }
        for candidate in scored where partnerOfOld[candidate.old] == nil && partnerOfNew[candidate.new] == nil {
            pair(candidate.old, candidate.new)
        }
    }

    /// Finds an old leaf whose text now stands in several consecutive new leaves (split), and several
    /// consecutive old leaves whose text now stands in one new leaf (merged).
    private mutating func findSplitsAndMerges(_ oldLeaves: [DiffUnit], _ newLeaves: [DiffUnit]) {
        for (whole, parts, isSplit) in [(oldLeaves, newLeaves, true), (newLeaves, oldLeaves, false)] {
            let partUnits = isSplit ? new : old
            let index = ShingleIndex(parts)
            let siblings = parts.map(\.position)
            let siblingIndex = Dictionary(uniqueKeysWithValues: siblings.enumerated().map { ($1, $0) })
            for unit in whole {
                let partner = isSplit ? partnerOfOld[unit.position] : partnerOfNew[unit.position]
                // A unit already part of a split or merge takes part in no other.
                if !isSplit, let partner, splits[partner] != nil { continue }
                let partnerSimilarity = partner.map { Shingles.dice(unit.shingles, partUnits[$0].shingles) } ?? 0
                guard partnerSimilarity < 1 else { continue }
                // Candidate parts: free leaves (or this unit's own partner) mostly made of this unit's text.
                // The partner's neighbours always count: a short sentence split off shares too few bigrams to
                // rank among the best candidates of a long paragraph.
                var nearby = index.candidates(for: unit.shingles, limit: 12)
                if let partner, let at = siblingIndex[partner] {
                    for offset in [-2, -1, 1, 2] where siblings.indices.contains(at + offset) {
                        if !nearby.contains(siblings[at + offset]) { nearby.append(siblings[at + offset]) }
                    }
                }
                let candidates = nearby.filter { position in
                    let isFree = isSplit ? partnerOfNew[position] == nil : partnerOfOld[position] == nil
                    return (isFree || position == partner)
                        && partUnits[position].parent == (partner.map { partUnits[$0].parent } ?? partUnits[position].parent)
                        && Shingles.containment(of: partUnits[position].shingles, in: unit.shingles) >= 0.7
                }.sorted()
                // Runs of leaves that stand next to each other.
                var runs: [[Int]] = []
                for position in candidates {
                    if let last = runs.last?.last, let lastIndex = siblingIndex[last],
                       lastIndex + 1 < siblings.count, siblings[lastIndex + 1] == position {
                        runs[runs.count - 1].append(position)
                    } else {
                        runs.append([position])
                    }
                }
                for run in runs where run.count >= 2 && (partner == nil || run.contains(partner!)) {
                    let combined = Shingles.dice(unit.shingles, Shingles.union(run.map { partUnits[$0].shingles }))
                    guard combined >= Self.partsThreshold, combined > partnerSimilarity else { continue }
                    // Each part besides the partner must bring text the partner lacks: a new node that merely
                    // shares wording with its neighbour is not a split.
                    if let partner {
                        let wholeSet = Set(unit.shingles)
                        let partnerSet = Set(partUnits[partner].shingles)
                        let bringsNewText = run.allSatisfy { position in
                            guard position != partner else { return true }
                            let shingles = partUnits[position].shingles
                            let fresh = shingles.filter { wholeSet.contains($0) && !partnerSet.contains($0) }.count
                            return Double(fresh) >= 0.3 * Double(shingles.count)
                        }
                        guard bringsNewText else { continue }
                    }
                    if isSplit {
                        partnerOfOld[unit.position] = partner ?? run[0]
                        for position in run { partnerOfNew[position] = unit.position }
                        splits[unit.position] = run
                    } else {
                        partnerOfNew[unit.position] = partner ?? run[0]
                        for position in run { partnerOfOld[position] = unit.position }
                        merges[unit.position] = run
                    }
                    break
                }
            }
        }
    }

    /// Pairs leftovers that stand between the same two aligned neighbours in both versions, when similar
    /// enough for their place to vouch for them.
    private mutating func fillGaps(_ oldUnits: [DiffUnit], _ newUnits: [DiffUnit]) {
        let anchors = monotoneAnchors(oldUnits.map(\.position))
        var boundaries: [(old: Int, new: Int)] = [(-1, -1)]
        boundaries += anchors
        boundaries.append((Int.max, Int.max))
        for index in 1..<boundaries.count {
            let (oldStart, newStart) = boundaries[index - 1]
            let (oldEnd, newEnd) = boundaries[index]
            let oldGap = oldUnits.filter { $0.position > oldStart && $0.position < oldEnd && partnerOfOld[$0.position] == nil }
            let newGap = newUnits.filter { $0.position > newStart && $0.position < newEnd && partnerOfNew[$0.position] == nil }
            guard !oldGap.isEmpty, !newGap.isEmpty, oldGap.count * newGap.count <= 2_500 else { continue }
            var scored: [(Double, Int, Int)] = []
            for a in oldGap {
                for b in newGap {
                    let similarity = a.isOutline ? outlineSimilarity(a, b) : Shingles.leafSimilarity(a.shingles, b.shingles)
                    if similarity >= Self.gapThreshold { scored.append((similarity, a.position, b.position)) }
                }
            }
            scored.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
            for (_, a, b) in scored where partnerOfOld[a] == nil && partnerOfNew[b] == nil {
                pair(a, b)
            }
            // One node left on each side of the same slot, under the same label (（一） and （一）), is that
            // node rewritten: short items share too few bigrams to be recognised by wording alone.
            let oldLeft = oldGap.filter { partnerOfOld[$0.position] == nil }
            let newLeft = newGap.filter { partnerOfNew[$0.position] == nil }
            if oldLeft.count == 1, newLeft.count == 1, let label = oldLeft[0].labelKey, label == newLeft[0].labelKey,
               oldLeft[0].parent.flatMap({ partnerOfOld[$0] }) == newLeft[0].parent {
                pair(oldLeft[0].position, newLeft[0].position)
            }
        }
    }

    /// The aligned pairs among `oldPositions` that keep their order (a longest increasing subsequence of new
    /// positions), so that gaps between them are gaps in both versions.
    func monotoneAnchors(_ oldPositions: [Int]) -> [(old: Int, new: Int)] {
        let pairs = oldPositions.compactMap { position in
            partnerOfOld[position].map { (old: position, new: $0) }
        }
        let kept = Self.longestIncreasingSubsequence(pairs.map(\.new))
        return kept.map { pairs[$0] }
    }

    /// Indices of a longest strictly increasing subsequence of `values`.
    /// - Complexity: O(n log n).
    static func longestIncreasingSubsequence(_ values: [Int]) -> [Int] {
        var tails: [Int] = []          // index into values of the smallest tail of each length
        var previous = [Int](repeating: -1, count: values.count)
        for (index, value) in values.enumerated() {
            var low = 0
            var high = tails.count
            while low < high {
                let middle = (low + high) / 2
                if values[tails[middle]] < value { low = middle + 1 } else { high = middle }
            }
            if low > 0 { previous[index] = tails[low - 1] }
            if low == tails.count { tails.append(index) } else { tails[low] = index }
        }
        var result: [Int] = []
        var cursor = tails.last ?? -1
        while cursor >= 0 {
            result.append(cursor)
            cursor = previous[cursor]
        }
        return result.reversed()
    }

    // MARK: Outline

    /// How alike two outline units are: their headings, and how many of their leaves were aligned with each other.
    func outlineSimilarity(_ a: DiffUnit, _ b: DiffUnit) -> Double {
        let heading = a.headingKey == b.headingKey ? 1 : Shingles.dice(a.shingles, b.shingles)
        let leaves = a.leafPositions.count + b.leafPositions.count
        guard leaves > 0 else { return heading }
        let newLeaves = Set(b.leafPositions)
        let shared = a.leafPositions.filter { partnerOfOld[$0].map(newLeaves.contains) ?? false }.count
        let overlap = 2 * Double(shared) / Double(leaves)
        return 0.5 * heading + 0.5 * overlap
    }

    /// Pairs outline units: same heading, or enough of the same content, best pairs first.
    private mutating func matchOutline(_ oldOutline: [DiffUnit], _ newOutline: [DiffUnit]) {
        var scored: [(score: Double, old: Int, new: Int)] = []
        for a in oldOutline {
            for b in newOutline {
                let similarity = outlineSimilarity(a, b)
                let sameHeading = !a.headingKey.isEmpty && a.headingKey == b.headingKey
                guard similarity >= 0.5 || sameHeading else { continue }
                let sameID = a.node.id == b.node.id ? 0.03 : 0
                scored.append((similarity + (sameHeading ? 0.2 : 0) + sameID
                               + 0.05 * (1 - displacement(a.position, b.position)), a.position, b.position))
            }
        }
        scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.old < $1.old }
        for candidate in scored where partnerOfOld[candidate.old] == nil && partnerOfNew[candidate.new] == nil {
            pair(candidate.old, candidate.new)
        }
    }
}
