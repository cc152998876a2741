import Foundation

/// 标注集 — one hand-annotated document of corpus/gold/: which document, what was annotated, and the items.
///
/// Items are anchored by a snippet of the text, never by node id, so the gold survives changes to the tree.
/// The format is documented in corpus/gold/README.md.
public struct GoldDocument: Sendable {
    /// The header line of a gold file.
    public struct Header: Codable, Sendable {
        /// The document's path under corpus/.
        public var source: String
        /// For a JSON Lines source holding several documents: the title of the one annotated.
        public var title: String?
        /// The record types annotated completely; predictions of other types are not scored.
        public var types: [String]
        /// When present, only paragraphs containing one of these snippets were annotated.
        public var scope: [String]?
        public var note: String?

        public init(source: String, title: String? = nil, types: [String], scope: [String]? = nil, note: String? = nil) {
            self.source = source
            self.title = title
            self.types = types
            self.scope = scope
            self.note = note
        }
    }

    /// One annotated record, or a code that must not be read as a quantity (`type` "not-quantity").
    public struct Item: Codable, Sendable {
        public var type: String
        /// A snippet of the clause the record comes from (for quantities, it contains `raw`).
        public var anchor: String
        public var raw: String?
        public var value: Double?
        public var unit: String?
        public var comparator: String?
        public var approx: String?
        public var year: Int?
        public var title: String?
        public var step: Int?
        public var direction: String?
        public var strength: String?
        public var metric: String?
        public var baseline: Record.Baseline?

        public init(type: String, anchor: String, raw: String? = nil, value: Double? = nil, unit: String? = nil,
                    comparator: String? = nil, approx: String? = nil, year: Int? = nil, title: String? = nil) {
            self.type = type
            self.anchor = anchor
            self.raw = raw
            self.value = value
            self.unit = unit
            self.comparator = comparator
            self.approx = approx
            self.year = year
            self.title = title
        }
    }

    public var name: String
    public var header: Header
    public var items: [Item]

    public init(name: String, header: Header, items: [Item]) {
        self.name = name
        self.header = header
        self.items = items
    }

    /// Reads one gold file: a header line `{"kind": "document", …}` and one item a line.
    public static func load(contentsOf url: URL) throws -> GoldDocument {
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.split(separator: "\n").filter { !$0.allSatisfy(\.isWhitespace) }
        guard let first = lines.first else { throw GoldError.empty(url.lastPathComponent) }
        let decoder = JSONDecoder()
        let header = try decoder.decode(Header.self, from: Data(first.utf8))
        let items = try lines.dropFirst().map { try decoder.decode(Item.self, from: Data($0.utf8)) }
        return GoldDocument(name: url.deletingPathExtension().lastPathComponent, header: header, items: items)
    }

    /// Every `*.jsonl` gold file of a folder, by name.
    public static func loadAll(in directory: URL) throws -> [GoldDocument] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".jsonl") }.sorted()
        return try names.map { try load(contentsOf: directory.appendingPathComponent($0)) }
    }

    enum GoldError: Error { case empty(String) }
}

/// Precision, recall and F1 from counts.
public struct Score: Sendable, Equatable {
    public var truePositives = 0
    public var falsePositives = 0
    public var falseNegatives = 0

    public init() {}

    public var precision: Double {
        truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives)
    }
    public var recall: Double {
        truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives)
    }
    public var f1: Double {
        precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
    }

    public static func += (lhs: inout Score, rhs: Score) {
        lhs.truePositives += rhs.truePositives
        lhs.falsePositives += rhs.falsePositives
        lhs.falseNegatives += rhs.falseNegatives
    }
}

/// Agreement on one field among matched items.
public struct FieldScore: Sendable, Equatable {
    public var agreed = 0
    public var compared = 0
    public init() {}
    public var accuracy: Double { compared == 0 ? 1 : Double(agreed) / Double(compared) }

    mutating func record(_ agrees: Bool) {
        compared += 1
        if agrees { agreed += 1 }
    }

    public static func += (lhs: inout FieldScore, rhs: FieldScore) {
        lhs.agreed += rhs.agreed
        lhs.compared += rhs.compared
    }
}

/// 评测 — how extracted records compare with a gold document.
public struct EvaluationReport: Sendable {
    /// Quantities found at all, whatever record type carries them.
    public var quantities = Score()
    /// Per record type: a match needs the same anchor and the same type.
    public var byType: [String: Score] = [:]
    /// Per field, over matched quantities: value, unit, comparator, year, approx.
    public var fields: [String: FieldScore] = [:]
    /// Target vs achievement vs bare quantity, over matched quantities and qualitative targets.
    public var typing = FieldScore()
    /// Gold measure titles found with exactly the same title.
    public var measureTitles = FieldScore()
    /// Codes, names and dates read as quantities, as "anchor → raw".
    public var codeViolations: [String] = []
    /// Gold items not found, and predictions with no gold item, for reading.
    public var misses: [String] = []
    public var spurious: [String] = []

    public init() {}

