import PlanKit

/// An element of the page, kept only as far as choosing the article needs: its place in the tree and the
/// names a CMS gives its containers.
struct PageElement {
    var tag: String
    /// Index of the parent element, -1 for the outermost.
    var parent: Int
    /// This element and its descendants are the elements `index..<subtreeEnd` (elements are in document order).
    var subtreeEnd: Int
    var id: String
    var className: String
}

/// A rendered line of the page — one `<p>`, a piece of one split by `<br>`, a table row — whether article or
/// chrome. Lines become `Block`s once the article has been chosen.
struct PageLine {
    var text: String
    /// The innermost block element the line was set in.
    var owner: Int
    var hints: Block.Hints = []
    var headingLevel: Int?
    var boldPrefixLength: Int?
    /// Characters that are not white space, and how many of them sit inside links.
    var visibleCount = 0
    var linkCount = 0
    /// For table rows, the cells' texts.
    var cells: [String]?
    /// The `href`s of links in the line.
    var links: [String] = []
    /// The line was cut by a `<br>` (and not by the end of its block).
    var endedByBreak = false
    /// Where to look for the line in the source: libxml2's line numbers narrowed by the newlines inside
    /// the text nodes (libxml2 stamps a text node with the line where its first chunk ends).
    var startLineRange: ClosedRange<Int> = 1...1
    var endLineRange: ClosedRange<Int> = 1...1

    var linkDensity: Double { visibleCount == 0 ? 0 : Double(linkCount) / Double(visibleCount) }
}

/// The `<head>` facts: `<title>` and `<meta name|property=… content=…>`.
struct PageHead {
    var title: String?
    var metas: [(name: String, content: String)] = []

    func meta(_ names: String...) -> String? {
        for name in names {
            if let value = metas.first(where: { $0.name == name })?.content, !value.isEmpty { return value }
        }
        return nil
    }
}
