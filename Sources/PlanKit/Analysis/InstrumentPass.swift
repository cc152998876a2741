/// 政策工具编码 — codes every measure record with the instrument its cue words point to
/// (`Codebook.code(lead:body:verbs:)`): the title is the lead sentence, the rest of the paragraph the body.
/// With `ExtractionSettings.codeClauses`, every sentence of every passage also becomes a `clause` record,
/// coded on its own. A unit without a cue keeps no instrument.
enum InstrumentPass {
    static func run(_ input: ExtractionInput, _ records: [Record]) -> ([Record], [Diagnostic]) {
        let codebook = input.settings.codebook
        var coded = records
        let passages = Dictionary(input.passages.map { ($0.node.id, $0) }, uniquingKeysWith: { first, _ in first })
        for index in coded.indices where coded[index].type == .measure {
            let record = coded[index]
            let (lead, body) = unit(of: record, passage: passages[record.node])
            coded[index].instrument = codebook.code(lead: lead, body: body, verbs: record.verbs ?? [])
        }
        guard input.settings.codeClauses else { return (coded, []) }
        for passage in input.passages {
            for sentence in passage.sentences {
                var clause = Record(type: .clause, node: sentence.nodeID, path: passage.path, text: sentence.text,
                                    span: sentence.span)
                clause.instrument = codebook.code(lead: sentence.text, body: "")
                coded.append(clause)
            }
        }
        return (coded, [])
    }

    /// A measure's lead (its title) and the text after it.
    static func unit(of record: Record, passage: Passage?) -> (lead: String, body: String) {
        guard let passage else { return (record.title ?? "", record.text) }
        if let lead = passage.lead {
            return (lead.text, passage.sentences.dropFirst().map(\.text).joined())
        }
        // A titled item: the heading is the title, the sentences the body.
        return (record.title ?? "", passage.sentences.map(\.text).joined())
    }
}