    public mutating func add(_ other: EvaluationReport) {
        quantities += other.quantities
        for (key, score) in other.byType { byType[key, default: Score()] += score }
        for (key, score) in other.fields { fields[key, default: FieldScore()] += score }
        typing += other.typing
        measureTitles += other.measureTitles
        codeViolations += other.codeViolations
        misses += other.misses
        spurious += other.spurious
    }
}

/// Scores records against a gold document.
public enum GoldEvaluation {
    static let scoredTypes = ["target", "achievement", "quantity", "milestone", "measure"]

    /// The predictions in scope: types the gold annotates, in paragraphs the gold covers.
    public static func recordsInScope(_ records: [Record], document: PlanDocument, gold: GoldDocument) -> [Record] {
        var passageText: [String: String] = [:]
        for passage in Passage.passages(in: document.root) {
            passageText[passage.node.id] = passage.text
            for sentence in passage.sentences { passageText[sentence.nodeID] = passage.text }
        }
        return records.filter { record in
            guard gold.header.types.contains(record.type.rawValue) else { return false }
            guard let scope = gold.header.scope else { return true }
            let text = normalized(passageText[record.node] ?? record.text)
            return scope.contains { text.contains(normalized($0)) }
        }
    }

    public static func evaluate(_ allRecords: [Record], document: PlanDocument, gold: GoldDocument) -> EvaluationReport {
        var report = EvaluationReport()
        let records = recordsInScope(allRecords, document: document, gold: gold)
        let goldItems = gold.items.filter { $0.type != "not-quantity" }

        // Codes: any quantity read inside a not-quantity anchor.
        for item in gold.items where item.type == "not-quantity" {
            let anchor = normalized(item.anchor)
            for record in allRecords {
                guard let raw = record.quantity?.raw, normalized(record.text).contains(anchor),
                      anchor.contains(normalized(raw)) || normalized(raw).contains(anchor) else { continue }
                report.codeViolations.append("\(item.anchor) → \(raw)")
            }
        }

        // Quantities, whatever their type.
        let goldQuantities = goldItems.filter { $0.raw != nil }
        let predictedQuantities = records.filter { $0.quantity != nil }
        let quantityPairs = match(goldQuantities, predictedQuantities) { item, record in
            quantityMatches(item, record)
        }
        report.quantities.truePositives = quantityPairs.count
        report.quantities.falseNegatives = goldQuantities.count - quantityPairs.count
        report.quantities.falsePositives = predictedQuantities.count - quantityPairs.count
        for (goldIndex, predictedIndex) in quantityPairs {
            let item = goldQuantities[goldIndex]
            let record = predictedQuantities[predictedIndex]
            let quantity = record.quantity!
            if let value = item.value {
                report.fields["value", default: FieldScore()].record(abs(value - quantity.value) <= 1e-6 * max(1, abs(value)))
            }
            report.fields["unit", default: FieldScore()].record(item.unit == quantity.unit)
            report.fields["comparator", default: FieldScore()].record((item.comparator ?? "=") == quantity.comparator.rawValue)
            report.fields["approx", default: FieldScore()].record(item.approx == quantity.approx)
            if let metric = item.metric { report.fields["metric", default: FieldScore()].record(metric == quantity.metric) }
            if let baseline = item.baseline { report.fields["baseline", default: FieldScore()].record(baseline == record.baseline) }
            if item.type == "target" || item.type == "achievement" || record.type != .quantity {
                report.fields["year", default: FieldScore()].record(item.year == record.year)
            }
            report.typing.record(item.type == record.type.rawValue)
        }
        for (index, item) in goldQuantities.enumerated() where !quantityPairs.contains(where: { $0.0 == index }) {
            report.misses.append("\(gold.name): \(item.type) \(item.raw ?? "") in “\(item.anchor)”")
        }
        for (index, record) in predictedQuantities.enumerated() where !quantityPairs.contains(where: { $0.1 == index }) {
            report.spurious.append("\(gold.name): \(record.type.rawValue) \(record.quantity?.raw ?? "") in “\(record.text.prefix(40))”")
        }

        // Per type: quantity-bearing items must match as quantities and agree on type; the rest by anchor.
        for type in scoredTypes where gold.header.types.contains(type) {
            let goldOfType = goldItems.filter { $0.type == type }
            let predictedOfType = records.filter { $0.type.rawValue == type }
            let pairs = match(goldOfType, predictedOfType) { item, record in
                if item.raw != nil { return quantityMatches(item, record) }
                if type == "measure" { return normalized(record.title ?? "") == normalized(item.title ?? "") }
                if record.quantity != nil { return false }
                return normalized(record.text).contains(normalized(item.anchor))
                    && (item.title == nil || record.title.map { normalized($0).contains(normalized(item.title!))
                        || normalized(item.title!).contains(normalized($0)) } ?? true)
            }
            var score = Score()
            score.truePositives = pairs.count
            score.falseNegatives = goldOfType.count - pairs.count
            score.falsePositives = predictedOfType.count - pairs.count
            report.byType[type] = score
            if type == "measure" {
                for index in goldOfType.indices { report.measureTitles.record(pairs.contains { $0.0 == index }) }
                for (index, item) in goldOfType.enumerated() where !pairs.contains(where: { $0.0 == index }) {
                    report.misses.append("\(gold.name): measure “\(item.title ?? item.anchor)”")
                }
                for (index, record) in predictedOfType.enumerated() where !pairs.contains(where: { $0.1 == index }) {
                    report.spurious.append("\(gold.name): measure “\(record.title ?? "")”")
                }
            }
            if type == "target" || type == "milestone" {
                for (goldIndex, predictedIndex) in pairs where goldOfType[goldIndex].raw == nil {
                    report.fields["year", default: FieldScore()].record(goldOfType[goldIndex].year == predictedOfType[predictedIndex].year)
                    if type == "target" { report.typing.record(true) }
                }
                for (index, item) in goldOfType.enumerated() where item.raw == nil && !pairs.contains(where: { $0.0 == index }) {
                    report.misses.append("\(gold.name): \(type) “\(item.title ?? item.anchor)”")
                    if type == "target" { report.typing.record(false) }
                }
                for (index, record) in predictedOfType.enumerated() where record.quantity == nil && !pairs.contains(where: { $0.1 == index }) {
                    report.spurious.append("\(gold.name): \(type) “\((record.title ?? record.text).prefix(40))”")
                }
            }
        }
        return report
    }

