import Foundation
@testable import PlanKit

/// The repository's `corpus/` folder, found from this file's path.
let corpusURL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("corpus")

/// Reads and segments a text or Markdown file of the corpus (the HTML path lives in PlanIngest).
func segmentCorpusText(_ relativePath: String) throws -> PlanDocument {
    let url = corpusURL.appendingPathComponent(relativePath)
    let decoded = try TextDecoder.decode(try Data(contentsOf: url))
    let flavor: TextIngester.Flavor = url.pathExtension == "md" ? .markdown : .plain
    let ingested = TextIngester.ingest(decoded.text, flavor: flavor, metadata: Metadata(source: relativePath))
    return Segmenter.segment(ingested)
}

func segment(_ text: String, flavor: TextIngester.Flavor = .plain) -> PlanDocument {
    Segmenter.segment(TextIngester.ingest(text, flavor: flavor))
}

extension Node {
    func children(ofKind kind: NodeKind) -> [Node] { children.filter { $0.kind == kind } }
    func all(ofKind kind: NodeKind) -> [Node] { descendants.filter { $0.kind == kind } }
}
