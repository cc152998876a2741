/// A document or node asked for by key or id that the knowledge base does not hold, worded once for the
/// CLI (`plankb chunks --doc`) and the MCP server's tools.
public enum LookupError: Error, CustomStringConvertible, Sendable, Equatable {
    case unknownDocument(key: String)
    case unknownNode(id: String, documentKey: String)

    public var description: String {
        switch self {
        case .unknownDocument(let key):
            "no document with key \(key) (plankb query --count-by doc, or the MCP documents tool, lists the keys)"
        case .unknownNode(let id, let key):
            "no node \(id) in \(key) (node ids come from search hits; node doc is the whole document)"
        }
    }
}
