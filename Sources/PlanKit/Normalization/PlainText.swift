/// Fast paths for "plain" text: text in which every `Character` is a single Unicode scalar that has no other
/// canonical form — nearly all Chinese policy text (Hanzi, CJK and ASCII punctuation, digits, Latin letters).
///
/// In plain text a character offset is a scalar offset, `count` is the number of scalars, and two characters
/// are equal exactly when their scalars are, so code can work on `unicodeScalars` and skip grapheme breaking
/// and normalisation, which dominate the cost of walking `Character`s. Code that takes a fast path checks
/// `isPlain` first and keeps its `Character` form for the rest (combining marks, emoji sequences, Hangul
/// jamo, CJK compatibility ideographs), so results never depend on which path ran.
public enum PlainText {
    /// Whether every character of `text` is one plain scalar (see `isPlain(_:)` for a scalar).
    /// - Complexity: O(n) in the UTF-8 length, without grapheme breaking.
    @inlinable
    public static func isPlain(_ text: some StringProtocol) -> Bool {
        text.unicodeScalars.allSatisfy(isPlain)
    }

    /// Whether `scalar` is a character of its own wherever it stands and equal only to itself: it is neither
    /// a carriage return (CR LF is one character), nor something that joins the scalar before or after it
    /// (combining marks, ZWJ, variation selectors, Hangul jamo, regional indicators, prepended marks), nor a
    /// singleton with a canonical equivalent (Å U+212B, 〈 U+2329, the CJK compatibility ideographs).
    ///
    /// The ranges cover ASCII, Latin, general punctuation and symbols, CJK punctuation, kana, the CJK
    /// ideographs and full-width forms; anything else takes the `Character` path. Checked exhaustively
    /// against the standard library's grapheme breaking and Foundation's NFC when written.
    @inlinable
    public static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        isPlainScalar(scalar.value)
    }

    /// `isPlain(_ text:)` for a `String`, on its UTF-8 bytes: ASCII bytes need no decoding.
    @inlinable
    public static func isPlain(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable(isPlain(utf8:)) ?? text.unicodeScalars.allSatisfy(isPlain)
    }

    /// Whether the well-formed UTF-8 of a string holds only plain scalars.
    @inlinable
    static func isPlain(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        scanPlain(utf8: bytes, counting: false) != nil
    }

    /// How many scalars the well-formed UTF-8 of a string holds when all are plain (then its character
    /// count); nil at the first that is not.
    @inlinable
    static func plainScalarCount(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        scanPlain(utf8: bytes, counting: true)
    }

    /// The one decoding pass behind both: nil at the first scalar that is not plain, else the scalars
    /// counted (0 when not `counting`, which is inlined away from the plainness check, a hot path).
    @inlinable @inline(__always)
    static func scanPlain(utf8 bytes: UnsafeBufferPointer<UInt8>, counting: Bool) -> Int? {
        var count = 0, index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if counting { count += 1 }
            if lead < 0x80 {
                if lead == 0x0D { return nil }
                index += 1
                continue
            }
            // E4…E9 lead U+4000…U+9FFF (the end of extension A, the hexagrams, the unified ideographs), all
            // plain: most of a Chinese text is passed over without decoding.
            if lead >= 0xE4, lead <= 0xE9 {
                index += 3
                continue
            }
            let length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            var value = UInt32(lead & (lead < 0xE0 ? 0x1F : lead < 0xF0 ? 0x0F : 0x07))
            for offset in 1..<length { value = value << 6 | UInt32(bytes[index + offset] & 0x3F) }
            guard isPlainScalar(value) else { return nil }
            index += length
        }
        return count
    }

    @inlinable
    static func isPlainScalar(_ value: UInt32) -> Bool {
        switch value {
        case 0x00...0x0C, 0x0E...0x2FF: true                    // ASCII but CR, Latin-1, Latin extended, IPA
        case 0x4E00...0x9FFF: true                              // CJK unified ideographs
        case 0x3000...0x3029, 0x3030...0x3098, 0x309B...0x4DFF: true  // CJK punctuation, kana, extension A
        case 0xFF00...0xFF9D, 0xFFA0...0xFFEF: true              // full-width and half-width forms
        case 0x2002...0x200B, 0x200E...0x20CF, 0x2100...0x2125, 0x2127...0x2129, 0x212C...0x2328,
             0x232B...0x2ADB, 0x2ADD...0x2BFF: true              // punctuation, symbols, arrows, enclosed numbers
        case 0xFE30...0xFE4F, 0xFEFF, 0x20000...0x2F7FF: true    // CJK compatibility forms, BOM, extensions B–F
        default: false
        }
    }

    /// The number of characters of a `String`, counted over its UTF-8 in the pass that checks it is plain
    /// (what the generic form does over decoded scalars, at a third of the cost).
    @inlinable
    public static func characterCount(_ text: String) -> Int {
        if case let count?? = text.utf8.withContiguousStorageIfAvailable(plainScalarCount(utf8:)) { return count }
        return text.count
    }

    /// The number of characters of `text`, counted over scalars when the text is plain.
    @inlinable
    public static func characterCount(_ text: some StringProtocol) -> Int {
        var count = 0
        for scalar in text.unicodeScalars {
            guard isPlain(scalar) else { return text.count }
            count += 1
        }
        return count
    }

    /// Whether `text` has at most `limit` characters, looking at no more than `limit + 1` of them.
    @inlinable
    public static func hasAtMost(_ limit: Int, charactersIn text: some StringProtocol) -> Bool {
        if text.utf8.count <= limit { return true }  // a character takes at least one byte
        // Each plain scalar starts a character of its own: `limit + 1` of them settle it.
        var scalars = 0
        for scalar in text.unicodeScalars {
            guard isPlain(scalar) else { return text.dropFirst(limit).isEmpty }
            scalars += 1
            if scalars > limit { return false }
        }
        return true
    }
}

