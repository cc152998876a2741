import Foundation
import PlanKit

/// One page of an OFD document: its box and the runs of text drawn on it (templates included).
struct OFDPage: Sendable {
    var number: Int
    var box: OFDBox
    var runs: [OFDTextRun] = []
}

/// Glyphs drawn one after another on one baseline, in one font: a piece of a line. OFD producers cut a line
/// into several text objects (at each font change, often at every few characters), so a line is usually
/// several runs.
struct OFDTextRun: Sendable, Hashable {
    var text: String
    /// The left edge of the first glyph and the right edge of the last, in millimetres on the page.
    var x: Double
    var endX: Double
    /// The baseline, in millimetres from the page's top.
    var baseline: Double
    /// The font size on the page, in millimetres (the `Size` scaled by the object's CTM).
    var size: Double
    var fontName: String
    var bold: Bool
    var italic: Bool
}

/// Reads the text objects of a page's (or template's) `Content.xml` into runs, placing every glyph:
/// `TextCode@X/@Y` start the code, `DeltaX`/`DeltaY` step from glyph to glyph (the compressed `g N v` form
/// repeats `v` N times), the object's `CTM` maps its coordinates and `Boundary` places its origin on the page.
enum OFDPageReader {
    /// The most glyph steps one `TextCode` may ask for through `g N v`: a code needs no more steps than it has
    /// glyphs, so a larger N is cut there (a hostile `g 999999999 1` allocates nothing).
    static func runs(in content: XMLElement, fonts: [String: OFDFont], part: String, page: Int,
                     diagnostics: inout [Diagnostic]) -> [OFDTextRun] {
        var runs: [OFDTextRun] = []
        var rotated = 0
        var unknownFonts: Set<String> = []
        func walk(_ element: XMLElement, depth: Int) {
            for child in element.elements {
                switch child.name {
                case "TextObject":
                    read(child, fonts: fonts, into: &runs, rotated: &rotated, unknownFonts: &unknownFonts)
                case "Content", "Layer", "PageBlock":
                    walk(child, depth: depth + 1)
                default:
                    break  // paths, images, composite objects, annotations: no text
                }
            }
        }
        if let body = content.child("Content") { walk(body, depth: 0) } else { walk(content, depth: 0) }
        if rotated > 0 {
            var note = Diagnostic(.note, "ingest.ofd-rotated-text",
                                  "\(part): \(rotated) rotated text object(s) (stamps, watermarks) left out of the text")
            note.page = page
            diagnostics.append(note)
        }
        if !unknownFonts.isEmpty {
            var warning = Diagnostic(.warning, "ingest.ofd-missing-font",
                                     "\(part): font(s) \(unknownFonts.sorted().joined(separator: ", ")) not declared in any resource file; headings cannot be told by font")
            warning.page = page
            diagnostics.append(warning)
        }
        return runs
    }

    /// An affine map "a b c d e f": (x, y) → (a·x + c·y + e, b·x + d·y + f).
    struct Transform {
        var a = 1.0, b = 0.0, c = 0.0, d = 1.0, e = 0.0, f = 0.0
        init() {}
        init?(_ text: String?) {
            guard let text else { return nil }
            let n = OFDNumbers.parse(text)
            guard n.count == 6 else { return nil }
            (a, b, c, d, e, f) = (n[0], n[1], n[2], n[3], n[4], n[5])
        }
        func apply(_ x: Double, _ y: Double) -> (Double, Double) { (a * x + c * y + e, b * x + d * y + f) }
        var scale: Double { (abs(a * d - b * c)).squareRoot() }
        var isRotated: Bool { abs(b) > 0.05 * max(abs(a), 1e-9) || abs(c) > 0.05 * max(abs(d), 1e-9) || a < 0 || d < 0 }
    }

