/// 编码表 — cue words for each policy tool, read from a CSV that researchers edit in a spreadsheet:
/// a header `dimension,tool,cue` (more columns may follow; a `weight` column is used), one cue a row.
///
/// Coding rule (`code(lead:body:verbs:)`), the one documented in README, "Analysis":
/// 0. Asides in brackets — （商务部、海关总署负责）, （以下简称…） — are not read: they name who acts, not how.
/// 1. Every cue is looked for in the unit; where cues overlap the longest one wins (政府采购 over 采购), each
///    character belongs to at most one cue.
/// 2. A cue scores its weight (1 when no weight column), doubled when it is one of the measure's verbs
///    (推广, 引进 …), and once in the lead sentence (the measure's title) and once in the rest however often
///    it is repeated there — a document's topic (融资担保 in every paragraph) must not outvote the title.
/// 3. Each tool scores 3 × its lead score + its body score. When the lead holds a cue of weight 1 or more,
///    only tools with such a cue in the lead can win; otherwise (no cue, or only tipping words such as 引导,
///    机制 in the title) the body decides. The highest wins and gives the dimension; a tie goes to the
///    tool whose first cue comes earlier.
/// 4. The runner-up is the best other tool of another dimension (lead or body), else the second tool of the
///    same one.
public struct Codebook: Hashable, Sendable {
    /// One row: a cue word of a tool, with its weight.
    public struct Entry: Hashable, Sendable {
        public var dimension: Instrument.Dimension
        public var tool: String
        public var cue: String
        public var weight: Double

        public init(dimension: Instrument.Dimension, tool: String, cue: String, weight: Double = 1) {
            self.dimension = dimension
            self.tool = tool
            self.cue = cue
            self.weight = weight
        }
    }

    /// A row that cannot be read: where, and why (`file:line:column: error: …`).
    public typealias FormatError = TableFormatError

    public var entries: [Entry]
    /// The tools in the order the codebook first names them, with their dimension.
    public var tools: [(dimension: Instrument.Dimension, tool: String)] {
        var seen: Set<String> = []
        return entries.compactMap { seen.insert($0.tool).inserted ? ($0.dimension, $0.tool) : nil }
    }

    /// Cues longest first, so that a longer cue claims its characters before the shorter ones inside it.
    private let byLength: [Entry]
    /// `byLength`'s cues as characters, and as scalar values when every cue is plain text (`PlainText`): a
    /// plain text is then matched scalar by scalar, which gives the same matches without comparing
    /// `Character`s (a unicode-aware string comparison each).
    private let cueCharacters: [[Character]]
    private let cueScalars: [[UInt32]]?
    /// Each tool's dimension (the first row naming the tool gives it).
    private let dimensionOf: [String: Instrument.Dimension]

    public init(entries: [Entry]) {
        self.entries = entries
        byLength = entries.enumerated().sorted {
            $0.element.cue.count != $1.element.cue.count ? $0.element.cue.count > $1.element.cue.count : $0.offset < $1.offset
        }.map(\.element)
        cueCharacters = byLength.map { Array($0.cue) }
        cueScalars = byLength.allSatisfy { PlainText.isPlain($0.cue) } ? byLength.map { $0.cue.unicodeScalars.map(\.value) } : nil
        dimensionOf = Dictionary(entries.map { ($0.tool, $0.dimension) }, uniquingKeysWith: { first, _ in first })
    }

    public static func == (lhs: Codebook, rhs: Codebook) -> Bool { lhs.entries == rhs.entries }
    public func hash(into hasher: inout Hasher) { hasher.combine(entries) }

    /// The default codebook (`DefaultCodebook.csv`), what `plankb codebook` prints.
    public static let standard: Codebook = {
        do { return try Codebook(csv: DefaultCodebook.csv, file: "<default codebook>") } catch { fatalError("\(error)") }
    }()

