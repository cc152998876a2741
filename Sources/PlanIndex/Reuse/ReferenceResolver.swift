import Foundation
import PlanKit

/// 法条联想 — the references of a document (《中华人民共和国外商投资法》, 国发〔2019〕3号, 《立法法》第八十条) linked
/// to the documents of the knowledge base they name, and the documents that cite it (`plankb refs`).
///
/// A title matches when both read the same after `ReferenceResolver.titleKey` (《》 and spaces gone, bracket
/// widths unified, a leading 中华人民共和国 dropped); a document number (文号) when both read the same after
/// `numberKey` (〔〕 [] () unified). Where several versions carry the title (公司法 2018 and 2023), the latest
/// published one is linked and the others are listed as `alternatives`. An article named right after the
/// title (《立法法》第八十条) links to its node, `art_80`, when the document has it.
public struct ReferenceResolver {
    public var knowledgeBase: any KnowledgeBase

    public init(knowledgeBase: any KnowledgeBase) {
        self.knowledgeBase = knowledgeBase
    }

    /// One reference of a document and what it resolves to.
    public struct Citation: Codable, Hashable, Sendable {
        public var name: String
        /// title, agreement or documentNumber.
        public var kind: String?
        /// The citing node, its path and text.
        public var node: String
        public var path: String
        public var text: String
        /// The document cited, when the knowledge base has it.
        public var resolved: Target?
        /// Other documents of the same title (earlier versions).
        public var alternatives: [String]?
    }

    /// A cited document (and article).
    public struct Target: Codable, Hashable, Sendable {
        public var document: String
        public var title: String?
        /// The article named with the title (第八十条 → 80) and its node id, when the document has one.
        public var article: Int?
        public var node: String?
    }

    /// A document citing the one asked about.
    public struct CitingNode: Codable, Hashable, Sendable {
        public var document: String
        public var title: String?
        public var node: String
        public var path: String
        public var name: String
        public var article: Int?
    }

    public struct Report: Codable, Hashable, Sendable {
        public var document: String
        public var title: String?
        public var cites: [Citation]
        public var citedBy: [CitingNode]
    }

    /// What the document `key` cites and what cites it; nil when there is no such document.
    public func report(forDocument key: String) throws -> Report? {
        guard let stored = try knowledgeBase.document(withKey: key) else { return nil }
        let catalogue = Catalogue(try knowledgeBase.documents())
        let paths = Self.paths(of: stored.root)
        var cites: [Citation] = []
        for record in stored.records {
            guard let reference = Self.reference(from: record) else { continue }
            var citation = Citation(name: reference.name, kind: reference.kind, node: record.nodeID,
                                    path: paths[record.nodeID] ?? "", text: reference.text)
            let named = catalogue.documents(named: reference.name, kind: reference.kind)
            // A document's own 文号 or title printed in its text is no citation.
            if named.contains(where: { $0.key == key }), named.count == 1 { continue }
            let candidates = named.filter { $0.key != key }
            if let best = candidates.first {
                let article = Self.article(after: reference.name, in: reference.text)
                var target = Target(document: best.key, title: best.title, article: article)
                if let article, let cited = try knowledgeBase.document(withKey: best.key),
                   let node = cited.root.descendants.first(where: { $0.kind == .article && $0.num == article }) {
                    target.node = node.id
                }
                citation.resolved = target
                if candidates.count > 1 { citation.alternatives = candidates.dropFirst().map(\.key) }
            }
            cites.append(citation)
        }
        return Report(document: key, title: stored.metadata.title, cites: cites,
                      citedBy: try citing(key: key, summary: catalogue.summary(of: key)))
    }

    /// The nodes of other documents whose references resolve to `key`: found by searching the knowledge base
    /// for the document's short title and number, then checking each hit's reference records.
    func citing(key: String, summary: DocumentSummary?) throws -> [CitingNode] {
        guard let summary else { return [] }
        var probes: [String] = []
        if let title = summary.title {
            let short = Self.shortTitle(title)
            if short.count >= 2 { probes.append(short) }
        }
        if let number = summary.documentNumber, !number.isEmpty { probes.append(number) }
        let catalogue = Catalogue(try knowledgeBase.documents())
        var result: [CitingNode] = []
        var seen: Set<String> = []
        for probe in probes {
            let hits = try knowledgeBase.search(SearchRequest(query: .phrase(probe), limit: 500))
            for hit in hits where hit.documentKey != key && seen.insert(hit.documentKey + "#" + hit.nodeID).inserted {
                for record in hit.records {
                    guard let reference = Self.reference(from: record),
                          catalogue.documents(named: reference.name, kind: reference.kind).first?.key == key else { continue }
                    result.append(CitingNode(document: hit.documentKey, title: hit.documentTitle, node: hit.nodeID,
                                             path: hit.path, name: reference.name,
                                             article: Self.article(after: reference.name, in: reference.text)))
                }
            }
        }
        return result.sorted { ($0.document, $0.node) < ($1.document, $1.node) }
    }

