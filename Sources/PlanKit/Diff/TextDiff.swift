/// One piece of an edit script between two texts: kept, deleted from the old text, or inserted in the new.
public struct TextEdit: Codable, Hashable, Sendable {
    /// What happens to `text`.
    public enum Operation: String, Codable, Sendable {
        case equal, delete, insert
    }

    public var op: Operation
    public var text: String
    /// True on a delete or insert that only changes format (punctuation width, white space): it vanishes
    /// after `DiffNormalizer.normalize`. Absent otherwise.
    public var formatOnly: Bool?

    public init(_ op: Operation, _ text: String, formatOnly: Bool? = nil) {
        self.op = op
        self.text = text
        self.formatOnly = formatOnly
    }
}

/// 文本比对 — an edit script between two texts that reads as a reader would mark up a revision: Chinese compared
/// character by character, Latin words and numbers as whole tokens ("2020" → "2025", never "0" → "5"), edits
/// grown to whole phrases and slid to punctuation boundaries.
///
/// Myers' O(ND) algorithm on tokens; long texts are first compared sentence by sentence, and only the
/// sentences that changed are compared by character, so that two 100 KB texts compare in milliseconds.
public enum TextDiff {
    /// The number of edit steps beyond which a comparison gives up on a minimal script and reports the
    /// remaining stretch as deleted and inserted whole: such texts have nothing useful in common anyway.
    static let maximumEditDistance = 2_000
    /// Token counts above which texts are first compared sentence by sentence.
    static let sentenceLevelThreshold = 3_000
    /// Token counts of a changed stretch of sentences above which similar sentences are paired first: a
    /// character diff over several rewritten sentences aligns stray common characters (的, 公司) across them.
    static let pairedSentenceThreshold = 400

    /// The edit script turning `old` into `new`, cleaned up for reading, with format-only edits flagged.
    /// Concatenating the `equal` and `delete` texts gives `old`; the `equal` and `insert` texts give `new`.
    /// - Complexity: O((N+M)·D) on tokens, with D bounded by `maximumEditDistance` per compared stretch.
    public static func diff(_ old: String, _ new: String) -> [TextEdit] {
        if old == new { return old.isEmpty ? [] : [TextEdit(.equal, old)] }
        var interner = TokenInterner()
        let oldTokens = tokenize(old)
        let newTokens = tokenize(new)
        let oldIDs = oldTokens.map { interner.id(of: $0) }
        let newIDs = newTokens.map { interner.id(of: $0) }
        let script = alignTokens(oldIDs, newIDs, oldTokens: oldTokens, newTokens: newTokens, interner: &interner)
        var edits: [TextEdit] = []
        var oldIndex = 0
        var newIndex = 0
        for step in script {
            switch step.op {
            case .equal:
                edits.append(TextEdit(.equal, oldTokens[oldIndex..<oldIndex + step.count].joined()))
                oldIndex += step.count
                newIndex += step.count
            case .delete:
                edits.append(TextEdit(.delete, oldTokens[oldIndex..<oldIndex + step.count].joined()))
                oldIndex += step.count
            case .insert:
                edits.append(TextEdit(.insert, newTokens[newIndex..<newIndex + step.count].joined()))
                newIndex += step.count
            }
        }
        edits = merged(edits)
        edits = semanticCleanup(edits)
        edits = alignedToBoundaries(edits)
        return flaggingFormatOnly(merged(edits))
    }

    /// True when the two texts differ only in format (see `DiffNormalizer`).
    public static func differOnlyInFormat(_ old: String, _ new: String) -> Bool {
        old != new && DiffNormalizer.normalize(old) == DiffNormalizer.normalize(new)
    }

    // MARK: Tokens

    /// Splits text into diff tokens: a run of ASCII or full-width letters and digits (with `.` `%` inside a
    /// number) is one token, a run of spaces is one token, every other character (Hanzi, punctuation) is one.
    static func tokenize(_ text: String) -> [String] {
        var tokens: [String] = []
        tokens.reserveCapacity(text.count)
        var run = ""
        var runIsSpace = false
        func flush() {
            if !run.isEmpty { tokens.append(run); run = "" }
        }
        for character in text {
            if isWordCharacter(character) {
                if runIsSpace { flush(); runIsSpace = false }
                run.append(character)
            } else if (character == "." || character == "%"), !run.isEmpty, !runIsSpace,
                      run.last.map(isDigit) == true {
                run.append(character)
            } else if character == " " || character == "\u{3000}" || character == "\u{00A0}" || character == "\t" {
                if !runIsSpace { flush(); runIsSpace = true }
                run.append(character)
            } else {
                flush()
                runIsSpace = false
                tokens.append(String(character))
            }
        }
        flush()
        return tokens
    }

