import PlanIndex
import PlanKit

/// The search form's fields as the pages and `/api/search` read them, and the request they make — the same
/// filters as `plankb query` (`--doc`, `--type`, `--from`/`--to`, `--issuer`, `--published-after/-before`).
struct SearchForm: Sendable {
    var query: String
    var document: String?
    var recordType: String?
    var fromYear: Int?
    var toYear: Int?
    var issuer: String?
    var publishedAfter: String?
    var publishedBefore: String?
    var kind: String?
    var page: Int
    var pageSize: Int
    /// The number fields given with something other than a whole number (`limit=abc`), which would otherwise be
    /// dropped without a word.
    var notNumbers: [(field: String, value: String)]

    static let defaultPageSize = 20

    init(_ fields: FormFields) {
        query = fields["q"] ?? ""
        document = fields["doc"]
        recordType = fields["type"]
        fromYear = fields.integer("from")
        toYear = fields.integer("to")
        issuer = fields["issuer"]
        publishedAfter = fields["after"]
        publishedBefore = fields["before"]
        kind = fields["kind"]
        page = max(1, fields.integer("page") ?? 1)
        pageSize = min(200, max(1, fields.integer("limit") ?? Self.defaultPageSize))
        notNumbers = ["from", "to", "page", "limit", "offset"].compactMap { name in
            fields[name].flatMap { Int($0) == nil ? (name, $0) : nil }
        }
    }

    /// Why the filters cannot be used as given (nil when they can).
    var filterProblem: String? {
        if let fromYear, let toYear, fromYear > toYear { return "起始年份 \(fromYear) 晚于截止年份 \(toYear)。" }
        for date in [publishedAfter, publishedBefore].compactMap({ $0 }) where PublicationDate(date) == nil {
            return "日期“\(date)”应写作 YYYY、YYYY-MM 或 YYYY-MM-DD。"
        }
        if let kind, NodeKind(rawValue: kind) == nil { return "未知的节点类型“\(kind)”。" }
        if let recordType, Record.RecordType(rawValue: recordType) == nil {
            return "未知的记录类型“\(recordType)”（可选：\(Record.RecordType.allCases.map(\.rawValue).joined(separator: "、"))）。"
        }
        if let (field, value) = notNumbers.first { return "“\(field)”应为整数，而不是“\(value)”。" }
        return nil
    }

    /// The knowledge-base request for this form, its query parsed (throws the query's syntax error).
    func request() throws(SearchQuerySyntaxError) -> SearchRequest {
        let parsed = try SearchQuery(parsing: query)
        var years: ClosedRange<Int>?
        if fromYear != nil || toYear != nil { years = (fromYear ?? Int.min)...(toYear ?? Int.max) }
        return SearchRequest(
            query: parsed, document: document, recordType: recordType.flatMap(Record.RecordType.init(rawValue:)), recordYears: years, issuer: issuer,
            publishedAfter: publishedAfter.flatMap(PublicationDate.init),
            publishedBefore: publishedBefore.flatMap(PublicationDate.init),
            kinds: kind.flatMap(NodeKind.init(rawValue:)).map { [$0] } ?? [],
            limit: pageSize, offset: (page - 1) * pageSize)
    }

    /// The form's fields as query parameters, with another page number (for paging and facet links).
    func parameters(page: Int? = nil, document: String?? = nil) -> [(String, String?)] {
        [("q", query), ("doc", document ?? self.document), ("type", recordType), ("from", fromYear.map(String.init)),
         ("to", toYear.map(String.init)), ("issuer", issuer), ("after", publishedAfter), ("before", publishedBefore),
         ("kind", kind), ("page", page.map(String.init)),
         ("limit", pageSize == Self.defaultPageSize ? nil : String(pageSize))]
    }
}
