/// Traditional → simplified folding of Han characters (繁简归一), so that 經濟 and 经济 are one index token.
///
/// Applied by `IndexTokenizer` to the index and to queries alike; the stored text and the snippets keep the
/// characters as printed. The table (`pairs`) is generated from OpenCC's TSCharacters by
/// `Sources/PlanIndex/Text/make_fold_table.py`, which also holds the per-character decisions for one-to-many mappings: both
/// 發 and 髮 fold to 发 and 後 to 后, but 乾 stays 乾, since simplified text writes 乾隆 and 乾坤 with it.
enum SimplifiedFolding {
    /// Folded values for U+3400…U+9FFF (0 = unchanged, `elsewhere` = in `supplementary`), one array read per
    /// character on the hot path.
    private static let base: UInt32 = 0x3400
    /// A character of the basic range whose simplified form lies outside the BMP (㑮 → 𫝈): U+FFFF is no
    /// character, so no simplified form.
    private static let elsewhere: UInt16 = 0xFFFF
    private static let basic: [UInt16] = table.basic
    /// The pairs whose traditional or simplified character lies outside the BMP (1,149 of 4,105), ordered by the
    /// traditional one for a binary search: built by appending, since `pairs` is in code point order, where a
    /// dictionary cost each process ~0.4 M instructions of hashing at its first search.
    private static let supplementary: [(traditional: UInt32, simplified: UInt32)] = table.supplementary

    private static let table: (basic: [UInt16], supplementary: [(traditional: UInt32, simplified: UInt32)]) = {
        var basic = [UInt16](repeating: 0, count: Int(0xA000 - base))
        var supplementary: [(traditional: UInt32, simplified: UInt32)] = []
        supplementary.reserveCapacity(1_200)
        var pending: UInt32?
        for scalar in pairs.unicodeScalars where scalar != " " && scalar != "\n" {  // cheaper than properties
            guard let traditional = pending else { pending = scalar.value; continue }
            pending = nil
            let simplified = scalar.value
            if traditional >= base && traditional < 0xA000 {
                basic[Int(traditional - base)] = simplified <= 0xFFFF ? UInt16(simplified) : elsewhere
                if simplified > 0xFFFF { supplementary.append((traditional, simplified)) }
            } else {
                supplementary.append((traditional, simplified))
            }
        }
        // The generator writes the pairs in code point order; should a hand edit break it, the search still holds.
        if !zip(supplementary, supplementary.dropFirst()).allSatisfy({ $0.traditional < $1.traditional }) {
            supplementary.sort { $0.traditional < $1.traditional }
        }
        return (basic, supplementary)
    }()

    private static func supplementaryForm(_ value: UInt32) -> UInt32? {
        var low = 0, high = supplementary.count
        while low < high {
            let middle = (low + high) / 2
            if supplementary[middle].traditional < value { low = middle + 1 } else { high = middle }
        }
        return low < supplementary.count && supplementary[low].traditional == value ? supplementary[low].simplified : nil
    }

    /// The simplified form of a Han character's scalar value; any other value unchanged.
    @inline(__always)
    static func simplified(_ value: UInt32) -> UInt32 {
        if value >= base && value < 0xA000 {
            let folded = basic[Int(value - base)]
            if folded == 0 { return value }
            return folded == elsewhere ? supplementaryForm(value) ?? value : UInt32(folded)
        }
        if value < 0x20000 { return value }
        return supplementaryForm(value) ?? value
    }
}