    /// A gold quantity and a predicted one agree when the prediction's clause holds the anchor and the printed
    /// numbers overlap.
    static func quantityMatches(_ item: GoldDocument.Item, _ record: Record) -> Bool {
        guard let raw = record.quantity?.raw, let goldRaw = item.raw else { return false }
        let anchor = normalized(item.anchor)
        let text = normalized(record.text)
        let predicted = normalized(raw)
        let expected = normalized(goldRaw)
        let anchored = text.contains(anchor) || anchor.contains(text)
        return anchored && (anchor.contains(predicted) || predicted.contains(expected) || expected.contains(predicted))
    }

    /// Greedy one-to-one matching in document order: each gold item takes the first unmatched prediction.
    static func match(_ gold: [GoldDocument.Item], _ predicted: [Record],
                      _ agrees: (GoldDocument.Item, Record) -> Bool) -> [(Int, Int)] {
        var used = Set<Int>()
        var pairs: [(Int, Int)] = []
        for (goldIndex, item) in gold.enumerated() {
            if let index = predicted.indices.first(where: { !used.contains($0) && agrees(item, predicted[$0]) }) {
                used.insert(index)
                pairs.append((goldIndex, index))
            }
        }
        return pairs
    }

    /// Full-width forms folded, spaces dropped: anchors typed by hand meet text as printed.
    static func normalized(_ text: String) -> String {
        String(QuantityNumerals.normalizingDigits(text).compactMap { character -> Character? in
            if character.isWhitespace || character == "\u{200B}" { return nil }
            switch character {
            case "，": return ","
            case "；": return ";"
            case "：": return ":"
            case "（": return "("
            case "）": return ")"
            default: return character
            }
        })
    }

    /// The documents of a loaded file that a gold header names (by title, for JSON Lines).
    public static func documents(_ documents: [PlanDocument], matching header: GoldDocument.Header) -> [PlanDocument] {
        guard let title = header.title else { return documents.count == 1 ? documents : Array(documents.prefix(1)) }
        return documents.filter { $0.metadata.title == title }
    }
}

extension EvaluationReport {
    /// The report as a table: quantities, per type, per field, typing, measure titles, code violations.
    public func formatted() -> String {
        func row(_ name: String, _ score: Score) -> String {
            let counts = "tp \(score.truePositives) fp \(score.falsePositives) fn \(score.falseNegatives)"
            return "\(name.padding(20))P \(percent(score.precision))  R \(percent(score.recall))  F1 \(percent(score.f1))  (\(counts))"
        }
        func fieldRow(_ name: String, _ score: FieldScore) -> String {
            "\(name.padding(20))\(percent(score.accuracy))  (\(score.agreed)/\(score.compared))"
        }
        var lines = ["records", row("quantities (any type)", quantities)]
        for type in GoldEvaluation.scoredTypes { if let score = byType[type] { lines.append(row("  " + type, score)) } }
        lines.append("fields (over matched quantities)")
        for key in ["value", "unit", "comparator", "approx", "year", "metric", "baseline"] {
            if let score = fields[key] { lines.append(fieldRow("  " + key, score)) }
        }
        lines.append(fieldRow("typing", typing))
        lines.append(fieldRow("measure titles", measureTitles))
        lines.append("codes read as quantities: \(codeViolations.count)")
        lines += codeViolations.map { "  " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    private func percent(_ value: Double) -> String {
        let tenths = Int((value * 1000).rounded())
        let text = "\(tenths / 10).\(tenths % 10)%"
        return String(repeating: " ", count: max(0, 6 - text.count)) + text
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
