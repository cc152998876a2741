/// Positioned text as a fixed-layout source gives it (PDF through poppler's `pdftohtml -xml`; OFD can give
/// the same): pages of text fragments, each with its box and font. `PageLayout` turns it into blocks.
///
/// Coordinates are the source's own units with the origin at the page's top left; `top` grows downwards.
public struct LayoutPage: Sendable, Hashable {
    /// The page number, from 1.
    public var number: Int
    public var width: Double
    public var height: Double
    public var fragments: [LayoutFragment]

    public init(number: Int, width: Double, height: Double, fragments: [LayoutFragment]) {
        self.number = number
        self.width = width
        self.height = height
        self.fragments = fragments
    }
}

/// A run of text set in one font on one line (pdftohtml's `<text>`).
public struct LayoutFragment: Sendable, Hashable {
    public var text: String
    public var left: Double
    public var top: Double
    public var width: Double
    public var height: Double
    public var font: LayoutFont

    public init(text: String, left: Double, top: Double, width: Double, height: Double, font: LayoutFont) {
        self.text = text
        self.left = left
        self.top = top
        self.width = width
        self.height = height
        self.font = font
    }

    public var right: Double { left + width }
    public var bottom: Double { top + height }
    var centerY: Double { top + height / 2 }
}

/// A font as the source names it: family (with a subset prefix such as `LUMPWM+`), size, weight, colour.
public struct LayoutFont: Sendable, Hashable {
    public var family: String
    public var size: Double
    public var bold: Bool
    /// `#rrggbb`, when the source says.
    public var color: String?

    public init(family: String, size: Double, bold: Bool = false, color: String? = nil) {
        self.family = family
        self.size = size
        self.bold = bold
        self.color = color
    }

    /// The family without a subset prefix (`LUMPWM+FZXBSK--GBK1-0` → `FZXBSK--GBK1-0`).
    public var baseFamily: Substring {
        let name = Substring(family)
        if let plus = name.firstIndex(of: "+"), name.distance(from: name.startIndex, to: plus) == 6 {
            return name[name.index(after: plus)...]
        }
        return name
    }

    /// The kind of typeface, from the family's name.
    public var typeface: Typeface { Typeface.of(family: baseFamily) }

    /// How strongly the font sets text off from body text: display faces (小标宋) over heavy faces (黑体, bold)
    /// over 楷体 over body faces (仿宋, 宋体).
    var emphasis: Int { typeface.rawValue + (bold && typeface < .hei ? 2 : 0) }

    /// Red text: the masthead (版头) of an official document (GB/T 9704), not its title.
    public var isRed: Bool {
        guard let color, color.count == 7, color.first == "#",
              let value = Int(color.dropFirst(), radix: 16) else { return false }
        let red = value >> 16, green = (value >> 8) & 0xFF, blue = value & 0xFF
        return red >= 0xB0 && green <= 0x60 && blue <= 0x60
    }

    /// Fonts that set text the same way: same face, same size to the unit, same weight.
    var styleKey: StyleKey { StyleKey(family: String(baseFamily), size: Int(size.rounded()), bold: bold) }

    struct StyleKey: Hashable { var family: String; var size: Int; var bold: Bool }
}

/// The kinds of Chinese typeface official documents use to mark levels (GB/T 9704: the title in 小标宋,
/// first-level headings in 黑体, second-level in 楷体, text in 仿宋), judged from the family's name.
public enum Typeface: Int, Comparable, Sendable {
    /// 仿宋, 宋体, 明体, serif and Latin text faces: body text.
    case body = 0
    /// 楷体.
    case kai = 1
    /// 黑体 and other sans faces.
    case hei = 2
    /// 小标宋, 大标宋, 中宋: display faces for titles.
    case display = 3

    public static func < (lhs: Typeface, rhs: Typeface) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Name fragments (lower case) and the face they mean, checked in order: the one table of family names.
    /// Founder (方正) names abbreviate: FZXBS 小标宋, FZHT 黑体, FZKT 楷体, FZFS 仿宋.
    static let families: [(fragment: String, face: Typeface)] = [
        ("xbs", .display), ("xiaobiaosong", .display), ("小标宋", .display), ("biaosong", .display), ("标宋", .display),
        ("fzdbs", .display), ("zhongsong", .display), ("中宋", .display),
        ("fzht", .hei), ("hei", .hei), ("黑", .hei), ("sans", .hei), ("gothic", .hei),
        ("fzkt", .kai), ("kai", .kai), ("楷", .kai),
    ]

    static func of(family: Substring) -> Typeface {
        let name = family.lowercased()
        for entry in families where name.contains(entry.fragment) { return entry.face }
        return .body
    }
}
