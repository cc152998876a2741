import Foundation
import PlanKit

/// `word/numbering.xml`: automatic numbering (第%1章, （%2）, %1.%2), and the counters that number paragraphs
/// as Word does while the body is read in order.
///
/// A paragraph's `w:numId` names a `w:num`, which points to a `w:abstractNum` holding up to nine levels
/// (`w:lvl`: `w:start`, `w:numFmt`, `w:lvlText`, `w:lvlRestart`, `w:isLgl`, `w:suff`). Nums that share an
/// abstract definition share its counters (Word continues the list), except that a `w:startOverride` restarts
/// the level the first time its num is used.
struct DOCXNumbering {
    struct Level {
        var start = 1
        /// `w:numFmt`: decimal, chineseCounting, upperRoman …
        var format = "decimal"
        /// `w:lvlText`: "第%1章", "（%2）", "%1.%2"; nil when the level has none (nothing is printed).
        var text: String?
        /// `w:lvlRestart`: 0 = never; k = restart after a use of level k (1-based) or above; nil = after any
        /// level above.
        var restart: Int?
        /// `w:isLgl`: every number of the label in decimal.
        var isLegal = false
        /// `w:suff`: tab (default), space or nothing between the number and the text.
        var suffix = "tab"
        /// `w:pStyle`: the paragraph style this level is linked to.
        var style: String?

        init(_ element: XMLElement, base: Level? = nil) {
            if let base { self = base }
            if let start = element.child("start")?.attribute("val").flatMap({ Int($0) }) { self.start = start }
            if let format = element.child("numFmt")?.attribute("val") { self.format = format }
            if let text = element.child("lvlText") { self.text = text.attribute("val") ?? "" }
            if let restart = element.child("lvlRestart")?.attribute("val").flatMap({ Int($0) }) { self.restart = restart }
            if let legal = element.child("isLgl") { isLegal = ParagraphProperties.toggle(legal) ?? true }
            if let suffix = element.child("suff")?.attribute("val") { self.suffix = suffix }
            if let style = element.child("pStyle")?.attribute("val") { self.style = style }
        }
    }

    struct Abstract {
        var levels: [Int: Level] = [:]
        /// `w:numStyleLink`: the levels live in the numbering a numbering style points to.
        var styleLink: String?
    }

    struct Instance {
        var abstractID: String
        /// `w:lvlOverride`: a new start value or a whole new level.
        var startOverrides: [Int: Int] = [:]
        var levelOverrides: [Int: Level] = [:]
    }

    /// What numbering a paragraph gets.
    enum Outcome {
        /// No number (no reference, numId 0, a level without text, a bullet).
        case none
        /// The label to print before the text ("第一章") and what separates it from the text.
        case label(String, separator: String)
        /// The reference points nowhere: what is missing, for the diagnostic.
        case missing(String)
    }

    private var abstracts: [String: Abstract] = [:]
    private var instances: [String: Instance] = [:]
    /// The part's name, for diagnostics; nil when the package has no numbering part.
    let part: String?

    /// Current values of each abstract definition's levels.
    private var counters: [String: [Int: Int]] = [:]
    /// Nums whose start overrides have taken effect.
    private var started: Set<String> = []

    init(part: String?) { self.part = part }

    init(_ root: XMLElement, part: String) {
        self.part = part
        for element in root.children("abstractNum") {
            guard let id = element.attribute("abstractNumId") else { continue }
            var abstract = Abstract()
            for level in element.children("lvl") {
                guard let index = level.attribute("ilvl").flatMap({ Int($0) }), (0...8).contains(index) else { continue }
                abstract.levels[index] = Level(level)
            }
            abstract.styleLink = element.child("numStyleLink")?.attribute("val")
            abstracts[id] = abstract
        }
        for element in root.children("num") {
            guard let id = element.attribute("numId"), let abstractID = element.child("abstractNumId")?.attribute("val") else {
                continue
            }
            var instance = Instance(abstractID: abstractID)
            for override in element.children("lvlOverride") {
                guard let index = override.attribute("ilvl").flatMap({ Int($0) }), (0...8).contains(index) else { continue }
                if let start = override.child("startOverride")?.attribute("val").flatMap({ Int($0) }) {
                    instance.startOverrides[index] = start
                }
                if let level = override.child("lvl") {
                    let base = abstracts[abstractID]?.levels[index]
                    instance.levelOverrides[index] = Level(level, base: base)
                }
            }
            instances[id] = instance
        }
    }

    /// The abstract definition behind a num, following `w:numStyleLink` through the styles (at most a few hops).
    private func abstractID(of numID: String, styles: DOCXStyles) -> String? {
        var current = instances[numID]?.abstractID
        var hops = 0
        while let id = current, let abstract = abstracts[id], let link = abstract.styleLink, abstract.levels.isEmpty,
              hops < 4 {
            guard let linked = styles.numbering(ofStyle: link)?.numID, let next = instances[linked]?.abstractID,
                  next != id else { break }
            current = next
            hops += 1
        }
        return current
    }

    private func level(_ index: Int, numID: String, abstractID: String) -> Level? {
        instances[numID]?.levelOverrides[index] ?? abstracts[abstractID]?.levels[index]
    }

    /// The level a style is linked to in a definition (`w:lvl/w:pStyle`), for styles whose `w:numPr` names
    /// no level.
    func level(linkedTo style: String?, numID: String, styles: DOCXStyles) -> Int? {
        guard let style, let abstractID = abstractID(of: numID, styles: styles),
              let levels = abstracts[abstractID]?.levels else { return nil }
        return levels.first { $0.value.style == style }?.key
    }

