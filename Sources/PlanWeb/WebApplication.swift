import Foundation
import Hummingbird
import PlanIndex
import PlanIngest
import PlanKit

/// The web interface of `plankb serve` (网页界面): search, read and compare pages rendered on the server,
/// and a JSON API for the same data. It only reads the knowledge base.
public enum PlanWebApplication {
    /// The router with every page and API route, over `knowledgeBase`.
    public static func router(knowledgeBase: any KnowledgeBase) -> Router<BasicRequestContext> {
        let site = Site(knowledgeBase: knowledgeBase)
        let router = Router()
        router.get("/") { request, _ in try site.home(request) }
        router.get("/search") { request, _ in try site.search(request) }
        router.get("/documents") { request, _ in try site.documentList(request) }
        router.get("/documents/:id") { request, context in try site.document(request, key: context.parameters.get("id")) }
        router.get("/compare") { request, _ in try site.compare(request) }
        router.get("/statistics") { request, _ in try site.statistics(request) }
        router.get("/statistics/:chart") { request, context in try site.statisticsCSV(request, chart: context.parameters.get("chart")) }
        router.post("/compare") { request, _ in try await site.compareUpload(request) }
        router.get("/reuse") { request, _ in try site.reuse(request) }
        router.get("/api/search") { request, _ in try site.apiSearch(request) }
        router.get("/api/documents") { _, _ in try site.apiDocuments() }
        router.get("/api/documents/:id") { _, context in try site.apiDocument(key: context.parameters.get("id")) }
        router.get("/api/documents/:id/records") { request, context in
            try site.apiRecords(request, key: context.parameters.get("id"))
        }
        router.get("/api/diff") { request, _ in try site.apiDiff(request) }
        return router
    }

    /// The application serving `knowledgeBase` on `host`:`port`. Port 0 picks a free port; `onServerRunning`
    /// is told the port actually bound once the server listens.
    public static func application(
        knowledgeBase: any KnowledgeBase, host: String = "127.0.0.1", port: Int = 8080,
        onServerRunning: @escaping @Sendable (_ boundPort: Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(knowledgeBase: knowledgeBase),
            configuration: .init(address: .hostname(host, port: port), serverName: "plankb"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) })
    }
}

/// The handlers, each a plain function from a request to a response.
struct Site: Sendable {
    let knowledgeBase: any KnowledgeBase

    /// Uploads larger than this are refused (two documents of a few megabytes each fit easily).
    static let uploadLimit = 32 << 20

    // MARK: Pages

    func home(_ request: Request) throws -> Response {
        let summary = try knowledgeBase.summary()
        let documents = try knowledgeBase.documents()
        var body = SearchPage(form: SearchForm(FormFields(urlEncoded: "")), documents: documents,
                              recordTypes: recordTypes).formBody
        body += "<p>知识库：\(summary.documents) 份文件，\(summary.nodes) 个节点，\(summary.records) 条记录。</p>\n"
        body += DocumentList(documents: documents).render()
        return .html(HTML.page(title: "规划知识库", body: body))
    }

    func search(_ request: Request) throws -> Response {
        let form = SearchForm(FormFields(urlEncoded: request.uri.query ?? ""))
        let page = SearchPage(form: form, documents: try knowledgeBase.documents(), recordTypes: recordTypes)
        guard !form.query.isEmpty else { return .html(page.render(.empty)) }
        if let problem = form.filterProblem { return .html(page.render(.problem(problem)), status: .badRequest) }
        let searchRequest: SearchRequest
        do {
            searchRequest = try form.request()
        } catch {
            return .html(page.render(.problem(Self.describe(error, in: form.query))), status: .badRequest)
        }
        do {
            let hits = try knowledgeBase.searchExpandingAbbreviations(searchRequest)
            let byDocument = try knowledgeBase.count(searchRequest, by: .doc)
            let byYear = try knowledgeBase.count(searchRequest, by: .year).sorted { $0.key < $1.key }
            let total = byDocument.reduce(0) { $0 + $1.hits }
            return .html(page.render(.results(hits: hits, total: total, byDocument: byDocument, byYear: byYear)))
        } catch {
            Self.log("search \(form.query): \(error)")
            return .html(page.render(.problem("检索未能完成，请简化检索式后重试。")), status: .internalServerError)
        }
    }