    // MARK: keys

    /// 《中华人民共和国外商投资法》 → 外商投资法; brackets and spaces unified.
    public static func titleKey(_ title: String) -> String {
        var key = shortTitle(title)
        key = key.replacingOccurrences(of: "(", with: "（").replacingOccurrences(of: ")", with: "）")
        return key
    }

    static func shortTitle(_ title: String) -> String {
        var text = Normalizer.normalize(title).filter { !$0.isWhitespace && $0 != "《" && $0 != "》" && $0 != "〈" && $0 != "〉" }
        if text.hasPrefix("中华人民共和国"), text.count > 7 { text.removeFirst(7) }
        return String(text)
    }

    /// 国发〔2019〕3号, 国发[2019]3号, 国发(2019)3号 → 国发2019-3.
    public static func numberKey(_ number: String) -> String {
        var key = ""
        for character in Normalizer.normalize(number) where !character.isWhitespace {
            switch character {
            case "〔", "[", "(", "（", "【": key.append("|")
            case "〕", "]", ")", "）", "】": key.append("|")
            default: key.append(character)
            }
        }
        return key
    }

    /// The article named right after the title in the citing text: 《立法法》第八十条 → 80.
    static func article(after name: String, in text: String) -> Int? {
        guard let range = text.range(of: name) else { return nil }
        var rest = text[range.upperBound...]
        while let first = rest.first, first == "》" || first == "〉" || first == " " { rest = rest.dropFirst() }
        guard rest.hasPrefix("第"), let end = rest.firstIndex(of: "条") else { return nil }
        let numeral = rest[rest.index(after: rest.startIndex)..<end]
        guard !numeral.isEmpty, numeral.count <= 8 else { return nil }
        return ChineseNumerals.value(of: numeral)
    }

    /// The reference fields of a stored record, from its JSON (older and newer record layouts alike).
    static func reference(from record: IndexedRecord) -> (name: String, kind: String?, text: String)? {
        guard record.type == Record.RecordType.reference.rawValue,
              let object = try? JSONSerialization.jsonObject(with: Data(record.json.utf8)) as? [String: Any] else { return nil }
        let payload = object["reference"] as? [String: Any] ?? [:]
        guard let name = object["name"] as? String ?? payload["name"] as? String else { return nil }
        let kind = object["referenceKind"] as? String ?? payload["kind"] as? String
        return (name, kind, object["text"] as? String ?? "")
    }

    /// Each node's path (its headings), for the citations.
    static func paths(of root: Node) -> [String: String] {
        var result: [String: String] = [:]
        root.forEach { node, ancestors in
            result[node.id] = Node.path(of: node, ancestors: ancestors)
        }
        return result
    }

    /// The knowledge base's documents by title and number key, latest first.
    struct Catalogue {
        var byTitle: [String: [DocumentSummary]] = [:]
        var byNumber: [String: [DocumentSummary]] = [:]
        var byKey: [String: DocumentSummary] = [:]

        init(_ documents: [DocumentSummary]) {
            for document in documents {
                byKey[document.key] = document
                if let title = document.title, !title.isEmpty { byTitle[titleKey(title), default: []].append(document) }
                if let number = document.documentNumber, !number.isEmpty {
                    byNumber[numberKey(number), default: []].append(document)
                }
            }
            for (key, list) in byTitle { byTitle[key] = list.sorted { ($0.date ?? "", $0.key) > ($1.date ?? "", $1.key) } }
        }

        func summary(of key: String) -> DocumentSummary? { byKey[key] }

        func documents(named name: String, kind: String?) -> [DocumentSummary] {
            if kind == Record.ReferenceKind.documentNumber.rawValue { return byNumber[numberKey(name)] ?? [] }
            return byTitle[titleKey(name)] ?? byNumber[numberKey(name)] ?? []
        }
    }
}
