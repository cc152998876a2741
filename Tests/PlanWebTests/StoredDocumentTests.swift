import PlanIndex
import PlanKit
import Testing

/// The document pages and the compare page read documents back from the index: the tree rebuilt from the
/// `nodes` rows must be the tree that was indexed, node for node.
@Suite struct StoredDocumentTests {
    @Test(arguments: WebFixtures.corpusFiles)
    func storedTreeIsTheIndexedTree(_ file: String) throws {
        let loaded = try WebFixtures.load(file)
        let stored = try #require(try WebFixtures.knowledgeBase().document(withKey: file))
        #expect(stored.root.children == loaded.root.children)
        #expect(stored.metadata == loaded.metadata)
        #expect(stored.records == WebFixtures.indexedRecords(of: loaded))
        #expect(stored.summary.nodeCount == loaded.root.descendants.count)
    }

    @Test func documentListHasEveryIndexedDocument() throws {
        let keys = try WebFixtures.knowledgeBase().documents().map(\.key)
        #expect(Set(keys) == Set(WebFixtures.corpusFiles + [WebFixtures.hostile]))
    }
}
