import Foundation
import Testing

/// Runs the built `plankb` binary as a user would, and checks what it prints and how it exits.
struct CLI {
    static let repositoryURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary next to the test bundle (SwiftPM builds it because the test target depends on it), or the one
    /// `PLANKB_TEST_BINARY` names — to run these tests against a release build as shipped
    /// (`PLANKB_TEST_BINARY=$PWD/.build/release/plankb swift test --filter PlankbCLITests`).
    static let binaryURL: URL = {
        if let path = ProcessInfo.processInfo.environment["PLANKB_TEST_BINARY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        var directory = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("plankb")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return repositoryURL.appendingPathComponent(".build/debug/plankb")
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutData: Data
    }

    /// `environment`: variables set for the child on top of this process's.
    static func run(_ arguments: [String], input: Data? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = binaryURL
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.currentDirectoryURL = repositoryURL
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let inputPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
        try process.run()
        if let input {
            inputPipe.fileHandleForWriting.write(input)
            try inputPipe.fileHandleForWriting.close()
        }
        // Read both pipes before waiting, so a large output cannot fill a pipe and block the child.
        final class Collected: @unchecked Sendable { var data = Data() }
        let collected = Collected()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            collected.data = out.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let stdoutData = collected.data
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrData, as: UTF8.self), stdoutData: stdoutData)
    }

    static func temporaryFile(_ name: String, _ data: Data) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("plankb-cli-tests-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }
}

struct ParseCommandTests {
    @Test func jsonOutputValidatesAgainstTheSchema() throws {
        let validator = try JSONSchemaValidator(schemaAt: CLI.repositoryURL.appendingPathComponent("schemas/document.schema.json"))
        for path in ["corpus/plans/shenyang-ftz-plan-2021.txt", "corpus/laws/law-company-2018-2023/company-law-2023.md",
                     "corpus/laws/law-animal-epidemic-1997-2021-drafts/draft_2.txt"] {
            let result = try CLI.run(["parse", path, "--format", "json"])
            #expect(result.status == 0, "\(path): \(result.stderr)")
            let json = try JSONSerialization.jsonObject(with: result.stdoutData)
            let problems = validator.validate(json)
            #expect(problems.isEmpty, "\(path): \(problems.prefix(5))")
        }
        // A JSON Lines input gives one document a line, each valid.
        let reports = try CLI.run(["parse", "corpus/reports/government-work-reports-2021-2025.jsonl"])
        let lines = reports.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        for line in lines {
            let problems = validator.validate(try JSONSerialization.jsonObject(with: Data(line.utf8)))
            #expect(problems.isEmpty, "\(problems.prefix(5))")
        }
    }

    @Test func schemaValidatorCatchesAWrongDocument() throws {
        let validator = try JSONSchemaValidator(schemaAt: CLI.repositoryURL.appendingPathComponent("schemas/document.schema.json"))
        let wrong: [String: Any] = ["metadata": ["title": 3], "root": ["id": "chp_1", "kind": "chapterx"], "diagnostics": []]
        let problems = validator.validate(wrong)
        #expect(problems.contains { $0.contains("$.metadata.title") })
        #expect(problems.contains { $0.contains("$.root.kind") })
        #expect(problems.contains { $0.contains("missing required “span”") })
    }

