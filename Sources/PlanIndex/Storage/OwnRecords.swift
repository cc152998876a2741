import PlanKit

/// The records a node owns (`IdentifierAssignment.owns`) in SQL, for every backend, so that a hit's records, the
/// record filters and the records of a node read back all agree.
enum OwnRecords {
    /// The ids of the records `node` owns, as ranges (both ends included) an index on the node id reads without
    /// passing through the nodes below it — a division's or a chapter's hit would pass its whole text: the node,
    /// its lead, its clauses (no id holds `` ` ``).
    static func ranges(of node: String) -> [(low: String, high: String)] {
        [(node, node), (node + "__lead", node + "__lead"), (node + "__clause_", node + "__clause`")]
    }

    /// SQL that holds when the record's node id `record` is owned by the node id `node` (both SQL expressions;
    /// `collation` is appended to each bound, e.g. ` COLLATE "C"` where the node id comes from elsewhere than a
    /// column). The first range is the node and everything below it, in id order (`~` sorts after every id
    /// character), so that an index on the record's node id serves it; the rest keeps the node, its lead and its
    /// clauses (`` ` `` sorts right after `_`).
    static func condition(record: String, node: String, collation: String = "") -> String {
        let bound = { (suffix: String) in suffix.isEmpty ? node + collation : "(\(node) || '\(suffix)')\(collation)" }
        return "(\(record) >= \(bound("")) AND \(record) < \(bound("__~"))"
            + " AND (\(record) = \(bound("")) OR \(record) = \(bound("__lead"))"
            + " OR (\(record) > \(bound("__clause_")) AND \(record) < \(bound("__clause`")))))"
    }
}
