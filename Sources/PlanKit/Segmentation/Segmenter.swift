/// Turns ingested blocks into the document tree. (Being written: this is the interface.)
public enum Segmenter {
    public static func segment(_ ingested: IngestedText) -> PlanDocument {
        let root = Node(id: "", kind: .document, text: ingested.metadata.title ?? "",
                        span: SourceSpan(startLine: 1, startColumn: 1, endLine: 1, endColumn: 1))
        return PlanDocument(metadata: ingested.metadata, root: root, diagnostics: ingested.diagnostics)
    }
}
