import Foundation
import PlanIndex
import PlanKit

/// The knowledge base as the tools read it: through `KnowledgeBase` only, with the last documents read kept
/// whole (an agent reads several nodes of the same document in a row) and their node paths beside them.
final class Library: @unchecked Sendable {
    let knowledgeBase: any KnowledgeBase
    private let lock = NSLock()
    private var cache: [(key: String, document: OpenDocument)] = []
    private static let cacheSize = 4

    /// A document read whole, with the path of each node and each node's parent.
    struct OpenDocument {
        var stored: StoredDocument
        var paths: [String: String]
        var parents: [String: Node]
        var title: String { stored.metadata.title ?? stored.summary.title ?? stored.summary.key }
    }

    init(_ knowledgeBase: any KnowledgeBase) {
        self.knowledgeBase = knowledgeBase
    }

    /// The document with this key, or a tool error saying there is none (as the CLI says it).
    func document(_ key: String) throws -> OpenDocument {
        lock.lock()
        if let hit = cache.first(where: { $0.key == key }) {
            lock.unlock()
            return hit.document
        }
        lock.unlock()
        guard let stored = try knowledgeBase.document(withKey: key) else {
            throw ToolError(LookupError.unknownDocument(key: key).description)
        }
        var parents: [String: Node] = [:]
        stored.root.forEach { node, ancestors in if let parent = ancestors.last { parents[node.id] = parent } }
        let document = OpenDocument(stored: stored, paths: NodePaths.paths(in: stored.planDocument), parents: parents)
        lock.lock()
        cache.removeAll { $0.key == key }
        cache.insert((key, document), at: 0)
        if cache.count > Self.cacheSize { cache.removeLast() }
        lock.unlock()
        return document
    }
}

/// Messages a tool error carries that the CLI prints its own way.
enum Messages {
    /// A query syntax error as `plankb query` prints it: the message with its column, the query, a caret.
    static func queryError(_ error: SearchQuerySyntaxError, query: String) -> String {
        "\(error)\n  \(query)\n  " + String(repeating: " ", count: max(0, error.column - 1)) + "^"
    }
}