extension Character {
    /// The scalar of a character that is one plain scalar (see `PlainText.isPlain(_:)`): comparing it with
    /// a single-scalar literal can then compare scalars, without normalising.
    @inline(__always)
    var plainScalar: Unicode.Scalar? {
        let scalars = unicodeScalars
        guard let first = scalars.first, PlainText.isPlain(first),
              scalars.index(after: scalars.startIndex) == scalars.endIndex else { return nil }
        return first
    }

    /// `self == Character(literal)` for a plain literal, comparing scalars when `self` is plain too.
    @inline(__always)
    func equals(_ literal: Unicode.Scalar) -> Bool {
        if let scalar = plainScalar { return scalar == literal }
        return self == Character(literal)
    }
}

/// A text indexed by character offset in O(1): its scalars when the text is plain, else its `Character`s.
/// Replaces `Array(text)`, which pays for grapheme breaking on every character. Pieces are cut from the text
/// itself (the segmenter's pieces, the highlighter's snippets and marks).
public struct CharacterArray {
    enum Storage {
        case scalars([Unicode.Scalar])
        case characters([Character])
    }

    let storage: Storage
    private let text: String
    /// Where each character starts in `text`, then the end of `text`: pieces are cut from the text itself.
    private let bounds: [String.Index]

    /// The `Character` form whatever the text, so tests can check that both forms give the same answers.
    static func characters(_ text: String) -> CharacterArray {
        CharacterArray(text: text, storage: .characters(Array(text)), bounds: Array(text.indices) + [text.endIndex])
    }

    private init(text: String, storage: Storage, bounds: [String.Index]) {
        self.text = text
        self.storage = storage
        self.bounds = bounds
    }

    public init(_ text: String) {
        self.text = text
        var scalars: [Unicode.Scalar] = []
        var bounds: [String.Index] = []
        scalars.reserveCapacity(text.utf8.count)
        bounds.reserveCapacity(text.utf8.count + 1)
        let view = text.unicodeScalars
        var index = view.startIndex
        while index < view.endIndex {
            let scalar = view[index]
            guard PlainText.isPlain(scalar) else {
                storage = .characters(Array(text))
                self.bounds = Array(text.indices) + [text.endIndex]
                return
            }
            scalars.append(scalar)
            bounds.append(index)
            view.formIndex(after: &index)
        }
        bounds.append(text.endIndex)
        storage = .scalars(scalars)
        self.bounds = bounds
    }

    public var count: Int { bounds.count - 1 }

    func isBlank(at offset: Int) -> Bool {
        switch storage {
        case .scalars(let scalars): Normalizer.isBlank(scalars[offset])
        case .characters(let characters): Normalizer.isBlank(characters[offset])
        }
    }

    /// The first scalar of the character at `offset` (what decides its display width).
    public func firstScalar(at offset: Int) -> Unicode.Scalar {
        switch storage {
        case .scalars(let scalars): scalars[offset]
        case .characters(let characters): characters[offset].unicodeScalars.first!
        }
    }

    /// The characters `start..<end` as a string.
    public func string(from start: Int, to end: Int) -> String {
        String(text[bounds[start]..<bounds[end]])
    }

    /// The characters `range` as a string.
    public func string(_ range: Range<Int>) -> String { string(from: range.lowerBound, to: range.upperBound) }
}
