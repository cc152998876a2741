import Foundation
import Testing

/// `plankb mcp` driven by a real MCP client — the official Python SDK (PyPI `mcp`, installed by .ci/setup) —
/// over stdio, on a knowledge base the binary builds from corpus documents.
@Suite struct MCPServerTests {
    static let python = "/usr/bin/env"

    /// Whether python3 can import the `mcp` package.
    static let clientInstalled: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["python3", "-c", "import mcp.client.stdio"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// Skipped only where the client is missing and this is not CI (CI installs it: it must not skip there).
    static let runs = clientInstalled || ProcessInfo.processInfo.environment["CI"] != nil

    /// The documents every session runs over: a plan, a State Council page and a law, with records.
    static let sources = ["corpus/plans/shenyang-ftz-plan-2021.txt", "corpus/govcn-2019/05.html",
                          "corpus/laws/law-hainan-ftp-2021/hainan-free-trade-port-law-2021.md"]

    /// One client session over a SQLite file the binary indexes from `sources`: the client's report as JSON
    /// bytes (a dictionary is not Sendable), with the database's path added.
    static let report: Result<Data, any Error> = Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plankb-mcp-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = folder.appendingPathComponent("kb.sqlite").path
        let object = try clientReport(on: database)
        return try JSONSerialization.data(withJSONObject: object.merging(["database": database]) { first, _ in first })
    }

    /// Indexes `sources` into `database` (a file or a PostgreSQL URL) with the binary, then runs one session of
    /// the official client against `plankb mcp --db database` and returns what it reported.
    static func clientReport(on database: String) throws -> [String: Any] {
        let index = try CLI.run(["index"] + sources + ["--db", database, "--quiet"])
        guard index.status == 0 else { throw Failure("index failed: \(index.stderr)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["python3", CLI.repositoryURL.appendingPathComponent("Tests/MCPClient/mcp_session.py").path,
                             CLI.binaryURL.path, database]
        process.currentDirectoryURL = CLI.repositoryURL
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        final class Collected: @unchecked Sendable { var data = Data() }
        let collected = Collected()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            collected.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure("the MCP client exited with \(process.terminationStatus): \(String(decoding: collected.data, as: UTF8.self))")
        }
        guard let object = try JSONSerialization.jsonObject(with: output) as? [String: Any] else {
            throw Failure("the MCP client printed no JSON object: \(String(decoding: output, as: UTF8.self))")
        }
        return object
    }

    struct Failure: Error, CustomStringConvertible { var description: String; init(_ text: String) { description = text } }

