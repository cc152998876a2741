/// Gives every node its Akoma Ntoso style id: parent id + `__` + alias + `_` + number.
///
/// - Numbered nodes use their number (`chp_5`, `item_3`); unnumbered ones a counter per kind within the
///   parent (`para_2`, `clause_4`); singletons their alias alone (`preface`, `para_3__lead`).
/// - Articles are numbered across the whole law, so their ids start afresh at the top (`art_12`, not
///   `chp_2__art_12`), as in Akoma Ntoso: moving an article to another chapter keeps its id.
/// - A repeated id takes `_2`, `_3`… in document order.
///
/// An id depends only on the numbering of the node and its ancestors and on its position among unnumbered
/// siblings of its kind, so a change elsewhere in the document leaves it alone.
public enum IdentifierAssignment {
    public static let rootID = "doc"

    /// Whether a record on the node `id` was extracted from the own text of the node `owner`: the node itself,
    /// one of its clauses (`para_3__clause_2`) or its lead sentence (`para_3__lead`) — not a node further down
    /// (`dvs_3__item_1__para_2` is inside `dvs_3` but has a text of its own). Clauses and leads have no children.
    /// A hit's records and the record filters of a search are the records its node owns.
    public static func owns(_ owner: String, recordOn id: String) -> Bool {
        guard id.hasPrefix(owner) else { return false }
        let rest = id.utf8.dropFirst(owner.utf8.count)
        return rest.isEmpty || rest.elementsEqual("__lead".utf8) || rest.starts(with: "__clause_".utf8)
    }

    public static func assign(to root: inout Node) {
        var used: [String: Int] = [:]
        root.id = rootID
        assignChildren(of: &root, prefix: "", used: &used)
    }

    private static func assignChildren(of node: inout Node, prefix: String, used: inout [String: Int]) {
        var counters: [NodeKind: Int] = [:]
        for index in node.children.indices {
            let kind = node.children[index].kind
            let local: String
            if kind.isSingleton {
                local = kind.idAlias
            } else if let number = node.children[index].num {
                local = "\(kind.idAlias)_\(number)"
            } else {
                counters[kind, default: 0] += 1
                local = "\(kind.idAlias)_\(counters[kind]!)"
            }
            let base = kind == .article || prefix.isEmpty ? local : "\(prefix)__\(local)"
            // `used` counts how often each base id has been taken, so a run of duplicates stays linear.
            var id = base
            if let taken = used[base] {
                var duplicate = taken + 1
                id = "\(base)_\(duplicate)"
                while used[id] != nil {
                    duplicate += 1
                    id = "\(base)_\(duplicate)"
                }
                used[base] = duplicate
                used[id] = 1  // free: the loop above stopped on it
            } else {
                used[base] = 1  // the id is the base
            }
            node.children[index].id = id
            assignChildren(of: &node.children[index], prefix: id, used: &used)
        }
    }
}