    /// Reads a codebook CSV. `file` names it in errors.
    public init(csv: String, file: String) throws(FormatError) {
        let rows: [[CSVReader.Field]]
        do { rows = try CSVReader.rows(of: csv) } catch {
            throw FormatError(file: file, line: error.line, column: error.column, message: error.message)
        }
        guard let header = rows.first else {
            throw FormatError(file: file, line: 1, column: 1, message: "the codebook is empty; its first line must be dimension,tool,cue")
        }
        let names = header.map { $0.value.trimmingBlanks().lowercased() }
        for (index, expected) in ["dimension", "tool", "cue"].enumerated() where names.count <= index || names[index] != expected {
            let field = index < header.count ? header[index] : header.last!
            throw FormatError(file: file, line: field.line, column: index < header.count ? field.column : field.column + field.value.count,
                              message: "header column \(index + 1) must be “\(expected)”, the header being dimension,tool,cue[,weight…]")
        }
        let weightColumn = names.firstIndex(of: "weight")
        var entries: [Entry] = []
        var seen: [String: Int] = [:]
        var dimensions: [String: (dimension: Instrument.Dimension, line: Int)] = [:]
        for row in rows.dropFirst() {
            guard row.count >= 3 else {
                let last = row.last!
                throw FormatError(file: file, line: last.line, column: last.column + last.value.count,
                                  message: "a row needs dimension, tool and cue; this one has \(row.count) field\(row.count == 1 ? "" : "s")")
            }
            guard let dimension = Instrument.Dimension(name: row[0].value) else {
                throw FormatError(file: file, line: row[0].line, column: row[0].column,
                                  message: "unknown dimension “\(row[0].value)”; use supply, environment or demand (供给型, 环境型, 需求型)")
            }
            let tool = row[1].value.trimmingBlanks(), cue = row[2].value.trimmingBlanks()
            if tool.isEmpty { throw FormatError(file: file, line: row[1].line, column: row[1].column, message: "the tool is empty") }
            if cue.isEmpty { throw FormatError(file: file, line: row[2].line, column: row[2].column, message: "the cue is empty") }
            var weight = 1.0
            if let weightColumn, weightColumn < row.count, !row[weightColumn].value.trimmingBlanks().isEmpty {
                let field = row[weightColumn]
                guard let value = Double(field.value.trimmingBlanks()), value > 0, value.isFinite else {
                    throw FormatError(file: file, line: field.line, column: field.column,
                                      message: "the weight “\(field.value)” is not a positive number")
                }
                weight = value
            }
            if let earlier = dimensions[tool], earlier.dimension != dimension {
                throw FormatError(file: file, line: row[0].line, column: row[0].column,
                                  message: "the tool “\(tool)” is listed under \(earlier.dimension.rawValue) on line \(earlier.line)")
            }
            dimensions[tool] = dimensions[tool] ?? (dimension, row[0].line)
            if let earlier = seen[cue] {
                throw FormatError(file: file, line: row[2].line, column: row[2].column,
                                  message: "the cue “\(cue)” is already listed on line \(earlier)")
            }
            seen[cue] = row[2].line
            entries.append(Entry(dimension: dimension, tool: tool, cue: cue, weight: weight))
        }
        self.init(entries: entries)
    }

    /// The codebook as CSV, header first (UTF-8, LF): what `plankb codebook` prints for an edited copy.
    public var csv: String {
        var text = "dimension,tool,cue,weight\n"
        for entry in entries {
            text += [entry.dimension.rawValue, entry.tool, entry.cue, RecordCSVExporter.number(entry.weight)]
                .map(RecordCSVExporter.quote).joined(separator: ",") + "\n"
        }
        return text
    }

    // MARK: Coding

    /// `text` without what stands in （）, (), 【】 (nested ones too).
    static func withoutAsides(_ text: String) -> String {
        // Plain text is read scalar by scalar (each is a character there), the rest by `Character`s.
        if PlainText.isPlain(text) {
            let kept = elements(of: text.unicodeScalars, outside: ["（", "(", "【"], and: ["）", ")", "】"])
            return kept.map { String(String.UnicodeScalarView($0)) } ?? text
        }
        return elements(of: text, outside: ["（", "(", "【"], and: ["）", ")", "】"]).map { String($0) } ?? text
    }