    func session() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Self.report.get()) as? [String: Any])
    }

    func tool(_ name: String, in report: [String: Any]) throws -> [String: Any] {
        try #require(report[name] as? [String: Any], "no \(name) in the report")
    }

    @Test(.enabled(if: runs, "python3 -m pip install mcp to run it"))
    func theClientListsFourToolsWithSchemasAndDescriptions() throws {
        let report = try session()
        let tools = try #require(report["tools"] as? [[String: Any]])
        #expect(Set(tools.map { $0["name"] as? String ?? "" }) == ["search", "read_node", "records", "documents"])
        for tool in tools {
            let schema = try #require(tool["inputSchema"] as? [String: Any])
            #expect(schema["type"] as? String == "object")
            #expect(((tool["description"] as? String) ?? "").count > 150, "\(tool["name"] ?? "") teaches too little")
        }
        let search = try #require(tools.first { $0["name"] as? String == "search" })
        #expect(((search["inputSchema"] as? [String: Any])?["required"] as? [String]) == ["query"])
        #expect((search["description"] as? String ?? "").contains("电商 finds 跨境电商"))
    }

    @Test(.enabled(if: runs, "python3 -m pip install mcp to run it"))
    func searchForCrossBorderECommerceCitesDocumentNodeAndPath() throws {
        let report = try session()
        let search = try tool("search", in: report)
        #expect(search["isError"] as? Bool == false)
        let hits = try #require((search["structured"] as? [String: Any])?["hits"] as? [[String: Any]])
        #expect(hits.count >= 5)
        for hit in hits {
            #expect((hit["match"] as? String ?? "").contains("«"), "a hit without its match marked: \(hit)")
            #expect(((hit["text"] as? String) ?? "").contains("跨境电商") || ((hit["path"] as? String) ?? "").contains("跨境电商"))
        }
        // The clause the plan's first chapter names, with the path and citation an answer quotes.
        let plan = "corpus/plans/shenyang-ftz-plan-2021.txt"
        let hit = try #require(hits.first { $0["documentKey"] as? String == plan && ($0["nodeID"] as? String ?? "").hasPrefix("chp_1__sec_1__para_4") },
                               "no hit in 第一章第一节 段4 of the plan: \(hits.map { $0["nodeID"] ?? "" })")
        #expect(hit["documentTitle"] as? String == "沈阳市“十四五”中国(辽宁)自由贸易试验区沈阳片区发展规划")
        #expect((hit["path"] as? String ?? "").hasPrefix("第一章 “十三五”时期创新试验情况 › 第一节 沈阳片区成立以来主要工作成效 › "))
        #expect((hit["citation"] as? String ?? "").hasPrefix("《沈阳市“十四五”中国(辽宁)自由贸易试验区沈阳片区发展规划》第一章第一节"))
        // The same hits as `plankb query --json`, in the same order.
        let cli = try CLI.run(["query", "跨境电商", "--db", report["database"] as! String, "--limit", "20", "--json"])
        let cliHits = try #require((try JSONSerialization.jsonObject(with: cli.stdoutData) as? [String: Any])?["hits"] as? [[String: Any]])
        #expect(cliHits.map { "\($0["documentKey"]!)#\($0["nodeID"]!)" } == hits.map { "\($0["documentKey"]!)#\($0["nodeID"]!)" })
        #expect(cliHits.map { $0["path"] as? String } == hits.map { $0["path"] as? String })
        // The text an agent reads names the citation too.
        let text = search["text"] as? String ?? ""
        #expect(text.contains("《沈阳市“十四五”中国(辽宁)自由贸易试验区沈阳片区发展规划》第一章第一节"))
        #expect(text.contains("node_id: chp_1__sec_1__para_4"))
    }

    @Test(.enabled(if: runs, "python3 -m pip install mcp to run it"))
    func readNodeGivesTheHitsTextPathAndNeighbours() throws {
        let report = try session()
        let read = try tool("read_node", in: report)
        #expect(read["isError"] as? Bool == false, "\(read["text"] ?? "")")
        let asked = try #require(read["asked"] as? [String: Any])
        let node = try #require(read["structured"] as? [String: Any])
        #expect(node["nodeID"] as? String == asked["nodeID"] as? String)
        #expect(node["path"] as? String == asked["path"] as? String)
        #expect(node["text"] as? String == asked["text"] as? String)
        #expect((node["text"] as? String ?? "").contains("跨境电商"))
        let neighbours = ((node["before"] as? [Any]) ?? []) + ((node["after"] as? [Any]) ?? [])
        #expect(!neighbours.isEmpty, "no context around \(asked["nodeID"] ?? "")")

        let chapter = try tool("read_children", in: report)
        let children = try #require((chapter["structured"] as? [String: Any])?["children"] as? [[String: Any]])
        #expect(children.map { $0["nodeID"] as? String } == ["chp_1__para_1", "chp_1__sec_1", "chp_1__sec_2", "chp_1__sec_3"])
        #expect(children[1]["title"] as? String == "第一节 沈阳片区成立以来主要工作成效")

        let resource = try #require(report["resource_node"] as? [String])
        #expect(resource.count == 1 && resource[0].contains("第一章第一节") && resource[0].contains("建立健全体制机制"))
    }

    @Test(.enabled(if: runs, "python3 -m pip install mcp to run it"))
    func recordsComeWithQuantitiesYearsAndCitations() throws {
        let report = try session()
        let records = try tool("records", in: report)
        #expect(records["isError"] as? Bool == false, "\(records["text"] ?? "")")
        let items = try #require((records["structured"] as? [String: Any])?["records"] as? [[String: Any]])
        #expect(items.count >= 5)
        for item in items {
            let record = try #require(item["record"] as? [String: Any])
            #expect(record["type"] as? String == "achievement")
            #expect(item["documentKey"] as? String == "corpus/plans/shenyang-ftz-plan-2021.txt")
            #expect((item["citation"] as? String ?? "").hasPrefix("《沈阳市"))
        }
        let withQuantity = items.compactMap { ($0["record"] as? [String: Any])?["quantity"] as? [String: Any] }
        #expect(!withQuantity.isEmpty && withQuantity.allSatisfy { $0["value"] is NSNumber && $0["unit"] is String })
        #expect(items.contains { ($0["record"] as? [String: Any])?["year"] is Int })

        let byQuery = try tool("records_query", in: report)
        let found = try #require((byQuery["structured"] as? [String: Any])?["records"] as? [[String: Any]])
        #expect(!found.isEmpty && found.allSatisfy { (($0["record"] as? [String: Any])?["text"] as? String ?? "").isEmpty == false })

        let documents = try tool("documents", in: report)
        let list = try #require((documents["structured"] as? [String: Any])?["documents"] as? [[String: Any]])
        #expect(Set(list.compactMap { $0["key"] as? String }) == [
            "corpus/plans/shenyang-ftz-plan-2021.txt", "corpus/govcn-2019/05.html",
            "corpus/laws/law-hainan-ftp-2021/hainan-free-trade-port-law-2021.md",
        ])
    }

    @Test(.enabled(if: runs, "python3 -m pip install mcp to run it"))
    func badCallsAreToolErrorsWithTheCLIsMessagesAndTheServerCarriesOn() throws {
        let report = try session()
        let database = report["database"] as! String
        let bad = try tool("bad_query", in: report)
        #expect(bad["isError"] as? Bool == true)
        let cli = try CLI.run(["query", "跨境电商 AND (金融", "--db", database])
        #expect(cli.status == 2)
        let cliMessage = try #require(cli.stderr.split(separator: "\n").first).replacingOccurrences(of: "plankb: ", with: "")
        #expect(cliMessage.contains("column"))
        #expect((bad["text"] as? String ?? "").hasPrefix(cliMessage), "\(bad["text"] ?? "") vs \(cliMessage)")

        let unknown = try tool("unknown_document", in: report)
        #expect(unknown["isError"] as? Bool == true)
        let chunks = try CLI.run(["chunks", "--db", database, "--doc", "no/such.txt"])
        #expect(chunks.status != 0)
        #expect(chunks.stderr.contains(unknown["text"] as? String ?? "?"), "\(chunks.stderr) vs \(unknown["text"] ?? "")")

        let node = try tool("unknown_node", in: report)
        #expect(node["isError"] as? Bool == true)
        #expect((node["text"] as? String ?? "").contains("no node chp_99 in corpus/plans/shenyang-ftz-plan-2021.txt"))

        // A misspelt filter is refused, not ignored (which would have searched every kind).
        let misspelt = try tool("misspelt_argument", in: report)
        #expect(misspelt["isError"] as? Bool == true)
        let misspeltText = misspelt["text"] as? String ?? ""
        #expect(misspeltText.hasPrefix("unknown argument “kinds”; this tool takes ") && misspeltText.contains("kind, limit"), "\(misspeltText)")

        let unknownType = try tool("unknown_type", in: report)
        #expect(unknownType["isError"] as? Bool == true)
        #expect((unknownType["text"] as? String ?? "").hasPrefix("unknown type 'targt'; one of: target, achievement"), "\(unknownType)")
        let noDate = try tool("no_date", in: report)
        #expect(noDate["isError"] as? Bool == true)
        #expect((noDate["text"] as? String ?? "") == "“published_after” 2020-13 is no date; give YYYY, YYYY-MM or YYYY-MM-DD", "\(noDate)")

        let after = try tool("after_errors", in: report)
        #expect(after["isError"] as? Bool == false)
        #expect(((after["structured"] as? [String: Any])?["hits"] as? [Any])?.count == 1)
    }

    /// The same session on a PostgreSQL database holding the same documents (the test server of
    /// `.ci/with-postgres.sh`) reports exactly what it reports on SQLite: tools, hits in order with their
    /// scores and snippets, nodes, records, resources and the errors' wording.
    @Test(.enabled(if: runs && PostgresCommandTests.enabled, "needs the mcp client and PLANKB_TEST_POSTGRES_URL"))
    func theSameSessionOnPostgreSQLReportsWhatItReportsOnSQLite() throws {
        var onSQLite = try session()
        onSQLite["database"] = nil
        let server = try PostgresCommandTests.Server()
        let postgres = server.url(database: try server.scratchDatabase())
        let onPostgres = try Self.clientReport(on: postgres)
        #expect(((onPostgres["search"] as? [String: Any])?["structured"] as? [String: Any])?["hits"] != nil)
        #expect(Set(onPostgres.keys) == Set(onSQLite.keys))
        // Part by part, so that a failure names the call that was answered differently.
        for key in Set(onSQLite.keys).union(onPostgres.keys).sorted() {
            let sqliteJSON = try JSONSerialization.data(withJSONObject: onSQLite[key] ?? NSNull(), options: [.sortedKeys, .fragmentsAllowed])
            let postgresJSON = try JSONSerialization.data(withJSONObject: onPostgres[key] ?? NSNull(), options: [.sortedKeys, .fragmentsAllowed])
            #expect(String(decoding: postgresJSON, as: UTF8.self) == String(decoding: sqliteJSON, as: UTF8.self), "\(key)")
        }
    }
}