    func documentList(_ request: Request) throws -> Response {
        .html(HTML.page(title: "文件", body: "<h1>文件</h1>\n" + DocumentList(documents: try knowledgeBase.documents()).render()))
    }

    func document(_ request: Request, key encodedKey: String?) throws -> Response {
        guard let key = Self.decodeKey(encodedKey), let document = try knowledgeBase.document(withKey: key) else {
            return .html(HTML.page(title: "没有这份文件", body: HTML.message("知识库中没有这份文件：\(Self.decodeKey(encodedKey) ?? "")")),
                         status: .notFound)
        }
        let fields = FormFields(urlEncoded: request.uri.query ?? "")
        let sort = fields["sort"].flatMap(RecordTable.Column.init(rawValue:)) ?? .node
        let references = try? ReferenceResolver(knowledgeBase: knowledgeBase).report(forDocument: key)
        return .html(DocumentPage(document: document, sort: sort, descending: fields["order"] == "desc",
                                  references: references).render())
    }

    /// `/reuse?doc=KEY` against the whole knowledge base, `/reuse?source=KEY&target=KEY` for two documents.
    func reuse(_ request: Request) throws -> Response {
        let fields = FormFields(urlEncoded: request.uri.query ?? "")
        let page = ReusePage(documents: try knowledgeBase.documents())
        if let key = fields["doc"] {
            guard let report = try KnowledgeBaseReuse(knowledgeBase: knowledgeBase).report(forDocument: key) else {
                return .html(page.renderForm(message: "知识库中没有这份文件：\(key)"), status: .notFound)
            }
            return .html(ReuseHTMLRenderer.render(report))
        }
        guard let sourceKey = fields["source"], let targetKey = fields["target"] else { return .html(page.renderForm()) }
        guard let source = try knowledgeBase.document(withKey: sourceKey),
              let target = try knowledgeBase.document(withKey: targetKey) else {
            return .html(page.renderForm(message: "知识库中没有所选的文件。", selectedSource: sourceKey,
                                         selectedTarget: targetKey), status: .notFound)
        }
        return .html(ReuseHTMLRenderer.render(ReuseReport.compare(target: target.planDocument, targetKey: targetKey,
                                                                  source: source.planDocument, sourceKey: sourceKey)))
    }

    func compare(_ request: Request) throws -> Response {
        let fields = FormFields(urlEncoded: request.uri.query ?? "")
        let page = ComparePage(documents: try knowledgeBase.documents(), selectedOld: fields["old"], selectedNew: fields["new"])
        guard let oldKey = fields["old"], let newKey = fields["new"] else { return .html(page.renderForm()) }
        guard let old = try knowledgeBase.document(withKey: oldKey), let new = try knowledgeBase.document(withKey: newKey) else {
            return .html(page.renderForm(message: "知识库中没有所选的文件。"), status: .notFound)
        }
        return .html(ComparePage.renderReport(DocumentDiff.compare(old.planDocument, new.planDocument)))
    }

