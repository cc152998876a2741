import Foundation

/// The title of a law whose text does not print it (text extracted from a PDF often starts at 第一条 or at the
/// enactment note): read from the article that states the law's scope, 本法适用于在中华人民共和国领域内的动物防疫
/// 及其监督管理活动 → 中华人民共和国动物防疫法. Never from the file name, which says nothing (2007.txt).
enum LawTitle {
    private static let scope = try! NSRegularExpression(
        pattern: #"^本法适用于(?:在)?中华人民共和国(?:领域|境)内(?:从事)?的?(\p{Han}{2,12}?)(?:及其(?:监督)?管理)?活动"#)

    /// The inferred title and the article it was read from, or nil when the first articles state no scope.
    static func inferred(from root: Node) -> (title: String, node: Node)? {
        let articles = root.descendants.lazy.filter { $0.kind == .article }.prefix(3)
        for article in articles {
            for paragraph in article.children where paragraph.kind == .paragraph {
                let text = paragraph.text.filter { !Normalizer.isBlank($0) }
                let range = NSRange(text.startIndex..., in: text)
                guard let match = scope.firstMatch(in: text, range: range),
                      let subject = Range(match.range(at: 1), in: text) else { continue }
                return ("中华人民共和国" + text[subject] + "法", paragraph)
            }
        }
        return nil
    }
}
