import Foundation
import Testing

/// `plankb reuse` and `plankb refs` as a user runs them, on real documents of the corpus and on adaptations
/// made from them where the answer must be known.
@Suite struct ReuseCommandTests {
    static let reply2996 = "corpus/govcn-2019/28.html"
    static let reply7264 = "corpus/govcn-2019/29.html"
    static let plan = "corpus/plans/shenyang-ftz-plan-2021.txt"

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plankb-reuse-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The two State Council replies of 2006 (国办函〔2006〕69号 and 70号), checked by hand: 70号 repeats 69号's
    /// closing sentence word for word and takes two phrases of its account of the government portal.
    @Test func twoRealRepliesShareTheirClosingAndPortalPassages() throws {
        let result = try CLI.run(["reuse", Self.reply7264, Self.reply2996, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let validator = try JSONSchemaValidator(schemaAt: CLI.repositoryURL.appendingPathComponent("schemas/reuse.schema.json"))
        let json = try JSONSerialization.jsonObject(with: result.stdoutData)
        #expect(validator.validate(json).isEmpty, "\(validator.validate(json).prefix(3))")
        let pairs = try #require((json as? [String: Any])?["pairs"] as? [[String: Any]])
        let verbatim = pairs.filter { $0["kind"] as? String == "verbatim" }
        #expect(verbatim.contains { ($0["shared"] as? [String])?.contains("感谢您对政府工作的关心和支持") == true })
        let partial = pairs.filter { $0["kind"] as? String == "partial" }
        #expect(partial.contains { ($0["shared"] as? [String])?.contains("促进政务公开，改进公共服务，提高行政效能") == true })
        // Every pair's source is the other reply, never the target itself.
        #expect(pairs.allSatisfy { ($0["source"] as? [String: Any])?["document"] as? String == Self.reply7264 })
    }

    static let shanghai = "corpus/laws/reg-shanghai-ftz-2014/shanghai-ftz-regulation-2014.md"
    static let chongqing = "corpus/laws/reg-ftz-provinces/chongqing-ftz-regulation-2019.md"
    static let shandong = "corpus/laws/reg-ftz-provinces/shandong-ftz-regulation-2020.md"

    /// The pairs of `reuse SOURCE TARGET --json`, by target node id.
    static func pairs(_ source: String, _ target: String) throws -> [String: [String: Any]] {
        let result = try CLI.run(["reuse", source, target, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any]
        let pairs = try #require(json?["pairs"] as? [[String: Any]])
        var byTarget: [String: [String: Any]] = [:]
        for pair in pairs {
            let id = try #require((pair["target"] as? [String: Any])?["id"] as? String)
            if byTarget[id] == nil { byTarget[id] = pair }
        }
        return byTarget
    }

    /// Real policy diffusion, checked by hand: Chongqing's free-trade-zone regulation (2019) and Shandong's
    /// (2020) take articles from Shanghai's (2014) — the scope article with the name swapped, the 一线/二线
    /// customs rule reworded around 海关特殊监管区域, the sentence on trading once licensed inside a longer
    /// article — and Shandong takes more from Chongqing's than from Shanghai's.
    @Test func provincialRegulationsTakeArticlesFromShanghaisAndEachOthers() throws {
        func expect(_ pairs: [String: [String: Any]], _ target: String, from source: String, _ kind: String,
                    sharing passage: String? = nil) {
            let pair = pairs[target]
            #expect((pair?["source"] as? [String: Any])?["id"] as? String == source, "\(target)")
            #expect(pair?["kind"] as? String == kind, "\(target): \(pair?["kind"] ?? "no pair")")
            if let passage {
                #expect((pair?["shared"] as? [String])?.contains { $0.contains(passage) } == true, "\(target)")
            }
        }
        let chongqing = try Self.pairs(Self.shanghai, Self.chongqing)
        expect(chongqing, "art_2__para_1", from: "art_2__para_1", "adapted", sharing: "本条例适用于经国务院批准设立的中国")
        expect(chongqing, "art_22__para_1", from: "art_18__para_1", "adapted", sharing: "与境内区外之间的管理为二线管理")
        expect(chongqing, "art_16__para_2", from: "art_15__para_1", "partial", sharing: "即可从事一般生产经营活动")
        let shandong = try Self.pairs(Self.shanghai, Self.shandong)
        expect(shandong, "art_2__para_1", from: "art_2__para_1", "adapted")
        expect(shandong, "art_24__para_1", from: "art_18__para_1", "adapted")
        // Chongqing's own positioning (内陆开放, 多式联运…) is nobody else's.
        #expect(chongqing["art_4__para_1"] == nil)

        // Against a knowledge base of the three: Shandong's reused share is larger from Chongqing than from Shanghai.
        let database = try Self.temporaryFolder().appendingPathComponent("kb.sqlite").path
        let index = try CLI.run(["index", Self.shanghai, Self.chongqing, Self.shandong, "--db", database, "--no-records", "--quiet"])
        #expect(index.status == 0, "\(index.stderr)")
        let result = try CLI.run(["reuse", "--db", database, "--doc", Self.shandong, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any]
        let shares = try #require(json?["shares"] as? [[String: Any]])
        func share(_ source: String) -> Double { shares.first { $0["source"] as? String == source }?["share"] as? Double ?? 0 }
        #expect(share(Self.shanghai) > 0.03)
        #expect(share(Self.chongqing) > share(Self.shanghai), "\(shares)")
    }

    @Test func htmlShowsBothSidesWithLinkedMarks() throws {
        let result = try CLI.run(["reuse", Self.reply7264, Self.reply2996, "--format", "html"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("<!DOCTYPE html>"))
        #expect(result.stdout.contains("<mark id=\"p1-t1\"><a href=\"#p1-s1\">"))
        #expect(result.stdout.contains("<mark id=\"p1-s1\"><a href=\"#p1-t1\">"))
        #expect(result.stdout.contains("原文照搬"))
    }

    @Test func usageErrorsExitWithTwo() throws {
        #expect(try CLI.run(["reuse", Self.plan]).status == 2)
        #expect(try CLI.run(["reuse", "--db", "x.sqlite"]).status == 2)
        #expect(try CLI.run(["reuse", Self.plan, Self.plan, "--all"]).status == 2)
        let missing = try CLI.run(["reuse", Self.plan, "no-such-file.txt"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no-such-file.txt"))
    }

    /// A city's adaptation of the Shenyang plan (place names swapped, punctuation re-typed) indexed beside the
    /// plan and two other documents: the knowledge base finds the plan as what it reuses, paragraph by paragraph.
    @Test func knowledgeBaseFindsTheAdaptedPlan() throws {
        let folder = try Self.temporaryFolder()
        let original = try String(contentsOf: CLI.repositoryURL.appendingPathComponent(Self.plan), encoding: .utf8)
        let adapted = original.replacingOccurrences(of: "沈阳", with: "大连").replacingOccurrences(of: "，", with: ", ")
        let adaptedPath = folder.appendingPathComponent("dalian-plan.txt").path
        try adapted.write(toFile: adaptedPath, atomically: true, encoding: .utf8)
        let database = folder.appendingPathComponent("kb.sqlite").path
        let index = try CLI.run(["index", Self.plan, Self.reply2996, Self.reply7264, adaptedPath, "--db", database,
                                 "--no-records", "--quiet"])
        #expect(index.status == 0, "\(index.stderr)")

        let one = try CLI.run(["reuse", "--db", database, "--doc", adaptedPath, "--json"])
        #expect(one.status == 0, "\(one.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: one.stdoutData) as? [String: Any])
        let shares = try #require(report["shares"] as? [[String: Any]])
        #expect(shares.first?["source"] as? String == Self.plan)
        #expect((shares.first?["share"] as? Double ?? 0) > 0.9, "\(shares)")
        let pairs = try #require(report["pairs"] as? [[String: Any]])
        // Paragraph for paragraph: each pair links the same node id in both.
        let sameNode = pairs.filter { pair in
            (pair["target"] as? [String: Any])?["id"] as? String == (pair["source"] as? [String: Any])?["id"] as? String
        }
        #expect(sameNode.count * 10 >= pairs.count * 9, "\(sameNode.count) of \(pairs.count)")

        let all = try CLI.run(["reuse", "--db", database, "--all", "--json"])
        #expect(all.status == 0, "\(all.stderr)")
        let table = try #require(try JSONSerialization.jsonObject(with: all.stdoutData) as? [String: Any])
        let rows = try #require(table["shares"] as? [[String: Any]])
        #expect(table["documents"] as? Int == 4)
        let planPair = rows.filter {
            Set([$0["target"] as? String, $0["source"] as? String]) == Set([adaptedPath, Self.plan])
        }
        #expect(planPair.count == 2, "both directions: \(rows)")
        let unknown = try CLI.run(["reuse", "--db", database, "--doc", "nothing.txt"])
        #expect(unknown.status == 1)
    }

    /// A notice citing the 立法法 by its full and short title, with an article, and a State Council document by
    /// its 文号; both versions of the 立法法 are indexed, so the latest is linked and the other listed.
    @Test func referencesResolveToDocumentsAndArticles() throws {
        let folder = try Self.temporaryFolder()
        let notice = """
        关于做好地方性法规备案审查工作的通知

        一、根据《中华人民共和国立法法》第八十条的规定，省、自治区、直辖市的人民代表大会及其常务委员会可以制定地方性法规。

        二、各地要认真落实《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》（国发〔2019〕5号）。

        三、依照《立法法》做好备案审查工作，按照《中华人民共和国行政许可法》规范审批。
        """
        let noticePath = folder.appendingPathComponent("notice.txt").path
        try notice.write(toFile: noticePath, atomically: true, encoding: .utf8)
        let database = folder.appendingPathComponent("kb.sqlite").path
        let law2015 = "corpus/laws/law-legislation-2015-2023/legislation-law-2015.md"
        let law2023 = "corpus/laws/law-legislation-2015-2023/legislation-law-2023.md"
        let govcn = "corpus/govcn-2019/01.html"
        let index = try CLI.run(["index", noticePath, law2015, law2023, govcn, "--db", database, "--quiet"])
        #expect(index.status == 0, "\(index.stderr)")

        let result = try CLI.run(["refs", "--db", database, "--doc", noticePath, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let validator = try JSONSchemaValidator(schemaAt: CLI.repositoryURL.appendingPathComponent("schemas/refs.schema.json"))
        let json = try JSONSerialization.jsonObject(with: result.stdoutData)
        #expect(validator.validate(json).isEmpty, "\(validator.validate(json).prefix(3))")
        let cites = try #require((json as? [String: Any])?["cites"] as? [[String: Any]])
        func resolved(_ name: String) -> [String: Any]? {
            cites.first { $0["name"] as? String == name }?["resolved"] as? [String: Any]
        }
        #expect(resolved("中华人民共和国立法法")?["document"] as? String == law2023)
        #expect(resolved("中华人民共和国立法法")?["node"] as? String == "art_80")
        #expect(resolved("立法法")?["document"] as? String == law2023)
        #expect(cites.first { $0["name"] as? String == "立法法" }?["alternatives"] as? [String] == [law2015])
        #expect(resolved("国发〔2019〕5号")?["document"] as? String == govcn)
        #expect(resolved("中华人民共和国行政许可法") == nil)
        #expect(cites.contains { $0["name"] as? String == "中华人民共和国行政许可法" }, "listed though not found")

        let cited = try CLI.run(["refs", "--db", database, "--doc", law2023, "--json"])
        let citedBy = try #require((try JSONSerialization.jsonObject(with: cited.stdoutData) as? [String: Any])?["citedBy"]
            as? [[String: Any]])
        #expect(citedBy.contains { $0["document"] as? String == noticePath && $0["article"] as? Int == 80 }, "\(citedBy)")
        #expect(!citedBy.contains { $0["document"] as? String == law2015 })
    }
}