    func compareUpload(_ request: Request) async throws -> Response {
        let page = ComparePage(documents: try knowledgeBase.documents(), selectedOld: nil, selectedNew: nil)
        guard let boundary = request.headers[.contentType].flatMap(MultipartPart.boundary(ofContentType:)) else {
            return .html(page.renderForm(message: "请用表单上传两个文件（multipart/form-data）。"), status: .badRequest)
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.uploadLimit)
        } catch {
            return .html(page.renderForm(message: "上传的文件太大（上限 \(Self.uploadLimit >> 20) MB）。"), status: .contentTooLarge)
        }
        let parts = MultipartPart.parse(Data(body.readableBytesView), boundary: boundary)
        var documents: [String: PlanDocument] = [:]
        for name in ["old", "new"] {
            guard let part = parts.first(where: { $0.name == name }), !part.data.isEmpty else {
                return .html(page.renderForm(message: "请上传修订前和修订后两个文件。"), status: .badRequest)
            }
            let filename = part.filename.flatMap { $0.isEmpty ? nil : $0 } ?? name
            do {
                guard let document = try DocumentLoader.load(
                    data: part.data, source: filename, pathExtension: (filename as NSString).pathExtension,
                    stages: .treeOnly).first else { throw IngestError.empty }
                documents[name] = document
            } catch {
                return .html(page.renderForm(message: "无法读取“\(filename)”：\(error)"), status: .badRequest)
            }
        }
        return .html(ComparePage.renderReport(DocumentDiff.compare(documents["old"]!, documents["new"]!)))
    }

    // MARK: JSON API

    func apiSearch(_ request: Request) throws -> Response {
        let fields = FormFields(urlEncoded: request.uri.query ?? "")
        var form = SearchForm(fields)
        guard !form.query.isEmpty else { return .jsonError("the parameter q (the query) is missing") }
        if let problem = form.filterProblem { return .jsonError(problem) }
        // The API pages by limit and offset, as `plankb query` does.
        let offset = max(0, fields.integer("offset") ?? 0)
        form.page = 1
        var searchRequest: SearchRequest
        do {
            searchRequest = try form.request()
        } catch {
            return .jsonError(error.message, column: error.column)
        }
        searchRequest.offset = offset
        do {
            return .json(HitsJSON.encode(HitsJSON(query: form.query, hits: try knowledgeBase.searchExpandingAbbreviations(searchRequest))))
        } catch {
            Self.log("api search \(form.query): \(error)")
            return .jsonError("the search could not be completed", status: .internalServerError)
        }
    }

    func statistics(_ request: Request) throws -> Response {
        let fields = FormFields(urlEncoded: request.uri.query ?? "")
        return .html(try StatisticsPage(knowledgeBase: knowledgeBase, terms: StatisticsPage.terms(from: fields["terms"])).render())
    }

    /// `/statistics/{chart}.csv`: a chart's numbers.
    func statisticsCSV(_ request: Request, chart name: String?) throws -> Response {
        guard let name, name.hasSuffix(".csv"), let chart = StatisticsPage.Chart(rawValue: String(name.dropLast(4))) else {
            return .html(HTML.page(title: "未找到", body: HTML.message("没有这个图表。")), status: .notFound)
        }
        let fields = FormFields(urlEncoded: request.uri.query ?? "")
        let page = try StatisticsPage(knowledgeBase: knowledgeBase, terms: StatisticsPage.terms(from: fields["terms"]))
        return Response(status: .ok, headers: [
            .contentType: "text/csv; charset=utf-8",
            .contentDisposition: "attachment; filename=\"\(chart.rawValue).csv\"",
        ], body: .init(byteBuffer: ByteBuffer(string: page.csv(chart))))
    }

    func apiDocuments() throws -> Response {
        .json(HitsJSON.encode(DocumentsJSON(documents: try knowledgeBase.documents())))
    }

    func apiDocument(key encodedKey: String?) throws -> Response {
        guard let key = Self.decodeKey(encodedKey), let document = try knowledgeBase.document(withKey: key) else {
            return .jsonError("no document with this key", status: .notFound)
        }
        return .json(HitsJSON.encode(DocumentJSON(document)))
    }

    func apiRecords(_ request: Request, key encodedKey: String?) throws -> Response {
        guard let key = Self.decodeKey(encodedKey), let document = try knowledgeBase.document(withKey: key) else {
            return .jsonError("no document with this key", status: .notFound)
        }
        let fields = FormFields(urlEncoded: request.uri.query ?? "")
        let table = RecordTable(records: document.records,
                                sort: fields["sort"].flatMap(RecordTable.Column.init(rawValue:)) ?? .node,
                                descending: fields["order"] == "desc")
        if fields["format"] == "csv" {
            let filename = Self.downloadName(for: document) + "-records.csv"
            return Response(status: .ok, headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"records.csv\"; filename*=UTF-8''" + HTML.pathSegment(filename),
            ], body: .init(byteBuffer: ByteBuffer(string: table.csv(documentKey: key))))
        }
        return .json(HitsJSON.encode(RecordsJSON(documentKey: key, records: table.sorted.map(RecordJSON.init))))
    }

    func apiDiff(_ request: Request) throws -> Response {
        let fields = FormFields(urlEncoded: request.uri.query ?? "")
        guard let oldKey = fields["old"], let newKey = fields["new"] else {
            return .jsonError("give the two documents' keys as old=… and new=…")
        }
        guard let old = try knowledgeBase.document(withKey: oldKey) else { return .jsonError("no document \(oldKey)", status: .notFound) }
        guard let new = try knowledgeBase.document(withKey: newKey) else { return .jsonError("no document \(newKey)", status: .notFound) }
        return .json(HitsJSON.encode(DocumentDiff.compare(old.planDocument, new.planDocument)))
    }

    // MARK: Helpers

    /// The record types present, for the search form's select (read once per page; the list is short).
    var recordTypes: [String] { Record.RecordType.allCases.map(\.rawValue) }

    /// A document key from its path segment (percent-encoded, `/` as `%2F`).
    static func decodeKey(_ segment: String?) -> String? {
        guard let segment, !segment.isEmpty else { return nil }
        return segment.removingPercentEncoding ?? segment
    }

    /// The file name part of a document's source, for downloads.
    static func downloadName(for document: StoredDocument) -> String {
        let name = (document.summary.key as NSString).lastPathComponent
        return (name as NSString).deletingPathExtension.isEmpty ? "document" : (name as NSString).deletingPathExtension
    }

    /// A query's syntax error in words, with the query and a caret under the column.
    static func describe(_ error: SearchQuerySyntaxError, in query: String) -> String {
        "检索式有误（第 \(error.column) 个字符）：\(error.message)。检索式：\(query)"
    }

    static func log(_ message: String) {
        FileHandle.standardError.write(Data("plankb serve: \(message)\n".utf8))
    }
}

