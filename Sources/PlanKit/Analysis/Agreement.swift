import Foundation

/// One coder's labels for a set of units (records), read from a CSV or JSON Lines file: `plankb records`
/// output, or a hand coding in a spreadsheet with at least an `id` column and a `tool` or `dimension` column.
public struct Coding: Sendable {
    /// What is compared: the tool (人才培养 …) or only its dimension (supply …).
    public enum Level: String, Sendable, CaseIterable {
        case tool, dimension
    }

    /// The label of each unit, by key (`source#id` when the file names sources, else `id`); "" for a unit
    /// coded as having no instrument.
    public var labels: [String: String]
    /// The keys in file order.
    public var order: [String]
    public var hasSources: Bool

    /// A coding that cannot be read: where, and why.
    public typealias FormatError = TableFormatError

    /// Reads `text`: JSON Lines when its first non-blank character is `{`, CSV otherwise.
    public init(text: String, file: String, level: Level) throws(FormatError) {
        labels = [:]
        order = []
        hasSources = false
        let trimmed = text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        if trimmed.first == "{" { try readLines(text, file: file, level: level) } else { try readCSV(text, file: file, level: level) }
    }

    private mutating func add(key: String, label: String, file: String, line: Int) throws(FormatError) {
        if labels[key] != nil {
            throw FormatError(file: file, line: line, column: 1, message: "the unit \(key) is coded twice")
        }
        labels[key] = label
        order.append(key)
    }

    private mutating func readCSV(_ text: String, file: String, level: Level) throws(FormatError) {
        let rows: [[CSVReader.Field]]
        do { rows = try CSVReader.rows(of: text) } catch {
            throw FormatError(file: file, line: error.line, column: error.column, message: error.message)
        }
        guard let header = rows.first else { throw FormatError(file: file, line: 1, column: 1, message: "the file is empty") }
        let names = header.map { $0.value.trimmingBlanks().lowercased() }
        guard let idColumn = names.firstIndex(of: "id") else {
            throw FormatError(file: file, line: 1, column: 1, message: "no “id” column in the header")
        }
        guard let labelColumn = names.firstIndex(of: level.rawValue) else {
            throw FormatError(file: file, line: 1, column: 1, message: "no “\(level.rawValue)” column in the header")
        }
        let sourceColumn = names.firstIndex(of: "source")
        hasSources = sourceColumn != nil
        for row in rows.dropFirst() {
            guard row.count > max(idColumn, labelColumn) else {
                throw FormatError(file: file, line: row[0].line, column: row.last!.column,
                                  message: "the row has \(row.count) fields, the header \(header.count)")
            }
            let id = row[idColumn].value.trimmingBlanks()
            if id.isEmpty { throw FormatError(file: file, line: row[idColumn].line, column: row[idColumn].column, message: "the id is empty") }
            var label = row[labelColumn].value.trimmingBlanks()
            if level == .dimension, !label.isEmpty {
                guard let dimension = Instrument.Dimension(name: label) else {
                    throw FormatError(file: file, line: row[labelColumn].line, column: row[labelColumn].column,
                                      message: "unknown dimension “\(label)”")
                }
                label = dimension.rawValue
            }
            let source = sourceColumn.map { row.count > $0 ? row[$0].value.trimmingBlanks() : "" }
            try add(key: source.map { $0 + "#" + id } ?? id, label: label, file: file, line: row[0].line)
        }
    }

    private mutating func readLines(_ text: String, file: String, level: Level) throws(FormatError) {
        var sawSource: Bool?
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !content.isEmpty else { continue }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(content.utf8))) as? [String: Any] else {
                throw FormatError(file: file, line: number + 1, column: 1, message: "not a JSON object")
            }
            guard let id = object["id"] as? String else {
                throw FormatError(file: file, line: number + 1, column: 1, message: "no “id”")
            }
            let instrument = object["instrument"] as? [String: Any] ?? object
            var label = instrument[level.rawValue] as? String ?? ""
            if level == .dimension, !label.isEmpty { label = Instrument.Dimension(name: label)?.rawValue ?? label }
            let source = object["source"] as? String
            if sawSource == nil { sawSource = source != nil }
            hasSources = sawSource ?? false
            try add(key: hasSources ? (source ?? "") + "#" + id : id, label: label, file: file, line: number + 1)
        }
    }

    /// Keys without their source, for comparing with a coding that names none.
    public func bySourcelessKey() -> Coding {
        guard hasSources else { return self }
        var copy = self
        copy.labels = Dictionary(labels.map { (String($0.key[$0.key.index(after: $0.key.firstIndex(of: "#")!)...]), $0.value) },
                                 uniquingKeysWith: { first, _ in first })
        copy.order = order.map { String($0[$0.index(after: $0.firstIndex(of: "#")!)...]) }
        copy.hasSources = false
        return copy
    }
}

