/// 政策工具编码 — codes every measure record with the instrument its cue words point to
/// (`Codebook.code(lead:body:verbs:)`): the title is the lead sentence, the rest of the paragraph the body.
/// With `ExtractionSettings.codeClauses`, every sentence of every passage also becomes a `clause` record,
/// coded on its own. A unit without a cue keeps no instrument.
enum InstrumentPass {
    static func run(_ input: ExtractionInput, _ records: [Record]) -> ([Record], [Diagnostic]) {
        let codebook = input.settings.codebook
        var coded = records
        let passages = Dictionary(input.passages.map { ($0.node.id, $0) }, uniquingKeysWith: { first, _ in first })
        for index in coded.indices {
            guard case .measure(var measure) = coded[index].facts else { continue }
            let (lead, body) = unit(of: measure, text: coded[index].text, passage: passages[coded[index].node])
            measure.instrument = codebook.code(lead: lead, body: body, verbs: measure.verbs)
            coded[index].facts = .measure(measure)
        }
        guard input.settings.codeClauses else { return (coded, []) }
        for passage in input.passages {
            for sentence in passage.sentences {
                coded.append(Record(node: sentence.nodeID, path: passage.path, text: sentence.text, span: sentence.span,
                                    facts: .clause(Record.Clause(instrument: codebook.code(lead: sentence.text, body: "")))))
            }
        }
        return (coded, [])
    }

    /// A measure's lead (its title) and the text after it.
    static func unit(of measure: Record.Measure, text: String, passage: Passage?) -> (lead: String, body: String) {
        guard let passage else { return (measure.title, text) }
        if let lead = passage.lead {
            return (lead.text, passage.sentences.dropFirst().map(\.text).joined())
        }
        // A titled item: the heading is the title, the sentences the body.
        return (measure.title, passage.sentences.map(\.text).joined())
    }
}
