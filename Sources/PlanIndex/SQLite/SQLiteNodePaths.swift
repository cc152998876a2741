import GRDB
import PlanKit

/// Paths of stored nodes (`第五章 … › 第四节 跨境电商 › 段2`), put together from the rows of
/// their ancestors as they are read: the `nodes` table keeps each node's parent (`parent_ordinal`) rather than
/// its path, which repeated every heading above a node in each of its rows (6% of a knowledge base). The
/// result is `NodeRow.path` to the byte: the same steps (`Node.displayTitle` for each ancestor,
/// `Node.pathSegment` for the node) joined the same way.
///
/// One value serves one read: each ancestor's row is read once however many of the nodes read lie under it.
struct SQLiteNodePaths {
    /// The fields of a row that its path needs.
    struct Fields {
        var rowID: Int64
        var nodeID: String
        var kind: String
        var num: Int?
        var label: String?
        var heading: String?
        var parentOrdinal: Int64?

        /// The columns of `nodes` (row alias `n`) that give the fields, in `init(row:from:)`'s order.
        static let columns = "n.row_id, n.node_id, n.kind, n.num, n.label, n.heading, n.parent_ordinal"

        /// The fields from `row`, `columns` standing from column `first` on.
        init(row: Row, from first: Int) {
            rowID = row[first]
            nodeID = row[first + 1]
            kind = row[first + 2]
            num = row[first + 3]
            label = row[first + 4]
            heading = row[first + 5]
            parentOrdinal = row[first + 6]
        }

        /// The row id of the parent (a document's rows are one range of row ids).
        var parentRowID: Int64? {
            parentOrdinal.map { (rowID >> SQLiteKnowledgeBase.ordinalBits) << SQLiteKnowledgeBase.ordinalBits | $0 }
        }
    }

    private let db: Database
    /// Each ancestor read as a path begins with it (its own ancestors' titles and its title), by row id.
    private var prefixes: [Int64: String] = [:]
    /// Reads an ancestor's row, prepared at the first.
    private var statement: RawStatement?

    init(in db: Database) {
        self.db = db
    }

    /// The node's path, as `NodeRow.path` gives it.
    mutating func path(of node: Fields) throws -> String {
        let segment = Node.pathSegment(id: node.nodeID, kind: node.kind, num: node.num, label: node.label, heading: node.heading)
        guard let parent = node.parentRowID, let above = try prefix(parent) else { return segment }
        return above + PathSteps.separator + segment
    }

    /// The ancestor's title and its parent's row id, read from its row.
    private mutating func read(_ rowID: Int64) throws -> (title: String, parent: Int64?)? {
        if statement == nil {
            statement = RawStatement(try db.cachedStatement(sql: "SELECT kind, label, heading, parent_ordinal FROM nodes WHERE row_id = ?"))
        }
        statement!.bind(rowID)
        return try statement!.one { row in
            let parent = row.integer(3).map { (rowID >> SQLiteKnowledgeBase.ordinalBits) << SQLiteKnowledgeBase.ordinalBits | $0 }
            return (Node.displayTitle(kind: row.text(0) ?? "", label: row.text(1), heading: row.text(2)), parent)
        }
    }

    private mutating func prefix(_ rowID: Int64) throws -> String? {
        if let known = prefixes[rowID] { return known }
        guard let (title, parent) = try read(rowID) else { return nil }
        let prefix = try parent.flatMap { try self.prefix($0) }.map { $0 + PathSteps.separator + title } ?? title
        prefixes[rowID] = prefix
        return prefix
    }
}