/// The list of indexed documents, newest last, each linking to its page.
struct DocumentList {
    var documents: [DocumentSummary]

    func render() -> String {
        guard !documents.isEmpty else { return HTML.message("知识库中还没有文件：先运行 plankb index。", kind: "info") }
        var html = "<table class=\"data documents\"><thead><tr><th>标题</th><th>发文机关</th><th>日期</th><th>记录</th></tr></thead><tbody>\n"
        for document in documents {
            html += "<tr><td><a href=\"\(HTML.documentPath(document.key))\">\(HTML.escape(document.title ?? document.key))</a></td>"
            html += "<td>\(HTML.escape(document.issuer ?? ""))</td><td>\(HTML.escape(document.date ?? ""))</td>"
            html += "<td>\(document.recordCount)</td></tr>\n"
        }
        return html + "</tbody></table>\n"
    }
}

/// `/api/documents`.
struct DocumentsJSON: Encodable {
    var documents: [DocumentSummary]
}

/// `/api/documents/{id}`: summary, metadata and the tree.
struct DocumentJSON: Encodable {
    var document: DocumentSummary
    var metadata: Metadata
    var root: Node

    init(_ stored: StoredDocument) {
        document = stored.summary
        metadata = stored.metadata
        root = stored.root
    }
}

/// `/api/documents/{id}/records`.
struct RecordsJSON: Encodable {
    var documentKey: String
    var records: [RecordJSON]
}

/// An API error: `{"error": "…", "column": n}`.
struct ErrorJSON: Encodable {
    var error: String
    var column: Int?
}

extension Response {
    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func jsonError(_ message: String, column: Int? = nil, status: HTTPResponse.Status = .badRequest) -> Response {
        .json(HitsJSON.encode(ErrorJSON(error: message, column: column)), status: status)
    }
}