    static func isWordCharacter(_ character: Character) -> Bool {
        if DiffNormalizer.isLatinWordCharacter(character) { return true }
        guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1 else { return false }
        // Full-width digits and Latin letters.
        return (0xFF10...0xFF19).contains(scalar.value) || (0xFF21...0xFF3A).contains(scalar.value)
            || (0xFF41...0xFF5A).contains(scalar.value)
    }

    static func isDigit(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        return (0x30...0x39).contains(scalar.value) || (0xFF10...0xFF19).contains(scalar.value)
    }

    /// Gives each distinct token a small integer, so that the comparison loops compare integers.
    struct TokenInterner {
        private var ids: [String: Int] = [:]
        mutating func id(of token: String) -> Int {
            if let id = ids[token] { return id }
            let id = ids.count
            ids[token] = id
            return id
        }
    }

    // MARK: Alignment

    /// A run of `count` tokens kept, deleted or inserted.
    struct Step: Equatable {
        var op: TextEdit.Operation
        var count: Int
    }

    /// Aligns two token sequences: common ends first, then sentence by sentence when long, then Myers.
    static func alignTokens(_ old: [Int], _ new: [Int], oldTokens: [String], newTokens: [String],
                            interner: inout TokenInterner) -> [Step] {
        let (prefix, suffix) = commonEnds(old, new)
        var steps: [Step] = []
        if prefix > 0 { steps.append(Step(op: .equal, count: prefix)) }
        let oldMiddle = prefix..<(old.count - suffix)
        let newMiddle = prefix..<(new.count - suffix)
        if oldMiddle.count + newMiddle.count > sentenceLevelThreshold {
            steps += alignBySentence(Array(old[oldMiddle]), Array(new[newMiddle]),
                                     oldTokens: Array(oldTokens[oldMiddle]), newTokens: Array(newTokens[newMiddle]),
                                     interner: &interner)
        } else {
            steps += myers(Array(old[oldMiddle]), Array(new[newMiddle]))
        }
        if suffix > 0 { steps.append(Step(op: .equal, count: suffix)) }
        return steps
    }

    /// Compares long texts sentence by sentence (a sentence ends at 。；！？ or a line break), then compares
    /// each changed stretch of sentences token by token.
    static func alignBySentence(_ old: [Int], _ new: [Int], oldTokens: [String], newTokens: [String],
                                interner: inout TokenInterner) -> [Step] {
        // A sentence ends at a terminator and takes the line breaks and spaces after it, so that blank lines
        // (identical everywhere) never stand alone and anchor unrelated places to each other.
        func sentences(_ tokens: [String]) -> [Range<Int>] {
            var ranges: [Range<Int>] = []
            var start = 0
            var index = 0
            while index < tokens.count {
                if ["。", "；", "！", "？", "\n", ";", "!", "?"].contains(tokens[index]) {
                    index += 1
                    while index < tokens.count, tokens[index] == "\n" || tokens[index].first == " " || tokens[index].first == "\u{3000}" {
                        index += 1
                    }
                    ranges.append(start..<index)
                    start = index
                } else {
                    index += 1
                }
            }
            if start < tokens.count { ranges.append(start..<tokens.count) }
            return ranges
        }
        let oldSentences = sentences(oldTokens)
        let newSentences = sentences(newTokens)
        var sentenceInterner = TokenInterner()
        let oldSentenceIDs = oldSentences.map { sentenceInterner.id(of: oldTokens[$0].joined()) }
        let newSentenceIDs = newSentences.map { sentenceInterner.id(of: newTokens[$0].joined()) }
        let sentenceSteps = myers(oldSentenceIDs, newSentenceIDs)

        var steps: [Step] = []
        var oldSentence = 0
        var newSentence = 0
        var index = 0
        while index < sentenceSteps.count {
            let step = sentenceSteps[index]
            if step.op == .equal {
                let tokenCount = oldSentences[oldSentence..<oldSentence + step.count].reduce(0) { $0 + $1.count }
                steps.append(Step(op: .equal, count: tokenCount))
                oldSentence += step.count
                newSentence += step.count
                index += 1
                continue
            }
            // A changed stretch: every delete and insert up to the next equal run, compared by token.
            var deletedSentences = 0
            var insertedSentences = 0
            while index < sentenceSteps.count, sentenceSteps[index].op != .equal {
                if sentenceSteps[index].op == .delete { deletedSentences += sentenceSteps[index].count }
                else { insertedSentences += sentenceSteps[index].count }
                index += 1
            }
            let oldStretch = Array(oldSentences[oldSentence..<oldSentence + deletedSentences])
            let newStretch = Array(newSentences[newSentence..<newSentence + insertedSentences])
            steps += alignChangedSentences(oldStretch, newStretch, old: old, new: new,
                                           oldTokens: oldTokens, newTokens: newTokens)
            oldSentence += deletedSentences
            newSentence += insertedSentences
        }
        return steps
    }

