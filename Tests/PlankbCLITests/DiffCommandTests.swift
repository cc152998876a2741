import Foundation
import Testing

/// `plankb diff` run as a user runs it: JSON against schemas/diff.schema.json, the HTML 修订对照表, exit codes.
struct DiffCommandTests {
    static let antimonopoly = ["corpus/laws/law-antimonopoly-2007-2022/antimonopoly-law-2007.md",
                               "corpus/laws/law-antimonopoly-2007-2022/antimonopoly-law-2022.md"]
    static let animal = ["1997", "2007", "2013"].map { "corpus/laws/law-animal-epidemic-1997-2021-drafts/\($0).txt" }

    @Test func jsonValidatesAgainstTheSchema() throws {
        let validator = try JSONSchemaValidator(schemaAt: CLI.repositoryURL.appendingPathComponent("schemas/diff.schema.json"))
        let runs: [[String]] = [
            ["diff"] + Self.antimonopoly + ["--format", "json"],
            ["diff"] + Self.animal + ["--format", "json"],
            ["diff"] + Self.animal + ["--format", "json", "--history", "art_17"],
        ]
        for arguments in runs {
            let result = try CLI.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            let json = try JSONSerialization.jsonObject(with: result.stdoutData)
            let problems = validator.validate(json)
            #expect(problems.isEmpty, "\(arguments): \(problems.prefix(5))")
        }
        // Three versions give one report per consecutive pair.
        let three = try CLI.run(["diff"] + Self.animal + ["--format", "json"])
        let reports = (try JSONSerialization.jsonObject(with: three.stdoutData) as? [String: Any])?["reports"] as? [Any]
        #expect(reports?.count == 2)
        // The validator is not a rubber stamp: a wrong kind is caught.
        #expect(!validator.validate(["old": [:], "new": [:], "changes": [["kind": "changed"]], "recordChanges": [],
                                     "summary": [:]]).isEmpty)
    }

    @Test func textReportNamesTheChanges() throws {
        let result = try CLI.run(["diff"] + Self.antimonopoly)
        #expect(result.status == 0)
        #expect(result.stdout.contains("[split] 第十三条 (art_13) → 第十六条 (art_16)"))
        #expect(result.stdout.contains("[renumbered] 第五条 (art_5) → 第六条 (art_6)"))
        #expect(!result.stdout.contains("\u{1B}["))  // not a terminal: no colour codes
    }

    @Test func htmlIsOneSelfContainedComparisonTable() throws {
        // Document text with markup characters must come out escaped.
        let old = try CLI.temporaryFile("old.md", Data("# 测试法\n\n## 第一章 总则\n\n第一条 甲<b>乙</b>&丙。\n\n第二条 不变的条文内容。\n".utf8))
        let new = try CLI.temporaryFile("new.md", Data("# 测试法\n\n## 第一章 总则\n\n第一条 甲<i>乙</i>&丙。\n\n第二条 不变的条文内容。\n".utf8))
        let result = try CLI.run(["diff", old.path, new.path, "--format", "html"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(result.stdout.contains("甲&lt;<del>b</del>&gt;乙&lt;/<del>b</del>&gt;"))
        #expect(result.stdout.contains("甲&lt;<ins>i</ins>&gt;乙&lt;/<ins>i</ins>&gt;"))
        #expect(!result.stdout.contains("<b>乙") && !result.stdout.contains("<i>乙"))
        #expect(result.stdout.contains("&amp;丙"))
        #expect(!result.stdout.contains("src=") && !result.stdout.contains("<link"))

        let law = try CLI.run(["diff"] + Self.antimonopoly + ["--format", "html"])
        #expect(law.stdout.contains("<nav class=\"toc\">"))
        #expect(law.stdout.contains("<ins>鼓励创新，</ins>"))
        #expect(law.stdout.contains("第二章 垄断协议"))
    }

    @Test func recordChangesWithRecords() throws {
        let old = try CLI.temporaryFile("plan-old.txt", Data("第一章 总体要求\n\n  到2025年，政务服务事项可网办率达到100%。\n\n  到2025年，新增市场主体达到1万户。\n".utf8))
        let new = try CLI.temporaryFile("plan-new.txt", Data("第一章 总体要求\n\n  到2025年，政务服务事项可网办率不低于95%。\n\n  到2025年，新增市场主体达到1万户。\n".utf8))
        let result = try CLI.run(["diff", old.path, new.path, "--records"])
        #expect(result.stdout.contains("[changed] 政务服务事项可网办率 target 2025: 100% → 不低于95%"))
        #expect(!result.stdout.contains("新增市场主体"))  // unchanged target, not reported
        let plain = try CLI.run(["diff", old.path, new.path])
        #expect(!plain.stdout.contains("Records"))
    }

    @Test func usageAndInputErrors() throws {
        #expect(try CLI.run(["diff", Self.antimonopoly[0]]).status == 2)
        let missing = try CLI.run(["diff", Self.antimonopoly[0], "corpus/no-such-file.md"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no-such-file.md"))
    }
}