/// 编码一致性 — how far two codings of the same units agree: percent agreement, Cohen's kappa and the
/// confusion table. A unit one coder left without an instrument counts as the category “(none)”.
public struct Agreement: Sendable {
    /// The categories, in the order the table shows them ("(none)" last).
    public var categories: [String]
    /// `table[i][j]`: units the first coding put in `categories[i]` and the second in `categories[j]`.
    public var table: [[Int]]
    /// Units coded in both.
    public var units: Int
    /// Units only the first, or only the second, coding has.
    public var onlyFirst: Int
    public var onlySecond: Int

    public static let none = "(none)"

    public init(_ first: Coding, _ second: Coding) {
        var a = first, b = second
        if a.hasSources != b.hasSources {
            a = a.bySourcelessKey()
            b = b.bySourcelessKey()
        }
        let shared = a.order.filter { b.labels[$0] != nil }
        units = shared.count
        onlyFirst = a.order.count - shared.count
        onlySecond = b.order.count - shared.count
        func category(_ label: String) -> String { label.isEmpty ? Self.none : label }
        var seen: [String] = []
        for key in shared {
            for label in [category(a.labels[key]!), category(b.labels[key]!)] where !seen.contains(label) { seen.append(label) }
        }
        categories = seen.filter { $0 != Self.none } + (seen.contains(Self.none) ? [Self.none] : [])
        let index = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
        table = Array(repeating: Array(repeating: 0, count: categories.count), count: categories.count)
        for key in shared {
            table[index[category(a.labels[key]!)]!][index[category(b.labels[key]!)]!] += 1
        }
    }

    /// The share of units both codings put in the same category.
    public var percentAgreement: Double {
        units == 0 ? 0 : Double(categories.indices.reduce(0) { $0 + table[$1][$1] }) / Double(units)
    }

    /// Cohen's κ = (p_o − p_e) / (1 − p_e), p_e from each coding's own category shares; 1 when both codings
    /// use a single, identical category.
    public var kappa: Double {
        guard units > 0 else { return 0 }
        let n = Double(units)
        let expected = categories.indices.reduce(0.0) { sum, k in
            let row = Double(table[k].reduce(0, +)), column = Double(table.reduce(0) { $0 + $1[k] })
            return sum + row / n * (column / n)
        }
        return expected >= 1 ? 1 : (percentAgreement - expected) / (1 - expected)
    }

    /// The report `plankb agreement` prints: counts, agreement, kappa, then the table (rows: first coding).
    public func report(firstName: String, secondName: String) -> String {
        var text = "units coded in both: \(units)"
        if onlyFirst > 0 || onlySecond > 0 { text += " (only in \(firstName): \(onlyFirst), only in \(secondName): \(onlySecond))" }
        text += "\n" + String(format: "percent agreement: %.1f%%\nCohen's kappa: %.3f\n", percentAgreement * 100, kappa)
        text += "\nrows: \(firstName); columns: \(secondName)\n"
        let width = max(6, (categories.map(Self.displayWidth).max() ?? 0))
        func pad(_ cell: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - Self.displayWidth(cell))) + cell }
        let columnWidths = categories.map { max(Self.displayWidth($0), 4) }
        text += pad("", width) + "  " + zip(categories, columnWidths).map { pad($0, $1) }.joined(separator: "  ") + "\n"
        for (i, category) in categories.enumerated() {
            text += pad(category, width) + "  " + zip(table[i], columnWidths).map { pad(String($0), $1) }.joined(separator: "  ") + "\n"
        }
        return text
    }

    /// Hanzi take two terminal columns.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + ($1.properties.isIdeographic || (0xFF00...0xFFEF).contains($1.value) ? 2 : 1) }
    }
}
