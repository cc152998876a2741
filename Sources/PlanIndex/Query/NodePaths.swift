import PlanKit

/// Paths of nodes (`第五章 … › 第四节 跨境电商 › 段2`) computed from a tree exactly as the knowledge base stores
/// them for hits, so that a node read from a document is cited the same way as the hit that led to it.
public enum NodePaths {
    /// Every node's path, by node id.
    /// - Complexity: O(n) in the number of nodes.
    public static func paths(in document: PlanDocument) -> [String: String] {
        var paths: [String: String] = [:]
        for row in NodeRow.rows(of: document) { paths[row.nodeID] = row.path }
        return paths
    }
}