    @Test func treeFormatShowsIdsAndSpans() throws {
        let result = try CLI.run(["parse", "corpus/plans/shenyang-ftz-plan-2021.txt", "--format", "tree", "--no-clauses"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("chp_5__sec_4 section 4 「第四节」 跨境电商 @225:1-"))
        // The one warning goes to standard error in the path:line:column form.
        #expect(result.stderr.contains("corpus/plans/shenyang-ftz-plan-2021.txt:329:162: warning: paragraph ends mid-sentence"))
    }

    @Test func readsStandardInput() throws {
        let text = Data("第一章 总则\n第一条 为了规范，制定本法。\n第二条 本法适用于境内。\n第三条 本法自公布之日起施行。\n".utf8)
        let result = try CLI.run(["parse", "-", "--format", "tree"], input: text)
        #expect(result.status == 0)
        #expect(result.stdout.contains("art_3 article 3"))
    }

    @Test func markdownAndTextFormats() throws {
        let markdown = try CLI.run(["parse", "corpus/laws/law-hainan-ftp-2021/hainan-free-trade-port-law-2021.md", "-f", "markdown"])
        #expect(markdown.stdout.hasPrefix("---\ntitle: \"中华人民共和国海南自由贸易港法\"\n"))
        #expect(markdown.stdout.contains("<a id=\"chp_1\"></a>第一章 总则"))
        let text = try CLI.run(["parse", "corpus/plans/shenyang-ftz-plan-2021.txt", "-f", "text"])
        #expect(text.stdout.contains("第四节跨境电商"))
        #expect(!text.stdout.contains("打印"))
    }

    @Test func usageErrorsExitWithTwo() throws {
        let unknownFormat = try CLI.run(["parse", "corpus/plans/shenyang-ftz-plan-2021.txt", "--format", "pdf"])
        #expect(unknownFormat.status == 2)
        #expect(unknownFormat.stderr.contains("pdf"))
        let missing = try CLI.run(["parse"])
        #expect(missing.status == 2)
    }

    @Test func helpTeaches() throws {
        let help = try CLI.run(["parse", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Examples:"))
        #expect(help.stdout.contains("path:line:column"))
    }

    /// Hostile inputs: each ends in a result or one clear error line, never a crash or a hang.
    @Test func hostileInputs() throws {
        let empty = try CLI.run(["parse", try CLI.temporaryFile("empty.txt", Data()).path])
        #expect(empty.status == 1)
        #expect(empty.stderr.hasSuffix("empty.txt: error: the input is empty\n"))
        #expect(empty.stderr.split(separator: "\n").count == 1)

        var binary = Data([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00])
        binary.append(Data(repeating: 0, count: 64))
        let binaryResult = try CLI.run(["parse", try CLI.temporaryFile("program.bin", binary).path])
        #expect(binaryResult.status == 1)
        #expect(binaryResult.stderr.contains("binary"))
        #expect(binaryResult.stderr.split(separator: "\n").count == 1)

        let missing = try CLI.run(["parse", "no/such/file.txt"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("no/such/file.txt: error: the input cannot be read"))

        let text = "第一章 总则\n第一条 为了规范公司的组织和行为，制定本法。\n"
        let utf16 = Data([0xFF, 0xFE]) + text.data(using: .utf16LittleEndian)!
        let utf16Result = try CLI.run(["parse", try CLI.temporaryFile("utf16.txt", utf16).path, "-f", "tree"])
        #expect(utf16Result.status == 0)
        #expect(utf16Result.stdout.contains("art_1 article 1"))

        let gb = "第一章 总则\n第一条 朱镕基同志指出，制定本法。\n".data(using: String.Encoding(rawValue: 0x8000_0632))!
        let gbResult = try CLI.run(["parse", try CLI.temporaryFile("gb.txt", gb).path])
        #expect(gbResult.status == 0)
        #expect(gbResult.stdout.contains("朱镕基"))
        #expect(gbResult.stdout.contains("\"encoding\" : \"GB18030\""))

        let truncated = Data("第一章 总则\n第一条 为了规范公司的组织和行为。".utf8).dropLast(1)
        let truncatedResult = try CLI.run(["parse", try CLI.temporaryFile("cut.txt", truncated).path])
        #expect(truncatedResult.status == 0)
        #expect(truncatedResult.stderr.contains("ingest.truncated-character"))
    }

    /// A 50 MB text (the Shenyang plan over and over) parses in one piece.
    @Test func fiftyMegabytes() throws {
        let plan = try Data(contentsOf: CLI.repositoryURL.appendingPathComponent("corpus/plans/shenyang-ftz-plan-2021.txt"))
        var big = Data()
        big.reserveCapacity(52_000_000)
        while big.count < 50_000_000 { big.append(plan) }
        let result = try CLI.run(["parse", try CLI.temporaryFile("big.txt", big).path, "-f", "tree", "--no-clauses", "-q"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("chp_9"))
    }
}

struct FormatDetectionTests {
    /// A UTF-16 page saved without an .html extension is still read as HTML (its tags are not text).
    @Test func utf16HTMLWithoutExtension() throws {
        let page = "<html><head><title>测试页面</title></head><body><p>第一章 总则</p><p>第一条 为了规范，制定本法。</p></body></html>"
        let data = Data([0xFF, 0xFE]) + page.data(using: .utf16LittleEndian)!
        let result = try CLI.run(["parse", try CLI.temporaryFile("page-utf16.dat", data).path, "-f", "text"])
        #expect(result.status == 0)
        #expect(!result.stdout.contains("<p>"))
        #expect(result.stdout.contains("第一条 为了规范，制定本法。"))
    }
}