    private static func read(_ object: XMLElement, fonts: [String: OFDFont], into runs: inout [OFDTextRun],
                             rotated: inout Int, unknownFonts: inout Set<String>) {
        let transform = Transform(object.attribute("CTM")) ?? Transform()
        if transform.isRotated {
            rotated += 1
            return
        }
        let origin = OFDBox(object.attribute("Boundary")) ?? OFDBox(x: 0, y: 0, width: 0, height: 0)
        let fontID = object.attribute("Font") ?? ""
        let font = fonts[fontID]
        if font == nil, !fontID.isEmpty { unknownFonts.insert(fontID) }
        // Sizes and scales outside what a page can show (0, negative, 1e300) are not trusted.
        let given = OFDNumbers.parse(object.attribute("Size") ?? "").first ?? 3.5
        let declaredSize = given > 0.001 && given < 10_000 ? given : 3.5
        let scale = transform.scale > 1e-6 && transform.scale < 1e6 ? transform.scale : 1
        let size = min(10_000, max(0.01, declaredSize * scale))
        let weight = OFDNumbers.parse(object.attribute("Weight") ?? "").first ?? 400
        let bold = (font?.bold ?? false) || weight >= 600
        let italic = (font?.italic ?? false) || object.attribute("Italic") == "true"
        let horizontalScale = max(0.1, min(10, OFDNumbers.parse(object.attribute("HScale") ?? "").first ?? 1))

        // A TextCode without X or Y continues where the previous one ended (GB/T 33190 11.3).
        var penX = 0.0, penY = 0.0
        for code in object.children("TextCode") {
            let characters = Array(code.text)
            if let x = code.attribute("X").flatMap(Double.init), x.isFinite { penX = x }
            if let y = code.attribute("Y").flatMap(Double.init), y.isFinite { penY = y }
            guard !characters.isEmpty else { continue }
            let steps = characters.count - 1
            // Steps down without steps across: vertical text (form labels such as 购买方), drawn in one column.
            let vertical = code.attribute("DeltaX") == nil && code.attribute("DeltaY") != nil
            let deltaX = vertical ? Array(repeating: 0, count: steps) : deltas(code.attribute("DeltaX"), count: steps)
            let deltaY = deltas(code.attribute("DeltaY"), count: steps)
            // Glyph origins in the object's space, then on the page.
            var glyphs: [(character: Character, x: Double, y: Double)] = []
            glyphs.reserveCapacity(characters.count)
            var x = penX, y = penY
            for (index, character) in characters.enumerated() {
                let (pageX, pageY) = transform.apply(x, y)
                glyphs.append((character, origin.x + pageX, origin.y + pageY))
                if index < steps {
                    x += deltaX[index] ?? advance(of: character, size: declaredSize) * horizontalScale
                    y += deltaY[index] ?? 0
                }
            }
            if let last = characters.last {
                penX = x + advance(of: last, size: declaredSize) * horizontalScale
                penY = y
            }
            runs += split(glyphs, size: size, horizontalScale: horizontalScale, fontName: font?.name ?? fontID,
                          bold: bold, italic: italic)
        }
    }

    /// Cuts a code's glyphs into runs where the baseline changes or the pen moves back (a code may draw
    /// several lines); a code whose glyphs go straight down is vertical text, kept as one run.
    private static func split(_ glyphs: [(character: Character, x: Double, y: Double)], size: Double,
                              horizontalScale: Double, fontName: String, bold: Bool, italic: Bool) -> [OFDTextRun] {
        guard let first = glyphs.first else { return [] }
        func run(_ text: String, x: Double, endX: Double, baseline: Double) -> OFDTextRun {
            OFDTextRun(text: text, x: x, endX: endX, baseline: baseline, size: size, fontName: fontName,
                       bold: bold, italic: italic)
        }
        if glyphs.count > 1, zip(glyphs, glyphs.dropFirst()).allSatisfy({ abs($1.x - $0.x) < 0.05 * size && $1.y > $0.y }) {
            return [run(String(glyphs.map(\.character)), x: first.x, endX: first.x + size, baseline: first.y)]
        }
        var runs: [OFDTextRun] = []
        var text = String(first.character)
        var start = first
        var previous = first
        for glyph in glyphs.dropFirst() {
            let sameLine = abs(glyph.y - previous.y) <= 0.3 * size && glyph.x >= previous.x - 0.5 * size
            if sameLine {
                let gap = glyph.x - (previous.x + advance(of: previous.character, size: size) * horizontalScale)
                if gap > 1.5 * size, OFDLayout.isLatinOrDigit(previous.character), OFDLayout.isLatinOrDigit(glyph.character) {
                    text.append(" ")
                }
                text.append(glyph.character)
            } else {
                runs.append(run(text, x: start.x, endX: previous.x + advance(of: previous.character, size: size) * horizontalScale,
                                baseline: start.y))
                text = String(glyph.character)
                start = glyph
            }
            previous = glyph
        }
        runs.append(run(text, x: start.x, endX: previous.x + advance(of: previous.character, size: size) * horizontalScale,
                        baseline: start.y))
        return runs.filter { !$0.text.allSatisfy(\.isWhitespace) }
    }

    /// A glyph's advance when the file gives none: a full em for Han characters and full-width forms, half an
    /// em for the rest (the widths of the fonts Chinese documents are set in).
    static func advance(of character: Character, size: Double) -> Double {
        OFDLayout.isWide(character) ? size : size / 2
    }

    /// The steps of `DeltaX` or `DeltaY`: numbers, or `g N v` for N steps of `v`. At most `count` steps are
    /// read; a missing step is nil (the glyph's own advance is used).
    static func deltas(_ text: String?, count: Int) -> [Double?] {
        var result: [Double?] = []
        guard let text, count > 0 else { return Array(repeating: nil, count: max(0, count)) }
        result.reserveCapacity(count)
        var tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })[...]
        while result.count < count, let token = tokens.popFirst() {
            if token == "g" {
                guard let repeats = tokens.popFirst().flatMap({ Int($0) }), let value = tokens.popFirst().flatMap({ Double($0) }) else {
                    break
                }
                let steps = min(max(0, repeats), count - result.count)
                result.append(contentsOf: repeatElement(value.isFinite ? value : nil, count: steps))
            } else if let value = Double(token) {
                result.append(value.isFinite ? value : nil)
            } else {
                break
            }
        }
        if result.count < count { result.append(contentsOf: repeatElement(nil, count: count - result.count)) }
        return result
    }
}
