import Foundation
import Testing

/// `plankb index` then `plankb query`, run as a user would, on real corpus documents.
@Suite struct QueryCommandTests {
    /// A knowledge base of two real documents, built by the binary.
    static func indexedKnowledgeBase() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("plankb-query-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = folder.appendingPathComponent("kb.sqlite").path
        let index = try CLI.run(["index", "corpus/plans/shenyang-ftz-plan-2021.txt",
                                 "corpus/laws/law-hainan-ftp-2021/hainan-free-trade-port-law-2021.md",
                                 "--db", database, "--no-records", "--quiet"])
        #expect(index.status == 0, "\(index.stderr)")
        return database
    }

    /// The CSV rows of a query, without the header: rank, score, document, doc_key, node_id, …
    func rows(_ arguments: [String]) throws -> [[String]] {
        let result = try CLI.run(["query"] + arguments + ["--csv"])
        #expect(result.status == 0, "\(result.stderr)")
        return Array(Self.csvRecords(result.stdout).dropFirst())
    }

    /// RFC 4180 records: quoted fields may hold commas, line breaks and doubled quotes.
    static func csvRecords(_ text: String) -> [[String]] {
        var records: [[String]] = [], record: [String] = [], field = "", quoted = false
        var characters = text.drop { $0 == "\u{FEFF}" }.makeIterator()
        while let character = characters.next() {
            if quoted {
                if character == "\"" {
                    if let next = characters.next() {
                        if next == "\"" { field.append("\"") } else {
                            quoted = false
                            if next == "," { record.append(field); field = "" }
                            else if next.isNewline { record.append(field); records.append(record); record = []; field = "" }
                        }
                    } else { quoted = false }
                } else { field.append(character) }
            } else if character == "\"" { quoted = true }
            else if character == "," { record.append(field); field = "" }
            else if character.isNewline { record.append(field); records.append(record); record = []; field = "" }
            else { field.append(character) }
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }

    /// Readers open the file read-only: a query, kwic or terms run leaves the knowledge base byte for byte as
    /// it was (no write transaction, no checkpoint), so it can sit on a read-only share or beside an index run.
    @Test func readersLeaveTheKnowledgeBaseUntouched() throws {
        let database = try Self.indexedKnowledgeBase()
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let walBefore = (try? Data(contentsOf: URL(fileURLWithPath: database + "-wal"))) ?? Data()
        for arguments in [["query", "金融", "--db", database], ["kwic", "金融", "--db", database], ["terms", "金融", "--db", database]] {
            let result = try CLI.run(arguments)
            #expect(result.status == 0, "\(arguments[0]): \(result.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)
        #expect(((try? Data(contentsOf: URL(fileURLWithPath: database + "-wal"))) ?? Data()) == walBefore, "nothing was written to the WAL")
    }

    @Test func aLaterPageGoesOnCountingAndHoldsTheNextHits() throws {
        let database = try Self.indexedKnowledgeBase()
        let firstThree = try rows(["金融", "--db", database, "--limit", "3"])
        let third = try rows(["金融", "--db", database, "--limit", "1", "--offset", "2"])
        #expect(firstThree.map { $0[0] } == ["1", "2", "3"])
        #expect(third.count == 1)
        #expect(third.first?[0] == "3", "the rank counts the skipped hits")
        // The same hit: its score and node id.
        #expect(third.first.map { [$0[1], $0[4]] } == firstThree.last.map { [$0[1], $0[4]] })
    }

    @Test func filtersNarrowTheHitsToWhatTheyName() throws {
        let database = try Self.indexedKnowledgeBase()
        let articles = try rows(["金融", "--db", database, "--kind", "article", "--limit", "50"])
        #expect(!articles.isEmpty)
        // Only the law has articles (第X条); their ids start with art_.
        #expect(articles.allSatisfy { $0[4].hasPrefix("art_") })
        let issuer = try rows(["金融", "--db", database, "--issuer", "全国人民代表大会", "--limit", "50"])
        #expect(!issuer.isEmpty && issuer.allSatisfy { $0[3].contains("hainan") })
    }

    @Test func aFullNameAlsoFindsItsShortNameAndSaysSo() throws {
        let database = try Self.indexedKnowledgeBase()
        let full = "中国（辽宁）自由贸易试验区沈阳片区"
        let json = try CLI.run(["query", full, "--db", database, "--limit", "100", "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8))
        let validator = try JSONSchemaValidator(schemaAt: CLI.repositoryURL.appendingPathComponent("schemas/query-hit.schema.json"))
        #expect(validator.validate(object).isEmpty, "\(validator.validate(object).prefix(3))")
        let hits = try #require((object as? [String: Any])?["hits"] as? [[String: Any]])
        let through = hits.filter { $0["matchedThroughAbbreviation"] != nil }
        #expect(through.count > 20 && through.count == hits.count - 1, "all but the definition use only 沈阳片区")
        for hit in through {
            let match = try #require(hit["matchedThroughAbbreviation"] as? [String: String])
            #expect(match == ["short": "沈阳片区", "full": "中国(辽宁)自由贸易试验区沈阳片区"])
            #expect((hit["snippet"] as? String)?.contains("«沈阳片区»") == true)
        }
        let table = try CLI.run(["query", full, "--db", database, "--limit", "3"])
        // The table says so under each such hit: as many lines as the JSON's first three hits matched that way.
        let throughInFirstThree = hits.prefix(3).filter { $0["matchedThroughAbbreviation"] != nil }.count
        #expect(throughInFirstThree >= 2)
        #expect(table.stdout.components(separatedBy: "via abbreviation: 沈阳片区 = 中国(辽宁)自由贸易试验区沈阳片区").count - 1
                == throughInFirstThree)
    }
}
