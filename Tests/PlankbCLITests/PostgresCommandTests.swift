import Foundation
import Testing

/// The commands against a real PostgreSQL server (`PLANKB_TEST_POSTGRES_URL`, started by `.ci/with-postgres.sh`):
/// the same answers as from a SQLite file, two index processes at once, and clear one-line errors that never
/// show a password. Skipped without a server, except in CI, where a missing server fails.
@Suite struct PostgresCommandTests {
    static let url = ProcessInfo.processInfo.environment["PLANKB_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let enabled = url != nil || ProcessInfo.processInfo.environment["CI"] == "true"

    struct Server {
        var host: String
        var port: Int
        var user: String
        var password: String

        init() throws {
            let url = try #require(PostgresCommandTests.url, "CI=true but PLANKB_TEST_POSTGRES_URL is not set (run through .ci/with-postgres.sh)")
            let components = try #require(URLComponents(string: url))
            host = try #require(components.host)
            port = components.port ?? 5432
            user = components.user ?? "postgres"
            password = components.password ?? ""
        }

        func url(database: String, password: String? = nil) -> String {
            "postgres://\(user):\(password ?? self.password)@\(host):\(port)/\(database)"
        }

        /// A new, empty database, made with psql (the password in its environment, not on its command line).
        func scratchDatabase() throws -> String {
            let name = "plankb_cli_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
            process.arguments = ["-q", "-h", host, "-p", String(port), "-U", user, "-d", "postgres", "-c", "CREATE DATABASE \(name)"]
            process.environment = ["PGPASSWORD": password, "PATH": "/usr/bin:/bin"]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            return name
        }
    }

    /// Starts the binary without waiting (for running two at once); the knowledge base in `PLANKB_DB`.
    func start(_ arguments: [String], database: String?, output: Pipe? = nil) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = CLI.binaryURL
        process.arguments = arguments
        process.currentDirectoryURL = CLI.repositoryURL
        var environment = ProcessInfo.processInfo.environment
        environment["PLANKB_DB"] = database
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = output ?? FileHandle.nullDevice
        try process.run()
        return (process, errors)
    }

    static let sources = ["corpus/plans", "corpus/laws/law-company-2018-2023", "corpus/reports", "corpus/govcn-2019"]

    @Test(.enabled(if: enabled))
    func queriesAndKwicLinesFromPostgreSQLAreThoseFromSQLite() throws {
        let server = try Server()
        let postgres = server.url(database: try server.scratchDatabase())
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plankb-pg-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let sqlite = folder.appendingPathComponent("kb.sqlite").path
        for database in [sqlite, postgres] {
            let index = try CLI.run(["index"] + Self.sources + ["--db", database, "--quiet"])
            #expect(index.status == 0, "\(index.stderr)")
            #expect(!index.stderr.contains(server.password))
        }
        for arguments in [["query", "跨境电商", "--csv", "--limit", "50"], ["query", "发展", "--json", "--limit", "30", "--offset", "10"],
                          ["query", "金融 -贸易", "--kind", "article", "--csv"], ["query", "\"营商 环境\" OR RCEP", "--csv"],
                          ["query", "营商环境", "--count-by", "doc"], ["query", "就业", "--type", "target", "--from", "2021", "--json"],
                          ["query", "改革", "--count-by", "chapter"], ["query", "公司", "--issuer", "国务院", "--csv"],
                          ["kwic", "电商", "--width", "12"], ["kwic", "就业", "--json", "--limit", "40"]] {
            let fromSQLite = try CLI.run(arguments + ["--db", sqlite])
            let fromPostgres = try CLI.run(arguments + ["--db", postgres])
            #expect(fromSQLite.status == 0 && fromPostgres.status == 0, "\(fromPostgres.stderr)")
            #expect(!fromSQLite.stdout.isEmpty)
            #expect(fromPostgres.stdout == fromSQLite.stdout, "\(arguments)")
        }
    }