    /// Aligns a stretch of changed sentences. A short stretch is compared token by token; a long one (a
    /// rewritten chapter) is first cut at sentence pairs that are similar (bigram Dice ≥ 0.5) and in order,
    /// and each pair and each gap between pairs is compared on its own.
    static func alignChangedSentences(_ oldSentences: [Range<Int>], _ newSentences: [Range<Int>], old: [Int], new: [Int],
                                      oldTokens: [String], newTokens: [String]) -> [Step] {
        func tokens(_ sentences: ArraySlice<Range<Int>>, in ids: [Int]) -> [Int] {
            guard let first = sentences.first, let last = sentences.last else { return [] }
            return Array(ids[first.lowerBound..<last.upperBound])
        }
        let oldCount = oldSentences.reduce(0) { $0 + $1.count }
        let newCount = newSentences.reduce(0) { $0 + $1.count }
        if oldCount + newCount <= pairedSentenceThreshold || oldSentences.count < 2 || newSentences.count < 2 {
            return myers(tokens(oldSentences[...], in: old), tokens(newSentences[...], in: new))
        }
        let oldShingles = oldSentences.map { DiffUnit.shingles(of: oldTokens[$0].joined()) }
        let newShingles = newSentences.map { DiffUnit.shingles(of: newTokens[$0].joined()) }
        var newByShingle: [UInt64: [Int]] = [:]
        for (index, shingles) in newShingles.enumerated() {
            for shingle in shingles { newByShingle[shingle, default: []].append(index) }
        }
        // Each old sentence's most similar new sentence, among those sharing a rare bigram with it.
        var pairs: [(old: Int, new: Int)] = []
        let cutoff = max(8, newSentences.count / 10)
        for (index, shingles) in oldShingles.enumerated() {
            var counts: [Int: Int] = [:]
            for shingle in shingles {
                guard let list = newByShingle[shingle], list.count <= cutoff else { continue }
                for candidate in list { counts[candidate, default: 0] += 1 }
            }
            let best = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(4)
                .map { ($0.key, Shingles.dice(shingles, newShingles[$0.key])) }
                .max { $0.1 < $1.1 }
            if let best, best.1 >= 0.5 { pairs.append((index, best.0)) }
        }
        let kept = TreeAlignment.longestIncreasingSubsequence(pairs.map(\.new)).map { pairs[$0] }
        var steps: [Step] = []
        var oldNext = 0
        var newNext = 0
        func gap(_ oldEnd: Int, _ newEnd: Int) {
            let oldGap = tokens(oldSentences[oldNext..<oldEnd], in: old)
            let newGap = tokens(newSentences[newNext..<newEnd], in: new)
            if oldGap.count + newGap.count <= sentenceLevelThreshold {
                steps += myers(oldGap, newGap)
            } else {
                if !oldGap.isEmpty { steps.append(Step(op: .delete, count: oldGap.count)) }
                if !newGap.isEmpty { steps.append(Step(op: .insert, count: newGap.count)) }
            }
        }
        for anchor in kept {
            gap(anchor.old, anchor.new)
            steps += myers(Array(old[oldSentences[anchor.old]]), Array(new[newSentences[anchor.new]]))
            oldNext = anchor.old + 1
            newNext = anchor.new + 1
        }
        gap(oldSentences.count, newSentences.count)
        return steps
    }

    /// How many elements the two sequences share at the start, and then at the end.
    static func commonEnds(_ old: [Int], _ new: [Int]) -> (prefix: Int, suffix: Int) {
        var prefix = 0
        while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix,
              old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
        return (prefix, suffix)
    }

    /// Aligns two sequences of integers (interned keys of anything): common ends, then Myers.
    static func alignSequences(_ old: [Int], _ new: [Int]) -> [Step] {
        let (prefix, suffix) = commonEnds(old, new)
        var steps: [Step] = []
        if prefix > 0 { steps.append(Step(op: .equal, count: prefix)) }
        steps += myers(Array(old[prefix..<(old.count - suffix)]), Array(new[prefix..<(new.count - suffix)]))
        if suffix > 0 { steps.append(Step(op: .equal, count: suffix)) }
        return steps
    }

