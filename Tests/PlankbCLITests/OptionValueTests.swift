import Foundation
import Testing

/// Enumerated options reject a value they do not know — exit status 2 and the list of valid values on standard
/// error — instead of running with it (`--type targt` used to return zero hits as if nothing matched).
struct OptionValueTests {
    /// Runs `arguments`; the run must fail as a usage error naming the bad value and listing every valid one.
    func expectRejected(_ arguments: [String], bad: String, listing valid: [String]) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("'\(bad)'"), "\(result.stderr)")
        for value in valid { #expect(result.stderr.contains(value), "\(value) missing from: \(result.stderr)") }
    }

    @Test func queryFiltersRejectUnknownValues() throws {
        let database = try QueryCommandTests.indexedKnowledgeBase()
        try expectRejected(["query", "就业", "--db", database, "--type", "targt"], bad: "targt",
                           listing: ["target", "achievement", "milestone", "measure", "reference", "quantity"])
        try expectRejected(["query", "就业", "--db", database, "--kind", "article,chaptr"], bad: "article,chaptr",
                           listing: ["chapter", "section", "article", "paragraph", "item"])
        try expectRejected(["query", "就业", "--db", database, "--count-by", "docs"], bad: "docs",
                           listing: ["doc", "year", "issuer", "chapter"])
        try expectRejected(["kwic", "就业", "--db", database, "--format", "xml"], bad: "xml", listing: ["table", "json", "csv"])
        // The valid spellings still run: a list of kinds, a record type.
        let good = try CLI.run(["query", "金融", "--db", database, "--kind", "article,chapter", "--type", "measure"])
        #expect(good.status == 0, "\(good.stderr)")
    }

    /// A publication date that is none is refused (compared as text, 2020-1-5 sorted after 2020-08-23 and gave
    /// the wrong documents); one written with one-digit parts or slashes means the same as written out.
    @Test func publicationDatesAreDatesOrAUsageError() throws {
        let database = try QueryCommandTests.indexedKnowledgeBase()
        for (option, date) in [("--published-after", "2020-13"), ("--published-before", "2021-02-29"), ("--published-after", "abc")] {
            let result = try CLI.run(["query", "发展", "--db", database, option, date])
            #expect(result.status == 2 && result.stdout.isEmpty, "\(date): \(result.stderr)")
            #expect(result.stderr.contains("\(option) \(date) is no date; give YYYY, YYYY-MM or YYYY-MM-DD"), "\(result.stderr)")
        }
        let written = try CLI.run(["query", "发展", "--db", database, "--published-after", "2019-08-01", "--published-before", "2021-03"])
        let short = try CLI.run(["query", "发展", "--db", database, "--published-after", "2019/8/1", "--published-before", "2021-3"])
        let everything = try CLI.run(["query", "发展", "--db", database])
        #expect(written.status == 0 && short.status == 0 && !written.stdout.isEmpty, "\(written.stderr)")
        #expect(short.stdout == written.stdout)
        #expect(written.stdout != everything.stdout, "the dates must filter something for the comparison to mean anything")
    }

    /// Counts that would make the answer empty or lose its context are usage errors, not "no hits".
    @Test func countsBelowOneAreUsageErrors() throws {
        let database = try QueryCommandTests.indexedKnowledgeBase()
        for (arguments, message) in [(["query", "发展", "--limit", "0"], "--limit must be at least 1"),
                                     (["query", "发展", "--offset=-1"], "--offset cannot be negative"),
                                     (["kwic", "发展", "--limit=-3"], "--limit must be at least 1"),
                                     (["kwic", "发展", "--width", "0"], "--width must be at least 1")] {
            let result = try CLI.run(arguments + ["--db", database])
            #expect(result.status == 2 && result.stdout.isEmpty && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    /// A document filter that matches no document says so beside "no hits", so that it is not taken for a term the
    /// documents lack; a term absent from documents that exist gets no such note.
    @Test func aFilterMatchingNoDocumentIsNamed() throws {
        let database = try QueryCommandTests.indexedKnowledgeBase()
        let misspelt = try CLI.run(["query", "发展", "--db", database, "--doc", "shenyang-ftz-plan-2012"])
        #expect(misspelt.status == 0 && misspelt.stdout == "no hits\n")
        #expect(misspelt.stderr == "plankb: note: no document's key, title or path contains “shenyang-ftz-plan-2012”\n", "\(misspelt.stderr)")
        let issuer = try CLI.run(["kwic", "发展", "--db", database, "--issuer", "国务完", "--json"])
        #expect(issuer.stderr.contains("no document's issuer (发文机关) contains “国务完”"), "\(issuer.stderr)")
        let absent = try CLI.run(["query", "量子纠缠", "--db", database, "--doc", "SHENYANG-FTZ-PLAN-2021"])
        #expect(absent.stdout == "no hits\n" && absent.stderr.isEmpty, "\(absent.stderr)")
        let found = try CLI.run(["query", "发展", "--db", database, "--doc", "SHENYANG-FTZ-PLAN-2021", "--limit", "1"])
        #expect(found.stdout.contains("shenyang-ftz-plan-2021") && found.stderr.isEmpty, "\(found.stdout)")
    }

    @Test func convertAndRecordsRejectUnknownValues() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("plankb-options-\(UUID().uuidString)").path
        try expectRejected(["convert", "corpus/govcn-2019/01.html", "--out", out, "--to", "json,jsonlines"],
                           bad: "json,jsonlines", listing: ["json", "jsonl", "csv", "markdown", "akn"])
        #expect(!FileManager.default.fileExists(atPath: out), "a rejected run writes nothing")
        try expectRejected(["records", "corpus/plans/shenyang-ftz-plan-2021.txt", "--type", "goal"], bad: "goal",
                           listing: ["target", "measure"])
        try expectRejected(["parse", "corpus/govcn-2019/01.html", "--format", "yaml"], bad: "yaml",
                           listing: ["json", "tree", "markdown", "text"])
        try expectRejected(["index", "corpus/govcn-2019/01.html", "--db", out + ".sqlite", "--tokenizer", "trigram"],
                           bad: "trigram", listing: ["unigram", "bigram"])
        #expect(!FileManager.default.fileExists(atPath: out + ".sqlite"))
    }

    @Test func helpListsTheValues() throws {
        let help = try CLI.run(["query", "--help"])
        #expect(help.stdout.contains("--count-by <count-by>"))
        for value in ["doc", "year", "issuer", "chapter", "target", "achievement"] {
            #expect(help.stdout.contains(value), "\(value) missing from query --help")
        }
    }
}