    @Test(.enabled(if: enabled))
    func twoIndexProcessesAtOnceStoreEveryDocumentExactlyOnce() throws {
        let server = try Server()
        let together = server.url(database: try server.scratchDatabase())
        let alone = server.url(database: try server.scratchDatabase())
        let runs = try (0..<2).map { _ in try start(["index", "corpus", "--exclude", "gold", "--no-records", "--quiet"], database: together) }
        for (process, errors) in runs {
            process.waitUntilExit()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0, "\(message)")
        }
        let single = try CLI.run(["index", "corpus", "--exclude", "gold", "--no-records", "--db", alone])
        #expect(single.status == 0, "\(single.stderr)")
        // The same documents, each once: every hit list and count equals the single writer's.
        for arguments in [["query", "发展", "--count-by", "doc"], ["query", "的", "--count-by", "issuer"], ["query", "规划", "--csv", "--limit", "100000"]] {
            let concurrent = try CLI.run(arguments + ["--db", together])
            let reference = try CLI.run(arguments + ["--db", alone])
            #expect(concurrent.status == 0, "\(concurrent.stderr)")
            #expect(Self.tiesInOrder(concurrent.stdout) == Self.tiesInOrder(reference.stdout), "\(arguments)")
        }
        // A third run finds everything in place.
        let again = try CLI.run(["index", "corpus", "--exclude", "gold", "--no-records", "--db", together])
        #expect(again.stderr.contains(" 0 files indexed"), "\(again.stderr)")
    }

    /// Hits of equal score are in the order their documents were stored, which two writers at once make their
    /// own: the lines without their rank, each run of equal scores sorted (the scores come right after the rank).
    static func tiesInOrder(_ csv: String) -> [String] {
        let lines = csv.split(separator: "\r\n").map { line in line.split(separator: ",", maxSplits: 1).last.map(String.init) ?? "" }
        guard lines.count > 1 else { return lines }
        var result = [lines[0]]
        var run: [String] = []
        var score = ""
        for line in lines.dropFirst() {
            let lineScore = String(line.prefix { $0 != "," })
            if lineScore != score { result += run.sorted(); run = []; score = lineScore }
            run.append(line)
        }
        return result + run.sorted()
    }

    @Test(.enabled(if: enabled))
    func aWrongPasswordAMissingDatabaseAndNoServerAreOneLineWithoutThePassword() throws {
        let server = try Server()
        let cases: [(url: String, secret: String, mentions: [String])] = [
            (server.url(database: "postgres", password: "not-the-password-42"), "not-the-password-42", ["\(server.host):\(server.port)", "database postgres"]),
            (server.url(database: "no_such_database"), server.password, ["\(server.host):\(server.port)", "database no_such_database"]),
            ("postgres://\(server.user):\(server.password)@127.0.0.1:1/plankb", server.password, ["127.0.0.1:1", "database plankb"]),
        ]
        for (url, secret, mentions) in cases {
            for arguments in [["query", "发展", "--db", url], ["index", "corpus/plans", "--db", url, "--quiet"]] {
                let result = try CLI.run(arguments)
                #expect(result.status == 1, "\(arguments[0]) \(result.stderr)")
                let lines = result.stderr.split(separator: "\n")
                #expect(lines.count == 1, "\(result.stderr)")
                for mention in mentions { #expect(result.stderr.contains(mention), "\(result.stderr)") }
                #expect(!result.stderr.contains(secret) && !result.stdout.contains(secret))
            }
        }
        // --help never shows the default from PLANKB_DB.
        for command in ["index", "query", "kwic", "serve"] {
            let output = Pipe()
            let (help, errors) = try start([command, "--help"], database: server.url(database: "plankb"), output: output)
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                + String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            help.waitUntilExit()
            #expect(text.contains("--db"))
            #expect(!text.contains(server.password), "\(command) --help")
        }
    }

    /// A URL without a password finds it in the password file psql reads (`PGPASSFILE` here, `~/.pgpass` by
    /// default), and, as with psql, not when the file is readable by others: then the one-line error says where
    /// a password may come from.
    @Test(.enabled(if: enabled))
    func thePasswordComesFromThePasswordFileWhenTheURLHasNone() throws {
        let server = try Server()
        let database = try server.scratchDatabase()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plankb-pgpass-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("pgpass")
        try """
            # other servers first: the first matching line wins
            \(server.host):\(server.port):other_database:\(server.user):wrong
            \(server.host):\(server.port):*:\(server.user):\(server.password.replacingOccurrences(of: ":", with: "\\:"))
            *:*:*:*:wrong-too

            """.write(to: file, atomically: true, encoding: .utf8)
        let url = "postgres://\(server.user)@\(server.host):\(server.port)/\(database)"
        func run(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
            let process = Process()
            process.executableURL = CLI.binaryURL
            process.arguments = arguments + ["--db", url]
            process.currentDirectoryURL = CLI.repositoryURL
            var environment = ProcessInfo.processInfo.environment
            environment["PGPASSWORD"] = nil
            environment["PGPASSFILE"] = file.path
            process.environment = environment
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, message)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        let index = try run(["index", "corpus/plans", "--quiet"])
        #expect(index.status == 0, "\(index.stderr)")
        let query = try run(["query", "跨境电商"])
        #expect(query.status == 0, "\(query.stderr)")

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        let refused = try run(["query", "跨境电商"])
        #expect(refused.status == 1)
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("database \(database)") && refused.stderr.contains("~/.pgpass"), "\(refused.stderr)")
        #expect(!refused.stderr.contains(server.password))
    }
}
