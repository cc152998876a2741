import PlanKit

/// The records a node owns (`IdentifierAssignment.owns`) in SQL, for every backend, so that a hit's records, the
/// record filters and the records of a node read back all agree.
enum OwnRecords {
    /// What follows a node's id in the ids of the records it owns, as ranges (both ends included): the node
    /// itself, its lead, its clauses (no id holds `` ` ``, which sorts right after `_`).
    private static let suffixes: [(low: String, high: String)] = [("", ""), ("__lead", "__lead"), ("__clause_", "__clause`")]

    /// The ids of the records `node` owns, as ranges an index on the node id reads without passing through the
    /// nodes below it (a division's or a chapter's hit would pass its whole text).
    static func ranges(of node: String) -> [(low: String, high: String)] {
        suffixes.map { (node + $0.low, node + $0.high) }
    }

    /// SQL that holds when the record's node id `record` is owned by the node id `node` (both SQL expressions;
    /// `collation` is appended to each bound, e.g. ` COLLATE "C"` where the node id comes from elsewhere than a
    /// column). The first range is the node and everything below it, in id order (`~` sorts after every id
    /// character), so that an index on the record's node id serves it; the rest are `ranges`.
    static func condition(record: String, node: String, collation: String = "") -> String {
        // Each bound parenthesized whole: PostgreSQL's BETWEEN takes no COLLATE in its bounds otherwise.
        let bound = { (suffix: String) in suffix.isEmpty ? "(\(node)\(collation))" : "((\(node) || '\(suffix)')\(collation))" }
        let owned = suffixes.map { "\(record) BETWEEN \(bound($0.low)) AND \(bound($0.high))" }
        return "(\(record) >= \(bound("")) AND \(record) < \(bound("__~")) AND (" + owned.joined(separator: " OR ") + "))"
    }
}
