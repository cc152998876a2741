import Foundation
import PlanIngest
import Testing

/// `plankb codebook`, `--codebook`, `agreement`, `terms`, `cooccur` and `convert --to qdpx`, run as a
/// researcher would on real corpus documents.
@Suite struct AnalysisCommandTests {
    static func temporaryFolder(_ name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plankb-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    // MARK: Codebook

    @Test func measuresCarryAnInstrumentAndValidate() throws {
        let validator = try JSONSchemaValidator(schemaAt: RecordsCommandTests.schemaURL)
        let result = try CLI.run(["records", "corpus/govcn-2019/05.html", "--type", "measure", "--code-clauses"])
        #expect(result.status == 0, "\(result.stderr)")
        let objects = try result.stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        for object in objects { #expect(validator.validate(object).isEmpty, "\(validator.validate(object).prefix(3))") }
        // 四（五）19 “支持服务外包”.
        let outsourcing = try #require(objects.first { $0["title"] as? String == "支持服务外包" })
        let instrument = try #require(outsourcing["instrument"] as? [String: Any])
        #expect(instrument["dimension"] as? String == "demand" && instrument["tool"] as? String == "服务外包")
    }

    @Test func anEditedCodebookReplacesTheDefault() throws {
        let folder = try Self.temporaryFolder("codebook")
        let printed = try CLI.run(["codebook"])
        #expect(printed.status == 0)
        #expect(printed.stdout.hasPrefix("dimension,tool,cue,weight\n"))
        #expect(printed.stdout.contains("demand,政府采购,政府采购,3\n"))
        // A codebook of one tool: every coded measure has it, the others none.
        let mine = folder.appendingPathComponent("mine.csv")
        try Data("dimension,tool,cue\n需求型,对外开放,国际\n".utf8).write(to: mine)
        let result = try CLI.run(["records", "corpus/govcn-2019/05.html", "--type", "measure", "--format", "csv", "--codebook", mine.path])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = QueryCommandTests.csvRecords(result.stdout)
        let tool = try #require(rows.first?.firstIndex(of: "tool"))
        #expect(Set(rows.dropFirst().map { $0[tool] }) == ["对外开放", ""])
    }

    @Test func aMalformedCodebookNamesFileLineAndColumn() throws {
        let folder = try Self.temporaryFolder("codebook-bad")
        let bad = folder.appendingPathComponent("bad.csv")
        try Data("dimension,tool,cue,weight\nsupply,人才培养,人才,2\n供给侧,资金投入,资金,1\n".utf8).write(to: bad)
        for command in [["records", "corpus/govcn-2019/05.html"], ["convert", "corpus/govcn-2019/05.html", "--out", folder.appendingPathComponent("out").path],
                        ["index", "corpus/govcn-2019/05.html", "--db", folder.appendingPathComponent("kb.sqlite").path]] {
            let result = try CLI.run(command + ["--codebook", bad.path])
            #expect(result.status == 1, "\(command[0])")
            #expect(result.stderr.contains("\(bad.path):3:1: error: unknown dimension “供给侧”"), "\(result.stderr)")
        }
    }

    // MARK: Agreement

    @Test func agreementOfTheDefaultCodebookWithTheHandCoding() throws {
        let folder = try Self.temporaryFolder("agreement")
        let records = try CLI.run(["records", "corpus/govcn-2019/07.html", "corpus/govcn-2019/08.html", "corpus/govcn-2019/17.html",
                                   "corpus/govcn-2019/13.html", "--type", "measure", "--format", "csv"])
        #expect(records.status == 0, "\(records.stderr)")
        let tool = folder.appendingPathComponent("tool.csv")
        try records.stdoutData.write(to: tool)
        let result = try CLI.run(["agreement", "corpus/gold/instruments/govcn-2019-hand.csv", tool.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("units coded in both: 53\n"), "\(result.stdout)")
        let kappa = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("Cohen's kappa: ") }
            .flatMap { Double($0.dropFirst("Cohen's kappa: ".count)) })
        // README reports this figure; published coders agree at 0.7–0.86.
        #expect(kappa >= 0.70, "\(result.stdout)")
        #expect(result.stdout.contains("法规管制"))
        // The same file against itself agrees entirely.
        let same = try CLI.run(["agreement", tool.path, tool.path, "--level", "dimension"])
        #expect(same.stdout.contains("Cohen's kappa: 1.000"))
    }

    // MARK: Terms and co-occurrence

    static let knowledgeBase: Result<String, any Error> = Result {
        let folder = try temporaryFolder("terms")
        let database = folder.appendingPathComponent("kb.sqlite").path
        let index = try CLI.run(["index", "corpus/plans/shenyang-ftz-plan-2021.txt", "corpus/govcn-2019/05.html",
                                 "corpus/govcn-2019/34.html", "--db", database, "--quiet"])
        guard index.status == 0 else { throw CocoaError(.fileWriteUnknown) }
        return database
    }

    @Test func termsCountEveryOccurrenceWithTheQueryMatching() throws {
        let database = try Self.knowledgeBase.get()
        let result = try CLI.run(["terms", "电商", "跨境电商", "--db", database, "--by", "doc", "--json", "--per", "10000"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]])
        let validator = try JSONSchemaValidator(schemaAt: CLI.repositoryURL.appendingPathComponent("schemas/term-count.schema.json"))
        #expect(validator.validate(rows).isEmpty, "\(validator.validate(rows).prefix(3))")
        func count(_ term: String, _ doc: String) -> Int? {
            rows.first { $0["term"] as? String == term && ($0["doc"] as? String)?.hasSuffix(doc) == true }?["count"] as? Int
        }
        // Every occurrence, not every hit: 电商 includes each 跨境电商, and a paragraph holding the term twice
        // counts twice, so the query's hits are never more than the occurrences.
        #expect(count("电商", "shenyang-ftz-plan-2021.txt")! > count("跨境电商", "shenyang-ftz-plan-2021.txt")!)
        let hits = try CLI.run(["query", "跨境电商", "--db", database, "--count-by", "doc", "--json"])
        let counted = try #require(try JSONSerialization.jsonObject(with: hits.stdoutData) as? [String: Any])
        let groups = try #require(counted["counts"] as? [[String: Any]])
        let planGroup = try #require(groups.first { group in
            let key = group["key"] as? String ?? ""
            return key.contains("沈阳") || key.contains("shenyang")
        })
        let planHits = try #require(planGroup["hits"] as? Int)
        #expect(count("跨境电商", "shenyang-ftz-plan-2021.txt")! > planHits)
        // 05.html 四（五）18: “促进跨境电商发展。支持…开展跨境电商进出口业务，…适用跨境电商零售进口政策。”
        #expect(count("跨境电商", "05.html") == 3)
        #expect(rows.allSatisfy { ($0["chars"] as? Int ?? 0) > 0 && $0["per"] as? Int == 10000 })
        // The query's own hit count for 跨境电商 is at most the occurrences.
        let top = try CLI.run(["terms", "--top", "5", "--db", database, "--csv"])
        #expect(top.status == 0, "\(top.stderr)")
        let topRows = QueryCommandTests.csvRecords(top.stdout)
        #expect(topRows.first == ["term", "count", "chars"])
        #expect(topRows.count == 6)
        #expect(!topRows.dropFirst().contains { $0[0].contains("的") || $0[0] == "进一" })
    }

    @Test func cooccurringWordsWithPMI() throws {
        let database = try Self.knowledgeBase.get()
        let result = try CLI.run(["cooccur", "跨境电商", "--db", database, "--json", "--min-count", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [[String: Any]])
        #expect(!rows.isEmpty)
        let validator = try JSONSchemaValidator(schemaAt: CLI.repositoryURL.appendingPathComponent("schemas/cooccurrence.schema.json"))
        #expect(validator.validate(rows).isEmpty, "\(validator.validate(rows).prefix(3))")
        // No piece of the term from inside an occurrence of it (电商 may still be listed: it stands alone too, as in
        // 农村电商 beside 跨境电商 in one clause), and the counts are consistent with PMI.
        #expect(!rows.contains { ["跨境电商", "跨境", "境电"].contains($0["word"] as? String ?? "") })
        for row in rows {
            let count = Double(row["count"] as! Int), word = Double(row["wordClauses"] as! Int)
            let term = Double(row["termClauses"] as! Int), clauses = Double(row["clauses"] as! Int)
            #expect(abs((row["pmi"] as! Double) - log2(count * clauses / (term * word))) < 1e-9)
            #expect(count <= word && count <= term)
        }
    }

    // MARK: REFI-QDA

    @Test func qdpxProjectValidatesAndCutsEachClauseExactly() throws {
        let folder = try Self.temporaryFolder("qdpx")
        let out = folder.appendingPathComponent("out")
        let result = try CLI.run(["convert", "corpus/govcn-2019/05.html", "corpus/plans/shenyang-ftz-plan-2021.txt",
                                  "--out", out.path, "--to", "qdpx", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        // Unpacked with the ZIP reader PlanIngest reads DOCX with.
        let project = try ZipPackage(data: try Data(contentsOf: out.appendingPathComponent("project.qdpx")), source: "project.qdpx",
                                     maxExpandedBytes: 64 << 20)
        let qde = folder.appendingPathComponent("project.qde")
        try #require(try project.read("project.qde")).write(to: qde)
        // The REFI-QDA schema, with xmllint.
        let lint = Process()
        lint.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        lint.arguments = ["xmllint", "--noout", "--schema", CLI.repositoryURL.appendingPathComponent("schemas/refi-qda/Project-mrt2019.xsd").path, qde.path]
        let errors = Pipe()
        lint.standardError = errors
        try lint.run()
        lint.waitUntilExit()
        let lintOutput = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(lint.terminationStatus == 0, "\(lintOutput)")
        // Every selection cuts its record's text out of its source's text, in Unicode scalars.
        let xml = try String(contentsOf: qde, encoding: .utf8)
        let codes = try String(contentsOf: out.appendingPathComponent("codes.csv"), encoding: .utf8)
        let rows = QueryCommandTests.csvRecords(codes)
        #expect(rows.first == ["source", "record", "type", "dimension", "tool", "cues", "start", "end", "text"])
        #expect(rows.count > 100)
        let sourcePaths = QueryCommandTests.captures(#"plainTextPath="internal://([^"]+)""#, in: xml)
        #expect(sourcePaths.count == 2)
        let texts = try sourcePaths.map { String(decoding: try #require(try project.read("sources/" + $0)), as: UTF8.self) }
        let sources = rows.dropFirst().map(\.[0])
        var order: [String] = []
        for source in sources where !order.contains(source) { order.append(source) }
        for row in rows.dropFirst() {
            guard let index = order.firstIndex(of: row[0]), index < texts.count else {
                Issue.record("\(row[1]) names \(row[0]), one of \(order), but the project holds \(texts.count) texts")
                continue
            }
            let text = Array(texts[index].unicodeScalars)
            guard let start = Int(row[6]), let end = Int(row[7]), 0 <= start, start <= end, end <= text.count else {
                Issue.record("\(row[1]): selection \(row[6])–\(row[7]) outside its source of \(text.count) characters")
                continue
            }
            var cut = String.UnicodeScalarView()
            cut.append(contentsOf: text[start..<end])
            #expect(String(cut) == row[8], "\(row[1])")
        }
        #expect(xml.components(separatedBy: "<PlainTextSelection ").count - 1 == rows.count - 1)
        #expect(xml.contains("name=\"服务外包\" isCodable=\"true\""))
    }
}

extension QueryCommandTests {
    /// The first capture group of every match of `pattern`.
    static func captures(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}