    /// Numbers one paragraph: advances the counters and renders the label.
    mutating func number(numID: String, level index: Int, styles: DOCXStyles) -> Outcome {
        if numID == "0" { return .none }
        let partName = part ?? "word/numbering.xml"
        guard part != nil else { return .missing("the package has no numbering part (\(partName)), but numId \(numID) is used") }
        guard instances[numID] != nil else { return .missing("\(partName) has no w:num with numId \(numID)") }
        guard let abstractID = abstractID(of: numID, styles: styles), abstracts[abstractID] != nil else {
            return .missing("\(partName): w:num \(numID) points to w:abstractNum \(instances[numID]!.abstractID), which does not exist")
        }
        guard let level = level(index, numID: numID, abstractID: abstractID) else {
            return .missing("\(partName): w:abstractNum \(abstractID) has no level \(index) (w:ilvl)")
        }
        var values = counters[abstractID] ?? [:]
        if !started.contains(numID) {
            started.insert(numID)
            // A start override restarts its level (and clears the deeper ones) the first time the num is used.
            for (overridden, start) in instances[numID]!.startOverrides {
                values[overridden] = start - 1
            }
        }
        values[index] = (values[index] ?? (level.start - 1)) + 1
        for deeper in (index + 1)..<9 {
            let restart = self.level(deeper, numID: numID, abstractID: abstractID)?.restart
            // Restarts after any level above by default; `lvlRestart` k after levels 1…k only; 0 never.
            if restart == nil || index < restart! { values[deeper] = nil }
        }
        counters[abstractID] = values

        guard let template = level.text, level.format != "bullet", level.format != "none" else { return .none }
        var label = ""
        var characters = template.makeIterator()
        while let character = characters.next() {
            guard character == "%" else {
                label.append(character)
                continue
            }
            guard let digit = characters.next() else { break }
            guard let referenced = digit.wholeNumberValue, (1...9).contains(referenced) else {
                label.append(digit)
                continue
            }
            let referencedIndex = referenced - 1
            let referencedLevel = self.level(referencedIndex, numID: numID, abstractID: abstractID)
            let value = values[referencedIndex] ?? referencedLevel?.start ?? 1
            let format = level.isLegal && referencedIndex != index ? "decimal" : (referencedLevel?.format ?? "decimal")
            label += Self.render(value, format: format)
        }
        guard !label.allSatisfy(\.isWhitespace) else { return .none }
        let separator = switch level.suffix {
        case "nothing": ""
        default: " "
        }
        return .label(label, separator: separator)
    }

    /// A number in a `w:numFmt`. Chinese numerals come from `ChineseNumerals`; formats PlanKB does not know
    /// are written in decimal.
    static func render(_ value: Int, format: String) -> String {
        switch format {
        case "chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand",
             "japaneseCounting", "koreanCounting":
            return ChineseNumerals.spelled(value)
        case "ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand", "koreanDigital":
            return ChineseNumerals.spelled(value, as: .digits)
        case "chineseLegalSimplified", "ideographLegalTraditional", "japaneseLegal":
            return ChineseNumerals.spelled(value, as: .financial)
        case "ideographTraditional":
            return cyclic(value, Array("甲乙丙丁戊己庚辛壬癸"))
        case "ideographZodiac":
            return cyclic(value, Array("子丑寅卯辰巳午未申酉戌亥"))
        case "decimalZero":
            return value < 10 ? "0\(value)" : String(value)
        case "decimalFullWidth", "decimalFullWidth2":
            return String(String(value).unicodeScalars.map { Character(Unicode.Scalar($0.value - 0x30 + 0xFF10)!) })
        case "decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle":
            if (1...20).contains(value) { return String(Character(Unicode.Scalar(0x2460 + value - 1)!)) }
            if (21...35).contains(value) { return String(Character(Unicode.Scalar(0x3251 + value - 21)!)) }
            if (36...50).contains(value) { return String(Character(Unicode.Scalar(0x32B1 + value - 36)!)) }
            return String(value)
        case "decimalEnclosedParen":
            if (1...20).contains(value) { return String(Character(Unicode.Scalar(0x2474 + value - 1)!)) }
            return "(\(value))"
        case "decimalEnclosedFullstop":
            if (1...20).contains(value) { return String(Character(Unicode.Scalar(0x2488 + value - 1)!)) }
            return "\(value)."
        case "upperLetter", "lowerLetter":
            // A, B … Z, AA, BB …: Word repeats the letter.
            guard value > 0 else { return String(value) }
            let letter = Character(Unicode.Scalar(UInt8(65 + (value - 1) % 26)))
            let text = String(repeating: letter, count: (value - 1) / 26 + 1)
            return format == "upperLetter" ? text : text.lowercased()
        case "upperRoman", "lowerRoman":
            let text = roman(value)
            return format == "upperRoman" ? text : text.lowercased()
        default:
            return String(value)
        }
    }

    private static func cyclic(_ value: Int, _ names: [Character]) -> String {
        guard value > 0 else { return String(value) }
        return String(names[(value - 1) % names.count])
    }

    private static func roman(_ value: Int) -> String {
        guard (1...3999).contains(value) else { return String(value) }
        let table: [(Int, String)] = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                                      (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
        var rest = value
        var result = ""
        for (amount, symbol) in table {
            while rest >= amount {
                result += symbol
                rest -= amount
            }
        }
        return result
    }
}