    /// The elements of `text` that no bracket pair encloses; nil when `text` opens none.
    private static func elements<Text: Collection>(of text: Text, outside opening: [Text.Element],
                                                   and closing: [Text.Element]) -> [Text.Element]?
    where Text.Element: Equatable {
        guard text.contains(where: opening.contains) else { return nil }
        var kept: [Text.Element] = []
        var depth = 0
        for element in text {
            if opening.contains(element) {
                depth += 1
            } else if depth > 0, closing.contains(element) {
                depth -= 1
            } else if depth == 0 {
                kept.append(element)
            }
        }
        return kept
    }

    /// The instrument of a unit whose lead sentence is `lead` and the rest `body`; `verbs` are the measure's
    /// main verbs. Nil when no cue occurs.
    public func code(lead: String, body: String, verbs: [String] = []) -> Instrument? {
        struct Score {
            var total = 0.0
            var leadWeight = 0.0
            var inLead: Bool { leadWeight >= 1 }
            var first = Int.max
            var cues: [(String, Int)] = []
        }
        var scores: [String: Score] = [:]
        let verbSet = Set(verbs)
        /// Rule 1 over one part: `characters` are its characters (or scalars), `cues` byLength's. A cue is
        /// compared only where its first element stands (the positions of each element, read once).
        func match<Element: Hashable>(_ characters: [Element], _ cues: [[Element]], part: Int) {
            var taken = [Bool](repeating: false, count: characters.count)
            var positions: [Element: [Int]] = [:]
            for (index, element) in characters.enumerated() { positions[element, default: []].append(index) }
            let offset = part == 0 ? 0 : 1_000_000
            for (entry, cue) in zip(byLength, cues) {
                guard cue.count <= characters.count, let starts = positions[cue[0]] else { continue }
                var next = 0  // the first position a match may start at (after the last one of this cue)
                for index in starts where index >= next && index + cue.count <= characters.count {
                    if !taken[index], characters[index..<(index + cue.count)].elementsEqual(cue),
                       !taken[index..<(index + cue.count)].contains(true) {
                        for position in index..<(index + cue.count) { taken[position] = true }
                        var score = scores[entry.tool] ?? Score()
                        if !score.cues.contains(where: { $0.0 == entry.cue && ($0.1 >= offset) == (part == 1) }) {
                            score.total += entry.weight * (part == 0 ? 3 : 1) * (verbSet.contains(entry.cue) ? 2 : 1)
                        }
                        if part == 0 { score.leadWeight = max(score.leadWeight, entry.weight) }
                        score.first = min(score.first, offset + index)
                        score.cues.append((entry.cue, offset + index))
                        scores[entry.tool] = score
                        next = index + cue.count
                    }
                }
            }
        }
        for (part, text) in [(0, Self.withoutAsides(lead)), (1, Self.withoutAsides(body))] where !text.isEmpty {
            // In plain text a character is one scalar, so positions and matches are the same either way.
            if let cueScalars, PlainText.isPlain(text) {
                match(text.unicodeScalars.map(\.value), cueScalars, part: part)
            } else {
                match(Array(text), cueCharacters, part: part)
            }
        }
        guard !scores.isEmpty else { return nil }
        let leadDecides = scores.values.contains { $0.inLead }
        let ranked = scores.sorted { lhs, rhs in
            if leadDecides, lhs.value.inLead != rhs.value.inLead { return lhs.value.inLead }
            return lhs.value.total != rhs.value.total ? lhs.value.total > rhs.value.total : lhs.value.first < rhs.value.first
        }
        func choice(_ item: (key: String, value: Score)) -> Instrument.Choice {
            var seen: Set<String> = []
            let cues = item.value.cues.sorted { $0.1 < $1.1 }.map(\.0).filter { seen.insert($0).inserted }
            return Instrument.Choice(dimension: dimensionOf[item.key]!, tool: item.key, cues: cues)
        }
        let winner = choice(ranked[0])
        let others = ranked.dropFirst().sorted { $0.value.total != $1.value.total ? $0.value.total > $1.value.total : $0.value.first < $1.value.first }
        let runnerUp = others.first { dimensionOf[$0.key] != winner.dimension } ?? others.first
        return Instrument(winner, runnerUp: runnerUp.map(choice))
    }
}
