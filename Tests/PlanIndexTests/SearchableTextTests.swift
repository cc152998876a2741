import Foundation
import Testing
import PlanKit
@testable import PlanIndex

/// Term statistics read the indexed texts of each document straight from the store: they must be the texts the
/// index was given, node for node, on every backend, as if the document had been read whole.
struct SearchableTextTests {
    @Test(arguments: TestBackend.available)
    func storedTextsAreTheTextsTheIndexWasGiven(backend: TestBackend) throws {
        let sources = try KnowledgeBaseConformanceTests.sourceDocuments()
        let knowledgeBase = try backend.scratch().knowledgeBase
        try knowledgeBase.replaceDocuments(sources)
        var titlesOnly = 0, texts = 0
        for entry in sources.flatMap(\.documents) {
            let expected = SearchableText.texts(of: entry.document)
            let stored = try knowledgeBase.searchableTexts(inDocument: entry.key)
            #expect(stored == expected, "\(entry.key): \(stored.count) texts read, \(expected.count) indexed")
            // The default (the document read whole) agrees with what the backend reads.
            let whole = try #require(try knowledgeBase.document(withKey: entry.key))
            #expect(SearchableText.texts(of: whole.planDocument) == stored, "\(entry.key)")
            texts += stored.count
            titlesOnly += stored.filter { $0.kind == .article }.count
        }
        #expect(texts > 1000)
        #expect(titlesOnly > 100, "articles (by their titles where their text is their paragraphs') are among the texts")
        #expect(try knowledgeBase.searchableTexts(inDocument: "no/such/document").isEmpty)
    }
}
