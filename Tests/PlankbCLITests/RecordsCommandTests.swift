import Foundation
import Testing

/// `plankb records` and `plankb eval` as a user runs them: real corpus documents, output checked against
/// schemas/record.schema.json, the CSV read back as a spreadsheet would.
struct RecordsCommandTests {
    static let schemaURL = CLI.repositoryURL.appendingPathComponent("schemas/record.schema.json")

    @Test func jsonlRecordsValidateAgainstTheSchema() throws {
        let validator = try JSONSchemaValidator(schemaAt: Self.schemaURL)
        let result = try CLI.run(["records", "corpus/plans/shenyang-ftz-plan-2021.txt",
                                  "corpus/reports/government-work-reports-2021-2025.jsonl"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count > 300)
        var types: Set<String> = []
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            let problems = validator.validate(object)
            #expect(problems.isEmpty, "\(line.prefix(120)): \(problems.prefix(3))")
            if let type = (object as? [String: Any])?["type"] as? String { types.insert(type) }
        }
        #expect(types == ["target", "achievement", "milestone", "measure", "reference", "quantity"])
        // The 2025 report's first target, as a researcher would look it up.
        let gdp = try #require(lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }.first {
            ($0["quantity"] as? [String: Any])?["metric"] as? String == "国内生产总值增长" && $0["year"] as? Int == 2025
                && $0["type"] as? String == "target"
        })
        let quantity = try #require(gdp["quantity"] as? [String: Any])
        #expect(quantity["value"] as? Double == 5 && quantity["unit"] as? String == "%" && quantity["comparator"] as? String == "~")
    }

    @Test func schemaRejectsAMalformedRecord() throws {
        let validator = try JSONSchemaValidator(schemaAt: Self.schemaURL)
        let wrong: [String: Any] = [
            "id": "chp_1#goal_1", "type": "goal", "node": "chp_1", "path": [], "text": "",
            "span": ["startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1],
            "quantity": ["value": "five", "raw": "5%", "comparator": "about"],
        ]
        let problems = validator.validate(wrong)
        #expect(problems.contains { $0.contains("$.type") })
        #expect(problems.contains { $0.contains("$.quantity.value") })
        #expect(problems.contains { $0.contains("$.quantity.comparator") })
    }

    /// Each type has its own fields: a real measure with a target's strength, or without its title, is wrong.
    @Test func schemaHoldsEachTypeToItsOwnFields() throws {
        let validator = try JSONSchemaValidator(schemaAt: Self.schemaURL)
        let result = try CLI.run(["records", "corpus/plans/shenyang-ftz-plan-2021.txt", "--type", "measure"])
        let line = try #require(result.stdout.split(separator: "\n").first)
        let measure = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(validator.validate(measure).isEmpty)
        var bound = measure
        bound["strength"] = "binding"
        #expect(!validator.validate(bound).isEmpty, "binding is a target's strength")
        var untitled = measure
        untitled["title"] = nil
        #expect(!validator.validate(untitled).isEmpty, "a measure has a title")
        var milestone = measure
        milestone["type"] = "milestone"
        #expect(!validator.validate(milestone).isEmpty, "a milestone has a step")
    }

    /// A folder is walked as index walks it; a missing path is an error naming it, and the others still count.
    @Test func foldersAreWalkedAndAMissingPathIsNamed() throws {
        let result = try CLI.run(["records", "corpus/govcn-2019", "no-such-folder"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no-such-folder: error: no such file or folder"))
        let sources = Set(result.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["source"] as? String
        })
        // Every one of the folder's 40 pages has records (a reference, a figure at least).
        #expect(sources.count == 40 && sources.allSatisfy { $0.hasPrefix("corpus/govcn-2019/") }, "\(sources.count) \(sources.prefix(3))")
        let parse = try CLI.run(["parse", "corpus/govcn-2019"])
        #expect(parse.status == 1 && parse.stderr.contains("is a folder, not a document"))
    }

    @Test func typeFilterKeepsOnlyThatType() throws {
        let result = try CLI.run(["records", "corpus/plans/shenyang-ftz-plan-2021.txt", "--type", "milestone"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.contains("\"type\":\"milestone\"") })
    }

    @Test func csvOpensAsASpreadsheet() throws {
        let result = try CLI.run(["records", "corpus/plans/shenyang-ftz-plan-2021.txt", "--format", "csv"])
        #expect(result.status == 0)
        #expect(Array(result.stdoutData.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let rows = Self.parseCSV(String(decoding: result.stdoutData.dropFirst(3), as: UTF8.self))
        let header = try #require(rows.first)
        #expect(header.prefix(8) == ["source", "id", "type", "node", "path", "value", "unit", "raw"])
        #expect(rows.dropFirst().allSatisfy { $0.count == header.count })
        let valueColumn = header.firstIndex(of: "value")!, rawColumn = header.firstIndex(of: "raw")!
        let enterprises = try #require(rows.first { $0[rawColumn] == "1.9万户" })
        #expect(enterprises[valueColumn] == "19000")
        #expect(result.stdout.contains("\r\n"))
    }

    @Test func usageErrorsExitWithTwo() throws {
        #expect(try CLI.run(["records"]).status == 2)
        #expect(try CLI.run(["records", "corpus/plans/shenyang-ftz-plan-2021.txt", "--type", "goal"]).status == 2)
    }

    @Test func evalPrintsScoresPerTypeAndField() throws {
        let result = try CLI.run(["eval"])
        #expect(result.status == 0, "\(result.stderr)")
        for expected in ["quantities (any type)", "  target", "  achievement", "  measure", "  value", "  unit",
                         "  comparator", "  year", "typing", "measure titles", "== total"] {
            #expect(result.stdout.contains(expected), "\(expected)")
        }
    }

    /// RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; rows end in CRLF.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = Array(text).makeIterator()
        var pending: Character? = nil
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { field.append(character) }
            } else if character == "\"" {
                quoted = true
            } else if character == "," {
                row.append(field); field = ""
            } else if character == "\r\n" || character == "\n" {
                row.append(field); field = ""
                rows.append(row); row = []
            } else {
                field.append(character)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