    /// Myers' greedy O(ND) shortest edit script. Beyond `maximumEditDistance` steps the stretch is reported
    /// as one deletion and one insertion.
    static func myers(_ old: [Int], _ new: [Int]) -> [Step] {
        let n = old.count
        let m = new.count
        if n == 0 && m == 0 { return [] }
        if n == 0 { return [Step(op: .insert, count: m)] }
        if m == 0 { return [Step(op: .delete, count: n)] }
        let limit = min(n + m, maximumEditDistance)
        let offset = limit + 1
        var frontier = [Int](repeating: 0, count: 2 * limit + 3)
        // trace[d] holds frontier[offset-d-1 ... offset+d+1] as it stood before step d.
        var trace: [[Int]] = []
        var finalD: Int?
        search: for d in 0...limit {
            trace.append(Array(frontier[(offset - d - 1)...(offset + d + 1)]))
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && frontier[offset + k - 1] < frontier[offset + k + 1]) {
                    x = frontier[offset + k + 1]
                } else {
                    x = frontier[offset + k - 1] + 1
                }
                var y = x - k
                while x < n, y < m, old[x] == new[y] {
                    x += 1
                    y += 1
                }
                frontier[offset + k] = x
                if x >= n && y >= m {
                    finalD = d
                    break search
                }
            }
        }
        guard let finalD else {
            return [Step(op: .delete, count: n), Step(op: .insert, count: m)]
        }
        var reversed: [Step] = []
        func push(_ op: TextEdit.Operation, _ count: Int) {
            guard count > 0 else { return }
            if let last = reversed.last, last.op == op {
                reversed[reversed.count - 1].count += count
            } else {
                reversed.append(Step(op: op, count: count))
            }
        }
        var x = n
        var y = m
        for d in stride(from: finalD, through: 1, by: -1) {
            let window = trace[d]
            // window index of diagonal k is k + d + 1.
            let k = x - y
            let previousK: Int
            if k == -d || (k != d && window[k - 1 + d + 1] < window[k + 1 + d + 1]) {
                previousK = k + 1
            } else {
                previousK = k - 1
            }
            let previousX = window[previousK + d + 1]
            let previousY = previousX - previousK
            let snakeEndX = previousK == k + 1 ? previousX : previousX + 1
            push(.equal, x - snakeEndX)
            push(previousK == k + 1 ? .insert : .delete, 1)
            x = previousX
            y = previousY
        }
        push(.equal, x)
        _ = y
        return reversed.reversed()
    }

    // MARK: Cleanup

    /// Joins neighbouring edits of the same kind and puts each deletion before the insertion beside it.
    static func merged(_ edits: [TextEdit]) -> [TextEdit] {
        var result: [TextEdit] = []
        var pendingDelete = ""
        var pendingInsert = ""
        func flushChanges() {
            if !pendingDelete.isEmpty { result.append(TextEdit(.delete, pendingDelete)) }
            if !pendingInsert.isEmpty { result.append(TextEdit(.insert, pendingInsert)) }
            pendingDelete = ""
            pendingInsert = ""
        }
        for edit in edits where !edit.text.isEmpty {
            switch edit.op {
            case .delete: pendingDelete += edit.text
            case .insert: pendingInsert += edit.text
            case .equal:
                flushChanges()
                if let last = result.last, last.op == .equal {
                    result[result.count - 1].text += edit.text
                } else {
                    result.append(edit)
                }
            }
        }
        flushChanges()
        return result
    }

    /// Absorbs short kept stretches without clause punctuation that sit between changes no shorter than themselves ("省级" → "市级和县级"
    /// becomes one replacement, not 省→市 plus 级 kept plus 和县级 inserted), so that edits read as phrases.
    /// - Complexity: O(n) a pass over n edits; passes repeat while an absorption makes a neighbour weak.
    static func semanticCleanup(_ input: [TextEdit]) -> [TextEdit] {
        var edits = input
        var changed = true
        var passes = 0
        while changed && passes < 16 {
            changed = false
            passes += 1
            var result: [TextEdit] = []
            result.reserveCapacity(edits.count + 8)
            for index in edits.indices {
                let edit = edits[index]
                guard edit.op == .equal, index > 0, index < edits.count - 1 else {
                    result.append(edit)
                    continue
                }
                let before = changeSizes(in: edits, from: index - 1, step: -1)
                let after = changeSizes(in: edits, from: index + 1, step: 1)
                let length = edit.text.count
                // A kept stretch holding a clause boundary (，。；) separates two phrases: keep it.
                let isWeak = length <= max(before.deleted, before.inserted) && length <= max(after.deleted, after.inserted)
                    && !edit.text.contains(where: isClauseBoundary)
                if isWeak, before.deleted + before.inserted > 0, after.deleted + after.inserted > 0 {
                    result.append(TextEdit(.delete, edit.text))
                    result.append(TextEdit(.insert, edit.text))
                    changed = true
                } else {
                    result.append(edit)
                }
            }
            edits = merged(result)
        }
        return edits
    }

    /// The characters deleted and inserted in the run of changes next to an equal edit.
    private static func changeSizes(in edits: [TextEdit], from start: Int, step: Int) -> (deleted: Int, inserted: Int) {
        var deleted = 0
        var inserted = 0
        var index = start
        while index >= 0, index < edits.count, edits[index].op != .equal {
            if edits[index].op == .delete { deleted += edits[index].text.count } else { inserted += edits[index].text.count }
            index += step
        }
        return (deleted, inserted)
    }

    /// Slides each lone insertion or deletion along its surroundings to where it starts and ends at a
    /// punctuation mark or line break ("、丁" inserted after "乙" becomes "丁、" inserted after "乙、").
    static func alignedToBoundaries(_ input: [TextEdit]) -> [TextEdit] {
        var edits = input
        var index = 1
        while index < edits.count - 1 {
            guard edits[index - 1].op == .equal, edits[index + 1].op == .equal, edits[index].op != .equal else {
                index += 1
                continue
            }
            var before = Array(edits[index - 1].text)
            var edit = Array(edits[index].text)
            var after = Array(edits[index + 1].text)
            // Slide left as far as the text allows.
            while let last = before.last, last == edit.last {
                before.removeLast()
                edit.insert(last, at: 0)
                edit.removeLast()
                after.insert(last, at: 0)
            }
            var best = (before: before, edit: edit, after: after)
            var bestScore = boundaryScore(before, edit, after)
            // Then step right, keeping the best placement (the leftmost among equals).
            while let first = after.first, first == edit.first {
                before.append(first)
                edit.removeFirst()
                edit.append(first)
                after.removeFirst()
                let score = boundaryScore(before, edit, after)
                if score > bestScore {
                    bestScore = score
                    best = (before, edit, after)
                }
            }
            edits[index - 1].text = String(best.before)
            edits[index].text = String(best.edit)
            edits[index + 1].text = String(best.after)
            index += 1
        }
        return merged(edits)
    }

    /// How well an edit's two ends fall on natural boundaries: text ends, line breaks, punctuation.
    private static func boundaryScore(_ before: [Character], _ edit: [Character], _ after: [Character]) -> Int {
        func score(_ left: Character?, _ right: Character?) -> Int {
            guard let left, let right else { return 6 }
            if left == "\n" || right == "\n" { return 5 }
            if isBreakingPunctuation(left) { return 4 }
            if left == " " || right == " " { return 2 }
            if isBreakingPunctuation(right) { return 1 }
            return 0
        }
        return score(before.last, edit.first) + score(edit.last, after.first)
    }

    static func isClauseBoundary(_ character: Character) -> Bool {
        "，。；：！？,;:!?\n".contains(character)
    }

    static func isBreakingPunctuation(_ character: Character) -> Bool {
        "，。；：！？、,.;:!?）)》」』】".contains(character)
    }

    /// Marks deletions and insertions that only change format; a replacement whose two sides are equal after
    /// normalisation is format-only on both sides.
    static func flaggingFormatOnly(_ input: [TextEdit]) -> [TextEdit] {
        var edits = input
        var index = 0
        while index < edits.count {
            let edit = edits[index]
            if edit.op == .delete, index + 1 < edits.count, edits[index + 1].op == .insert {
                if DiffNormalizer.normalize(edit.text) == DiffNormalizer.normalize(edits[index + 1].text) {
                    edits[index].formatOnly = true
                    edits[index + 1].formatOnly = true
                }
                index += 2
                continue
            }
            if edit.op != .equal, DiffNormalizer.normalize(edit.text).isEmpty {
                edits[index].formatOnly = true
            }
            index += 1
        }
        return edits
    }

    /// Replaces format-only edits by the new text as equal, for `--ignore-format`.
    public static func ignoringFormat(_ edits: [TextEdit]) -> [TextEdit] {
        var result: [TextEdit] = []
        for edit in edits {
            if edit.formatOnly == true {
                if edit.op == .insert { result.append(TextEdit(.equal, edit.text)) }
            } else {
                result.append(edit)
            }
        }
        return merged(result)
    }
}
