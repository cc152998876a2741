import Foundation
import MCP
import PlanIndex
import PlanKit

/// `plankb mcp`: a Model Context Protocol server over standard input and output that lets an agent search
/// and read a knowledge base — tools `search`, `read_node`, `records`, `documents` and resources
/// `plankb://doc/KEY` (a document as Markdown) and `plankb://doc/KEY#NODE` (one node's text).
///
/// It only reads, through `KnowledgeBase`, so it serves any backend. A bad call (a malformed query, an
/// unknown document or node, a wrong argument) is a tool error with the CLI's message, never a crash.
public enum PlanKBServer {
    public static let instructions = """
        PlanKB holds Chinese policy documents (plans, programmes, opinions, laws, government work reports) \
        segmented into chapters, sections, articles, paragraphs and clauses with stable node ids. To answer a \
        question: search with short Chinese key terms, read_node a hit for its full text and context, records \
        for targets and figures, documents for what is there. Cite every claim with the hit's citation \
        (《title》第五章第四节) and node id; do not cite what no tool returned.
        """

    /// Serves `knowledgeBase` on standard input and output until the client closes the connection.
    public static func run(_ knowledgeBase: any KnowledgeBase, version: String) async throws {
        let server = try await start(knowledgeBase, version: version, transport: StdioTransport())
        await server.waitUntilCompleted()
    }

    /// A server for `knowledgeBase`, started on `transport`.
    public static func start(_ knowledgeBase: any KnowledgeBase, version: String, transport: any Transport) async throws -> Server {
        let library = Library(knowledgeBase)
        let server = Server(
            name: "plankb", version: version, title: "PlanKB", instructions: instructions,
            capabilities: .init(resources: .init(subscribe: false, listChanged: false), tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in
            .init(tools: PlanKBTools.all.map { $0.definition })
        }
        await server.withMethodHandler(CallTool.self) { parameters in
            callTool(parameters.name, arguments: parameters.arguments, library: library)
        }
        await server.withMethodHandler(ListResources.self) { _ in
            let documents = try knowledgeBase.documents()
            return .init(resources: documents.map { document in
                Resource(name: document.title ?? document.key, uri: DocumentURI.string(key: document.key),
                         description: [document.date, document.issuer, document.documentNumber].compactMap { $0 }.joined(separator: " · "),
                         mimeType: "text/markdown")
            }, nextCursor: nil)
        }
        await server.withMethodHandler(ListResourceTemplates.self) { _ in
            .init(templates: [
                Resource.Template(uriTemplate: "plankb://doc/{key}", name: "document",
                                  description: "A document as Markdown, headings with node ids as anchors; the key percent-encoded (/ as %2F).",
                                  mimeType: "text/markdown"),
                Resource.Template(uriTemplate: "plankb://doc/{key}#{node}", name: "node",
                                  description: "One node's text with its path and citation.", mimeType: "text/plain"),
            ])
        }
        await server.withMethodHandler(ReadResource.self) { parameters in
            try readResource(parameters.uri, library: library)
        }
        try await server.start(transport: transport)
        return server
    }

    /// Runs one tool; whatever goes wrong becomes an error result, so the server carries on.
    static func callTool(_ name: String, arguments: [String: Value]?, library: Library) -> CallTool.Result {
        guard let tool = PlanKBTools.tool(named: name) else {
            return .init(content: [.text(text: "unknown tool \(name); the tools are "
                                         + PlanKBTools.all.map { $0.definition.name }.joined(separator: ", "),
                                         annotations: nil, _meta: nil)], isError: true)
        }
        do {
            let output = try tool.call(try ToolArguments(arguments, accepting: tool.definition.inputSchema), library: library)
            return .init(content: [.text(text: output.text, annotations: nil, _meta: nil)],
                         structuredContent: output.structured, isError: false)
        } catch {
            return .init(content: [.text(text: "\(error)", annotations: nil, _meta: nil)], isError: true)
        }
    }

    static func readResource(_ uri: String, library: Library) throws -> ReadResource.Result {
        guard let (key, node) = DocumentURI.parse(uri) else {
            throw MCPError.invalidParams("not a PlanKB resource: \(uri); use plankb://doc/KEY or plankb://doc/KEY#NODE")
        }
        do {
            let document = try library.document(key)
            if let node {
                let output = try ReadNodeTool.call(ToolArguments(["document_key": .string(key), "node_id": .string(node),
                                                                  "context": .int(0)]), library: library)
                return .init(contents: [.text(output.text, uri: uri, mimeType: "text/plain")])
            }
            return .init(contents: [.text(MarkdownRenderer.render(document.stored.planDocument), uri: uri, mimeType: "text/markdown")])
        } catch let error as ToolError {
            throw MCPError.invalidParams(error.description)
        }
    }
}

/// `plankb://doc/KEY` and `plankb://doc/KEY#NODE`, the key percent-encoded so that its slashes stay in one
/// segment (as the web interface's `/documents/{key}`).
enum DocumentURI {
    static let prefix = "plankb://doc/"

    static func string(key: String, node: String? = nil) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/#?%")
        let encoded = key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key
        return prefix + encoded + (node.map { "#" + $0 } ?? "")
    }

    static func parse(_ uri: String) -> (key: String, node: String?)? {
        guard uri.hasPrefix(prefix) else { return nil }
        let rest = uri.dropFirst(prefix.count)
        let parts = rest.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, let key = String(first).removingPercentEncoding, !key.isEmpty else { return nil }
        let node = parts.count > 1 && !parts[1].isEmpty ? String(parts[1]) : nil
        return (key, node)
    }
}
